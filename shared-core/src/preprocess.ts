/**
 * Image → model input tensor (NCHW float32, value = (byte − mean) / std).
 *
 * Two resize modes:
 * - `antialias` (default): pixel-centre aligned, triangle filter widened when downscaling, so a
 *   24-megapixel photo is averaged down to the network size instead of point-sampled.
 * - `reference`: the exact numerics of @imgly/background-removal-node 1.4.5 (corner-aligned
 *   bilinear sampling at x·(W/1024), rounded to bytes, no antialiasing); kept to verify the
 *   pipeline against the reference and for A/B measurements.
 * Transparent pixels are composited over mid-grey first, so whatever colour hides under alpha 0
 * does not steer the network (opaque images are unaffected).
 */
import { throwIfAborted } from './errors.js';
import type { RgbaImage } from './image.js';
import type { ModelManifest } from './model-manifest.js';
import { computeTaps, verticalPass } from './resample.js';

export type ResizeMode = 'antialias' | 'reference';

export interface PreprocessOptions {
  readonly resize?: ResizeMode;
  readonly signal?: AbortSignal | undefined;
  /** Override of the manifest's input size (only for models with `dynamicSize`). */
  readonly size?: { readonly width: number; readonly height: number };
}

const GREY = 128;

/** Byte of channel c (0..2) at pixel index p, composited over grey by the pixel's alpha. */
function channel(data: RgbaImage['data'], p: number, c: number): number {
  const a = data[p * 4 + 3] as number;
  const v = data[p * 4 + c] as number;
  return a === 255 ? v : (v * a + GREY * (255 - a)) / 255;
}

export function preprocess(image: RgbaImage, manifest: ModelManifest, options: PreprocessOptions = {}): Float32Array {
  const dw = options.size?.width ?? manifest.input.shape[3];
  const dh = options.size?.height ?? manifest.input.shape[2];
  const interleaved =
    options.resize === 'reference'
      ? resizeReference(image, dw, dh, options.signal)
      : resizeAntialias(image, dw, dh, options.signal);
  const { mean, std } = manifest.input;
  const plane = dw * dh;
  const out = new Float32Array(3 * plane);
  for (let c = 0; c < 3; c++) {
    const m = mean[c] as number;
    const s = std[c] as number;
    const o = c * plane;
    for (let i = 0; i < plane; i++) out[o + i] = ((interleaved[i * 3 + c] as number) - m) / s;
  }
  return out;
}

/** Antialiased separable resize of RGB (alpha-composited) into interleaved floats, dh × dw × 3. */
function resizeAntialias(image: RgbaImage, dw: number, dh: number, signal: AbortSignal | undefined): Float32Array {
  const { width: sw, height: sh, data } = image;
  const tx = computeTaps(sw, dw, true);
  const ty = computeTaps(sh, dh, true);
  const tmp = new Float32Array(sh * dw * 3);
  for (let y = 0; y < sh; y++) {
    if ((y & 255) === 0) throwIfAborted(signal);
    const row = y * sw;
    const out = y * dw * 3;
    for (let x = 0; x < dw; x++) {
      const s0 = (tx.start[x] as number) + row;
      const n = tx.count[x] as number;
      const wo = x * tx.stride;
      let r = 0;
      let g = 0;
      let b = 0;
      for (let k = 0; k < n; k++) {
        const w = tx.weights[wo + k] as number;
        const p = s0 + k;
        r += channel(data, p, 0) * w;
        g += channel(data, p, 1) * w;
        b += channel(data, p, 2) * w;
      }
      tmp[out + x * 3] = r;
      tmp[out + x * 3 + 1] = g;
      tmp[out + x * 3 + 2] = b;
    }
  }
  throwIfAborted(signal);
  const dst = new Float32Array(dh * dw * 3);
  verticalPass(tmp, dw, dst, dh, ty, 3);
  return dst;
}

/** The reference pipeline's resize, reproduced exactly (see file comment). */
function resizeReference(image: RgbaImage, dw: number, dh: number, signal: AbortSignal | undefined): Float32Array {
  const { width: sw, height: sh, data } = image;
  const scaleX = sw / dw;
  const scaleY = sh / dh;
  const dst = new Float32Array(dh * dw * 3);
  for (let y = 0; y < dh; y++) {
    if ((y & 127) === 0) throwIfAborted(signal);
    const srcY = y * scaleY;
    const y1 = Math.max(Math.floor(srcY), 0);
    const y2 = Math.min(Math.ceil(srcY), sh - 1);
    const dy = srcY - y1;
    for (let x = 0; x < dw; x++) {
      const srcX = x * scaleX;
      const x1 = Math.max(Math.floor(srcX), 0);
      const x2 = Math.min(Math.ceil(srcX), sw - 1);
      const dx = srcX - x1;
      for (let c = 0; c < 3; c++) {
        const p1 = channel(data, y1 * sw + x1, c);
        const p2 = channel(data, y1 * sw + x2, c);
        const p3 = channel(data, y2 * sw + x1, c);
        const p4 = channel(data, y2 * sw + x2, c);
        const v = (1 - dx) * (1 - dy) * p1 + dx * (1 - dy) * p2 + (1 - dx) * dy * p3 + dx * dy * p4;
        dst[(y * dw + x) * 3 + c] = Math.round(v);
      }
    }
  }
  return dst;
}
