/**
 * Shared evaluation loop: runs a predictor over the eval sets (../shared/eval), scores each image
 * with the set's scorer (./eval-scores.ts) and returns the report (./eval-report.ts, which also
 * prints and writes it). Used by tools/eval/bin/eval-reference.ts and by the evaluation of our own
 * pipeline, so both produce the same JSON shape and table.
 */
import os from 'node:os';
import path from 'node:path';
import { EVAL_SETS, type EvalSetName, resolveEvalDir } from './eval-data.js';
import { type EvalReport, fmt, METRICS_DESCRIPTION, type SetReport } from './eval-report.js';
import { type AnyScores, type Prediction, SCORERS, type ScoresOf } from './eval-scores.js';
import { mean, median } from './metrics.js';

export type { Prediction } from './eval-scores.js';
export type Predictor = (imagePath: string, set: EvalSetName, name: string) => Promise<Prediction>;

export interface EvaluateOptions {
  /** Pipeline name recorded in the report. */
  pipeline: string;
  /** Eval data folder; default ../shared/eval relative to the repo root. */
  dataDir?: string;
  /** Which sets to run (default both; alphamatting runs first whatever the order here). */
  sets?: readonly EvalSetName[];
  /** Only images whose name is in this list (e.g. for a quick check). */
  only?: readonly string[];
  /** At most this many images per set. */
  limit?: number;
  meta?: Record<string, unknown>;
  /** Called after each image; default prints one progress line to stderr. Pass `null` to silence. */
  onImage?: ((set: EvalSetName, name: string, index: number, total: number, scores: AnyScores) => void) | null;
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

function defaultProgress(set: EvalSetName, name: string, index: number, total: number, s: AnyScores): void {
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

/** Predicts and scores the picked images of one set, one at a time; undefined when none was picked. */
async function scoreSet<K extends EvalSetName>(
  set: K,
  predict: Predictor,
  dataDir: string,
  opts: EvaluateOptions,
  progress: EvaluateOptions['onImage'],
): Promise<SetReport<ScoresOf<K>> | undefined> {
  const scorer = SCORERS[set];
  const all = scorer.list(dataDir);
  const filtered = opts.only ? all.filter((i) => opts.only?.includes(i.name)) : all;
  const items = opts.limit !== undefined ? filtered.slice(0, opts.limit) : filtered;
  const images: Record<string, ScoresOf<K>> = {};
  for (const [index, item] of items.entries()) {
    const p = await timed(predict, item.imagePath, set, item.name);
    const s = await scorer.score(p, item);
    images[item.name] = s;
    progress?.(set, item.name, index, items.length, s);
  }
  const rows = Object.values(images);
  if (rows.length === 0) return undefined;
  return { count: rows.length, mean: meanScores(rows), median_ms: median(rows.map((r) => r.ms)), images };
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
  // one set after the other: alphamatting, then grabcut
  const run = <K extends EvalSetName>(set: K): Promise<SetReport<ScoresOf<K>> | undefined> =>
    wanted.includes(set) ? scoreSet(set, predict, dataDir, opts, progress) : Promise.resolve(undefined);
  const alphamatting = await run('alphamatting');
  const grabcut = await run('grabcut');
  report.sets = { ...(alphamatting && { alphamatting }), ...(grabcut && { grabcut }) };
  return report;
}
