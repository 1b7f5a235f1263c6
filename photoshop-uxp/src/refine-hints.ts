/**
 * Refine edges reads what the user painted into the mask since Remove Background wrote it: pixels
 * painted to near black (≤ 10 %) become "remove" hints, to near white (≥ 90 %) "keep" hints — the
 * core's trimap codes (HINT_REMOVE 0, HINT_KEEP 255, anything else: let the solve decide). A pixel
 * counts as painted when it differs from what was written by more than CHANGED (a few 8-bit steps, so
 * 16-bit rounding and a gray profile's small shift are not mistaken for strokes). Painted greys are
 * not hints; they are kept as painted (mergePainting).
 */
import { HINT_KEEP, HINT_REMOVE } from '@cutout/core';

const NEAR_BLACK = 0.1;
const NEAR_WHITE = 0.9;
export const CHANGED = 3 / 255;
/** "Let the solve decide": any value other than 0 and 255. */
export const HINT_UNKNOWN = 128;

export interface PaintedHints {
  readonly hints: Uint8Array;
  readonly removed: number;
  readonly kept: number;
  /** Painted pixels that are neither near black nor near white (kept as painted). */
  readonly greys: number;
  /** Every pixel of the mask is near black: the user hid the whole layer. */
  readonly allBlack: boolean;
}

/** `written` 0..255 and `current` 0..1 cover the same pixels. */
export function paintedHints(written: Uint8Array, current: Float32Array): PaintedHints {
  if (written.length !== current.length) throw new RangeError(`written mask has ${written.length} values, the current one ${current.length}`);
  const hints = new Uint8Array(current.length).fill(HINT_UNKNOWN);
  let removed = 0;
  let kept = 0;
  let greys = 0;
  let allBlack = current.length > 0;
  for (let i = 0; i < current.length; i++) {
    const now = current[i] as number;
    if (now > NEAR_BLACK) allBlack = false;
    if (Math.abs(now - (written[i] as number) / 255) <= CHANGED) continue;
    if (now <= NEAR_BLACK) {
      hints[i] = HINT_REMOVE;
      removed++;
    } else if (now >= NEAR_WHITE) {
      hints[i] = HINT_KEEP;
      kept++;
    } else greys++;
  }
  return { hints, removed, kept, greys, allBlack };
}

/** The refined matte, except where the user painted a grey: their value stays (in place on `refined`). */
export function mergePainting(refined: Float32Array, written: Uint8Array, current: Float32Array): Float32Array {
  for (let i = 0; i < refined.length; i++) {
    const now = current[i] as number;
    if (now > NEAR_BLACK && now < NEAR_WHITE && Math.abs(now - (written[i] as number) / 255) > CHANGED) refined[i] = now;
  }
  return refined;
}

/** Bytes 0..255 as a 0..1 plane. */
export function bytesToUnit(bytes: Uint8Array): Float32Array {
  return Float32Array.from(bytes, (v) => v / 255);
}

/** A 0..1 plane as bytes 0..255. */
export function unitToBytes(plane: Float32Array): Uint8Array {
  return Uint8Array.from(plane, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));
}
