/**
 * Brush strokes (hints covering a small part of the image) change the matte only around
 * themselves: the hinted solve runs in their neighbourhood only (strokeNeighbourhood) and is
 * blended into the unhinted result with a soft falloff (localiseToHints), so a stroke on the hair
 * never moves the edge at the other side of the photo, and a re-solve costs what the stroke
 * touches, not the whole edge. A trimap (most pixels hinted) decides everything instead.
 */
import { HINT_KEEP, HINT_REMOVE } from '../hints.js';
import { boxMean, dilateMask } from './box.js';

/** Fraction of the grid's pixels that are keep or remove hints. */
export function hintedFraction(hints: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < hints.length; i++) {
    const v = hints[i] as number;
    if (v === HINT_KEEP || v === HINT_REMOVE) n++;
  }
  return n / Math.max(1, hints.length);
}

function hintedMask(hints: Uint8Array): Uint8Array {
  const hinted = new Uint8Array(hints.length);
  for (let i = 0; i < hinted.length; i++) {
    const v = hints[i] as number;
    if (v === HINT_KEEP || v === HINT_REMOVE) hinted[i] = 1;
  }
  return hinted;
}

/**
 * Pixels within `radius` of a hint: where a stroke's band may lie. localiseToHints keeps nothing of
 * the solve beyond reach + soft, so a radius beyond that (the refiner uses 6 band radii against 4)
 * leaves the pinned edge of this neighbourhood, where the band is cut, out of sight.
 */
export function strokeNeighbourhood(hints: Uint8Array, w: number, h: number, radius: number): Uint8Array {
  return dilateMask(hintedMask(hints), w, h, Math.max(1, Math.round(radius)));
}

/** alpha ← w·alpha + (1−w)·prior, w = 1 within `reach` of a hint pixel, falling to 0 over `soft` px. */
export function localiseToHints(alpha: Float32Array, prior: Float32Array, hints: Uint8Array, w: number, h: number, reach: number, soft: number): void {
  const hinted = hintedMask(hints);
  const near = dilateMask(hinted, w, h, reach);
  const weight = new Float32Array(w * h);
  for (let i = 0; i < weight.length; i++) weight[i] = near[i] as number;
  const smooth = new Float32Array(w * h);
  boxMean(weight, w, h, soft, smooth);
  for (let i = 0; i < alpha.length; i++) {
    const k = Math.max(smooth[i] as number, hinted[i] as number);
    alpha[i] = k * (alpha[i] as number) + (1 - k) * (prior[i] as number);
  }
}
