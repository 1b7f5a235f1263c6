// packages/cli/src/png-writer.ts: files that sharp decodes back to the exact input (RGBA, RGB, grey),
// with valid chunk CRCs and an IDAT stream that inflates (Adler-32 checked by zlib) to the filtered rows.
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCutoutPngSink, writeAlphaPng, writeRgbaPng } from '../packages/cli/src/encode.js';
import { createPngEncoder, encodePng, tableCrc32, type PngOptions, type RawPixels } from '../packages/cli/src/png-writer.js';
import { SAMPLES_DIR } from './helpers/paths.js';

interface Chunk {
  type: string;
  data: Buffer;
}

/** The file's chunks, each CRC checked against zlib.crc32 and the table fallback. */
function chunks(png: Buffer): Chunk[] {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const out: Chunk[] = [];
  for (let pos = 8; pos < png.length; ) {
    const len = png.readUInt32BE(pos);
    const body = png.subarray(pos + 4, pos + 8 + len);
    const crc = png.readUInt32BE(pos + 8 + len);
    expect(zlib.crc32(body)).toBe(crc);
    expect(tableCrc32(body)).toBe(crc);
    out.push({ type: body.subarray(0, 4).toString('latin1'), data: png.subarray(pos + 8, pos + 8 + len) });
    pos += 12 + len;
  }
  return out;
}

/** sharp's decoding of a PNG (from a file or bytes); sharp hands greyscale out as RGB unless asked for its one band. */
async function decode(png: Buffer | string, channels: number): Promise<Buffer> {
  const image = sharp(png);
  return (channels === 1 ? image.extractChannel(0) : image).raw().toBuffer();
}

/** Encodes `px`, checks the file's structure, and returns what sharp decodes it to. */
async function roundTrip(px: RawPixels, options: PngOptions = {}): Promise<{ data: Buffer; channels: number }> {
  const png = await encodePng(px, options);
  const list = chunks(png);
  expect(list[0]?.type).toBe('IHDR');
  expect(list.at(-1)).toEqual({ type: 'IEND', data: Buffer.alloc(0) });
  const ihdr = list[0]?.data ?? Buffer.alloc(0);
  const channels = options.dropAlpha && px.channels === 4 ? 3 : px.channels;
  expect([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4), ...ihdr.subarray(8)]).toEqual([px.width, px.height, 8, { 1: 0, 3: 2, 4: 6 }[channels], 0, 0, 0]);
  const idat = list.filter((c) => c.type === 'IDAT');
  expect(list.map((c) => c.type)).toEqual(['IHDR', ...idat.map(() => 'IDAT'), 'IEND']);
  const filtered = zlib.inflateSync(Buffer.concat(idat.map((c) => c.data)));
  expect(filtered.length).toBe(px.height * (px.width * channels + 1));
  expect((await sharp(png).metadata()).channels).toBe(channels);
  return { data: await decode(png, channels), channels };
}

/** `px`'s bytes as RGB (alpha dropped) or as given. */
function expected(px: RawPixels, dropAlpha = false): Buffer {
  if (!dropAlpha || px.channels !== 4) return Buffer.from(px.data.buffer, px.data.byteOffset, px.width * px.height * px.channels);
  const rgb = Buffer.alloc(px.width * px.height * 3);
  for (let i = 0, o = 0; o < rgb.length; i += 4, o += 3) rgb.set(px.data.subarray(i, i + 3), o);
  return rgb;
}

async function expectExact(px: RawPixels, options: PngOptions = {}): Promise<void> {
  const { data } = await roundTrip(px, options);
  expect(data.equals(expected(px, options.dropAlpha))).toBe(true);
}

/** Seeded bytes (xorshift), reproducible. */
function noise(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = s & 0xff;
  }
  return out;
}

