// shared-core/src/cutout-rows.ts: the cut-out strip by strip (CutoutOptions.onRows) is, byte for byte,
// decontaminate + composeCutout on the whole image, for every option; the strips tile it in order.
import { describe, expect, it } from 'vitest';
import { BackgroundRemover, composeCutout, decontaminate, type AlphaMatte, type CutoutRows, type InferenceSession, type RgbaImage } from '@cutout/core';
import { composeCutoutRows, type CutoutRowsOptions } from '../shared-core/src/cutout-rows.js';
import { fakeManifest } from './helpers/fake-model.js';

/** A photo with smooth colour, translucent pixels in one corner, and a soft ellipse matte (with hard 0/1 parts) inside a margin. */
function scene(w: number, h: number, seed = 1): { image: RgbaImage; matte: AlphaMatte } {
  const data = new Uint8ClampedArray(w * h * 4);
  const alpha = new Float32Array(w * h);
  let s = seed;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      s = (s * 1103515245 + 12345) >>> 0;
      const p = y * w + x;
      data[p * 4] = (x * 255) / w;
      data[p * 4 + 1] = (y * 255) / h;
      data[p * 4 + 2] = s >>> 24;
      data[p * 4 + 3] = x < w / 8 && y < h / 8 ? 128 + ((s >>> 16) & 127) : 255;
      const r = Math.hypot((x - w / 2) / (w * 0.35), (y - h * 0.55) / (h * 0.3));
      alpha[p] = Math.min(1, Math.max(0, (1 - r) / 0.15 + ((s >>> 8) & 15) / 400));
    }
  }
  return { image: { width: w, height: h, data }, matte: { width: w, height: h, data: alpha } };
}

function copy(image: RgbaImage): RgbaImage {
  return { width: image.width, height: image.height, data: new Uint8ClampedArray(image.data) };
}

/** Today's whole-image path (what cutoutFrom did before strips). */
async function whole(image: RgbaImage, matte: AlphaMatte, options: CutoutRowsOptions): Promise<RgbaImage> {
  const colours = options.decontaminate === false ? image : await decontaminate(image, matte);
  return composeCutout(colours, matte, { ...options, inPlace: colours !== image || options.inPlace === true }).image;
}

/** The strip-wise path; checks the strips tile the result in order and returns it rebuilt from them. */
async function strips(image: RgbaImage, matte: AlphaMatte, options: CutoutRowsOptions): Promise<{ result: RgbaImage; rebuilt: Uint8Array; count: number }> {
  const seen: CutoutRows[] = [];
  const parts: Uint8Array[] = [];
  const { image: result } = await composeCutoutRows(image, matte, {
    ...options,
    onRows: async (strip) => {
      seen.push(strip);
      parts.push(new Uint8Array(strip.data)); // a copy: nothing may change it later
      await new Promise((r) => setImmediate(r)); // an async sink: the next strip waits
    },
  });
  let y = 0;
  for (const strip of seen) {
    expect([strip.width, strip.height, strip.y]).toEqual([result.width, result.height, y]);
    expect(strip.data.length).toBe(strip.rows * strip.width * 4);
    y += strip.rows;
  }
  expect(y).toBe(result.height);
  const rebuilt = new Uint8Array(y * result.width * 4);
  for (let i = 0, o = 0; i < parts.length; o += (parts[i] as Uint8Array).length, i++) rebuilt.set(parts[i] as Uint8Array, o);
  return { result, rebuilt, count: seen.length };
}

const OPTIONS: [string, CutoutRowsOptions][] = [
  ['transparent', {}],
  ['transparent, in place', { inPlace: true }],
  ['over a background', { background: { r: 10, g: 200, b: 30 }, inPlace: true }],
  ['cropped', { crop: true, inPlace: true }],
  ['cropped over a background', { crop: true, background: { r: 255, g: 255, b: 255 } }],
  ['no decontamination', { decontaminate: false }],
  ['no decontamination, in place', { decontaminate: false, inPlace: true }],
  ['no decontamination, cropped over a background', { decontaminate: false, crop: true, background: { r: 0, g: 0, b: 0 }, inPlace: true }],
];

describe('composeCutoutRows', () => {
  // 1500 × 1400 is above the 2 MP full-resolution budget (grid + correction pass in 64-row strips); 333 × 211 below.
  for (const [w, h] of [[333, 211], [1500, 1400]] as const) {
    const { image, matte } = scene(w, h);
    for (const [label, options] of OPTIONS) {
      it(`${w}×${h}, ${label}: the whole-image bytes, strip by strip`, async () => {
        const expected = await whole(copy(image), matte, options);
        const { result, rebuilt, count } = await strips(copy(image), matte, options);
        expect([result.width, result.height]).toEqual([expected.width, expected.height]);
        expect(Buffer.from(result.data).equals(Buffer.from(expected.data))).toBe(true);
        expect(Buffer.from(rebuilt).equals(Buffer.from(expected.data))).toBe(true);
        if (w * h > 2_000_000 || options.decontaminate === false) expect(count).toBeGreaterThan(1);
      });
    }
  }

  it('crops to the subject even when no strip of rows is all inside it', async () => {
    const { image, matte } = scene(200, 150);
    const options = { crop: true, decontaminate: false } as const;
    const expected = composeCutout(copy(image), matte, options);
    const { result, rebuilt } = await strips(copy(image), matte, options);
    expect(expected.rect.y).toBeGreaterThan(0);
    expect(Buffer.from(rebuilt).equals(Buffer.from(expected.image.data))).toBe(true);
    expect(Buffer.from(result.data).equals(Buffer.from(expected.image.data))).toBe(true);
  });

  it('refuses a matte of another size and stops on an aborted signal', async () => {
    const { image } = scene(20, 10);
    await expect(composeCutoutRows(image, { width: 10, height: 10, data: new Float32Array(100) })).rejects.toMatchObject({ code: 'invalid_argument' });
    const ac = new AbortController();
    ac.abort();
    await expect(composeCutoutRows(image, scene(20, 10).matte, { signal: ac.signal })).rejects.toMatchObject({ code: 'cancelled' });
  });
});

describe('BackgroundRemover.cutoutFrom with onRows', () => {
  it('hands on the cut-out it returns, and a failing sink fails the cut-out', async () => {
    const session: InferenceSession = { manifest: fakeManifest(8, 8), backend: 'test', run: async () => new Float32Array(64).fill(0.5), dispose: async () => undefined };
    const remover = new BackgroundRemover(session);
    const { image, matte } = scene(90, 70);
    const result = { matte, lowRes: matte, timings: { preprocess: 0, inference: 0, refine: 0, compose: 0 }, backend: 'test' };
    const parts: number[] = [];
    const cut = await remover.cutoutFrom(copy(image), result, { onRows: (s) => void parts.push(...s.data) });
    expect(Buffer.from(parts).equals(Buffer.from(cut.image.data))).toBe(true);
    expect(Buffer.from(cut.image.data).equals(Buffer.from((await whole(copy(image), matte, {})).data))).toBe(true);
    await expect(remover.cutoutFrom(copy(image), result, { onRows: () => Promise.reject(new Error('disk full')) })).rejects.toThrow('disk full');
    await remover.dispose();
  });
});
