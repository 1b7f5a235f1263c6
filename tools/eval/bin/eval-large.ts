/**
 * What the guided upsampling grid costs in quality on large photos. The alphamatting development
 * images (≤ 800 px, where the refiner works at full resolution) are upscaled ×4 with their ground
 * truth (Lanczos, ~7–8 MP), then matted with the guided grid at 1024, 768 and 512 px (default);
 * SAD / MSE / Grad against the upscaled ground truth, and the refine time. One model run per image
 * is shared by all grids.
 *   npx tsx tools/eval/bin/eval-large.ts [--scale 4] [--grids 1024,768,512] [--limit N]
 */
import { join } from 'node:path';
import sharp from 'sharp';
import { createMattingRefiner } from '@cutout/core/matting';
import { createNodeRemover } from '@cutout/core-node';
import { hasEvalData, listSet } from '../src/eval-data.js';
import { gradError, mse, sad } from '../src/metrics.js';
import { parseOrExit } from '../src/args.js';
import { EVAL_LARGE_USAGE, parseEvalLargeArgs } from '../src/eval-args.js';

const { scale, grids, limit } = parseOrExit(EVAL_LARGE_USAGE, () => parseEvalLargeArgs(process.argv.slice(2)));
if (!hasEvalData()) throw new Error('../shared/eval is not here');
const items = listSet('alphamatting').slice(0, limit);
const remover = await createNodeRemover({ modelsDir: join(import.meta.dirname, '..', '..', '..', 'models') });
const totals = new Map(grids.map((g) => [g, { sad: 0, mse: 0, grad: 0, ms: 0 }]));
for (const item of items) {
  const meta = await sharp(item.imagePath).metadata();
  const W = meta.width! * scale;
  const H = meta.height! * scale;
  const { data } = await sharp(item.imagePath).resize(W, H, { kernel: 'lanczos3' }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const image = { width: W, height: H, data: new Uint8Array(data) };
  const gtRaw = await sharp(item.alphaPath).greyscale().resize(W, H, { kernel: 'lanczos3' }).raw().toBuffer();
  const gt = new Float32Array(W * H);
  for (let i = 0; i < gt.length; i++) gt[i] = gtRaw[i]! / 255;
  const { lowRes } = await remover.predict(image);
  const row: string[] = [];
  for (const g of grids) {
    const refiner = createMattingRefiner({ guidedMaxSide: g });
    const t = performance.now();
    const matte = await refiner.refine({ lowRes, image });
    const ms = performance.now() - t;
    const m = { sad: sad(matte.data, gt, W, H), mse: mse(matte.data, gt, W, H), grad: gradError(matte.data, gt, W, H), ms };
    const acc = totals.get(g)!;
    acc.sad += m.sad;
    acc.mse += m.mse;
    acc.grad += m.grad;
    acc.ms += ms;
    row.push(`${g}: SAD ${m.sad.toFixed(1)} Grad ${m.grad.toFixed(2)} ${ms.toFixed(0)} ms`);
  }
  console.log(`${item.name} ${W}×${H}  ${row.join(' | ')}`);
}
await remover.dispose();
console.log(`means over ${items.length} images upscaled ×${scale}:`);
for (const g of grids) {
  const t = totals.get(g)!;
  const n = items.length;
  console.log(`  grid ${g}: SAD ${(t.sad / n).toFixed(2)}  MSE ${(t.mse / n).toFixed(5)}  Grad ${(t.grad / n).toFixed(3)}  refine ${(t.ms / n).toFixed(0)} ms`);
}
