// The staged batch pipeline behind --jobs (packages/cli/src/batch-pipeline.ts), on the real model:
// the built CLI in a process (its session on a worker thread), and runBatch in-process for its stats.
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { createNodeRemover } from '@cutout/core-node';
import { parseCliArgs } from '../packages/cli/src/args.js';
import { runBatch } from '../packages/cli/src/batch.js';
import { runPipeline } from '../packages/cli/src/batch-pipeline.js';
import type { Reporter } from '../packages/cli/src/progress-bar.js';
import { CLI, HAVE_MODELS, MODELS_DIR, SAMPLES_DIR } from './helpers/paths.js';
import { need } from './helpers/require.js';

const cutout = async (args: string[]): Promise<{ code: number; stderr: string }> => {
  try {
    const { stderr } = await promisify(execFile)(process.execPath, [CLI, ...args, '--models-dir', MODELS_DIR], { maxBuffer: 1 << 24 });
    return { code: 0, stderr };
  } catch (e) {
    const err = e as { code: number; stderr: string };
    return { code: err.code, stderr: err.stderr };
  }
};

/** file name → error code, from the CLI's "✗ path: [code] message" lines (order-free). */
/** Each case runs the CLI on several images (a model run each, both forks busy on CI's two cores). */
const SLOW = 300_000;

const failedCodes = (stderr: string): Record<string, string> =>
  Object.fromEntries([...stderr.matchAll(/^✗ .*\/([^/:]+): \[([a-z_]+)\]/gm)].map((m) => [m[1] ?? '', m[2] ?? '']));

describe.skipIf(!need({ models: HAVE_MODELS, built: [join(CLI, '..', '..', 'dist', 'main.js')] }))('batch pipeline (--jobs)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cutout-batch-'));
  });

  it('writes byte-identical outputs with --jobs 2 as with --jobs 1', async () => {
    const in1 = join(dir, 'same');
    await mkdir(in1);
    for (const f of await readdir(SAMPLES_DIR)) if (/\.(png|jpg)$/.test(f)) await copyFile(join(SAMPLES_DIR, f), join(in1, f));
    const one = await cutout([in1, '--out', join(dir, 'j1'), '-q']);
    const two = await cutout([in1, '--out', join(dir, 'j2'), '-q', '--jobs', '2']);
    expect([one.code, two.code]).toEqual([0, 0]);
    expect(two.stderr).toMatch(/4 of 4 image\(s\) done .*; 0 failed/);
    const outs = (await readdir(join(dir, 'j1'))).sort();
    expect(outs).toEqual(['astronaut.png', 'chelsea.png', 'coffee.png', 'rocket.png']);
    expect((await readdir(join(dir, 'j2'))).sort()).toEqual(outs);
    for (const f of outs) expect(Buffer.compare(await readFile(join(dir, 'j1', f)), await readFile(join(dir, 'j2', f))), f).toBe(0);
  }, SLOW);

  it('gets through a mixed folder with --jobs 2: each file a correct output or a coded error', async () => {
    const mixed = join(dir, 'mixed');
    await mkdir(mixed);
    const coffee = join(SAMPLES_DIR, 'coffee.png');
    await sharp(coffee).resize(3, 2, { fit: 'fill' }).png().toFile(join(mixed, 'tiny.png'));
    await sharp(coffee).resize(1, 40000, { fit: 'fill' }).png().toFile(join(mixed, 'strip.png'));
    await sharp(coffee).resize(600, 400).toColourspace('rgb16').png().toFile(join(mixed, 'deep.png'));
    await sharp(join(SAMPLES_DIR, 'astronaut.png')).resize(1600, 1200).ensureAlpha(0.6).png().toFile(join(mixed, 'rgba.png'));
    await sharp(coffee).resize(500, 700).toColourspace('cmyk').jpeg().toFile(join(mixed, 'cmyk.jpg'));
    await writeFile(join(mixed, 'corrupt.jpg'), (await readFile(join(SAMPLES_DIR, 'rocket.jpg'))).subarray(0, 3000));
    expect((await sharp(join(mixed, 'deep.png')).metadata()).depth).toBe('ushort');
    expect((await sharp(join(mixed, 'cmyk.jpg')).metadata()).space).toBe('cmyk');
    const r = await cutout([mixed, '--out', join(dir, 'mixed-out'), '--jobs', '2']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/5 of 6 image\(s\) done .*; 1 failed/);
    expect(failedCodes(r.stderr)).toEqual({ 'corrupt.jpg': 'unsupported_image' });
    for (const [name, w, h] of [['tiny', 3, 2], ['strip', 1, 40000], ['deep', 600, 400], ['rgba', 1600, 1200], ['cmyk', 500, 700]] as const) {
      const meta = await sharp(join(dir, 'mixed-out', `${name}.png`)).metadata();
      expect([name, meta.width, meta.height, meta.channels, meta.depth]).toEqual([name, w, h, 4, 'uchar']);
    }
    // Output alpha = matte × the input's own alpha (0.6 here), and the subject is kept.
    const alpha = await sharp(join(dir, 'mixed-out', 'rgba.png')).extractChannel(3).raw().toBuffer();
    const max = alpha.reduce((m, v) => Math.max(m, v), 0);
    expect(max).toBeGreaterThan(140);
    expect(max).toBeLessThanOrEqual(154);
  }, SLOW);

  it('never has more than --jobs images in flight, and reports each file once', async () => {
    const files = ['astronaut.png', 'chelsea.png', 'coffee.png'].map((f) => join(SAMPLES_DIR, f));
    files.push(join(dir, 'missing.png'));
    const remover = await createNodeRemover({ modelsDir: MODELS_DIR });
    try {
      for (const jobs of [2, 3]) {
        const parsed = parseCliArgs([...files, '--out', join(dir, `stats-${jobs}`), '--jobs', String(jobs), '-q']);
        if (parsed.kind !== 'run') throw new Error('expected run options');
        await mkdir(parsed.options.outDir, { recursive: true });
        const lines: string[] = [];
        const shown: string[] = [];
        const reporter: Reporter = { start: () => undefined, item: (line) => lines.push(line), current: (n) => shown.push(n), finish: () => undefined };
        const result = await runBatch(remover, files, parsed.options, reporter);
        expect(result.stats.maxInFlight).toBe(jobs);
        expect(result.stats.maxAtModel).toBeLessThanOrEqual(jobs);
        expect(result.done).toBe(3);
        expect(result.failures.map((f) => [f.file, f.code])).toEqual([[files[3], 'io_error']]);
        expect(lines).toHaveLength(4);
        expect(lines.filter((l) => l.startsWith('✓'))).toHaveLength(3);
        // The bar names the files in flight: each file, at most `jobs` at a time, none at the end.
        for (const f of files) expect(shown.some((n) => n.split(', ').includes(f)), f).toBe(true);
        expect(Math.max(...shown.map((n) => (n === '' ? 0 : n.split(', ').length)))).toBe(jobs);
        expect(shown.at(-1)).toBe('');
      }
    } finally {
      await remover.dispose();
    }
  }, SLOW);
});

