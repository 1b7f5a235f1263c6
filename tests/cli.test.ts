// The built `cutout` CLI end to end in a temp folder, on real images and the real model.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, HAVE_MODELS, MODELS_DIR, SAMPLES_DIR } from './helpers/paths.js';
import { need } from './helpers/require.js';

const run = async (args: string[]): Promise<{ code: number; stderr: string; stdout: string }> => {
  try {
    const withModels = args.includes('--models-dir') ? args : [...args, '--models-dir', MODELS_DIR];
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...withModels], { maxBuffer: 1 << 24 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
};
const sha = async (p: string): Promise<string> => createHash('sha256').update(await readFile(p)).digest('hex');

describe.skipIf(!need({ models: HAVE_MODELS }))('cutout CLI', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cutout-cli-'));
    await mkdir(join(dir, 'in'));
    const astro = join(SAMPLES_DIR, 'astronaut.png');
    await copyFile(astro, join(dir, 'in', 'astronaut.png'));
    const rocket = await readFile(join(SAMPLES_DIR, 'rocket.jpg'));
    await writeFile(join(dir, 'in', 'truncated.jpg'), rocket.subarray(0, rocket.length >> 2));
    await writeFile(join(dir, 'in', 'not-an-image.png'), 'hello, I am text');
    await writeFile(join(dir, 'in', 'zero.png'), '');
    await writeFile(join(dir, 'in', 'readme.txt'), 'ignored: not an image extension');
  });

  it('processes good files and reports bad ones by name without stopping', async () => {
    const r = await run([join(dir, 'in'), '--out', join(dir, 'out')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/truncated\.jpg: \[unsupported_image\]/);
    expect(r.stderr).toMatch(/not-an-image\.png: \[unsupported_image\]/);
    expect(r.stderr).toMatch(/zero\.png: \[empty_image\]/);
    expect(r.stderr).toMatch(/1 of 4 image\(s\) done/);
    const meta = await sharp(join(dir, 'out', 'astronaut.png')).metadata();
    expect([meta.width, meta.height, meta.channels, meta.format]).toEqual([512, 512, 4, 'png']);
    const { data } = await sharp(join(dir, 'out', 'astronaut.png')).extractChannel(3).raw().toBuffer({ resolveWithObject: true });
    expect(data[0]).toBeLessThan(13); // top-left is background
    expect(data[(384 * 512 + 256) | 0]).toBeGreaterThan(240); // the suit
  });

  it('never overwrites an input, and refuses missing paths with a non-zero exit', async () => {
    const before = await sha(join(dir, 'in', 'astronaut.png'));
    const r = await run([join(dir, 'in', 'astronaut.png'), join(dir, 'missing.png'), '--out', join(dir, 'in')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/would overwrite an input/);
    expect(r.stderr).toMatch(/missing\.png: \[io_error\] no such file/);
    expect(await sha(join(dir, 'in', 'astronaut.png'))).toBe(before);
  });

  it('reads greyscale, 16-bit, CMYK, palette-with-transparency, WebP, TIFF and EXIF-rotated inputs', async () => {
    const d = join(dir, 'formats');
    await mkdir(d);
    const src = sharp(join(SAMPLES_DIR, 'coffee.png')).resize(300, 200);
    await src.clone().greyscale().png().toFile(join(d, 'grey.png'));
    await src.clone().toColourspace('rgb16').png().toFile(join(d, 'deep.png'));
    await src.clone().toColourspace('cmyk').jpeg().toFile(join(d, 'cmyk.jpg'));
    await src.clone().ensureAlpha(0.5).png({ palette: true }).toFile(join(d, 'palette.png'));
    await src.clone().webp().toFile(join(d, 'web.webp'));
    await src.clone().tiff().toFile(join(d, 'scan.tiff'));
    await src.clone().jpeg().withMetadata({ orientation: 6 }).toFile(join(d, 'rotated.jpg'));
    expect((await sharp(join(d, 'deep.png')).metadata()).depth).toBe('ushort');
    expect((await sharp(join(d, 'cmyk.jpg')).metadata()).space).toBe('cmyk');
    const r = await run([d, '--out', join(dir, 'formats-out'), '-j', '2']);
    expect(r.stderr).toMatch(/7 of 7 image\(s\) done/);
    expect(r.code).toBe(0);
    for (const n of ['grey', 'deep', 'cmyk', 'palette', 'web', 'scan']) {
      const m = await sharp(join(dir, 'formats-out', `${n}.png`)).metadata();
      expect([n, m.width, m.height, m.channels]).toEqual([n, 300, 200, 4]);
    }
    const rot = await sharp(join(dir, 'formats-out', 'rotated.png')).metadata();
    expect([rot.width, rot.height]).toEqual([200, 300]);
    // Half-transparent input keeps its transparency: no output pixel is more opaque than 50 %.
    const { data } = await sharp(join(dir, 'formats-out', 'palette.png')).extractChannel(3).raw().toBuffer({ resolveWithObject: true });
    expect(Math.max(...data)).toBeLessThanOrEqual(129);
  });

  it('writes the alpha matte, honours hints, a background colour and crop', async () => {
    const hints = join(dir, 'hints');
    await mkdir(hints);
    const trimap = Buffer.alloc(512 * 512, 128);
    for (let y = 0; y < 64; y++) trimap.fill(255, y * 512, y * 512 + 64); // keep the top-left background corner
    await sharp(trimap, { raw: { width: 512, height: 512, channels: 1 } }).png().toFile(join(hints, 'astronaut.png'));
    const astro = join(dir, 'in', 'astronaut.png');
    const a = await run([astro, '--out', join(dir, 'alpha'), '--alpha', '--hints', hints]);
    expect(a.code).toBe(0);
    const am = await sharp(join(dir, 'alpha', 'astronaut.png')).metadata();
    expect([am.width, am.height, am.channels, am.space]).toEqual([512, 512, 1, 'b-w']);
    const { data } = await sharp(join(dir, 'alpha', 'astronaut.png')).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    expect(data[10 * 512 + 10]).toBe(255);
    expect(data[10 * 512 + 100]).toBeLessThan(13);

    const b = await run([join(SAMPLES_DIR, 'coffee.png'), '--out', join(dir, 'bg'), '--bg', '#00ff00', '--crop']);
    expect(b.code).toBe(0);
    const m = await sharp(join(dir, 'bg', 'coffee.png')).metadata();
    expect(m.channels).toBe(3);
    expect(m.width).toBeLessThan(600 * 0.9);
    expect(m.height).toBeLessThan(400 * 0.95);

    const h = await run([join(SAMPLES_DIR, 'coffee.png'), '--out', join(dir, 'hard'), '--alpha', '--hard']);
    expect(h.code).toBe(0);
    const hard = (await sharp(join(dir, 'hard', 'coffee.png')).extractChannel(0).raw().toBuffer()).filter((v) => v > 0 && v < 255).length;
    expect(hard / (600 * 400)).toBeLessThan(0.02); // only the 1-px anti-aliased contour is fractional

    await sharp({ create: { width: 40, height: 30, channels: 3, background: '#fff' } }).png().toFile(join(hints, 'small.png'));
    await copyFile(join(SAMPLES_DIR, 'chelsea.png'), join(dir, 'small.png'));
    const c = await run([join(dir, 'small.png'), '--out', join(dir, 'bad-hint'), '--hints', hints]);
    expect(c.code).toBe(1);
    expect(c.stderr).toMatch(/hint_size_mismatch.*40×30 but the image is 451×300/);
  });

  it('handles a 1×1 image and downscales oversize inputs with a message', async () => {
    await sharp({ create: { width: 1, height: 1, channels: 3, background: '#f00' } }).png().toFile(join(dir, 'one.png'));
    const r = await run([join(dir, 'one.png'), join(SAMPLES_DIR, 'rocket.jpg'), '--out', join(dir, 'edge'), '--max-pixels', '100000']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/downscaled from 640×427/);
    expect((await sharp(join(dir, 'edge', 'one.png')).metadata()).width).toBe(1);
  });

  it('--quality high (the model on the photo and its mirror image, averaged) writes a matte close to the standard one', async () => {
    const astro = join(dir, 'in', 'astronaut.png');
    const [s, h] = [await run([astro, '--out', join(dir, 'q-standard'), '--alpha']), await run([astro, '--out', join(dir, 'q-high'), '--alpha', '--quality', 'high'])];
    expect([s.code, h.code]).toEqual([0, 0]);
    const read = async (d: string): Promise<Buffer> => sharp(join(dir, d, 'astronaut.png')).extractChannel(0).raw().toBuffer();
    const [standard, high] = [await read('q-standard'), await read('q-high')];
    expect(high.length).toBe(512 * 512);
    expect(high[0]).toBeLessThan(13);
    expect(high[384 * 512 + 256]).toBeGreaterThan(240);
    // The same subject (mean difference under 2 %), and not the same bytes: the second run did count.
    let diff = 0;
    for (let i = 0; i < high.length; i++) diff += Math.abs((high[i] as number) - (standard[i] as number));
    expect(diff / high.length / 255).toBeLessThan(0.02);
    expect(diff).toBeGreaterThan(0);
    const bad = await run([astro, '--out', join(dir, 'x'), '--quality', 'best']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--quality must be standard or high, not "best"/);
    expect((await run(['--help'])).stdout).toMatch(/--quality <q>\s+standard \(default\) or high/);
  });

  it('fails clearly when the model is missing, and on bad flags', async () => {
    const r = await run([join(dir, 'in', 'astronaut.png'), '--out', join(dir, 'x'), '--models-dir', join(dir, 'no-models')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/model_missing.*npm run models/);
    const bad = await run([join(dir, 'in'), '--out', join(dir, 'x'), '--bg', 'nope']);
    expect(bad.code).toBe(2);
    expect(existsSync(join(dir, 'x', 'astronaut.png'))).toBe(false);
  });
});
