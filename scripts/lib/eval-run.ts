/**
 * Shared evaluation loop: runs a predictor over the eval sets (../shared/eval), scores it with
 * ./metrics.ts, and prints / writes the report. Used by scripts/eval-reference.ts and by the
 * evaluation of our own pipeline, so both produce the same JSON shape and table.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  EVAL_SETS,
  type EvalSetName,
  listAlphaMatting,
  listGrabCut,
  loadAlphaMattingGroundTruth,
  loadGrabCutGroundTruth,
  resolveEvalDir,
} from './eval-data.js';
import { gradErrorFromMagnitudes, gradientMagnitude, iou, mae, mean, median, mse, sad, uMse, uSad } from './metrics.js';

export interface Prediction {
  /** Soft alpha at the image's exact size, row-major, values in [0,1]. */
  alpha: Float32Array;
  width: number;
  height: number;
  /** Optional time the predictor measured itself (ms); otherwise the call's wall time is used. */
  ms?: number;
}

export type Predictor = (imagePath: string, set: EvalSetName, name: string) => Promise<Prediction>;

/** Per-image alphamatting scores (keys match the README's metric names). */
export interface AlphaMattingScores {
  SAD: number;
  MSE: number;
  Grad: number;
  u_SAD_trimap1: number;
  u_SAD_trimap2: number;
  u_MSE_trimap1: number;
  u_MSE_trimap2: number;
  u_Grad_trimap1: number;
  u_Grad_trimap2: number;
  /** Whole-image Grad with the L2-normalised kernel of gaussgradient.m (DIM / GCA / mmediting code), for literature comparisons. */
  Grad_l2: number;
  ms: number;
}

export interface GrabCutScores {
  IoU: number;
  /** Soft prediction vs mask (gt = 128 ignored). */
  MAE: number;
  /** Prediction thresholded at 0.5 vs mask (gt = 128 ignored). */
  MAE_binary: number;
  ms: number;
}

export interface SetReport<S> {
  count: number;
  /** Mean of every score over the set's images. */
  mean: S;
  /** Median per-image time, ms. */
  median_ms: number;
  images: Record<string, S>;
}

export interface EvalReport {
  pipeline: string;
  created: string;
  dataDir: string;
  machine: { platform: string; arch: string; cpus: number; cpuModel: string; node: string };
  /** Extra info the caller wants recorded (model, options …). */
  meta?: Record<string, unknown>;
  /** How the metrics were computed (so reports stay interpretable). */
  metrics: Record<string, string>;
  sets: {
    alphamatting?: SetReport<AlphaMattingScores>;
    grabcut?: SetReport<GrabCutScores>;
  };
}

export interface EvaluateOptions {
  /** Pipeline name recorded in the report. */
  pipeline: string;
  /** Eval data folder; default ../shared/eval relative to the repo root. */
  dataDir?: string;
  /** Which sets to run (default both). */
  sets?: readonly EvalSetName[];
  /** Only images whose name is in this list (e.g. for a quick check). */
  only?: readonly string[];
  /** At most this many images per set. */
  limit?: number;
  meta?: Record<string, unknown>;
  /** Called after each image; default prints one progress line to stderr. Pass `null` to silence. */
  onImage?: ((set: EvalSetName, name: string, index: number, total: number, scores: AlphaMattingScores | GrabCutScores) => void) | null;
}

/** Conventions recorded in every report (see ../shared/eval/README.md and ./metrics.ts). */
export const METRICS_DESCRIPTION: Record<string, string> = {
  SAD: 'sum |pred - gt| / 1000, whole image; u_SAD_trimapN inside trimapN unknown band (10 < t < 245)',
  MSE: 'mean (pred - gt)^2, whole image; u_MSE_trimapN over the unknown band',
  Grad: "sum (|grad pred| - |grad gt|)^2 / 1000, Gaussian-derivative filters sigma 1.4 (9x9), kernel normalised so a unit step has magnitude 1 (README convention); u_Grad over the band; Grad_l2: same with gaussgradient.m's L2-normalised kernel (~7.09x larger)",
  IoU: 'pred >= 0.5 vs mask == 255, mask == 128 ignored; mean over images',
  MAE: 'mean |pred - (mask == 255)| with soft pred, mask == 128 ignored; MAE_binary thresholds pred at 0.5',
  ms: 'wall time of the predictor call per image (model already loaded and warmed up)',
};

function fmt(v: number, digits: number): string {
  return Number.isFinite(v) ? v.toFixed(digits) : String(v);
}

