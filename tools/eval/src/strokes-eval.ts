/**
 * `npm run eval -- --strokes 2,5,10`: u_SAD against the number of a user's strokes (./band-strokes.ts)
 * on the alphamatting set, for each hinted solver asked for (./hinted-solvers.ts). The model runs once
 * per image; for each trimap and stroke count the strokes are simulated from that trimap and every
 * solver refines the same network alpha with them as hints; u_SAD is scored in that trimap's band,
 * SAD over the whole image. 0 strokes (no hints: the automatic matte) is always the first row.
 */
import type { AlphaMatte, BackgroundRemover, Refiner, RemoveQuality, RgbaImage } from '@cutout/core';
import { bandStrokeMethod, seedOf, simulateBandStrokes } from './band-strokes.js';
import type { AlphaMattingItem } from './eval-data.js';
import { loadAlphaMattingGroundTruth } from './eval-data.js';
import { median, sad, uSad } from './metrics.js';
import { meanRow } from './refine-edges-eval.js';

export const STROKE_TRIMAPS = ['trimap1', 'trimap2'] as const;

type Row = Record<string, number>;

export interface StrokesEvalInput {
  readonly remover: BackgroundRemover;
  readonly items: readonly AlphaMattingItem[];
  /** Stroke counts, ascending; 0 is added in front when missing. */
  readonly counts: readonly number[];
  readonly solvers: readonly { readonly name: string; readonly refiner: Refiner }[];
  readonly quality: RemoveQuality;
  readonly decode: (path: string) => Promise<RgbaImage>;
  /** Called after each image; default: nothing. */
  readonly onImage?: ((name: string, index: number, total: number, rows: Record<number, Row>) => void) | undefined;
}

export interface StrokesEvalReport {
  readonly method: string;
  readonly counts: number[];
  readonly solvers: string[];
  readonly quality: RemoveQuality;
  /** Per stroke count, the mean over the images of every figure (keys: `<solver>.u_SAD_trimap1`, `painted_trimap1`, …). */
  readonly mean: Record<number, Row>;
  readonly images: Record<string, Record<number, Row>>;
  /** Median ms of the model per image (both runs with quality 'high'). */
  readonly inference_ms_median: number;
}

async function timedRefine(refiner: Refiner, lowRes: AlphaMatte, image: RgbaImage, hints: Uint8Array | undefined): Promise<{ matte: AlphaMatte; ms: number }> {
  const t0 = performance.now();
  const matte = await refiner.refine({ lowRes, image, hints: hints && { width: image.width, height: image.height, data: hints } });
  return { matte, ms: performance.now() - t0 };
}

/** One image: the model once, then every stroke count × trimap × solver. */
async function evaluateImage(input: StrokesEvalInput, item: AlphaMattingItem, counts: readonly number[]): Promise<{ rows: Record<number, Row>; inferenceMs: number }> {
  const image = await input.decode(item.imagePath);
  const gt = await loadAlphaMattingGroundTruth(item);
  const { width: w, height: h } = image;
  if (gt.width !== w || gt.height !== h) throw new Error(`${item.name}: ground truth ${gt.width}×${gt.height}, image ${w}×${h}`);
  const { lowRes, inferenceMs } = await input.remover.predict(image, { quality: input.quality });
  const seed = seedOf(item.name);
  const rows: Record<number, Row> = {};
  for (const n of counts) {
    const row: Row = {};
    for (const trimap of STROKE_TRIMAPS) {
      const strokes = n === 0 ? undefined : simulateBandStrokes(gt[trimap], w, h, n, seed);
      row[`strokes_${trimap}`] = strokes?.placed ?? 0;
      row[`painted_${trimap}`] = strokes?.paintedPixels ?? 0;
      for (const { name, refiner } of input.solvers) {
        const { matte, ms } = await timedRefine(refiner, lowRes, image, strokes?.strokes);
        row[`${name}.u_SAD_${trimap}`] = uSad(matte.data, gt.alpha, gt[trimap], w, h);
        row[`${name}.SAD_${trimap}`] = sad(matte.data, gt.alpha, w, h);
        row[`${name}.ms_${trimap}`] = ms;
      }
    }
    rows[n] = row;
  }
  return { rows, inferenceMs };
}

export async function evaluateStrokes(input: StrokesEvalInput): Promise<StrokesEvalReport> {
  const counts = [...new Set([0, ...input.counts])].sort((a, b) => a - b);
  const images: Record<string, Record<number, Row>> = {};
  const inference: number[] = [];
  for (const [index, item] of input.items.entries()) {
    const { rows, inferenceMs } = await evaluateImage(input, item, counts);
    images[item.name] = rows;
    inference.push(inferenceMs);
    input.onImage?.(item.name, index, input.items.length, rows);
  }
  const mean: Record<number, Row> = {};
  for (const n of counts) mean[n] = meanRow(Object.values(images).map((rows) => rows[n] ?? {}));
  return {
    method: bandStrokeMethod(),
    counts,
    solvers: input.solvers.map((s) => s.name),
    quality: input.quality,
    mean,
    images,
    inference_ms_median: median(inference),
  };
}

const f = (v: number | undefined, d: number, width: number): string => (v === undefined || Number.isNaN(v) ? '-' : v.toFixed(d)).padStart(width);

/** The text table: one line per stroke count; per solver u_SAD and SAD on trimap1 / trimap2 and ms per refine. */
export function formatStrokesReport(report: StrokesEvalReport): string {
  const n = Object.keys(report.images).length;
  const perSolver = ['uSAD_t1', 'uSAD_t2', 'SAD_t1', 'SAD_t2', 'ms'];
  const lines = [
    `u_SAD against the number of strokes: mean of ${n} alphamatting images, model run once per image (quality ${report.quality}, median ${report.inference_ms_median.toFixed(0)} ms)`,
    `strokes: ${report.method}`,
    `${''.padEnd(8)}${'painted px'.padStart(16)}${report.solvers.map((s) => ` | ${s.padEnd(perSolver.length * 8)}`).join('')}`,
    `${'strokes'.padEnd(8)}${'t1'.padStart(8)}${'t2'.padStart(8)}${report.solvers.map(() => ` |${perSolver.map((c) => c.padStart(8)).join('')}`).join('')}`,
  ];
  for (const count of report.counts) {
    const r = report.mean[count] ?? {};
    const cells = report.solvers.map((s) => {
      const get = (k: string): number | undefined => r[`${s}.${k}`];
      const ms = ((get('ms_trimap1') ?? Number.NaN) + (get('ms_trimap2') ?? Number.NaN)) / 2;
      return ` |${[f(get('u_SAD_trimap1'), 2, 8), f(get('u_SAD_trimap2'), 2, 8), f(get('SAD_trimap1'), 2, 8), f(get('SAD_trimap2'), 2, 8), f(ms, 0, 8)].join('')}`;
    });
    lines.push(`${String(count).padEnd(8)}${f(r['painted_trimap1'], 0, 8)}${f(r['painted_trimap2'], 0, 8)}${cells.join('')}`);
  }
  return lines.join('\n');
}
