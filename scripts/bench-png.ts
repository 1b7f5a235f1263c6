/**
 * PNG encoding speed and size: sharp with the settings the CLI used before (zlib level 6, no
 * adaptive filtering) against packages/cli/src/png-writer.ts, on real CLI outputs: the cut-out of
 * samples/astronaut.png resized to 6000×4000 (24 MP) and 4243×2828 (12 MP), as RGBA, as an opaque
 * RGB (the cut-out on white, as --bg writes) and as the 8-bit alpha matte (as --alpha writes).
 * Interleaved over --reps; medians. Needs the built CLI and the models (npm run build, npm run models).
 *   npm run bench:png [-- --reps 3 --level 1 --strip-kib 4096]
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
// The argument helpers only: the package's index loads the whole eval pipeline (core, ORT).
import { intArg, parseScriptArgs, usageError } from '@cutout/tools-eval';
import { encodePng, type RawPixels } from '../packages/cli/src/png-writer.js';

const USAGE = 'usage: npm run bench:png [-- --reps 3 --level 1 --strip-kib 4096]';
const { values } = parseScriptArgs(USAGE, {
  strict: true,
  options: { reps: { type: 'string', default: '3' }, level: { type: 'string', default: '1' }, 'strip-kib': { type: 'string', default: '4096' } },
});
const reps = intArg(USAGE, '--reps', values.reps);
const level = intArg(USAGE, '--level', values.level);
const stripBytes = intArg(USAGE, '--strip-kib', values['strip-kib']) * 1024;
if (level > 9) usageError(USAGE, `--level must be 1 to 9, not "${values.level}"`);
const root = join(import.meta.dirname, '..');
const cli = join(root, 'packages', 'cli', 'bin', 'cutout.js');
if (!existsSync(join(root, 'packages', 'cli', 'dist', 'main.js'))) {
  console.error('bench-png: build the CLI first (npm run build)');
  process.exit(1);
}

const SIZES = [
  { name: '24 MP', width: 6000, height: 4000 },
  { name: '12 MP', width: 4243, height: 2828 },
];

interface Case {
  readonly name: string;
  readonly px: RawPixels;
  readonly dropAlpha: boolean;
}

/** The CLI's cut-outs of the resized sample, one process for all sizes. */
async function cutouts(dir: string): Promise<Case[]> {
  for (const s of SIZES) {
    await sharp(join(root, 'samples', 'astronaut.png')).resize(s.width, s.height, { fit: 'fill' }).jpeg({ quality: 90 }).toFile(join(dir, `${s.width}x${s.height}.jpg`));
  }
  console.log('cutting out with the CLI ...');
  await promisify(execFile)(process.execPath, [cli, ...SIZES.map((s) => join(dir, `${s.width}x${s.height}.jpg`)), '--out', join(dir, 'out'), '-q']);
  const cases: Case[] = [];
  for (const s of SIZES) {
    const file = join(dir, 'out', `${s.width}x${s.height}.png`);
    const rgba = new Uint8Array(await sharp(file).raw().toBuffer());
    const onWhite = new Uint8Array(await sharp(file).flatten({ background: '#ffffff' }).ensureAlpha().raw().toBuffer());
    const alpha = new Uint8Array(await sharp(file).extractChannel(3).raw().toBuffer());
    const { width, height } = s;
    cases.push({ name: `${s.name} RGBA`, px: { data: rgba, width, height, channels: 4 }, dropAlpha: false });
    cases.push({ name: `${s.name} RGB`, px: { data: onWhite, width, height, channels: 4 }, dropAlpha: true });
    cases.push({ name: `${s.name} grey`, px: { data: alpha, width, height, channels: 1 }, dropAlpha: false });
  }
  return cases;
}

/** Before: sharp's PNG with the CLI's old options (removeAlpha for opaque output, b-w for the matte). */
async function encodeSharp(c: Case): Promise<Buffer> {
  const { data, width, height, channels } = c.px;
  let p = sharp(Buffer.from(data.buffer, data.byteOffset, data.byteLength), { raw: { width, height, channels } });
  if (c.dropAlpha) p = p.removeAlpha();
  if (channels === 1) p = p.toColourspace('b-w');
  return p.png({ compressionLevel: 6, adaptiveFiltering: false }).toBuffer();
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Wall time, and CPU time of the whole process (sharp's and libuv's threads included: robust to other load). */
async function time(fn: () => Promise<Buffer>): Promise<{ ms: number; cpu: number; bytes: number; png: Buffer }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const png = await fn();
  const c = process.cpuUsage(c0);
  return { ms: performance.now() - t0, cpu: (c.user + c.system) / 1000, bytes: png.length, png };
}

const dir = await mkdtemp(join(tmpdir(), 'bench-png-'));
try {
  const cases = await cutouts(dir);
  const encoders = {
    sharp: encodeSharp,
    ours: (c: Case) => encodePng(c.px, { dropAlpha: c.dropAlpha, level, stripBytes }),
  };
  const results = new Map<string, { ms: number[]; cpu: number[]; bytes: number }>();
  for (let r = 0; r < reps; r++) {
    for (const c of cases) {
      for (const [name, encode] of Object.entries(encoders)) {
        const { ms, cpu, bytes, png } = await time(() => encode(c));
        const key = `${c.name}|${name}`;
        const entry = results.get(key) ?? { ms: [], cpu: [], bytes };
        entry.ms.push(ms);
        entry.cpu.push(cpu);
        results.set(key, entry);
        if (r === 0 && name === 'ours') {
          const back = await sharp(png).raw().toBuffer();
          const want = await sharp(await encodeSharp(c)).raw().toBuffer();
          if (!back.equals(want)) throw new Error(`${c.name}: our PNG does not decode to the input`);
        }
      }
    }
  }
  console.log(`ours: Up filter, zlib level ${level}, strips of ${stripBytes / 1024} KiB; sharp: level 6, no adaptive filtering; median of ${reps}`);
  console.log('image       | sharp ms | sharp cpu | sharp bytes | ours ms | ours cpu | ours bytes | time × | cpu ×  | size ×');
  for (const c of cases) {
    const s = results.get(`${c.name}|sharp`);
    const o = results.get(`${c.name}|ours`);
    if (!s || !o) continue;
    const [sm, sc, om, oc] = [median(s.ms), median(s.cpu), median(o.ms), median(o.cpu)];
    const cells = [c.name.padEnd(11), sm.toFixed(0).padStart(8), sc.toFixed(0).padStart(9), String(s.bytes).padStart(11), om.toFixed(0).padStart(7), oc.toFixed(0).padStart(8), String(o.bytes).padStart(10)];
    cells.push((om / sm).toFixed(3).padStart(6), (oc / sc).toFixed(3).padStart(6), (o.bytes / s.bytes).toFixed(3).padStart(6));
    console.log(cells.join(' | '));
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
