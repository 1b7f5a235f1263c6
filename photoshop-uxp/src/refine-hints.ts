/**
 * Plane conversions between the mask record's bytes (mask-store.ts) and the core's 0..1 planes,
 * used by Refine edges, the port and the panel. Reading strokes from the painted mask is the core's
 * (paintedHints, mergePainting, refineFromPainting in @cutout/core), shared with the other hosts.
 * Plain loops: `TypedArray.from(x, fn)` goes through the iterator protocol (seconds at 12 MP).
 */

/** Bytes 0..255 as a 0..1 plane. */
export function bytesToUnit(bytes: Uint8Array): Float32Array {
  const out = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = (bytes[i] as number) / 255;
  return out;
}

/** A 0..1 plane as bytes 0..255. */
export function unitToBytes(plane: Float32Array): Uint8Array {
  const out = new Uint8Array(plane.length);
  for (let i = 0; i < plane.length; i++) out[i] = Math.round(Math.min(1, Math.max(0, plane[i] as number)) * 255);
  return out;
}
