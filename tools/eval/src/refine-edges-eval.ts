/**
 * Refine edges measured on the alphamatting set (tools/eval/bin/eval-refine-edges.ts): one image and
 * trimap at a time, the mask as the plugin wrote it, the simulated strokes (./simulated-strokes.ts)
 * painted in, and the core's refineFromPainting on it; u_SAD (the trimap's unknown band) and SAD
 * (whole image) before, with the strokes only (no re-solve) and after the re-solve. Like "before",
 * "after" is the 8-bit mask Refine edges writes in an 8-bit document (the float solve is kept too: on
 * an image without strokes the two differ only by that rounding).
 */
import { refineFromPainting, type AlphaMatte, type EdgeControls, type RgbaImage } from '@cutout/core';
import { checkInt, parseArgv } from './args.js';
import { mean, sad, uSad } from './metrics.js';
import { DEFAULT_STROKE_OPTIONS, paintStrokes, simulateStrokes, type StrokeOptions } from './simulated-strokes.js';

/** Edge controls of the eval: all off, as Remove Background writes the plain matte by default. */
export const NO_EDGE: EdgeControls = { feather: 0, shift: 0, smooth: 0, hard: false };

export interface MatteScores {
  readonly uSad: number;
  readonly sad: number;
}

export interface RefineEdgesCase {
  readonly before: MatteScores;
  readonly strokesOnly: MatteScores;
  /** The refined matte as an 8-bit document's mask holds it (what the user sees; "before" is 8-bit too). */
  readonly after: MatteScores;
  /** The refined matte as the solve returned it (0..1 floats). */
  readonly afterFloat: MatteScores;
  /** Brush radius (px), disks stamped and pixels painted, black and white together. */
  readonly radius: number;
  readonly disks: number;
  readonly strokePixels: number;
  /** Stroke pixels that changed the mask (the hints Refine edges sees: painting black over black is no stroke). */
  readonly hintPixels: number;
  readonly ms: number;
}

export interface RefineEdgesCaseInput {
  readonly image: RgbaImage;
  /** The network alpha the written mask was refined from. */
  readonly lowRes: AlphaMatte;
  /** The mask as written, 0..255, image-sized. */
  readonly written: Uint8Array;
  readonly trimap: Uint8Array;
  /** Ground-truth alpha, 0..1. */
  readonly gt: Float32Array;
  readonly strokes?: StrokeOptions;
}

function scores(pred: Float32Array, i: RefineEdgesCaseInput): MatteScores {
  const { width, height } = i.image;
  return { uSad: uSad(pred, i.gt, i.trimap, width, height), sad: sad(pred, i.gt, width, height) };
}

/** A 0..1 plane as an 8-bit mask holds it (clamped, rounded to 1/255 steps), back as 0..1. */
export const asEightBit = (plane: Float32Array): Float32Array => plane.map((v) => Math.round(Math.min(1, Math.max(0, v)) * 255) / 255);

/** One image and trimap: strokes simulated from the trimap, painted in, refined; scored against the ground truth. */
export async function evaluateRefineEdgesCase(i: RefineEdgesCaseInput): Promise<RefineEdgesCase> {
  const { width, height } = i.image;
  const s = simulateStrokes(i.trimap, i.written, width, height, i.strokes);
  const current = paintStrokes(i.written, s.strokes);
  const t0 = performance.now();
  const refined = await refineFromPainting({ image: i.image, lowRes: i.lowRes, written: i.written, current, edge: NO_EDGE });
  const ms = performance.now() - t0;
  return {
    before: scores(Float32Array.from(i.written, (v) => v / 255), i),
    strokesOnly: scores(current, i),
    after: scores(asEightBit(refined.matte), i),
    afterFloat: scores(refined.matte, i),
    radius: s.radius,
    disks: s.blackDisks + s.whiteDisks,
    strokePixels: s.blackPixels + s.whitePixels,
    hintPixels: refined.removed + refined.kept,
    ms,
  };
}

type Row = Record<string, number>;

