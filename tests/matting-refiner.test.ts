// Matting refiner on synthetic composites with a known alpha (no model needed).
import { describe, expect, it } from 'vitest';
import { CoreError } from '../shared-core/src/errors.js';
import type { AlphaMatte, RgbaImage } from '../shared-core/src/image.js';
import { bilinearRefiner } from '../shared-core/src/refiner.js';
import { resamplePlane } from '../shared-core/src/resample.js';
import { boxMean, createMattingRefiner } from '../shared-core/src/matting/index.js';

/** Soft-edged disc plus a patch of thin "hair" stripes over a smooth two-colour background. */
function scene(W: number, H: number): { image: RgbaImage; alpha: Float32Array } {
  const alpha = new Float32Array(W * H);
  const data = new Uint8ClampedArray(W * H * 4);
  const cx = W * 0.35, cy = H * 0.5, rad = Math.min(W, H) * 0.3;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
      let a = Math.min(1, Math.max(0, (rad - d) / 2 + 0.5));
      if (x > W * 0.68 && x < W * 0.95 && y > H * 0.15 && y < H * 0.85) {
        const t = ((x % 7) - 3) / 1.2;
        a = Math.max(a, 0.9 * Math.exp(-t * t));
      }
      const i = y * W + x;
      alpha[i] = a;
      const fr = 230, fg = 180 - 40 * (y / H), fb = 40;
      const br = 30 + 40 * (x / W), bg = 80, bb = 170 + 40 * (y / H);
      data[i * 4] = a * fr + (1 - a) * br;
      data[i * 4 + 1] = a * fg + (1 - a) * bg;
      data[i * 4 + 2] = a * fb + (1 - a) * bb;
      data[i * 4 + 3] = 255;
    }
  }
  return { image: { width: W, height: H, data }, alpha };
}

/** What a segmentation net gives: the alpha blurred and at low resolution. */
function degrade(alpha: Float32Array, W: number, H: number, lw: number, lh: number): AlphaMatte {
  const blurred = new Float32Array(W * H);
  boxMean(alpha, W, H, 2, blurred);
  const low = new Float32Array(lw * lh);
  resamplePlane(blurred, W, H, low, lw, lh, true);
  return { width: lw, height: lh, data: low };
}

function sad(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs((a[i] as number) - (b[i] as number));
  return s;
}

const W = 320, H = 240;
const { image, alpha } = scene(W, H);
const lowRes = degrade(alpha, W, H, 128, 128);

