/**
 * npm run bench:batch [-- --jobs 1,2 --threads 0 --photos 12 --no-mixed]
 * Batch throughput of the built CLI (packages/cli/dist/main.js): a folder of twelve 12 MP JPEGs
 * (4240×2832, made from samples/ with different crops and flips) through `main()` in a child
 * process per --jobs setting, against a bare model run (session.run on a ready tensor) measured in
 * this process before and after each CLI run. Prints s/image (the whole main(), model load
 * included), that ÷ the bare run (the runs next to it, and all of them) and the child's peak RSS;
 * then peak RSS on a mixed folder (1 MP photos, a 24 MP JPEG, a 24 MP RGBA PNG, a 1×40000 strip).
 * --threads sets CUTOUT_ORT_THREADS (onnxruntime intra-op threads, 0 = one per core) for the CLI.
 * The machines are shared: read ratios, and rerun when the load changed.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { preprocess } from '@cutout/core';
import { createOrtNodeRuntime, loadVerifiedModel, readManifest, readModelIndex } from '@cutout/core-node';
import { decodeImageFile } from '@cutout/cli/decode';
import { intArg, median, parseScriptArgs } from '@cutout/tools-eval';

const ROOT = join(import.meta.dirname, '..');
const MODELS = join(ROOT, 'models');
const USAGE = 'usage: npm run bench:batch [-- --jobs 1,2 --threads 0 --photos 12 --no-mixed]';
const { values } = parseScriptArgs(USAGE, {
  strict: true,
  options: {
    jobs: { type: 'string', default: '1,2' },
    threads: { type: 'string', default: '0' },
    photos: { type: 'string', default: '12' },
    'no-mixed': { type: 'boolean', default: false },
  },
});
const list = (flag: string, text: string, min: number): number[] => text.split(',').map((t) => intArg(USAGE, flag, t, min));
const jobsList = list('--jobs', values.jobs, 1);
const threadsList = list('--threads', values.threads, 0);
const photos = intArg(USAGE, '--photos', values.photos);

const tmp = mkdtempSync(join(tmpdir(), 'cutout-bench-batch-'));
const samples = readdirSync(join(ROOT, 'samples')).filter((f) => /\.(png|jpe?g)$/i.test(f)).map((f) => join(ROOT, 'samples', f));

/** A 12 MP JPEG from a sample: a different 85 % crop and flip per variant, so no two are alike. */
async function photo(src: string, variant: number, out: string, width = 4240, height = 2832): Promise<void> {
  const meta = await sharp(src).metadata();
  const w = Math.floor((meta.width ?? 1) * 0.85);
  const h = Math.floor((meta.height ?? 1) * 0.85);
  const left = [0, (meta.width ?? 1) - w, Math.floor(((meta.width ?? 1) - w) / 2)][variant % 3] ?? 0;
  const top = [0, Math.floor(((meta.height ?? 1) - h) / 2), (meta.height ?? 1) - h][variant % 3] ?? 0;
  let p = sharp(src).extract({ left, top, width: w, height: h });
  if (variant % 2 === 1) p = p.flop();
  if (variant % 3 === 2) p = p.flip();
  await p.resize(width, height, { fit: 'fill' }).jpeg({ quality: 90 }).toFile(out);
}

const photosDir = join(tmp, 'photos');
mkdirSync(photosDir);
for (let i = 0; i < photos; i++) {
  const src = samples[i % samples.length] ?? '';
  await photo(src, Math.floor(i / samples.length), join(photosDir, `photo-${String(i).padStart(2, '0')}.jpg`));
}
const mixedDir = join(tmp, 'mixed');
mkdirSync(mixedDir);
if (!values['no-mixed']) {
  for (let i = 0; i < 6; i++) await photo(samples[i % samples.length] ?? '', i, join(mixedDir, `small-${i}.jpg`), 1224, 816);
  await photo(samples[0] ?? '', 1, join(mixedDir, 'huge-a.jpg'), 6000, 4000);
  const rgba = sharp(samples[1] ?? '').resize(6000, 4000, { fit: 'fill' }).ensureAlpha(0.8);
  await rgba.png({ compressionLevel: 1 }).toFile(join(mixedDir, 'huge-b-rgba.png'));
  await sharp(samples[2] ?? '').resize(1, 40000, { fit: 'fill' }).png().toFile(join(mixedDir, 'strip.png'));
}

