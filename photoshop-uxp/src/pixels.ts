/**
 * Pixel layouts between Photoshop's image data and the core: chunky (interleaved) samples with 1
 * (gray), 2 (gray + alpha), 3 (RGB) or 4 (RGBA) components (IM L164: 4 when the source has alpha) become
 * the core's 8-bit RGBA; a matte covering the layer's pixels is placed into the layer's full extent.
 */
import { samplesToBytes, type Samples } from './depth.js';
import { rectHeight, rectWidth, type Rect } from './ps-api.js';

export interface Rgba8 {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** Chunky samples of any depth with 1–4 components as 8-bit RGBA (no alpha: opaque). */
export function toRgba8(samples: Samples, width: number, height: number, components: number): Rgba8 {
  const n = width * height;
  if (samples.length !== n * components) throw new RangeError(`image data has ${samples.length} samples; ${width}×${height}×${components} needs ${n * components}`);
  if (components < 1 || components > 4) throw new RangeError(`${components} components per pixel are not supported`);
  const bytes = samplesToBytes(samples);
  const out = new Uint8Array(n * 4);
  const gray = components <= 2;
  const alpha = components === 2 || components === 4;
  for (let i = 0, s = 0; i < n; i++, s += components) {
    const o = i * 4;
    const r = bytes[s] as number;
    out[o] = r;
    out[o + 1] = gray ? r : (bytes[s + 1] as number);
    out[o + 2] = gray ? r : (bytes[s + 2] as number);
    out[o + 3] = alpha ? (bytes[s + components - 1] as number) : 255;
  }
  return { width, height, data: out };
}

/**
 * A plane covering `inner` placed into `outer` (both document coordinates, inner ⊆ outer after
 * clipping); what lies outside `inner` is `fill`.
 */
export function placePlane(plane: Float32Array, inner: Rect, outer: Rect, fill = 0): Float32Array {
  const w = rectWidth(outer);
  const h = rectHeight(outer);
  const iw = rectWidth(inner);
  if (plane.length !== iw * rectHeight(inner)) throw new RangeError('plane size does not match its rectangle');
  const out = new Float32Array(w * h).fill(fill);
  const top = Math.max(inner.top, outer.top);
  const bottom = Math.min(inner.bottom, outer.bottom);
  const left = Math.max(inner.left, outer.left);
  const right = Math.min(inner.right, outer.right);
  for (let y = top; y < bottom; y++) {
    const src = (y - inner.top) * iw + (left - inner.left);
    out.set(plane.subarray(src, src + (right - left)), (y - outer.top) * w + (left - outer.left));
  }
  return out;
}

/** The part of a plane covering `outer` that lies in `inner` (the inverse of placePlane). */
export function cropPlane(plane: Float32Array, outer: Rect, inner: Rect): Float32Array {
  const w = rectWidth(outer);
  if (plane.length !== w * rectHeight(outer)) throw new RangeError('plane size does not match its rectangle');
  return placePlane(plane, outer, inner, 0);
}

/** The long side scaled to at most `max` (the model-size read's targetSize), or null when already small enough. */
export function targetSizeFor(width: number, height: number, max: number): { width: number } | { height: number } | null {
  if (Math.max(width, height) <= max) return null;
  return width >= height ? { width: max } : { height: max };
}
