/**
 * npm run eval:refine-edges -- [--data ../shared/eval] [--out out/eval-refine-edges.json] [--limit N] [--only GT01,GT03]
 *
 * What Refine edges (the Photoshop panel's command; the core's refineFromPainting) gains from a
 * user's rough strokes, on the alphamatting development half (research-only data, read from
 * ../shared/eval at run time, never copied). For each image the default Node pipeline's matte is the
 * mask "as written" (8-bit, as the plugin writes it; the model runs once per image). For trimap1 and
 * trimap2 in turn, a user's strokes are simulated from the trimap (tools/eval/src/simulated-strokes.ts:
 * brush disks of radius 1.5 % of the long side, ≥ 4 px, centred greedily on visible errors in the
 * trimap's definite regions, black on background / white on foreground, clipped to the definite
 * region of their kind but not to the errors), painted into the written mask, and refined from the
 * network alpha with edge controls off. Reported per image and as the mean: u_SAD (that trimap's
 * unknown band) and SAD (whole image) before, with the strokes only (no re-solve) and after; disks,
 * painted pixels, hint pixels and ms per refine. Exit code 2 when the data is not there.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { alphaToBytes } from '@cutout/core';
import { createNodeRemover } from '@cutout/core-node';
import { decodeImageFile } from '@cutout/cli/decode';
import { parseOrExit } from '../src/args.js';
import { DEFAULT_EVAL_DIR, listAlphaMatting, loadAlphaMattingGroundTruth, REPO_ROOT, resolveEvalDir } from '../src/eval-data.js';
import { caseRow, EVAL_REFINE_EDGES_USAGE, evaluateRefineEdgesCase, meanRow, parseEvalRefineEdgesArgs, strokeMethod, TABLE_HEADER, tableLine } from '../src/refine-edges-eval.js';
import { DEFAULT_STROKE_OPTIONS } from '../src/simulated-strokes.js';

const TRIMAPS = ['trimap1', 'trimap2'] as const;

const args = parseOrExit(EVAL_REFINE_EDGES_USAGE, () => parseEvalRefineEdgesArgs(process.argv.slice(2)));
const dataDir = resolveEvalDir(args.data);
if (dataDir === null) {
  console.error(`eval-refine-edges: no eval data at ${args.data === undefined ? DEFAULT_EVAL_DIR : path.resolve(args.data)}.`);
  console.error('The alphamatting set (research-only) is read from ../shared/eval at run time; pass --data DIR where it lives.');
  process.exit(2);
}
const picked = listAlphaMatting(dataDir).filter((i) => args.only === undefined || args.only.includes(i.name));
const items = args.limit === undefined ? picked : picked.slice(0, args.limit);
if (items.length === 0) {
  console.error(`eval-refine-edges: no alphamatting images${args.only ? ` named ${args.only.join(', ')}` : ''} in ${dataDir}.`);
  process.exit(2);
}

const modelsDir = path.join(REPO_ROOT, 'models');
const model = args.model;
const remover = await createNodeRemover({ modelsDir, modelId: model });
const rows: Record<(typeof TRIMAPS)[number], Record<string, Record<string, number>>> = { trimap1: {}, trimap2: {} };
const t0 = performance.now();
try {
  for (const [k, item] of items.entries()) {
    const { image } = await decodeImageFile(item.imagePath);
    const gt = await loadAlphaMattingGroundTruth(item);
    if (gt.width !== image.width || gt.height !== image.height) throw new Error(`${item.name}: ground truth ${gt.width}×${gt.height}, image ${image.width}×${image.height}`);
    const { matte, lowRes } = await remover.matte(image);
    const written = alphaToBytes(matte);
    for (const trimap of TRIMAPS) {
      const c = await evaluateRefineEdgesCase({ image, lowRes, written, trimap: gt[trimap], gt: gt.alpha });
      rows[trimap][item.name] = caseRow(c);
      process.stderr.write(
        `[${k + 1}/${items.length}] ${item.name} ${trimap}: u_SAD ${c.before.uSad.toFixed(2)} → ${c.after.uSad.toFixed(2)}, ` +
          `SAD ${c.before.sad.toFixed(2)} → ${c.strokesOnly.sad.toFixed(2)} (strokes) → ${c.after.sad.toFixed(2)}, ${c.disks} disks, ${c.ms.toFixed(0)} ms\n`,
      );
    }
  }
} finally {
  await remover.dispose();
}

const method = strokeMethod();
console.log(`Refine edges on ${items.length} alphamatting images (${dataDir}), model ${model}, ${((performance.now() - t0) / 1000).toFixed(0)} s in all.`);
console.log(`Simulated strokes: ${method}`);
const report: Record<string, unknown> = {
  created: new Date().toISOString(),
  dataDir,
  model,
  machine: { platform: process.platform, arch: process.arch, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', node: process.version },
  strokes: { method, options: DEFAULT_STROKE_OPTIONS },
  metrics: {
    u_SAD: 'sum |pred - gt| / 1000 inside the stroke trimap\'s unknown band (10 < t < 245)',
    SAD: 'sum |pred - gt| / 1000, whole image',
    before: 'the mask as written (8-bit matte of the default Node pipeline)',
    strokes_only: 'the written mask with the strokes painted in, no re-solve',
    after: 'refineFromPainting on the painted mask (solved, greys kept, strokes exact), as 8-bit mask values like before',
    after_float: 'the same before rounding to 8 bits',
    hint_pixels: 'painted pixels that differ from the written mask (what Refine edges sees as strokes)',
    ms: 'wall time of one refineFromPainting call',
  },
};
for (const trimap of TRIMAPS) {
  const images = rows[trimap];
  const mean = meanRow(Object.values(images));
  console.log(`\nstrokes and u_SAD from ${trimap}`);
  console.log(TABLE_HEADER);
  for (const [name, r] of Object.entries(images)) console.log(tableLine(name, r));
  console.log(tableLine(`mean of ${Object.keys(images).length}`, mean));
  console.log(`mean after as solved (floats, before the 8-bit rounding): u_SAD ${mean['u_SAD_after_float']?.toFixed(2)}, SAD ${mean['SAD_after_float']?.toFixed(2)}`);
  const worse = Object.entries(images).filter(([, r]) => (r['u_SAD_after'] ?? 0) > (r['u_SAD_before'] ?? 0));
  console.log(`u_SAD after > before: ${worse.length === 0 ? 'none' : worse.map(([n, r]) => `${n} (${r['u_SAD_before']?.toFixed(2)} → ${r['u_SAD_after']?.toFixed(2)})`).join(', ')}`);
  report[trimap] = { count: Object.keys(images).length, mean, images };
}
mkdirSync(path.dirname(path.resolve(args.out)), { recursive: true });
writeFileSync(args.out, `${JSON.stringify(report, null, 2)}\n`);
console.log(`\nwrote ${args.out}`);