describe('matting refiner', () => {
  it('reduces SAD against bilinear upsampling; the guided filter alone does not make it worse', async () => {
    const bil = await bilinearRefiner.refine({ lowRes, image });
    const guided = await createMattingRefiner({ solve: false }).refine({ lowRes, image });
    const mat = await createMattingRefiner({ solve: true, maxSolveMs: 5000 }).refine({ lowRes, image });
    const sBil = sad(bil.data, alpha);
    const sGuided = sad(guided.data, alpha);
    const sMat = sad(mat.data, alpha);
    expect(sGuided).toBeLessThan(sBil * 1.05);
    expect(sMat).toBeLessThan(sBil * 0.9);
    // mean error per pixel under 5 %
    expect(sMat / (W * H)).toBeLessThan(0.05);
  });

  it('solves at reduced resolution and upsamples with the fast guided filter', async () => {
    const bil = await bilinearRefiner.refine({ lowRes, image });
    const low = await createMattingRefiner({ solve: true, solveMaxSide: 160, maxSolveMs: 5000 }).refine({ lowRes, image });
    expect(low.width).toBe(W);
    expect(sad(low.data, alpha)).toBeLessThan(sad(bil.data, alpha));
  });

  it('honours hints exactly and re-solves around them', async () => {
    const hints = new Uint8Array(W * H).fill(128);
    // keep stroke in the background, remove stroke through the disc
    for (let y = 20; y < 40; y++) for (let x = 20; x < 60; x++) hints[y * W + x] = 255;
    for (let y = 110; y < 130; y++) for (let x = 60; x < 150; x++) hints[y * W + x] = 0;
    for (const opts of [{}, { solve: false }, { solveMaxSide: 100 }, { edge: { feather: 2, shift: 1 } }]) {
      const m = await createMattingRefiner(opts).refine({ lowRes, image, hints: { width: W, height: H, data: hints } });
      // one assertion per option set, not per pixel (300k expect() calls were most of this test's time)
      const wrong: number[] = [];
      for (let i = 0; i < W * H; i++) {
        if ((hints[i] === 255 && m.data[i] !== 1) || (hints[i] === 0 && m.data[i] !== 0)) wrong.push(i);
      }
      expect(wrong, `pixels not at their hint with ${JSON.stringify(opts)}`).toEqual([]);
    }
  });

  it('all-keep and all-remove hints give trivial mattes', async () => {
    for (const v of [0, 255]) {
      const hints = { width: W, height: H, data: new Uint8Array(W * H).fill(v) };
      const m = await createMattingRefiner().refine({ lowRes, image, hints });
      expect(m.data.every((a) => a === v / 255)).toBe(true);
    }
  });

  it('is deterministic and reports monotonic progress ending at 1', async () => {
    const seen: number[] = [];
    const r = createMattingRefiner({ solve: true, maxSolveMs: 10_000, maxIterations: 60 });
    const a = await r.refine({ lowRes, image, onProgress: (f) => seen.push(f) });
    const b = await r.refine({ lowRes, image });
    expect(Buffer.from(a.data.buffer).equals(Buffer.from(b.data.buffer))).toBe(true);
    expect(seen.at(-1)).toBe(1);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1] as number);
  });

  it('rejects bad inputs with CoreError codes', async () => {
    const r = createMattingRefiner();
    const bad = new Float32Array(lowRes.data);
    bad[5] = Number.NaN;
    await expect(r.refine({ lowRes: { ...lowRes, data: bad }, image })).rejects.toMatchObject({ code: 'model_invalid_output' });
    bad[5] = Number.POSITIVE_INFINITY;
    await expect(r.refine({ lowRes: { ...lowRes, data: bad }, image })).rejects.toMatchObject({ code: 'model_invalid_output' });
    const hints = { width: W - 1, height: H, data: new Uint8Array((W - 1) * H) };
    const err = await r.refine({ lowRes, image, hints }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CoreError);
    expect((err as CoreError).code).toBe('hint_size_mismatch');
    expect((err as CoreError).message).toContain(`${W - 1}×${H}`);
    expect((err as CoreError).message).toContain(`${W}×${H}`);
  });

  it('handles 1×1 and 1×N images', async () => {
    for (const [w, h] of [[1, 1], [1, 37], [29, 1], [2, 2]] as const) {
      const img: RgbaImage = { width: w, height: h, data: new Uint8ClampedArray(w * h * 4).fill(200) };
      const low: AlphaMatte = { width: 8, height: 8, data: new Float32Array(64).fill(0.7) };
      for (const opts of [{}, { solve: false }, { edge: { feather: 1, shift: -1, smooth: 1 } }]) {
        const m = await createMattingRefiner(opts).refine({ lowRes: low, image: img });
        expect(m.width).toBe(w);
        expect(m.height).toBe(h);
        expect(m.data.every((a) => a >= 0 && a <= 1)).toBe(true);
      }
    }
  });

  it('stops at the next check after an abort during the band solve', async () => {
    const big = scene(960, 720);
    const low = degrade(big.alpha, 960, 720, 256, 256);
    const ctrl = new AbortController();
    const r = createMattingRefiner({ solve: true, solveMaxSide: 960, maxSolveMs: 60_000 });
    const seen: number[] = [];
    let abortedAt = 0;
    let abortedFraction = 0;
    const onProgress = (f: number): void => {
      seen.push(f);
      // Fractions in (0.2, 0.8) are reported from inside the solve (closed-form CG iterations).
      if (abortedAt === 0 && f > 0.2) {
        abortedAt = performance.now();
        abortedFraction = f;
        ctrl.abort();
      }
    };
    const err = await r.refine({ lowRes: low, image: big.image, signal: ctrl.signal, onProgress }).catch((e: unknown) => e);
    const latency = performance.now() - abortedAt;
    expect(err).toBeInstanceOf(CoreError);
    expect((err as CoreError).code).toBe('cancelled');
    expect(abortedAt).toBeGreaterThan(0);
    expect(abortedFraction).toBeLessThan(0.8);
    // Nothing was reported after the abort: the refine did not go on to the upsampling or the end.
    expect(seen.at(-1)).toBe(abortedFraction);
    expect(Math.max(...seen)).toBeLessThan(0.8);
    // Generous bound (the error comes at the next check, one CG iteration takes milliseconds).
    expect(latency).toBeLessThan(5_000);
  });
});