describe('batch scheduler (runPipeline)', () => {
  it('admits in order within jobs and the pixel budget; a file over it runs alone, and none starves', async () => {
    const weights: Record<string, number> = { a: 5, big: 30, b: 5, c: 5, d: 20, e: 1 };
    const order: string[] = [];
    const inFlight = new Set<string>();
    const log: string[][] = [];
    const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 2));
    const outcomes: string[] = [];
    const stats = await runPipeline(
      Object.keys(weights),
      { jobs: 3, budget: 26 },
      {
        weigh: async (f) => weights[f] ?? 0,
        prepare: async (f) => (order.push(f), inFlight.add(f), log.push([...inFlight]), await tick(), f),
        infer: async (_f, p) => (await tick(), p),
        finish: async (f) => {
          await tick();
          if (f === 'c') throw new Error('c fails');
          inFlight.delete(f);
          return '';
        },
      },
      { onStart: () => undefined, onOutcome: (o) => (inFlight.delete(o.file), outcomes.push(`${o.file}:${o.ok}`)) },
    );
    expect(order).toEqual(Object.keys(weights));
    expect(outcomes.sort()).toEqual(['a:true', 'b:true', 'big:true', 'c:false', 'd:true', 'e:true']);
    for (const set of log) {
      expect(set.length).toBeLessThanOrEqual(3);
      if (set.includes('big')) expect(set).toEqual(['big']);
      expect(set.reduce((sum, f) => sum + (weights[f] ?? 0), 0) <= 26 || set.length === 1).toBe(true);
    }
    expect(stats.maxInFlight).toBeLessThanOrEqual(3);
  });
});
