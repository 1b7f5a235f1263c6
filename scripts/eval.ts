/**
 * npm run eval -- --data ../shared/eval [--out eval-results/ours.json] [--model ID]
 *   [--refiner bilinear] [--resize antialias|reference] [--hints trimap1|trimap2]
 *   [--sets alphamatting,grabcut] [--limit N] [--only GT01,GT03] [--per-image]
 * Our pipeline on the research-only eval sets (../shared/eval/README.md metrics), mean and per
 * image, written as JSON. With --hints the alphamatting trimap is passed as user hints (GrabCut has
 * no trimap and runs without). Skips cleanly when the data folder is absent.
 */
import { join } from 'node:path';
import type { HintMask, ResizeMode } from '@cutout/core';
import { createNodeRemover } from '@cutout/core/node';
import { decodeHintFile, decodeImageFile } from '../packages/cli/src/decode.js';
import { REPO_ROOT, resolveEvalDir, type EvalSetName } from './lib/eval-data.js';
import { evaluate, parseArgs, printReport, writeReport } from './lib/eval-run.js';
import { refinerByName } from './lib/refiners.js';

const args = parseArgs(process.argv.slice(2));
const dataDir = resolveEvalDir(args.get('data'));
if (dataDir === null) {
  console.log(`No eval data at ${args.get('data') ?? '../shared/eval'}; nothing to do.`);
  process.exit(0);
}
const resize = (args.get('resize') ?? 'antialias') as ResizeMode;
const hintsSet = args.get('hints');
if (hintsSet !== undefined && hintsSet !== 'trimap1' && hintsSet !== 'trimap2') throw new Error('--hints must be trimap1 or trimap2');
const refinerName = args.get('refiner') ?? 'default';
const refiner = refinerByName(refinerName);
const remover = await createNodeRemover({ modelsDir: join(REPO_ROOT, 'models'), modelId: args.get('model'), resize, refiner });
const sets = (args.get('sets')?.split(',') ?? ['alphamatting', 'grabcut']) as EvalSetName[];
const limit = args.get('limit');
const only = args.get('only')?.split(',');
const pipeline = `cutout (${args.get('model') ?? 'default model'}, refiner ${refiner.name}, resize ${resize}${hintsSet ? `, hints ${hintsSet}` : ''})`;

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
    ...(limit !== undefined ? { limit: Number(limit) } : {}),
    ...(only !== undefined ? { only } : {}),
    meta: { model: args.get('model') ?? 'default', refiner: refiner.name, resize, hints: hintsSet ?? null },
  },
);
await remover.dispose();
const out = args.get('out') ?? `eval-results/cutout-${refiner.name}${hintsSet ? `-${hintsSet}` : ''}.json`;
writeReport(out, report);
printReport(report, { perImage: args.has('per-image') });
console.log(`wrote ${out}`);
