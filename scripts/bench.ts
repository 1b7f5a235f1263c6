/**
 * npm run bench [-- --reps N --model ID --large]
 * Per-stage timings of the whole CLI path (decode, preprocess, inference, refine, compose + encode, overlapping)
 * and end-to-end ÷ bare model run (session.run on a ready tensor), measured interleaved in one
 * process on the same images. With --large it adds a 6000×4000 photo and reports peak RSS of a
 * separate CLI process on it. Medians are printed; the machines are shared, so read ratios.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { BackgroundRemover, preprocess } from '@cutout/core';
import { createOrtNodeRuntime, loadVerifiedModel, readManifest, readModelIndex } from '@cutout/core-node';
import { decodeImageFile } from '@cutout/cli/decode';
import { createCutoutPngSink } from '@cutout/cli/encode';
import { median } from '@cutout/tools-eval';
import { intArg, parseScriptArgs } from '@cutout/tools-eval';

const ROOT = join(import.meta.dirname, '..');
const MODELS = join(ROOT, 'models');
const USAGE = 'usage: npm run bench [-- --reps N --model ID --large]';
const { values } = parseScriptArgs(USAGE, {
  strict: true,
  options: { reps: { type: 'string', default: '3' }, model: { type: 'string' }, large: { type: 'boolean', default: false } },
});
const reps = intArg(USAGE, '--reps', values.reps);

const id = values.model ?? (await readModelIndex(MODELS)).default;
const manifest = await readManifest(MODELS, id);
const session = await createOrtNodeRuntime().createSession(manifest, await loadVerifiedModel(MODELS, manifest));
const remover = new BackgroundRemover(session);
const tmp = mkdtempSync(join(tmpdir(), 'cutout-bench-'));

const files = readdirSync(join(ROOT, 'samples')).filter((f) => /\.(png|jpe?g)$/i.test(f)).map((f) => join(ROOT, 'samples', f));
if (values.large) {
  const big = join(tmp, 'large-6000x4000.jpg');
  await sharp(join(ROOT, 'samples', 'astronaut.png')).resize(6000, 4000, { fit: 'fill' }).jpeg({ quality: 90 }).toFile(big);
  files.push(big);
}

console.log(`model ${id} (${manifest.precision}), ${reps} reps per image after a warm-up, medians in ms`);
console.log('compose and encode overlap: the PNG is encoded from strips while the cut-out is composed; "compose" includes');
console.log('that encoding, "encode" is only what is left of it after the last strip (and the file write).');
console.log('image                      size        decode  prep  infer  refine compose encode |  e2e   bare  e2e/bare');
const ratios: number[] = [];
for (const file of files) {
  const stages: Record<string, number[]> = { decode: [], preprocess: [], inference: [], refine: [], compose: [], encode: [], e2e: [], bare: [] };
  let size = '';
  for (let r = -1; r < reps; r++) {
    const t0 = performance.now();
    const decoded = await decodeImageFile(file);
    const t1 = performance.now();
    // The CLI's path: the PNG is encoded from the cut-out's strips as they are composed.
    const sink = createCutoutPngSink(join(tmp, 'out.png'));
    const result = await remover.cutout(decoded.image, { onRows: sink.onRows });
    const t2 = performance.now();
    await sink.close();
    const t3 = performance.now();
    const tensor = preprocess(decoded.image, manifest);
    const b0 = performance.now();
    await session.run(tensor);
    const bare = performance.now() - b0;
    size = `${decoded.image.width}×${decoded.image.height}`;
    if (r < 0) continue;
    stages['decode']!.push(t1 - t0);
    for (const k of ['preprocess', 'inference', 'refine', 'compose'] as const) stages[k]!.push(result.timings[k]);
    stages['encode']!.push(t3 - t2);
    stages['e2e']!.push(t3 - t0);
    stages['bare']!.push(bare);
  }
  const m = Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, median(v)])) as Record<string, number>;
  const ratio = m['e2e']! / m['bare']!;
  ratios.push(ratio);
  const f = (k: string, w: number): string => m[k]!.toFixed(0).padStart(w);
  const name = file.split('/').pop()!.padEnd(26);
  console.log(`${name} ${size.padEnd(11)} ${f('decode', 6)} ${f('preprocess', 5)} ${f('inference', 6)} ${f('refine', 6)} ${f('compose', 7)} ${f('encode', 6)} | ${f('e2e', 5)} ${f('bare', 5)}  ${ratio.toFixed(3)}×`);
}
console.log(`end-to-end ÷ bare model run: median ${median(ratios).toFixed(3)}× (max ${Math.max(...ratios).toFixed(3)}×) over ${files.length} images`);
await remover.dispose();

if (values.large) {
  const big = files[files.length - 1]!;
  const probe = `const { main } = await import(${JSON.stringify(join(ROOT, 'packages/cli/dist/main.js'))});
    const code = await main([${JSON.stringify(big)}, '--out', ${JSON.stringify(join(tmp, 'rss'))}, '-q']);
    console.log(JSON.stringify({ code, maxRssMB: process.resourceUsage().maxRSS / 1024 }));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const { maxRssMB, code } = JSON.parse(out.trim().split('\n').pop()!) as { maxRssMB: number; code: number };
  console.log(`peak RSS of the CLI on a 6000×4000 photo: ${maxRssMB.toFixed(0)} MB (exit ${code})`);
}
