/**
 * Evaluates the reference pipeline (@imgly/background-removal-node 1.4.5, model "medium") on the
 * research-only eval sets in ../shared/eval and writes a JSON report.
 *
 *   npx tsx scripts/eval-reference.ts --data ../shared/eval --out eval-results/reference.json
 *
 * Options: --model small|medium|large, --sets alphamatting,grabcut, --limit N, --only GT01,GT03,
 *          --per-image (print per-image rows).
 * The reference package is installed into scripts/reference/node_modules on first use.
 */
import type { EvalSetName } from './lib/eval-data.js';
import { listAlphaMatting, listGrabCut, resolveEvalDir } from './lib/eval-data.js';
import { evaluate, parseArgs, printReport, writeReport } from './lib/eval-run.js';
import { createReferenceRunner, ensureReferenceInstalled, REFERENCE_PACKAGE, REFERENCE_VERSION, type ReferenceModel } from './lib/reference-runner.js';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const dataArg = args.get('data');
  const out = args.get('out') ?? 'eval-results/reference.json';
  const model = (args.get('model') ?? 'medium') as ReferenceModel;
  if (!['small', 'medium', 'large'].includes(model)) throw new Error(`--model must be small, medium or large`);
  const sets = (args.get('sets')?.split(',') ?? ['alphamatting', 'grabcut']) as EvalSetName[];
  const limitArg = args.get('limit');
  const only = args.get('only')?.split(',');

  const dataDir = resolveEvalDir(dataArg);
  if (dataDir === null) {
    console.log(`No eval data at ${dataArg ?? '../shared/eval'}; nothing to do.`);
    return;
  }
  ensureReferenceInstalled();
  const first = listAlphaMatting(dataDir)[0] ?? listGrabCut(dataDir)[0];
  // Load the model and warm it up once, untimed.
  const runner = await createReferenceRunner({ model, ...(first ? { warmupImage: first.imagePath } : {}) });
  const report = await evaluate((imagePath) => runner.run(imagePath), {
    pipeline: `${REFERENCE_PACKAGE}@${REFERENCE_VERSION} (${model})`,
    dataDir,
    sets,
    ...(limitArg !== undefined ? { limit: Number(limitArg) } : {}),
    ...(only !== undefined ? { only } : {}),
    meta: { model, output: 'segmentForeground image/x-rgba8 (A channel)', warmup: first?.name ?? null },
  });
  writeReport(out, report);
  printReport(report, { perImage: args.has('per-image') });
  console.log(`wrote ${out}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
