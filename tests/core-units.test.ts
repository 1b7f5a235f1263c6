// Pure-TypeScript units of the core; no model needed.
import { describe, expect, it } from 'vitest';
import {
  BackgroundRemover,
  composeCutout,
  computeTaps,
  CoreError,
  parseColour,
  parseModelManifest,
  preprocess,
  resamplePlane,
  subjectBounds,
  type InferenceSession,
  type RgbaImage,
} from '@cutout/core';
import { fakeManifest, randomImage } from './helpers/fake-model.js';

const manifest = fakeManifest(8, 8);

/** A session whose output the test chooses: exercises the pipeline's validation, not the model. */
function fixedSession(output: () => Float32Array): InferenceSession {
  return { manifest, backend: 'test', run: async () => output(), dispose: async () => undefined };
}

describe('resampling', () => {
  it('has taps that sum to 1 for down- and upscaling', () => {
    for (const [s, d] of [[1000, 1024], [6000, 1024], [1, 1024], [1024, 1], [1024, 7]] as const) {
      const t = computeTaps(s, d);
      for (let i = 0; i < d; i++) {
        let sum = 0;
        for (let k = 0; k < (t.count[i] as number); k++) sum += t.weights[i * t.stride + k] as number;
        expect(sum).toBeCloseTo(1, 5);
      }
    }
  });
  it('keeps a constant plane constant', () => {
    const src = new Float32Array(37 * 23).fill(0.25);
    const dst = new Float32Array(100 * 64);
    resamplePlane(src, 37, 23, dst, 100, 64);
    for (const v of dst) expect(v).toBeCloseTo(0.25, 6);
  });
});

describe('preprocess', () => {
  it('normalises (byte − 128) / 256 into NCHW', () => {
    const data = new Uint8Array(4 * 4 * 4);
    for (let i = 0; i < 16; i++) data.set([0, 128, 255, 255], i * 4);
    const t = preprocess({ width: 4, height: 4, data }, manifest);
    expect(t.length).toBe(3 * 64);
    expect(t[0]).toBe(-0.5);
    expect(t[64]).toBe(0);
    expect(t[128]).toBe(127 / 256);
  });

  it('reproduces the reference pipeline resize exactly (independent re-derivation)', () => {
    const img = randomImage(13, 9, 7);
    const t = preprocess(img, manifest, { resize: 'reference' });
    // @imgly/background-removal-node 1.4.5: sample at x·(W/dw), bilinear between floor/ceil, round to a byte.
    for (let y = 0; y < 8; y++) {
      for (let x = 0; x < 8; x++) {
        for (let c = 0; c < 3; c++) {
          const sx = (x * 13) / 8;
          const sy = (y * 9) / 8;
          const [x1, x2, y1, y2] = [Math.floor(sx), Math.min(Math.ceil(sx), 12), Math.floor(sy), Math.min(Math.ceil(sy), 8)];
          const px = (xx: number, yy: number): number => img.data[(yy * 13 + xx) * 4 + c] as number;
          const dx = sx - x1;
          const dy = sy - y1;
          const v = Math.round((1 - dx) * (1 - dy) * px(x1, y1) + dx * (1 - dy) * px(x2, y1) + (1 - dx) * dy * px(x1, y2) + dx * dy * px(x2, y2));
          expect(t[c * 64 + y * 8 + x]).toBe((v - 128) / 256);
        }
      }
    }
  });

  // 48×40 → 8×8 shrinks 6× and 5×: the integer area average (cells of 3 px) runs before the triangle.
  it('shrinks large images through the area average close to the full triangle filter', () => {
    const [w, h] = [48, 40];
    const data = new Uint8Array(w * h * 4);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) data.set([x * 5, y * 6, (x + y) * 2, x < 10 ? 0 : x < 20 ? 100 : 255], (y * w + x) * 4);
    }
    const t = preprocess({ width: w, height: h, data }, manifest);
    // Independent re-derivation of the plain path: composite over grey, triangle-filter each plane.
    for (let c = 0; c < 3; c++) {
      const plane = new Float32Array(w * h);
      for (let i = 0; i < w * h; i++) {
        const a = data[i * 4 + 3] as number;
        plane[i] = ((data[i * 4 + c] as number) * a + 128 * (255 - a)) / 255;
      }
      const ref = new Float32Array(64);
      resamplePlane(plane, w, h, ref, 8, 8);
      // The box widens the filter slightly: a few byte units at the hard alpha steps and borders (a bug shows tens).
      let sum = 0;
      for (let i = 0; i < 64; i++) {
        const d = Math.abs((t[c * 64 + i] as number) * 256 + 128 - (ref[i] as number));
        expect(d).toBeLessThan(6);
        sum += d;
      }
      expect(sum / 64).toBeLessThan(3);
    }
    // Unaligned pixels (a view at an odd offset) give the same tensor.
    const shifted = new Uint8Array(data.length + 1);
    shifted.set(data, 1);
    expect(preprocess({ width: w, height: h, data: shifted.subarray(1) }, manifest)).toEqual(t);
  });

  it('keeps constant and fully transparent large images exact on the area path', () => {
    const data = new Uint8Array(64 * 64 * 4);
    for (let i = 0; i < 64 * 64; i++) data.set([10, 200, 30, 255], i * 4);
    const t = preprocess({ width: 64, height: 64, data }, manifest);
    for (let i = 0; i < 64; i++) expect([t[i], t[64 + i], t[128 + i]]).toEqual([(10 - 128) / 256, (200 - 128) / 256, (30 - 128) / 256].map((v) => expect.closeTo(v, 6)));
    for (let i = 0; i < 64 * 64; i++) data.set([(i * 7) % 256, (i * 13) % 256, 255, 0], i * 4);
    expect(preprocess({ width: 64, height: 64, data }, manifest).every((v) => Math.abs(v) < 1e-6)).toBe(true);
  });

  it('handles a 1×1 image and composites transparent pixels over grey', () => {
    const t = preprocess({ width: 1, height: 1, data: new Uint8Array([255, 0, 0, 0]) }, manifest);
    expect(t.every((v) => v === 0)).toBe(true);
  });
});

