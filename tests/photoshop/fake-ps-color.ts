/**
 * Colour models of the fake, all as floats 0..1. Documents store pixels in their native model
 * (RGB 3, Grayscale 1, CMYK 4, Lab 3 components; Indexed as RGB, Bitmap as gray) and getPixels converts
 * through RGB when another `colorSpace` is asked (IM: "Photoshop will perform color conversions when
 * needed"). Photoshop converts with ICC profiles; the fake uses simple documented formulas instead:
 *  - Grayscale: gray = 0.299 R + 0.587 G + 0.114 B (Rec. 601 luma); gray → RGB replicates it.
 *  - CMYK: naive K = 1 − max(R,G,B), C = (1 − R − K)/(1 − K) …; back R = (1 − C)(1 − K) (exact round trip).
 *  - Lab: sRGB (IEC 61966-2-1 transfer) → XYZ D65 → CIELAB, encoded as L/100, (a+128)/255, (b+128)/255.
 */
import type { DocumentMode } from './fake-ps-types.js';

export type Model = 'RGB' | 'Grayscale' | 'CMYK' | 'Lab';

export function nativeModel(mode: DocumentMode): Model {
  switch (mode) {
    case 'RGBColorMode':
    case 'indexedColorMode':
      return 'RGB';
    case 'grayscaleMode':
    case 'bitmapMode':
      return 'Grayscale';
    case 'CMYKColorMode':
      return 'CMYK';
    case 'labColorMode':
      return 'Lab';
    default:
      throw new Error(`the fake does not model ${mode} documents`);
  }
}

export function componentsOf(model: Model): number {
  return model === 'Grayscale' ? 1 : model === 'CMYK' ? 4 : 3;
}

const WHITE = [0.95047, 1, 1.08883];
const lin = (v: number): number => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
const gam = (v: number): number => (v <= 0.0031308 ? v * 12.92 : 1.055 * v ** (1 / 2.4) - 0.055);
const f = (t: number): number => (t > (6 / 29) ** 3 ? Math.cbrt(t) : t / (3 * (6 / 29) ** 2) + 4 / 29);
const fi = (t: number): number => (t > 6 / 29 ? t ** 3 : 3 * (6 / 29) ** 2 * (t - 4 / 29));

function toRgb(model: Model, p: readonly number[]): [number, number, number] {
  const [a = 0, b = 0, c = 0, d = 0] = p;
  if (model === 'RGB') return [a, b, c];
  if (model === 'Grayscale') return [a, a, a];
  if (model === 'CMYK') return [(1 - a) * (1 - d), (1 - b) * (1 - d), (1 - c) * (1 - d)];
  const L = a * 100;
  const fy = (L + 16) / 116;
  const fx = fy + (b * 255 - 128) / 500;
  const fz = fy - (c * 255 - 128) / 200;
  const [X, Y, Z] = [fi(fx) * (WHITE[0] as number), fi(fy), fi(fz) * (WHITE[2] as number)];
  const r = 3.2404542 * X - 1.5371385 * Y - 0.4985314 * Z;
  const g = -0.969266 * X + 1.8760108 * Y + 0.041556 * Z;
  const bl = 0.0556434 * X - 0.2040259 * Y + 1.0572252 * Z;
  return [gam(r), gam(g), gam(bl)].map((v) => Math.min(1, Math.max(0, v))) as [number, number, number];
}

export function fromRgb(model: Model, [r, g, b]: readonly [number, number, number]): number[] {
  if (model === 'RGB') return [r, g, b];
  if (model === 'Grayscale') return [0.299 * r + 0.587 * g + 0.114 * b];
  if (model === 'CMYK') {
    const k = 1 - Math.max(r, g, b);
    if (k >= 1) return [0, 0, 0, 1];
    return [(1 - r - k) / (1 - k), (1 - g - k) / (1 - k), (1 - b - k) / (1 - k), k];
  }
  const [R, G, B] = [lin(r), lin(g), lin(b)];
  const X = (0.4124564 * R + 0.3575761 * G + 0.1804375 * B) / (WHITE[0] as number);
  const Y = 0.2126729 * R + 0.7151522 * G + 0.072175 * B;
  const Z = (0.0193339 * R + 0.119192 * G + 0.9503041 * B) / (WHITE[2] as number);
  const L = 116 * f(Y) - 16;
  return [L / 100, (500 * (f(X) - f(Y)) + 128) / 255, (200 * (f(Y) - f(Z)) + 128) / 255];
}

/** Converts chunky pixels (`from` model + optional trailing alpha) to the `to` model, keeping alpha. */
export function convertPixels(src: Float32Array, count: number, from: Model, to: Model, alpha: boolean): Float32Array {
  const nf = componentsOf(from) + (alpha ? 1 : 0);
  const nt = componentsOf(to) + (alpha ? 1 : 0);
  if (from === to) return src;
  const out = new Float32Array(count * nt);
  const px: number[] = [];
  for (let i = 0; i < count; i++) {
    px.length = 0;
    for (let c = 0; c < componentsOf(from); c++) px.push(src[i * nf + c] as number);
    const conv = fromRgb(to, toRgb(from, px));
    for (let c = 0; c < conv.length; c++) out[i * nt + c] = conv[c] as number;
    if (alpha) out[i * nt + nt - 1] = src[i * nf + nf - 1] as number;
  }
  return out;
}
