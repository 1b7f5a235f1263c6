/**
 * Evaluates the reference pipeline (@imgly/background-removal-node 1.4.5, model "medium") on the
 * research-only eval sets in ../shared/eval and writes a JSON report.
 *
 *   npx tsx tools/eval/bin/eval-reference.ts --data ../shared/eval --out eval-results/reference.json
 *
 * Options: --model small|medium|large, --sets alphamatting,grabcut, --limit N, --only GT01,GT03,
 *          --per-image (print per-image rows).
 * The reference package is installed into scripts/reference/node_modules on first use.
 */
import { listAlphaMatting, listGrabCut, resolveEvalDir } from '../src/eval-data.js';
import { evaluate } from '../src/eval-run.js';
import { printReport, writeReport } from '../src/eval-report.js';
import { parseOrExit } from '../src/args.js';
import { EVAL_REFERENCE_USAGE, parseEvalReferenceArgs } from '../src/eval-args.js';
import { createReferenceRunner, ensureReferenceInstalled, REFERENCE_PACKAGE, REFERENCE_VERSION } from '../src/reference-runner.js';

async function main(): Promise<void> {
  const args = parseOrExit(EVAL_REFERENCE_USAGE, () => parseEvalReferenceArgs(process.argv.slice(2)));
  const { data: dataArg, out, model, sets, limit, only } = args;

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
  printReport(report, { perImage: args.perImage });
  console.log(`wrote ${out}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
