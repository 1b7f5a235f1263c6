/**
 * The evaluation report (./eval-run.ts fills it): its JSON shape, the metric conventions recorded
 * in it, the text table, and writing it to a file.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { EvalSetName } from './eval-data.js';
import type { AlphaMattingScores, GrabCutScores, ScoresOf } from './eval-scores.js';

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
  sets: { [K in EvalSetName]?: SetReport<ScoresOf<K>> };
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

export function fmt(v: number, digits: number): string {
  return Number.isFinite(v) ? v.toFixed(digits) : String(v);
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
