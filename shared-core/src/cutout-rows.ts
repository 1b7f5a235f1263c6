/**
 * The cut-out (decontamination + compose) strip by strip, each strip handed on as soon as it is
 * final, so a host can encode it while the next is computed (the CLI deflates strips on other cores).
 * Above the full-resolution budget, decontamination corrects 64 rows at a time
 * (./decontaminate.ts) and each strip is composed right after, while its rows are still in cache;
 * the pixels are those of `decontaminate` + `composeCutout`, byte for byte.
 */
import { composeRows, cutoutRect, type ComposeOptions, type Rect } from './compose.js';
import { decontaminate } from './decontaminate.js';
import { throwIfAborted } from './errors.js';
import type { AlphaMatte, RgbaImage } from './image.js';
import { createYielder } from './matting/index.js';

/** Some consecutive rows of a cut-out, handed on as soon as they are final. */
export interface CutoutRows {
  /** The whole cut-out's size (after any crop). */
  readonly width: number;
  readonly height: number;
  /** The first row of the strip in the cut-out, and how many rows it has. */
  readonly y: number;
  readonly rows: number;
  /** The strip's RGBA bytes (rows × width × 4): a view into the cut-out's buffer, unchanged from here on. */
  readonly data: Uint8ClampedArray | Uint8Array;
}

/** Receives a cut-out's strips, top to bottom, every row once; the next strip waits for the returned promise. */
export type CutoutRowsListener = (strip: CutoutRows) => void | Promise<void>;

export interface CutoutRowsOptions extends ComposeOptions {
  /** Estimate foreground colours at soft edges first (default true). */
  readonly decontaminate?: boolean | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly onRows?: CutoutRowsListener | undefined;
}

/** Rows per strip when composing without decontamination (decontamination has its own strips). */
const STRIP_ROWS = 64;

/** Decontaminates (unless told not to) and composes the cut-out, handing each strip to `options.onRows`. */
export async function composeCutoutRows(image: RgbaImage, matte: AlphaMatte, options: CutoutRowsOptions = {}): Promise<{ image: RgbaImage; rect: Rect }> {
  const rect = cutoutRect(image, matte, options.crop);
  const { signal, onRows, background } = options;
  const whole = rect.width === image.width && rect.height === image.height;
  let out: Uint8ClampedArray | Uint8Array | undefined;
  /** Composes and hands on the output rows that source rows [y0, y1) of `colours` hold. */
  const compose = async (colours: RgbaImage, inPlace: boolean, y0: number, y1: number, composed = false): Promise<void> => {
    out ??= inPlace ? colours.data : new Uint8ClampedArray(rect.width * rect.height * 4);
    const o0 = Math.max(y0, rect.y) - rect.y;
    const o1 = Math.min(y1, rect.y + rect.height) - rect.y;
    if (o1 <= o0) return;
    if (!composed) composeRows(colours, matte.data, rect, out, { background, inPlace }, o0, o1);
    const stride = rect.width * 4;
    await onRows?.({ width: rect.width, height: rect.height, y: o0, rows: o1 - o0, data: out.subarray(o0 * stride, o1 * stride) });
  };
  if (options.decontaminate === false) {
    const inPlace = options.inPlace === true && whole;
    const yielder = createYielder(signal);
    for (let y = rect.y; y < rect.y + rect.height; y += STRIP_ROWS) {
      await compose(image, inPlace, y, Math.min(rect.y + rect.height, y + STRIP_ROWS));
      await yielder.tick();
    }
  } else {
    // The foreground estimate is a fresh buffer, so composing into it in place is always safe. An
    // uncropped cut-out without background takes its alpha in decontamination's own pass.
    const straightAlpha = whole && !background;
    const onRows = (colours: RgbaImage, y0: number, y1: number): Promise<void> => compose(colours, whole, y0, y1, straightAlpha);
    await decontaminate(image, matte, signal, { onRows, straightAlpha });
  }
  throwIfAborted(signal);
  return { image: { width: rect.width, height: rect.height, data: out ?? new Uint8ClampedArray(0) }, rect };
}
