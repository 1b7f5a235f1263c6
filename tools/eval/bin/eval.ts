/**
 * npm run eval -- --data ../shared/eval [--out eval-results/ours.json] [--model ID]
 *   [--refiner bilinear] [--resize antialias|reference] [--quality standard|high]
 *   [--hints trimap1|trimap2 | --strokes 2,5,10 [--solvers closed-form,paste]]
 *   [--sets alphamatting,grabcut] [--limit N] [--only GT01,GT03] [--per-image]
 * Our pipeline on the research-only eval sets (../shared/eval/README.md metrics), mean and per
 * image, written as JSON. With --hints the alphamatting trimap is passed as user hints (GrabCut has
 * no trimap and runs without). With --strokes, the stroke eval instead (../src/strokes-eval.ts):
 * u_SAD on alphamatting against the number of simulated strokes near the band, per hinted solver.
 * --quality high runs the model on the photo and its mirror image and averages. Skips cleanly when
 * the data folder is absent.
 */
import os from 'node:os';
import { join } from 'node:path';
import type { HintMask } from '@cutout/core';
import { createNodeRemover } from '@cutout/core-node';
import { decodeHintFile, decodeImageFile } from '@cutout/cli/decode';
import { listAlphaMatting, REPO_ROOT, resolveEvalDir } from '../src/eval-data.js';
import { evaluate } from '../src/eval-run.js';
import { printReport, writeReport } from '../src/eval-report.js';
import { parseOrExit } from '../src/args.js';
import { EVAL_USAGE, parseEvalArgs } from '../src/eval-args.js';
import { hintedSolverByName } from '../src/hinted-solvers.js';
import { median } from '../src/metrics.js';
import { refinerByName } from '../src/refiners.js';
import { evaluateStrokes, formatStrokesReport } from '../src/strokes-eval.js';

const args = parseOrExit(EVAL_USAGE, () => parseEvalArgs(process.argv.slice(2)));

const dataDir = resolveEvalDir(args.data);
if (dataDir === null) {
  console.log(`No eval data at ${args.data ?? '../shared/eval'}; nothing to do.`);
  process.exit(0);
}
const { resize, quality, hints: hintsSet, sets, limit, only, strokes } = args;
// The solve's time budgets on CPU time by default: on a shared machine wall time would make the
// figures depend on the load (the solve is one thread; on a quiet machine the two agree).
const cpuClock = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const base = args.clock === 'cpu' ? { solveClock: cpuClock } : {};
const refiner = refinerByName(args.refiner, base);
const remover = await createNodeRemover({ modelsDir: join(REPO_ROOT, 'models'), modelId: args.model, resize, refiner });
const q = quality === 'high' ? '-high' : '';

if (strokes !== undefined) {
  const picked = listAlphaMatting(dataDir).filter((i) => only === undefined || only.includes(i.name));
  const items = limit === undefined ? picked : picked.slice(0, limit);
  const report = await evaluateStrokes({
    remover,
    items,
    counts: strokes,
    solvers: args.solvers.map((name) => ({ name, refiner: hintedSolverByName(name, base) })),
    quality,
    decode: async (path) => (await decodeImageFile(path)).image,
    onImage: (name, k, total) => process.stderr.write(`[alphamatting ${k + 1}/${total}] ${name}\n`),
  });
  await remover.dispose();
  const out = args.out ?? `eval-results/strokes-${args.solvers.join('-')}${q}.json`;
  const cpus = os.cpus();
  writeReport(out, {
    pipeline: `cutout strokes (${args.model ?? 'default model'}, solvers ${args.solvers.join(', ')}, quality ${quality})`,
    created: new Date().toISOString(),
    dataDir,
    machine: { platform: process.platform, arch: process.arch, cpus: cpus.length, cpuModel: cpus[0]?.model ?? 'unknown', node: process.version },
    meta: { ...report, solve_clock: args.clock },
    metrics: { u_SAD: "sum |pred - gt| / 1000 in the stroke trimap's unknown band (10 < t < 245)", SAD: 'whole image', ms: 'one refine (the solve) per image' },
    sets: {},
  });
  console.log(formatStrokesReport(report));
  console.log(`wrote ${out}`);
  process.exit(0);
}

const pipeline = `cutout (${args.model ?? 'default model'}, refiner ${refiner.name}, resize ${resize}, quality ${quality}${hintsSet ? `, hints ${hintsSet}` : ''})`;
const inferenceMs: number[] = [];
const refineMs: number[] = [];
const report = await evaluate(
  async (imagePath, set, name) => {
    const t0 = performance.now();
    const decoded = await decodeImageFile(imagePath);
    let hints: HintMask | undefined;
    if (hintsSet && set === 'alphamatting') {
      const data = await decodeHintFile(join(dataDir, 'alphamatting', hintsSet, `${name}.png`), decoded);
      hints = { width: decoded.image.width, height: decoded.image.height, data };
    }
    const { matte, timings } = await remover.matte(decoded.image, { hints, quality });
    inferenceMs.push(timings.inference);
    refineMs.push(timings.refine);
    return { alpha: matte.data, width: matte.width, height: matte.height, ms: performance.now() - t0 };
  },
  {
    pipeline,
    dataDir,
    sets,
    ...(limit !== undefined ? { limit } : {}),
    ...(only !== undefined ? { only } : {}),
    meta: { model: args.model ?? 'default', refiner: refiner.name, resize, quality, hints: hintsSet ?? null, solve_clock: args.clock },
  },
);
await remover.dispose();
report.meta = { ...report.meta, inference_ms_median: median(inferenceMs), refine_ms_median: median(refineMs), refine_ms_max: Math.max(...refineMs) };
const out = args.out ?? `eval-results/cutout-${refiner.name}${hintsSet ? `-${hintsSet}` : ''}${q}.json`;
writeReport(out, report);
printReport(report, { perImage: args.perImage });
console.log(`model (inference) median ${median(inferenceMs).toFixed(0)} ms per image${quality === 'high' ? ' (two runs: photo and mirror image)' : ''}; refine median ${median(refineMs).toFixed(0)} ms, max ${Math.max(...refineMs).toFixed(0)} ms`);
console.log(`wrote ${out}`);
