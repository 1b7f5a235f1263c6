/** Matte + photo → RGBA cut-out, optionally over a solid colour and cropped to the subject. */
import { CoreError } from './errors.js';
import type { AlphaMatte, RgbaImage } from './image.js';

export interface Rgb {
  readonly r: number;
  readonly g: number;
  readonly b: number;
}

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface ComposeOptions {
  /** Solid background: the result is opaque. */
  readonly background?: Rgb | undefined;
  /** Crop to the subject's bounding box (see `subjectBounds`). */
  readonly crop?: boolean | undefined;
  /**
   * Write the result into the input's own buffer when the output has the same size (no crop),
   * saving one full-size RGBA buffer; for callers that no longer need the original pixels.
   */
  readonly inPlace?: boolean | undefined;
}

/** Alpha at or above this (of 1) counts as subject when cropping; fainter specks are ignored. */
export const CROP_THRESHOLD = 0.05;

/** Bounding box of pixels with alpha ≥ threshold, or null when there are none. */
export function subjectBounds(matte: AlphaMatte, threshold = CROP_THRESHOLD): Rect | null {
  const { width, height, data } = matte;
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if ((data[row + x] as number) >= threshold) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        y1 = y;
      }
    }
  }
  return x1 < 0 ? null : { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/**
 * Straight-alpha RGBA cut-out. Output alpha = matte × input alpha, so inputs that already have
 * transparency keep it. Returns the rectangle of the source that the output covers.
 */
export function composeCutout(image: RgbaImage, matte: AlphaMatte, options: ComposeOptions = {}): { image: RgbaImage; rect: Rect } {
  const rect = cutoutRect(image, matte, options.crop);
  const reuse = options.inPlace === true && rect.width === image.width && rect.height === image.height;
  const out = reuse ? image.data : new Uint8ClampedArray(rect.width * rect.height * 4);
  composeRows(image, matte.data, rect, out, { background: options.background, inPlace: reuse }, 0, rect.height);
  return { image: { width: rect.width, height: rect.height, data: out }, rect };
}

/** The part of the image a cut-out covers: the subject's bounds when cropping (the whole image when it has none). */
export function cutoutRect(image: RgbaImage, matte: AlphaMatte, crop: boolean | undefined): Rect {
  if (matte.width !== image.width || matte.height !== image.height) {
    throw new CoreError('invalid_argument', `Matte is ${matte.width}×${matte.height} but the image is ${image.width}×${image.height}.`);
  }
  const full: Rect = { x: 0, y: 0, width: image.width, height: image.height };
  return crop ? (subjectBounds(matte) ?? full) : full;
}

/**
 * Output rows [y0, y1) of the cut-out of `rect` into `out` (rect.width × rect.height RGBA): over
 * `background` when given, else straight alpha; `inPlace`: `out` is the image's own buffer (rect is
 * the whole image), so the photo's RGB is already there.
 */
export function composeRows(
  image: RgbaImage,
  a: Float32Array,
  rect: Rect,
  out: Uint8Array | Uint8ClampedArray,
  options: { readonly background?: Rgb | undefined; readonly inPlace: boolean },
  y0: number,
  y1: number,
): void {
  if (options.background) composeOver(image, a, rect, out, options.background, y0, y1);
  else composeStraight(image, a, rect, out, options.inPlace, y0, y1);
}

/** Transparent output: the photo's RGB (copied row by row unless composing in place), alpha = matte × photo alpha. */
function composeStraight(image: RgbaImage, a: Float32Array, rect: Rect, out: Uint8Array | Uint8ClampedArray, inPlace: boolean, y0: number, y1: number): void {
  const src = image.data;
  const W = image.width;
  for (let y = y0; y < y1; y++) {
    const p0 = (y + rect.y) * W + rect.x;
    const o0 = y * rect.width * 4;
    if (!inPlace) out.set(src.subarray(p0 * 4, (p0 + rect.width) * 4), o0);
    for (let x = 0, p = p0, o = o0 + 3; x < rect.width; x++, p++, o += 4) {
      const s = src[p * 4 + 3] as number;
      // (a · s/255) · 255 as before; an opaque photo pixel (s = 255) gives a · 1 exactly.
      const alpha = s === 255 ? (a[p] as number) : (a[p] as number) * (s / 255);
      // Explicit rounding: `out` may be a Uint8Array (the input's buffer), which truncates.
      out[o] = (alpha * 255 + 0.5) | 0;
    }
  }
}

/** Opaque output over a solid colour. */
function composeOver(image: RgbaImage, a: Float32Array, rect: Rect, out: Uint8Array | Uint8ClampedArray, bg: Rgb, y0: number, y1: number): void {
  const src = image.data;
  const { r: bgR, g: bgG, b: bgB } = bg;
  for (let y = y0; y < y1; y++) {
    const sy = y + rect.y;
    for (let x = 0; x < rect.width; x++) {
      const p = sy * image.width + x + rect.x;
      const o = (y * rect.width + x) * 4;
      const alpha = (a[p] as number) * ((src[p * 4 + 3] as number) / 255);
      out[o] = ((src[p * 4] as number) * alpha + bgR * (1 - alpha) + 0.5) | 0;
      out[o + 1] = ((src[p * 4 + 1] as number) * alpha + bgG * (1 - alpha) + 0.5) | 0;
      out[o + 2] = ((src[p * 4 + 2] as number) * alpha + bgB * (1 - alpha) + 0.5) | 0;
      out[o + 3] = 255;
    }
  }
}
