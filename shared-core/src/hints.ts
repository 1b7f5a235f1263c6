/** User hints in trimap form: 0 = remove (background), 255 = keep (foreground), anything else = let the model decide. */
import { CoreError } from './errors.js';
import type { AlphaMatte } from './image.js';

export interface HintMask {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

export const HINT_REMOVE = 0;
export const HINT_KEEP = 255;

export function assertHintSize(hints: HintMask, width: number, height: number): void {
  if (hints.width !== width || hints.height !== height) {
    throw new CoreError(
      'hint_size_mismatch',
      `Hint mask is ${hints.width}×${hints.height} but the image is ${width}×${height}; they must match.`,
    );
  }
  if (hints.data.length !== width * height) {
    throw new CoreError('invalid_argument', `Hint mask data has ${hints.data.length} values; ${width}×${height} needs ${width * height}.`);
  }
}

/** Known hint pixels override the matte exactly (in place). */
export function applyHintsInPlace(matte: AlphaMatte, hints: HintMask): void {
  assertHintSize(hints, matte.width, matte.height);
  const a = matte.data;
  const h = hints.data;
  for (let i = 0; i < a.length; i++) {
    const v = h[i] as number;
    if (v === HINT_KEEP) a[i] = 1;
    else if (v === HINT_REMOVE) a[i] = 0;
  }
}
