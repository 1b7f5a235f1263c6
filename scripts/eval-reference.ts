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
import { EVAL_SETS, listAlphaMatting, listGrabCut, resolveEvalDir } from './lib/eval-data.js';
import { evaluate, printReport, writeReport } from './lib/eval-run.js';
import { intArg, listOf, oneOf, parseScriptArgs } from './lib/args.js';
import { createReferenceRunner, ensureReferenceInstalled, REFERENCE_PACKAGE, REFERENCE_VERSION, type ReferenceModel } from './lib/reference-runner.js';

const USAGE =
  'usage: npx tsx scripts/eval-reference.ts [--data ../shared/eval] [--out FILE] [--model small|medium|large] ' +
  '[--sets alphamatting,grabcut] [--limit N] [--only GT01,GT03] [--per-image]';

async function main(): Promise<void> {
  const { values: args } = parseScriptArgs(USAGE, {
    strict: true,
    options: {
      data: { type: 'string' },
      out: { type: 'string', default: 'eval-results/reference.json' },
      model: { type: 'string', default: 'medium' },
      sets: { type: 'string', default: EVAL_SETS.join(',') },
      limit: { type: 'string' },
      only: { type: 'string' },
      'per-image': { type: 'boolean', default: false },
    },
  });
  const dataArg = args.data;
  const out = args.out;
  const model = oneOf<ReferenceModel>(USAGE, '--model', args.model, ['small', 'medium', 'large']);
  const sets = listOf(USAGE, '--sets', args.sets, EVAL_SETS);
  const limit = args.limit === undefined ? undefined : intArg(USAGE, '--limit', args.limit);
  const only = args.only?.split(',');

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
    ...(limit !== undefined ? { limit } : {}),
    ...(only !== undefined ? { only } : {}),
    meta: { model, output: 'segmentForeground image/x-rgba8 (A channel)', warmup: first?.name ?? null },
  });
  writeReport(out, report);
  printReport(report, { perImage: args['per-image'] });
  console.log(`wrote ${out}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