describe('compose and crop', () => {
  const img: RgbaImage = { width: 4, height: 2, data: new Uint8Array(4 * 2 * 4).fill(200) };
  const matte = { width: 4, height: 2, data: new Float32Array([0, 0, 1, 0.5, 0, 0, 1, 0.02]) };
  it('multiplies the matte with existing alpha and keeps colour', () => {
    const { image } = composeCutout(img, matte);
    expect(image.data[2 * 4 + 3]).toBe(Math.round(200 * 1));
    expect(image.data[3 * 4 + 3]).toBe(Math.round(0.5 * (200 / 255) * 255));
    expect(image.data[0]).toBe(200);
  });
  it('composites over a solid colour as opaque', () => {
    const { image } = composeCutout({ ...img, data: new Uint8Array(32).fill(255) }, matte, { background: { r: 0, g: 0, b: 0 } });
    expect(image.data[3 * 4]).toBe(128);
    expect(image.data[3 * 4 + 3]).toBe(255);
  });
  it('crops to the subject, ignoring faint specks', () => {
    expect(subjectBounds(matte)).toEqual({ x: 2, y: 0, width: 2, height: 2 });
    expect(composeCutout(img, matte, { crop: true }).rect).toEqual({ x: 2, y: 0, width: 2, height: 2 });
    expect(subjectBounds({ width: 2, height: 1, data: new Float32Array(2) })).toBeNull();
  });
});

describe('pipeline errors', () => {
  it('rejects NaN/Inf model output with a coded error', async () => {
    const remover = new BackgroundRemover(fixedSession(() => new Float32Array(64).fill(Number.NaN)));
    await expect(remover.matte(randomImage(5, 5, 1))).rejects.toMatchObject({ code: 'model_invalid_output' });
  });
  it('rejects an empty image, a wrong-size hint and a disposed remover', async () => {
    const remover = new BackgroundRemover(fixedSession(() => new Float32Array(64).fill(0.5)));
    await expect(remover.matte({ width: 0, height: 0, data: new Uint8Array(0) })).rejects.toMatchObject({ code: 'empty_image' });
    const hints = { width: 3, height: 3, data: new Uint8Array(9) };
    await expect(remover.matte(randomImage(5, 4, 1), { hints })).rejects.toThrow(/3×3 but the image is 5×4/);
    await remover.dispose();
    await expect(remover.matte(randomImage(5, 5, 1))).rejects.toMatchObject({ code: 'disposed' });
  });
  it('honours hints exactly and cancels on an aborted signal', async () => {
    const remover = new BackgroundRemover(fixedSession(() => new Float32Array(64).fill(0.5)));
    const hints = { width: 2, height: 1, data: new Uint8Array([0, 255]) };
    const { matte } = await remover.matte(randomImage(2, 1, 1), { hints });
    expect([...matte.data]).toEqual([0, 1]);
    const ac = new AbortController();
    ac.abort();
    await expect(remover.matte(randomImage(2, 1, 1), { signal: ac.signal })).rejects.toMatchObject({ code: 'cancelled' });
  });
  it('emits progress in stage order, each stage from 0 to 1 without going back, ending in done', async () => {
    const remover = new BackgroundRemover(fixedSession(() => new Float32Array(64).fill(0.5)));
    const events: { stage: string; fraction: number }[] = [];
    await remover.cutout(randomImage(3, 3, 1), { onProgress: (e) => events.push({ stage: e.stage, fraction: e.fraction }) });
    const order = ['preprocess', 'inference', 'refine', 'compose', 'done'];
    expect([...new Set(events.map((e) => e.stage))]).toEqual(order);
    for (const stage of order) {
      const fs = events.filter((e) => e.stage === stage).map((e) => e.fraction);
      if (stage !== 'done') expect(fs[0]).toBe(0);
      expect(fs[fs.length - 1]).toBe(1);
      for (let i = 1; i < fs.length; i++) expect(fs[i]).toBeGreaterThanOrEqual(fs[i - 1] as number);
    }
    expect(events.map((e) => order.indexOf(e.stage))).toEqual([...events.map((e) => order.indexOf(e.stage))].sort((a, b) => a - b));
  });
});

describe('boundaries', () => {
  it('parses colours and rejects nonsense', () => {
    expect(parseColour('#fff')).toEqual({ r: 255, g: 255, b: 255 });
    expect(parseColour('#102030')).toEqual({ r: 16, g: 32, b: 48 });
    expect(parseColour('rgb(1, 2, 3)')).toEqual({ r: 1, g: 2, b: 3 });
    expect(() => parseColour('chartreuse-ish')).toThrow(CoreError);
  });
  it('refuses malformed manifests naming the field', () => {
    expect(() => parseModelManifest({ ...manifest, sha256: 'xyz' })).toThrow(/sha256/);
    expect(() => parseModelManifest({ ...manifest, input: { ...manifest.input, shape: [1, 4, 8, 8] } })).toThrow(/input.shape/);
    expect(() => parseModelManifest(null)).toThrow(/not an object/);
  });
});