/** A sample photo as RGBA with a soft-edged elliptical alpha (zero outside, feathered over ~8 % of the size). */
async function sampleCutout(name: string): Promise<RawPixels> {
  const { data, info } = await sharp(join(SAMPLES_DIR, name)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const { width, height } = info;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const r = Math.hypot((x - width / 2) / (width * 0.4), (y - height / 2) / (height * 0.4));
      data[(y * width + x) * 4 + 3] = Math.round(255 * Math.min(1, Math.max(0, (1 - r) / 0.08)));
    }
  }
  return { data: new Uint8Array(data), width, height, channels: 4 };
}

function alphaOf(px: RawPixels): RawPixels {
  const a = new Uint8Array(px.width * px.height);
  for (let i = 0; i < a.length; i++) a[i] = px.data[i * 4 + 3] as number;
  return { data: a, width: px.width, height: px.height, channels: 1 };
}

describe('encodePng on sample photos', () => {
  for (const name of ['coffee.png', 'chelsea.png', 'rocket.jpg']) {
    it(`${name}: RGBA, RGB and grey round-trip exactly`, async () => {
      const px = await sampleCutout(name);
      await expectExact(px);
      await expectExact(px, { dropAlpha: true });
      await expectExact(alphaOf(px));
      const rgb = await sharp(join(SAMPLES_DIR, name)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      await expectExact({ data: new Uint8Array(rgb.data), width: rgb.info.width, height: rgb.info.height, channels: 3 });
    });
  }

  it('splits into many strips, rows shared unevenly, with the same pixels', async () => {
    const px = await sampleCutout('chelsea.png'); // 451 px wide: RGB rows are not whole 32-bit words
    for (const stripBytes of [1, 1000, 7777, 13_000, 100_000]) {
      await expectExact(px, { stripBytes });
      await expectExact(px, { stripBytes, dropAlpha: true });
      await expectExact(alphaOf(px), { stripBytes });
    }
    // Strips are independent deflate streams joined by sync flushes: the file stays close in size.
    const one = (await encodePng(px)).length;
    expect((await encodePng(px, { stripBytes: 7777 })).length).toBeLessThan(one * 1.1);
  });

  it('takes other zlib levels', async () => {
    const px = await sampleCutout('coffee.png');
    for (const level of [2, 6, 9]) await expectExact(px, { level });
  });
});

describe('encodePng edge cases', () => {
  it('1×1 in each colour type', async () => {
    for (const channels of [1, 3, 4] as const) await expectExact({ data: noise(channels, 7), width: 1, height: 1, channels });
    await expectExact({ data: new Uint8Array([9, 8, 7, 6]), width: 1, height: 1, channels: 4 }, { dropAlpha: true });
  });

  it('1×40000 and 40000×1 strips', async () => {
    for (const channels of [1, 3, 4] as const) {
      await expectExact({ data: noise(40000 * channels, 3), width: 1, height: 40000, channels });
      await expectExact({ data: noise(40000 * channels, 5), width: 40000, height: 1, channels });
    }
    await expectExact({ data: noise(40000 * 4, 11), width: 1, height: 40000, channels: 4 }, { stripBytes: 4096 });
  });

  it('odd widths (rows not a whole number of words) in each colour type', async () => {
    for (const width of [1, 2, 3, 5, 7, 13, 255]) {
      for (const channels of [1, 3, 4] as const) await expectExact({ data: noise(width * 9 * channels, width), width, height: 9, channels }, { stripBytes: 50 });
      await expectExact({ data: noise(width * 9 * 4, width), width, height: 9, channels: 4 }, { dropAlpha: true });
    }
  });

  it('an all-transparent image: exact, under 1 % of the raw size', async () => {
    const px: RawPixels = { data: new Uint8Array(1000 * 700 * 4), width: 1000, height: 700, channels: 4 };
    await expectExact(px);
    expect((await encodePng(px)).length).toBeLessThan(px.data.length / 100);
  });

  it('incompressible pixels over several IDAT chunks', async () => {
    const px: RawPixels = { data: noise(900 * 500 * 4, 42), width: 900, height: 500, channels: 4 };
    const png = await encodePng(px);
    expect(chunks(png).filter((c) => c.type === 'IDAT').length).toBeGreaterThan(1);
    await expectExact(px);
  });

  it('a view into a larger buffer at an odd offset', async () => {
    const big = noise(3 + 17 * 11 * 4, 9);
    await expectExact({ data: big.subarray(3), width: 17, height: 11, channels: 4 });
    await expectExact({ data: big.subarray(3), width: 17, height: 11, channels: 4 }, { dropAlpha: true }); // RGB packed byte by byte
    await expectExact({ data: big.subarray(4), width: 17, height: 10, channels: 4 }, { dropAlpha: true }); // aligned: word by word
  });

  it('refuses empty sizes and too few bytes', async () => {
    await expect(encodePng({ data: new Uint8Array(4), width: 0, height: 1, channels: 4 })).rejects.toThrow(RangeError);
    await expect(encodePng({ data: new Uint8Array(4), width: 1, height: 1.5, channels: 4 })).rejects.toThrow(RangeError);
    await expect(encodePng({ data: new Uint8Array(7), width: 2, height: 1, channels: 4 })).rejects.toThrow(/too few/);
  });

  it('table CRC-32 matches zlib.crc32, also continued', () => {
    const data = noise(10_000, 5);
    expect(tableCrc32(data)).toBe(zlib.crc32(data));
    expect(tableCrc32(data.subarray(4000), tableCrc32(data.subarray(0, 4000)))).toBe(zlib.crc32(data));
    expect(tableCrc32(new Uint8Array(0))).toBe(0);
  });
});

/** `px` pushed to a streaming encoder in chunks of the given row counts (cycled), then finished. */
async function streamed(px: RawPixels, chunks: readonly number[], options: PngOptions = {}): Promise<Buffer> {
  const encoder = createPngEncoder(px, options);
  const inStride = px.width * px.channels;
  for (let y = 0, i = 0; y < px.height; i++) {
    const n = Math.min(px.height - y, chunks[i % chunks.length] as number);
    // A copy of just these rows: the encoder may read nothing outside what it is given.
    await encoder.push(px.data.slice(y * inStride, (y + n) * inStride), n);
    y += n;
  }
  return encoder.finish();
}

describe('createPngEncoder (rows as they come)', () => {
  it('gives encodePng\'s bytes however the rows are split', async () => {
    const px = await sampleCutout('chelsea.png');
    for (const options of [{}, { dropAlpha: true }, { stripBytes: 7777 }, { stripBytes: 13_000, dropAlpha: true }, { stripBytes: 1 }] as PngOptions[]) {
      const reference = await encodePng(px, options);
      for (const chunks of [[1], [64], [7, 1, 30], [px.height]]) expect((await streamed(px, chunks, options)).equals(reference)).toBe(true);
      const grey = alphaOf(px);
      expect((await streamed(grey, [5, 64], options)).equals(await encodePng(grey, options))).toBe(true);
    }
  });

  it('holds a push back while too many strips are still deflating', async () => {
    // 1 MiB strips of noise at level 9: each takes milliseconds on the thread pool.
    const width = 1 << 18;
    const px: RawPixels = { data: noise(width * 4 * 8, 3), width, height: 8, channels: 4 };
    const encoder = createPngEncoder(px, { stripBytes: width * 4, level: 9 });
    const tick = (): Promise<string> => new Promise((r) => setImmediate(() => r('waiting')));
    const settled: string[] = [];
    for (let y = 0; y < 8; y++) {
      const push = encoder.push(px.data.subarray(y * width * 4, (y + 1) * width * 4), 1);
      const state = await Promise.race([push.then(() => 'done'), tick()]);
      settled.push(state);
      // Awaiting is the contract: a push while one waits is refused.
      if (state === 'waiting') await expect(encoder.push(px.data, 1)).rejects.toMatchObject({ code: 'busy' });
      await push;
    }
    // The first strips go straight to the pool; later ones wait for a deflate to finish.
    expect(settled.slice(0, 2)).toEqual(['done', 'done']);
    expect(settled).toContain('waiting');
    expect((await encoder.finish()).equals(await encodePng(px, { stripBytes: width * 4, level: 9 }))).toBe(true);
  });

  it('refuses wrong row counts with coded errors', async () => {
    const px: RawPixels = { data: noise(10 * 6 * 4, 2), width: 10, height: 6, channels: 4 };
    const encoder = createPngEncoder(px);
    await expect(encoder.push(px.data, 7)).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(encoder.push(px.data.subarray(0, 40), 2)).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(encoder.push(px.data, 1.5)).rejects.toMatchObject({ code: 'invalid_argument' });
    await encoder.push(px.data, 4);
    await expect(encoder.finish()).rejects.toMatchObject({ code: 'invalid_argument' });
    await encoder.push(px.data.subarray(4 * 40), 2);
    await expect(encoder.push(px.data, 1)).rejects.toMatchObject({ code: 'invalid_argument' });
    expect((await encoder.finish()).equals(await encodePng(px))).toBe(true);
    expect(() => createPngEncoder({ width: 0, height: 1, channels: 4 })).toThrow(RangeError);
  });
});

describe('writeRgbaPng / writeAlphaPng', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'png-writer-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('write the files atomically: RGBA, opaque RGB, alpha', async () => {
    const px = await sampleCutout('coffee.png');
    const image = { width: px.width, height: px.height, data: new Uint8ClampedArray(px.data.buffer) };
    await writeRgbaPng(image, join(dir, 'rgba.png'));
    await writeRgbaPng(image, join(dir, 'rgb.png'), true);
    const a = alphaOf(px);
    await writeAlphaPng(a.data, a.width, a.height, join(dir, 'alpha.png'));
    expect((await readdir(dir)).sort()).toEqual(['alpha.png', 'rgb.png', 'rgba.png']);
    expect((await decode(join(dir, 'rgba.png'), 4)).equals(expected(px))).toBe(true);
    expect((await decode(join(dir, 'rgb.png'), 3)).equals(expected(px, true))).toBe(true);
    expect((await decode(join(dir, 'alpha.png'), 1)).equals(expected(a))).toBe(true);
  });

  it('createCutoutPngSink writes writeRgbaPng\'s file from strips, nothing until closed', async () => {
    const px = await sampleCutout('rocket.jpg');
    const image = { width: px.width, height: px.height, data: new Uint8ClampedArray(px.data.buffer) };
    for (const opaque of [false, true]) {
      await writeRgbaPng(image, join(dir, 'whole.png'), opaque);
      const sink = createCutoutPngSink(join(dir, 'strips.png'), opaque);
      for (let y = 0; y < px.height; y += 64) {
        const rows = Math.min(64, px.height - y);
        await sink.onRows({ width: px.width, height: px.height, y, rows, data: image.data.subarray(y * px.width * 4, (y + rows) * px.width * 4) });
      }
      expect(await readdir(dir)).not.toContain('strips.png');
      await sink.close();
      expect((await readFile(join(dir, 'strips.png'))).equals(await readFile(join(dir, 'whole.png')))).toBe(true);
      await rm(join(dir, 'strips.png'));
      await rm(join(dir, 'whole.png'));
    }
    await expect(createCutoutPngSink(join(dir, 'none.png')).close()).rejects.toMatchObject({ code: 'invalid_argument' });
  });

  it('leave no temp file behind when the rename fails', async () => {
    await mkdir(join(dir, 'taken', 'inside'), { recursive: true });
    await expect(writeRgbaPng({ width: 2, height: 2, data: new Uint8Array(16) }, join(dir, 'taken'))).rejects.toThrow();
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