function meanScores<S extends object>(rows: readonly S[]): S {
  const out: Record<string, number> = {};
  const first = rows[0];
  if (first === undefined) return out as S;
  for (const key of Object.keys(first)) {
    out[key] = mean(rows.map((r) => (r as Record<string, number>)[key] ?? Number.NaN));
  }
  return out as S;
}

function checkPrediction(p: Prediction, width: number, height: number, where: string): void {
  if (p.width !== width || p.height !== height || p.alpha.length !== width * height) {
    throw new Error(`${where}: prediction is ${p.width}×${p.height} (${p.alpha.length} values), ground truth is ${width}×${height}`);
  }
}

function defaultProgress(set: EvalSetName, name: string, index: number, total: number, s: AlphaMattingScores | GrabCutScores): void {
  const body =
    'SAD' in s
      ? `SAD ${fmt(s.SAD, 2)} MSE ${fmt(s.MSE, 4)} Grad ${fmt(s.Grad, 2)} uSAD ${fmt(s.u_SAD_trimap1, 2)}/${fmt(s.u_SAD_trimap2, 2)}`
      : `IoU ${fmt(s.IoU, 4)} MAE ${fmt(s.MAE, 4)}`;
  process.stderr.write(`[${set} ${index + 1}/${total}] ${name}: ${body}  ${fmt(s.ms, 0)} ms\n`);
}

async function timed(predict: Predictor, imagePath: string, set: EvalSetName, name: string): Promise<Prediction & { ms: number }> {
  const t0 = performance.now();
  const p = await predict(imagePath, set, name);
  const wall = performance.now() - t0;
  return { ...p, ms: p.ms ?? wall };
}

/**
 * Runs `predict` on every image of the requested sets (one at a time) and scores it.
 * Returns a report with empty `sets` when the data folder is absent.
 */
export async function evaluate(predict: Predictor, opts: EvaluateOptions): Promise<EvalReport> {
  const dataDir = resolveEvalDir(opts.dataDir);
  const cpus = os.cpus();
  const report: EvalReport = {
    pipeline: opts.pipeline,
    created: new Date().toISOString(),
    dataDir: dataDir ?? path.resolve(opts.dataDir ?? '../shared/eval'),
    machine: {
      platform: process.platform,
      arch: process.arch,
      cpus: cpus.length,
      cpuModel: cpus[0]?.model ?? 'unknown',
      node: process.version,
    },
    ...(opts.meta !== undefined ? { meta: opts.meta } : {}),
    metrics: METRICS_DESCRIPTION,
    sets: {},
  };
  if (dataDir === null) return report;
  const progress = opts.onImage === undefined ? defaultProgress : opts.onImage;
  const wanted = opts.sets ?? EVAL_SETS;
  const pick = <T extends { name: string }>(items: T[]): T[] => {
    const filtered = opts.only ? items.filter((i) => opts.only?.includes(i.name)) : items;
    return opts.limit !== undefined ? filtered.slice(0, opts.limit) : filtered;
  };

  if (wanted.includes('alphamatting')) {
    const items = pick(listAlphaMatting(dataDir));
    const images: Record<string, AlphaMattingScores> = {};
    for (const [index, item] of items.entries()) {
      const p = await timed(predict, item.imagePath, 'alphamatting', item.name);
      const gt = await loadAlphaMattingGroundTruth(item);
      const { width: w, height: h } = gt;
      checkPrediction(p, w, h, `alphamatting/${item.name}`);
      // gradient magnitudes once per image, shared by the whole-image and band scores
      const mp = gradientMagnitude(p.alpha, w, h);
      const mg = gradientMagnitude(gt.alpha, w, h);
      const s: AlphaMattingScores = {
        SAD: sad(p.alpha, gt.alpha, w, h),
        MSE: mse(p.alpha, gt.alpha, w, h),
        Grad: gradErrorFromMagnitudes(mp, mg),
        u_SAD_trimap1: uSad(p.alpha, gt.alpha, gt.trimap1, w, h),
        u_SAD_trimap2: uSad(p.alpha, gt.alpha, gt.trimap2, w, h),
        u_MSE_trimap1: uMse(p.alpha, gt.alpha, gt.trimap1, w, h),
        u_MSE_trimap2: uMse(p.alpha, gt.alpha, gt.trimap2, w, h),
        u_Grad_trimap1: gradErrorFromMagnitudes(mp, mg, gt.trimap1),
        u_Grad_trimap2: gradErrorFromMagnitudes(mp, mg, gt.trimap2),
        Grad_l2: gradErrorFromMagnitudes(gradientMagnitude(p.alpha, w, h, { norm: 'l2' }), gradientMagnitude(gt.alpha, w, h, { norm: 'l2' })),
        ms: p.ms,
      };
      images[item.name] = s;
      progress?.('alphamatting', item.name, index, items.length, s);
    }
    const rows = Object.values(images);
    if (rows.length > 0) {
      report.sets.alphamatting = { count: rows.length, mean: meanScores(rows), median_ms: median(rows.map((r) => r.ms)), images };
    }
  }

  if (wanted.includes('grabcut')) {
    const items = pick(listGrabCut(dataDir));
    const images: Record<string, GrabCutScores> = {};
    for (const [index, item] of items.entries()) {
      const p = await timed(predict, item.imagePath, 'grabcut', item.name);
      const gt = await loadGrabCutGroundTruth(item);
      const { width: w, height: h } = gt;
      checkPrediction(p, w, h, `grabcut/${item.name}`);
      const s: GrabCutScores = {
        IoU: iou(p.alpha, gt.mask, w, h),
        MAE: mae(p.alpha, gt.mask, w, h),
        MAE_binary: mae(p.alpha, gt.mask, w, h, true),
        ms: p.ms,
      };
      images[item.name] = s;
      progress?.('grabcut', item.name, index, items.length, s);
    }
    const rows = Object.values(images);
    if (rows.length > 0) {
      report.sets.grabcut = { count: rows.length, mean: meanScores(rows), median_ms: median(rows.map((r) => r.ms)), images };
    }
  }
  return report;
}