/** Flat figures of a case (the JSON's per-image entry and what the means average). */
export function caseRow(c: RefineEdgesCase): Row {
  return {
    u_SAD_before: c.before.uSad,
    u_SAD_strokes_only: c.strokesOnly.uSad,
    u_SAD_after: c.after.uSad,
    SAD_before: c.before.sad,
    SAD_strokes_only: c.strokesOnly.sad,
    SAD_after: c.after.sad,
    u_SAD_after_float: c.afterFloat.uSad,
    SAD_after_float: c.afterFloat.sad,
    radius: c.radius,
    disks: c.disks,
    stroke_pixels: c.strokePixels,
    hint_pixels: c.hintPixels,
    ms: c.ms,
  };
}

/** Mean of every figure over the rows (NaN for an empty list). */
export function meanRow(rows: readonly Row[]): Row {
  const out: Row = {};
  for (const key of Object.keys(rows[0] ?? {})) out[key] = mean(rows.map((r) => r[key] ?? Number.NaN));
  return out;
}

const f = (v: number | undefined, d: number): string => (v === undefined || Number.isNaN(v) ? '-' : v.toFixed(d));

/** The table's columns: header, figure, decimals, width. */
const COLUMNS: readonly (readonly [string, string, number, number])[] = [
  ['uSAD bef', 'u_SAD_before', 2, 9],
  ['uSAD str', 'u_SAD_strokes_only', 2, 9],
  ['uSAD aft', 'u_SAD_after', 2, 9],
  ['SAD bef', 'SAD_before', 2, 9],
  ['SAD str', 'SAD_strokes_only', 2, 9],
  ['SAD aft', 'SAD_after', 2, 9],
  ['disks', 'disks', 0, 7],
  ['painted', 'stroke_pixels', 0, 9],
  ['hints', 'hint_pixels', 0, 9],
  ['ms', 'ms', 0, 7],
];

/** The text table's header line. */
export const TABLE_HEADER = `${'image'.padEnd(14)}${COLUMNS.map(([h, , , w]) => h.padStart(w)).join('')}`;

/** One line of the text table: a name, then u_SAD and SAD before / strokes only / after, the strokes, ms. */
export function tableLine(name: string, r: Row): string {
  return `${name.padEnd(14)}${COLUMNS.map(([, key, d, w]) => f(r[key], d).padStart(w)).join('')}`;
}

/** The stroke simulation in words, printed with the results and kept in the JSON. */
export function strokeMethod(options: StrokeOptions = {}): string {
  const o = { ...DEFAULT_STROKE_OPTIONS, ...options };
  return (
    `Errors: trimap definite background (<= 10) with written > ${o.backgroundAbove}, definite foreground (>= 245) with written < ${o.foregroundBelow}; ` +
    `8-connected error regions under ${o.minSpeck} px are specks nobody sees. Greedy in raster order: the first error pixel not yet covered by a stroke ` +
    `of its kind gets a brush disk centred on it (radius max(${o.minRadius}, round(${o.radiusFraction} x long side)) px), black on background errors, ` +
    `white on foreground errors, clipped to the trimap's definite region of its kind but not to the errors (the roughness); repeat. ` +
    `The unknown band is never painted: u_SAD moves only through the re-solve. current = written with the strokes; refineFromPainting with the ` +
    `network alpha, edge controls off. "strokes only" = current as painted, no re-solve.`
  );
}

export const EVAL_REFINE_EDGES_USAGE = 'usage: npm run eval:refine-edges -- [--data ../shared/eval] [--model isnet-int8] [--out out/eval-refine-edges.json] [--limit N] [--only GT01,GT03]';

export interface EvalRefineEdgesArgs {
  readonly data: string | undefined;
  /** Default isnet-int8: the weights of the Photoshop panel's isnet-int8-web. */
  readonly model: string;
  readonly out: string;
  readonly limit: number | undefined;
  readonly only: string[] | undefined;
}

/** tools/eval/bin/eval-refine-edges.ts's command line (throws a UsageError). */
export function parseEvalRefineEdgesArgs(argv: string[]): EvalRefineEdgesArgs {
  const { values: v } = parseArgv({
    args: argv,
    strict: true,
    options: { data: { type: 'string' }, model: { type: 'string', default: 'isnet-int8' }, out: { type: 'string', default: 'out/eval-refine-edges.json' }, limit: { type: 'string' }, only: { type: 'string' } },
  });
  return { data: v.data, model: v.model, out: v.out, limit: v.limit === undefined ? undefined : checkInt('--limit', v.limit), only: v.only?.split(',') };
}
