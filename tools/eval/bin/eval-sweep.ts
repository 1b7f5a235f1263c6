/**
 * Refiner settings compared on the dev half of ../shared/eval with ONE model run per image: the
 * network alphas are computed once (kept in .cache/eval-lowres/, keyed by model and resize), then
 * every configuration refines from them. Prints one row of means per configuration.
 *   npx tsx tools/eval/bin/eval-sweep.ts [--data ../shared/eval] [--configs file.json] [--sets alphamatting,grabcut]
 * A configs file is a JSON object { "name": MattingOptions, ... }; "bilinear" as a value means the
 * bilinear baseline. Without one, a built-in list runs. Tune on means only (a held-out half exists).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bilinearRefiner, type AlphaMatte, type Refiner } from '@cutout/core';
import { createNodeRemover } from '@cutout/core-node';
import { createMattingRefiner, type MattingOptions } from '@cutout/core/matting';
import { decodeImageFile } from '@cutout/cli/decode';
import { REPO_ROOT, resolveEvalDir } from '../src/eval-data.js';
import { evaluate } from '../src/eval-run.js';
import { parseOrExit } from '../src/args.js';
import { EVAL_SWEEP_USAGE, parseEvalSweepArgs } from '../src/eval-args.js';

const args = parseOrExit(EVAL_SWEEP_USAGE, () => parseEvalSweepArgs(process.argv.slice(2)));
const sets = args.sets;
const dataDir = resolveEvalDir(args.data);
if (dataDir === null) {
  console.log('No eval data; nothing to do.');
  process.exit(0);
}
const configsFile = args.configs;
const configs: Record<string, MattingOptions | 'bilinear'> = configsFile
  ? (JSON.parse(readFileSync(configsFile, 'utf8')) as Record<string, MattingOptions | 'bilinear'>)
  : { bilinear: 'bilinear', default: {} };

const cacheDir = join(REPO_ROOT, '.cache', 'eval-lowres', 'default-antialias');
mkdirSync(cacheDir, { recursive: true });
const remover = await createNodeRemover({ modelsDir: join(REPO_ROOT, 'models') });

/** The network alpha of one image, from the cache or one model run. */
async function lowResOf(imagePath: string, set: string, name: string): Promise<AlphaMatte> {
  const file = join(cacheDir, `${set}-${name}.f32`);
  if (existsSync(file)) {
    const buf = readFileSync(file);
    const w = buf.readUInt32LE(0);
    const h = buf.readUInt32LE(4);
    const data = new Float32Array(buf.buffer.slice(buf.byteOffset + 8, buf.byteOffset + 8 + w * h * 4));
    return { width: w, height: h, data };
  }
  const { image } = await decodeImageFile(imagePath);
  const { lowRes } = await remover.predict(image);
  const head = Buffer.alloc(8);
  head.writeUInt32LE(lowRes.width, 0);
  head.writeUInt32LE(lowRes.height, 4);
  writeFileSync(file, Buffer.concat([head, Buffer.from(lowRes.data.buffer, lowRes.data.byteOffset, lowRes.data.byteLength)]));
  return lowRes;
}

const rows: string[] = [];
for (const [name, cfg] of Object.entries(configs)) {
  const refiner: Refiner = cfg === 'bilinear' ? bilinearRefiner : createMattingRefiner(cfg);
  let refineMs = 0;
  const report = await evaluate(
    async (imagePath, set, imageName) => {
      const lowRes = await lowResOf(imagePath, set, imageName);
      const { image } = await decodeImageFile(imagePath);
      const t0 = performance.now();
      const matte = await refiner.refine({ lowRes, image });
      const ms = performance.now() - t0;
      refineMs += ms;
      return { alpha: matte.data, width: matte.width, height: matte.height, ms };
    },
    { pipeline: name, dataDir, sets, onImage: null },
  );
  const am = report.sets.alphamatting?.mean;
  const gc = report.sets.grabcut?.mean;
  const row = [
    name.padEnd(28),
    am ? `SAD ${am.SAD.toFixed(2)} MSE ${am.MSE.toFixed(4)} Grad ${am.Grad.toFixed(3)} uSAD1 ${am.u_SAD_trimap1.toFixed(2)} uSAD2 ${am.u_SAD_trimap2.toFixed(2)}` : '',
    gc ? `IoU ${gc.IoU.toFixed(4)} MAE ${gc.MAE.toFixed(4)}` : '',
    `refine ${refineMs.toFixed(0)} ms`,
  ].join('  ');
  rows.push(row);
  console.log(row);
  if (args.perImage) {
    const per = (rec: Record<string, Record<string, number>> | undefined, key: string, d: number): string =>
      Object.entries(rec ?? {}).map(([k, v]) => `${k} ${(v[key] ?? NaN).toFixed(d)}`).join(', ');
    console.log(`  SAD: ${per(report.sets.alphamatting?.images as never, 'SAD', 1)}`);
    console.log(`  IoU: ${per(report.sets.grabcut?.images as never, 'IoU', 3)}`);
  }
}
await remover.dispose();