type Column<S> = [header: string, get: (s: S) => number, digits: number];

const AM_COLUMNS: Column<AlphaMattingScores>[] = [
  ['SAD', (s) => s.SAD, 2],
  ['MSE', (s) => s.MSE, 4],
  ['Grad', (s) => s.Grad, 3],
  ['uSAD_t1', (s) => s.u_SAD_trimap1, 2],
  ['uSAD_t2', (s) => s.u_SAD_trimap2, 2],
  ['uMSE_t1', (s) => s.u_MSE_trimap1, 4],
  ['uMSE_t2', (s) => s.u_MSE_trimap2, 4],
  ['uGrad_t1', (s) => s.u_Grad_trimap1, 3],
  ['uGrad_t2', (s) => s.u_Grad_trimap2, 3],
  ['Grad_l2', (s) => s.Grad_l2, 2],
  ['ms', (s) => s.ms, 0],
];

const GC_COLUMNS: Column<GrabCutScores>[] = [
  ['IoU', (s) => s.IoU, 4],
  ['MAE', (s) => s.MAE, 4],
  ['MAE_bin', (s) => s.MAE_binary, 4],
  ['ms', (s) => s.ms, 0],
];

function table<S>(title: string, set: SetReport<S>, columns: Column<S>[], perImage: boolean): string[] {
  const width = 9;
  const label = Math.max(14, ...(perImage ? Object.keys(set.images).map((k) => k.length + 2) : [0]));
  const row = (name: string, s: S): string => `  ${name.padEnd(label)}${columns.map(([, get, d]) => fmt(get(s), d).padStart(width)).join('')}`;
  const lines = [`${`${title} (${set.count})`.padEnd(label + 2)}${columns.map(([h]) => h.padStart(width)).join('')}`];
  if (perImage) for (const [name, s] of Object.entries(set.images)) lines.push(row(name, s));
  lines.push(row('mean', set.mean));
  lines.push(`  median ms ${fmt(set.median_ms, 0)}`);
  return lines;
}

/** Compact text table of a report (means; per-image rows when `perImage`). */
export function formatReport(report: EvalReport, opts: { perImage?: boolean } = {}): string {
  const lines: string[] = [`pipeline: ${report.pipeline}   (${report.machine.cpus}× ${report.machine.cpuModel}, node ${report.machine.node})`];
  const { alphamatting: am, grabcut: gc } = report.sets;
  if (!am && !gc) lines.push(`no eval data found at ${report.dataDir}`);
  if (am) lines.push(...table('alphamatting', am, AM_COLUMNS, opts.perImage ?? false));
  if (gc) lines.push(...table('grabcut', gc, GC_COLUMNS, opts.perImage ?? false));
  return lines.join('\n');
}

export function printReport(report: EvalReport, opts: { perImage?: boolean } = {}): void {
  console.log(formatReport(report, opts));
}

/** Writes the report as pretty JSON, creating the folder. */
export function writeReport(file: string, report: EvalReport): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}