const id = (await readModelIndex(MODELS)).default;
const manifest = await readManifest(MODELS, id);
const session = await createOrtNodeRuntime().createSession(manifest, await loadVerifiedModel(MODELS, manifest));
const tensor = preprocess((await decodeImageFile(join(photosDir, 'photo-00.jpg'))).image, manifest);
const bareRuns: number[] = [];
async function bare(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await session.run(tensor);
    bareRuns.push(performance.now() - t0);
  }
}

interface CliRun {
  readonly code: number;
  readonly seconds: number;
  readonly maxRssMB: number;
}
async function cli(dir: string, jobs: number, threads: number): Promise<CliRun> {
  const out = join(tmp, `out-${jobs}-${threads}`);
  rmSync(out, { recursive: true, force: true });
  const probe = `const { main } = await import(${JSON.stringify(join(ROOT, 'packages/cli/dist/main.js'))});
    const t0 = performance.now();
    const code = await main([${JSON.stringify(dir)}, '--out', ${JSON.stringify(out)}, '-q', '--jobs', '${jobs}']);
    console.log(JSON.stringify({ code, seconds: (performance.now() - t0) / 1000, maxRssMB: process.resourceUsage().maxRSS / 1024 }));`;
  const env = { ...process.env, CUTOUT_ORT_THREADS: String(threads) };
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', probe], { env, maxBuffer: 1 << 24 });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as CliRun;
}

console.log(`model ${id}; ${photos} photos 4240×2832 in ${photosDir}`);
await bare(3); // warm-up + first samples
const rows: { jobs: number; threads: number; run: CliRun; near: number }[] = [];
for (const threads of threadsList) {
  for (const jobs of jobsList) {
    const before = bareRuns.length;
    const run = await cli(photosDir, jobs, threads);
    await bare(2);
    // The bare runs just before and after this CLI run: the load on a shared machine drifts.
    rows.push({ jobs, threads, run, near: median(bareRuns.slice(Math.max(0, before - 2))) / 1000 });
  }
}
const all = median(bareRuns) / 1000;
console.log('jobs threads |  s/image  ÷bare near  ÷bare all | peak RSS MB  exit');
for (const { jobs, threads, run, near } of rows) {
  const perImage = run.seconds / photos;
  const cells = [perImage.toFixed(2).padStart(8), `${(perImage / near).toFixed(3)}× (${near.toFixed(2)} s)`.padStart(19), `${(perImage / all).toFixed(3)}×`.padStart(9)];
  console.log(`${String(jobs).padStart(4)} ${String(threads).padStart(7)} | ${cells.join(' ')} | ${run.maxRssMB.toFixed(0).padStart(11)} ${String(run.code).padStart(5)}`);
}
if (!values['no-mixed']) {
  console.log('mixed folder (6 × 1 MP, 24 MP JPEG, 24 MP RGBA PNG, 1×40000 strip): peak RSS');
  for (const jobs of jobsList) {
    const r = await cli(mixedDir, jobs, threadsList[0] ?? 0);
    console.log(`  --jobs ${jobs}: ${r.maxRssMB.toFixed(0)} MB, ${r.seconds.toFixed(1)} s, exit ${r.code}`);
  }
}
console.log(`bare model run: median ${(median(bareRuns) / 1000).toFixed(2)} s over ${bareRuns.length} runs`);
await session.dispose();
rmSync(tmp, { recursive: true, force: true });
