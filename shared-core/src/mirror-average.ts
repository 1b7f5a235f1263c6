/**
 * The automatic mode's quality setting. 'high' runs the network twice, on its input and on the
 * horizontal mirror of that input, and averages the two alphas (the second one mirrored back):
 * test-time augmentation that cancels part of the network's left/right bias at edges. Measured on
 * the eval dev half (README, "High quality and simulated strokes"): twice the model time for SAD
 * −3 %, MSE −5 %, Grad −6 % on average, though not on every image. Averaging over input scales was
 * measured too and is not offered: it helped the dev half and hurt the held-out half.
 *
 * The mirror is taken of the preprocessed tensor, not of the photo: no second resize of a large
 * photo, and the second run sees exactly the mirror image of what the first one saw (the resize
 * itself need not be mirror-symmetric for that).
 */
import { CoreError } from './errors.js';

export const REMOVE_QUALITIES = ['standard', 'high'] as const;
export type RemoveQuality = (typeof REMOVE_QUALITIES)[number];

/** `quality` when it is one of REMOVE_QUALITIES (undefined: 'standard'); otherwise `invalid_argument`. */
export function checkQuality(quality: unknown): RemoveQuality {
  if (quality === undefined) return 'standard';
  if ((REMOVE_QUALITIES as readonly unknown[]).includes(quality)) return quality as RemoveQuality;
  throw new CoreError('invalid_argument', `quality must be one of ${REMOVE_QUALITIES.join(', ')}, not ${JSON.stringify(quality)}.`);
}

/** Planes of width × height (planar, e.g. NCHW with N = 1), each mirrored left ↔ right, into a new array. */
export function mirrorPlanes(data: Float32Array, width: number, height: number): Float32Array {
  const plane = width * height;
  if (!Number.isInteger(width) || !Number.isInteger(height) || plane < 1 || data.length % plane !== 0) {
    throw new CoreError('invalid_argument', `Cannot mirror ${data.length} values as ${width}×${height} planes.`);
  }
  const out = new Float32Array(data.length);
  for (let row = 0; row < data.length; row += width) {
    for (let x = 0, m = row + width - 1; x < width; x++, m--) out[row + x] = data[m] as number;
  }
  return out;
}

/** alpha[y][x] ← (alpha[y][x] + mirrored[y][width − 1 − x]) / 2, in place: the mirrored run's alpha, mirrored back, averaged in. */
export function averageMirrored(alpha: Float32Array, mirrored: Float32Array, width: number, height: number): void {
  if (alpha.length !== width * height || mirrored.length !== alpha.length) {
    throw new CoreError('model_invalid_output', `Cannot average alphas of ${alpha.length} and ${mirrored.length} values as ${width}×${height}.`);
  }
  for (let row = 0; row < alpha.length; row += width) {
    for (let x = 0, m = row + width - 1; x < width; x++, m--) alpha[row + x] = ((alpha[row + x] as number) + (mirrored[m] as number)) / 2;
  }
}
