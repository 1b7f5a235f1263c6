/**
 * Refine from painting: a host shows the user the mask it wrote, the user paints rough corrections
 * into it with the host's brush (Photoshop's layer mask, Canva's brush), and the matte is re-solved
 * from those strokes. Shared here so every adapter reads strokes the same way (adapters never import
 * each other).
 *
 * A pixel counts as painted when it differs from what was written by more than CHANGED (a few 8-bit
 * steps, so 16-bit rounding and a gray profile's small shift are not mistaken for strokes). Painted to
 * near black (≤ 10 %) it becomes a "remove" hint, to near white (≥ 90 %) a "keep" hint — the trimap
 * codes HINT_REMOVE 0 / HINT_KEEP 255 (any other value: let the solve decide). Painted greys are not
 * hints; they are kept as painted (mergePainting). refineFromPainting re-solves the edge band with
 * the matting refiner's hinted solve (local to the strokes), keeps the greys, and makes the strokes
 * win exactly.
 */
import { CoreError } from './errors.js';
import { applyHintsInPlace, HINT_KEEP, HINT_REMOVE } from './hints.js';
import type { AlphaMatte, RgbaImage } from './image.js';
import type { EdgeControls } from './matting/edge-controls.js';
import { createMattingRefiner } from './matting/matting-refiner.js';

const NEAR_BLACK = 0.1;
const NEAR_WHITE = 0.9;
/** How far (0..1) a pixel must move from what was written to count as painted. */
export const CHANGED = 3 / 255;
/** "Let the solve decide": any value other than 0 and 255. */
export const HINT_UNKNOWN = 128;

export interface PaintedHints {
  /** One trimap code per pixel: HINT_REMOVE, HINT_KEEP or HINT_UNKNOWN. */
  readonly hints: Uint8Array;
  readonly removed: number;
  readonly kept: number;
  /** Painted pixels that are neither near black nor near white (kept as painted). */
  readonly greys: number;
  /** Every pixel of the mask is near black: the user hid the whole layer. */
  readonly allBlack: boolean;
}

function sameLength(written: Uint8Array, current: Float32Array): void {
  if (written.length !== current.length) {
    throw new CoreError('invalid_argument', `The written mask has ${written.length} values, the current one ${current.length}; they must cover the same pixels.`);
  }
}

const painted = (now: number, written: number): boolean => Math.abs(now - written / 255) > CHANGED;

/** The user's strokes as hints: `written` 0..255 (what the host wrote) and `current` 0..1 (the mask now) cover the same pixels. */
export function paintedHints(written: Uint8Array, current: Float32Array): PaintedHints {
  sameLength(written, current);
  const hints = new Uint8Array(current.length).fill(HINT_UNKNOWN);
  let removed = 0;
  let kept = 0;
  let greys = 0;
  let allBlack = current.length > 0;
  for (let i = 0; i < current.length; i++) {
    const now = current[i] as number;
    if (now > NEAR_BLACK) allBlack = false;
    if (!painted(now, written[i] as number)) continue;
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
  sameLength(written, current);
  if (refined.length !== current.length) throw new CoreError('invalid_argument', `The refined matte has ${refined.length} values, the masks ${current.length}.`);
  for (let i = 0; i < refined.length; i++) {
    const now = current[i] as number;
    if (now > NEAR_BLACK && now < NEAR_WHITE && painted(now, written[i] as number)) refined[i] = now;
  }
  return refined;
}

export interface PaintedRefineInput {
  /** The photo the mask belongs to. */
  readonly image: RgbaImage;
  /** The network's alpha (any size; resampled to the image). */
  readonly lowRes: AlphaMatte;
  /** What the host wrote, 0..255, image-sized. */
  readonly written: Uint8Array;
  /** The mask now, 0..1, image-sized. */
  readonly current: Float32Array;
  /** The edge controls the written mask was made with. */
  readonly edge?: EdgeControls | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((fraction: number) => void) | undefined;
}

export interface PaintedRefineResult extends Omit<PaintedHints, 'hints'> {
  /** Image-sized 0..1: the hinted solve, painted greys as painted, strokes exactly 0 / 1. */
  readonly matte: Float32Array;
}

/**
 * Re-solves the matte from the user's painting. It solves whatever was painted, even nothing (the
 * unhinted refine) or an all-black mask: a host refuses those before calling (allBlack, removed + kept).
 */
export async function refineFromPainting(o: PaintedRefineInput): Promise<PaintedRefineResult> {
  const { width, height } = o.image;
  if (o.written.length !== width * height) {
    throw new CoreError('invalid_argument', `The written mask has ${o.written.length} values; the ${width}×${height} image needs ${width * height}.`);
  }
  const { hints, ...counts } = paintedHints(o.written, o.current);
  const mask = { width, height, data: hints };
  // Hints are always passed, even when none lies on this image, so the hinted solve runs as it does for a stroke.
  const solved = await createMattingRefiner({ edge: o.edge }).refine({ lowRes: o.lowRes, image: o.image, hints: mask, signal: o.signal, onProgress: o.onProgress });
  const matte = mergePainting(solved.data, o.written, o.current);
  // The strokes win exactly: the refiner applied them after its edge controls, and greys are never strokes; said again for clarity.
  applyHintsInPlace({ width, height, data: matte }, mask);
  return { matte, ...counts };
}
