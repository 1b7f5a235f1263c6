/**
 * Plane conversions between the mask record's bytes (mask-store.ts) and the core's 0..1 planes,
 * used by Refine edges, the port and the panel. Reading strokes from the painted mask is the core's
 * (paintedHints, mergePainting, refineFromPainting in @cutout/core), shared with the other hosts.
 */

/** Bytes 0..255 as a 0..1 plane. */
export function bytesToUnit(bytes: Uint8Array): Float32Array {
  return Float32Array.from(bytes, (v) => v / 255);
}

/** A 0..1 plane as bytes 0..255. */
export function unitToBytes(plane: Float32Array): Uint8Array {
  return Uint8Array.from(plane, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));
}
