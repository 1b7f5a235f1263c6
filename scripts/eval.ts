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
import { EVAL_SETS, REPO_ROOT, resolveEvalDir } from './lib/eval-data.js';
import { evaluate, printReport, writeReport } from './lib/eval-run.js';
import { intArg, listOf, oneOf, parseScriptArgs } from './lib/args.js';
import { REFINER_NAMES, refinerByName } from './lib/refiners.js';

const USAGE =
  'usage: npm run eval -- --data ../shared/eval [--out FILE] [--model ID] [--refiner NAME] [--resize antialias|reference] ' +
  '[--hints trimap1|trimap2] [--sets alphamatting,grabcut] [--limit N] [--only GT01,GT03] [--per-image]';
const { values: args } = parseScriptArgs(USAGE, {
  strict: true,
  options: {
    data: { type: 'string' },
    out: { type: 'string' },
    model: { type: 'string' },
    refiner: { type: 'string', default: 'default' },
    resize: { type: 'string', default: 'antialias' },
    hints: { type: 'string' },
    sets: { type: 'string', default: EVAL_SETS.join(',') },
    limit: { type: 'string' },
    only: { type: 'string' },
    'per-image': { type: 'boolean', default: false },
  },
});
// Every value is checked before anything is read, so a typo fails fast even without eval data.
const resize = oneOf<ResizeMode>(USAGE, '--resize', args.resize, ['antialias', 'reference']);
const hintsSet = args.hints === undefined ? undefined : oneOf(USAGE, '--hints', args.hints, ['trimap1', 'trimap2']);
const refinerName = oneOf(USAGE, '--refiner', args.refiner, REFINER_NAMES);
const sets = listOf(USAGE, '--sets', args.sets, EVAL_SETS);
const limit = args.limit === undefined ? undefined : intArg(USAGE, '--limit', args.limit);
const only = args.only?.split(',');

const dataDir = resolveEvalDir(args.data);
if (dataDir === null) {
  console.log(`No eval data at ${args.data ?? '../shared/eval'}; nothing to do.`);
  process.exit(0);
}
const refiner = refinerByName(refinerName);
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
printReport(report, { perImage: args['per-image'] });
console.log(`wrote ${out}`);
