/**
 * npm run eval -- --data ../shared/eval [--out eval-results/ours.json] [--model ID]
 *   [--refiner bilinear] [--resize antialias|reference] [--hints trimap1|trimap2]
 *   [--sets alphamatting,grabcut] [--limit N] [--only GT01,GT03] [--per-image]
 * Our pipeline on the research-only eval sets (../shared/eval/README.md metrics), mean and per
 * image, written as JSON. With --hints the alphamatting trimap is passed as user hints (GrabCut has
 * no trimap and runs without). Skips cleanly when the data folder is absent.
 */
import { join } from 'node:path';
import type { HintMask } from '@cutout/core';
import { createNodeRemover } from '@cutout/core-node';
import { decodeHintFile, decodeImageFile } from '@cutout/cli/decode';
import { REPO_ROOT, resolveEvalDir } from '../src/eval-data.js';
import { evaluate } from '../src/eval-run.js';
import { printReport, writeReport } from '../src/eval-report.js';
import { parseOrExit } from '../src/args.js';
import { EVAL_USAGE, parseEvalArgs } from '../src/eval-args.js';
import { refinerByName } from '../src/refiners.js';

const args = parseOrExit(EVAL_USAGE, () => parseEvalArgs(process.argv.slice(2)));

const dataDir = resolveEvalDir(args.data);
if (dataDir === null) {
  console.log(`No eval data at ${args.data ?? '../shared/eval'}; nothing to do.`);
  process.exit(0);
}
const { resize, hints: hintsSet, sets, limit, only } = args;
const refiner = refinerByName(args.refiner);
const remover = await createNodeRemover({ modelsDir: join(REPO_ROOT, 'models'), modelId: args.model, resize, refiner });
const pipeline = `cutout (${args.model ?? 'default model'}, refiner ${refiner.name}, resize ${resize}${hintsSet ? `, hints ${hintsSet}` : ''})`;

const report = await evaluate(
  async (imagePath, set, name) => {
    const t0 = performance.now();
    const decoded = await decodeImageFile(imagePath);
    let hints: HintMask | undefined;
    if (hintsSet && set === 'alphamatting') {
      const data = await decodeHintFile(join(dataDir, 'alphamatting', hintsSet, `${name}.png`), decoded);
      hints = { width: decoded.image.width, height: decoded.image.height, data };
    }
    const { matte } = await remover.matte(decoded.image, { hints });
    return { alpha: matte.data, width: matte.width, height: matte.height, ms: performance.now() - t0 };
  },
  {
    pipeline,
    dataDir,
    sets,
    ...(limit !== undefined ? { limit } : {}),
    ...(only !== undefined ? { only } : {}),
    meta: { model: args.model ?? 'default', refiner: refiner.name, resize, hints: hintsSet ?? null },
  },
);
await remover.dispose();
const out = args.out ?? `eval-results/cutout-${refiner.name}${hintsSet ? `-${hintsSet}` : ''}.json`;
writeReport(out, report);
printReport(report, { perImage: args.perImage });
console.log(`wrote ${out}`);
