/**
 * Sample values at a document's bit depth (IM L60-66, L108-112): 8-bit components are 0..255,
 * 16-bit ones 0..32768 (not 65535, unless getData({fullRange: true})), 32-bit ones float 0..1 (and
 * beyond, for HDR). Masks are written at the document's depth (public plugin code converts 8 → as is,
 * 16 → ×32768/255, 32 → /255 before createImageDataFromBuffer; notes §4), and read back the same way.
 */
import type { Depth } from './ps-api.js';

export type Samples = Uint8Array | Uint16Array | Float32Array;

/** The largest value of a component at a depth (16-bit: 32768, IM L60-66). */
export const FULL: Record<Depth, number> = { 8: 255, 16: 32768, 32: 1 };

/**
 * A 0..1 plane as a one-component buffer at the document's depth. (Plain loops here and below:
 * `TypedArray.from(x, fn)` goes through the iterator protocol and takes seconds on a 12 MP mask.)
 */
export function unitToDepth(values: Float32Array, depth: Depth): Samples {
  const out = depth === 8 ? new Uint8Array(values.length) : depth === 16 ? new Uint16Array(values.length) : new Float32Array(values.length);
  if (depth === 32) {
    for (let i = 0; i < values.length; i++) out[i] = Math.min(1, Math.max(0, values[i] as number));
    return out;
  }
  const max = FULL[depth];
  for (let i = 0; i < values.length; i++) out[i] = Math.round(Math.min(1, Math.max(0, values[i] as number)) * max);
  return out;
}

/** 0..255 bytes as a one-component buffer at the document's depth. */
export function bytesToDepth(bytes: Uint8Array, depth: Depth): Samples {
  if (depth === 8) return bytes.slice();
  if (depth === 32) {
    const out = new Float32Array(bytes.length);
    for (let i = 0; i < bytes.length; i++) out[i] = (bytes[i] as number) / 255;
    return out;
  }
  const out = new Uint16Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = Math.round(((bytes[i] as number) * 32768) / 255);
  return out;
}

/**
 * The depth of a buffer as getData returns it, by its element size rather than `instanceof`, which
 * fails for arrays made in another realm (a host's native module, a test harness's window).
 */
export function depthOfSamples(data: Samples): Depth {
  return data.BYTES_PER_ELEMENT === 1 ? 8 : data.BYTES_PER_ELEMENT === 2 ? 16 : 32;
}

/** Any depth's samples as 0..1 values (32-bit values above 1 clamp to 1). */
export function samplesToUnit(data: Samples): Float32Array {
  const max = FULL[depthOfSamples(data)];
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = Math.min(1, Math.max(0, (data[i] as number) / max));
  return out;
}

/** Any depth's samples as 0..255 bytes. */
export function samplesToBytes(data: Samples): Uint8Array {
  if (depthOfSamples(data) === 8) return data as Uint8Array;
  const max = FULL[depthOfSamples(data)];
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = Math.round(Math.min(1, Math.max(0, (data[i] as number) / max)) * 255);
  return out;
}
