/**
 * The one clamp to [0, 1] in the core. NaN passes through unchanged (both comparisons are false),
 * which every former copy relied on; keep that. Small enough that V8 inlines it in hot loops.
 */
export function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/** Clamps every value of `a` to [0, 1] in place (NaN stays NaN) and returns `a`. */
export function clampUnit(a: Float32Array): Float32Array {
  for (let i = 0; i < a.length; i++) a[i] = clamp01(a[i] as number);
  return a;
}

/**
 * Alpha within this of 0 or 1 counts as fully transparent or opaque (half an 8-bit step), where
 * the foreground estimate is skipped and the image's own colour is kept.
 */
export const ALPHA_DELTA = 1 / 512;
