import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  hasEvalData,
  listAlphaMatting,
  listGrabCut,
  loadAlphaMattingGroundTruth,
  loadGrabCutGroundTruth,
  resolveEvalDir,
  evaluate,
  gaussDerivKernels,
  gradError,
  gradientMagnitude,
  iou,
  isUnknown,
  mae,
  median,
  mse,
  sad,
  uGradError,
  uMse,
  uSad,
  unknownCount,
} from '@cutout/tools-eval';

const f = (...v: number[]): Float32Array => Float32Array.from(v);
const u8 = (...v: number[]): Uint8Array => Uint8Array.from(v);

describe('SAD / MSE', () => {
  it('known values on a 2×2 image', () => {
    const pred = f(0, 0.5, 1, 0.25);
    const gt = f(0, 1, 0, 0.25);
    expect(sad(pred, gt, 2, 2)).toBeCloseTo(1.5 / 1000, 10);
    expect(mse(pred, gt, 2, 2)).toBeCloseTo((0.25 + 1) / 4, 7);
  });

  it('zero for identical inputs', () => {
    const a = f(0.1, 0.2, 0.3, 0.4, 0.5, 0.6);
    expect(sad(a, a, 3, 2)).toBe(0);
    expect(mse(a, a, 3, 2)).toBe(0);
  });

  it('rejects mismatched sizes', () => {
    expect(() => sad(f(0, 0, 0), f(0, 0, 0, 0), 2, 2)).toThrow(RangeError);
    expect(() => mse(f(0, 0, 0, 0), f(0, 0, 0, 0), 3, 2)).toThrow(RangeError);
  });
});

describe('unknown-band variants', () => {
  // trimap: 0 bg, 128 unknown, 255 fg; 10 and 245 are NOT unknown (strict bounds)
  const trimap = u8(0, 128, 255, 11, 10, 245);
  const pred = f(1, 0.5, 0, 0.2, 1, 0);
  const gt = f(0, 0, 1, 0, 0, 1);

  it('band is strictly between 10 and 245', () => {
    expect([0, 10, 11, 128, 244, 245, 255].map(isUnknown)).toEqual([false, false, true, true, true, false, false]);
    expect(unknownCount(trimap)).toBe(2);
  });

  it('u_SAD and u_MSE only count band pixels', () => {
    expect(uSad(pred, gt, trimap, 3, 2)).toBeCloseTo((0.5 + 0.2) / 1000, 10);
    expect(uMse(pred, gt, trimap, 3, 2)).toBeCloseTo((0.25 + 0.04) / 2, 7);
    // whole-image values are much larger because of the errors outside the band
    expect(sad(pred, gt, 3, 2)).toBeGreaterThan(uSad(pred, gt, trimap, 3, 2));
  });

  it('errors outside the band do not change masked metrics', () => {
    const pred2 = Float32Array.from(pred);
    pred2[0] = 0; // outside the band
    pred2[2] = 1;
    expect(uSad(pred2, gt, trimap, 3, 2)).toBe(uSad(pred, gt, trimap, 3, 2));
    expect(uMse(pred2, gt, trimap, 3, 2)).toBe(uMse(pred, gt, trimap, 3, 2));
  });

  it('empty band gives 0', () => {
    const none = u8(0, 0, 255, 255);
    expect(uSad(f(1, 1, 0, 0), f(0, 0, 1, 1), none, 2, 2)).toBe(0);
    expect(uMse(f(1, 1, 0, 0), f(0, 0, 1, 1), none, 2, 2)).toBe(0);
  });
});

describe('gradient error', () => {
  const W = 24;
  const H = 16;
  const edge = (x0: number): Float32Array => {
    const a = new Float32Array(W * H);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) a[y * W + x] = x >= x0 ? 1 : 0;
    return a;
  };

  it('kernel size follows the matting evaluation code (σ=1.4 → half-size 4)', () => {
    for (const norm of ['step', 'l2'] as const) {
      const k = gaussDerivKernels(1.4, norm);
      expect(k.halfSize).toBe(4);
      expect(k.smooth.length).toBe(9);
      expect(k.deriv.length).toBe(9);
      expect(Math.abs(k.deriv[4] ?? 1)).toBe(0);
      expect(k.deriv[3]).toBeCloseTo(-(k.deriv[5] ?? 0), 12);
    }
  });

  it("'l2' normalises the 2-D kernel to unit L2 norm (gaussgradient.m)", () => {
    const k = gaussDerivKernels(1.4, 'l2');
    let s2 = 0;
    let d2 = 0;
    for (let i = 0; i < 9; i++) {
      s2 += (k.smooth[i] ?? 0) ** 2;
      d2 += (k.deriv[i] ?? 0) ** 2;
    }
    // ‖smooth ⊗ deriv‖₂ = ‖smooth‖₂·‖deriv‖₂ = 1
    expect(Math.sqrt(s2 * d2)).toBeCloseTo(1, 12);
  });

  it("'step' (default) gives a unit step edge a gradient magnitude of 1", () => {
    const k = gaussDerivKernels(1.4, 'step');
    let s1 = 0;
    let d1 = 0;
    for (let i = 0; i < 9; i++) {
      s1 += Math.abs(k.smooth[i] ?? 0);
      d1 += Math.abs(k.deriv[i] ?? 0);
    }
    expect(s1 * d1 * 0.5).toBeCloseTo(1, 12);
    // step between x = 9 and x = 10: magnitude exactly 1 on both sides of the edge
    const m = gradientMagnitude(edge(10), W, H);
    expect(m[5 * W + 9]).toBeCloseTo(1, 10);
    expect(m[5 * W + 10]).toBeCloseTo(1, 10);
    let peakSum = 0;
    for (let x = 0; x < W; x++) peakSum += m[5 * W + x] ?? 0;
    // Σ over x of the response to a unit step = −Σ k·deriv[k] (first moment of the derivative kernel)
    expect(peakSum).toBeCloseTo(gaussDerivKernels(1.4, 'step').deriv.reduce((a, v, i) => a + v * (i - 4) * -1, 0), 6);
  });

  it('the two normalisations differ by a constant factor', () => {
    const a = edge(10);
    const b = edge(12);
    b[3 * W + 5] = 0.5;
    const ratio = gradError(b, a, W, H, { norm: 'l2' }) / gradError(b, a, W, H);
    const kS = gaussDerivKernels(1.4, 'step');
    const kL = gaussDerivKernels(1.4, 'l2');
    const f = ((kL.smooth[4] ?? 0) * (kL.deriv[5] ?? 0)) / ((kS.smooth[4] ?? 0) * (kS.deriv[5] ?? 0));
    expect(ratio).toBeCloseTo(f * f, 8);
    expect(ratio).toBeGreaterThan(6.5);
    expect(ratio).toBeLessThan(7.5);
  });

  it('zero for identical inputs', () => {
    const a = edge(10);
    expect(gradError(a, a, W, H)).toBe(0);
  });

  it('flat images have zero gradient; an edge has a positive one', () => {
    const flat = new Float32Array(W * H).fill(0.7);
    expect(Math.max(...gradientMagnitude(flat, W, H))).toBeCloseTo(0, 12);
    const m = gradientMagnitude(edge(10), W, H);
    expect(m[5 * W + 10] ?? 0).toBeGreaterThan(0.5);
    expect(m[5 * W + 1] ?? 1).toBeCloseTo(0, 6);
  });

  it('positive for a shifted edge, growing with the shift', () => {
    const g1 = gradError(edge(11), edge(10), W, H);
    const g3 = gradError(edge(13), edge(10), W, H);
    expect(g1).toBeGreaterThan(0);
    expect(g3).toBeGreaterThan(g1);
    // symmetric in its arguments
    expect(gradError(edge(10), edge(11), W, H)).toBeCloseTo(g1, 12);
  });

  it('masked variant ignores pixels outside the band', () => {
    const trimap = new Uint8Array(W * H); // all background → empty band
    expect(uGradError(edge(13), edge(10), trimap, W, H)).toBe(0);
    trimap.fill(128);
    expect(uGradError(edge(13), edge(10), trimap, W, H)).toBeCloseTo(gradError(edge(13), edge(10), W, H), 12);
    // band only far from the edges → (almost) nothing counted
    trimap.fill(0);
    for (let y = 0; y < H; y++) trimap[y * W + 0] = 128;
    expect(uGradError(edge(13), edge(10), trimap, W, H)).toBeCloseTo(0, 10);
  });
});

describe('IoU / MAE (GrabCut)', () => {
  it('known values, gt = 128 ignored', () => {
    // pixels: TP, FP, FN, TN, ignored(pred fg), ignored(pred bg)
    const pred = f(0.9, 0.6, 0.2, 0.1, 1, 0);
    const gt = u8(255, 0, 255, 0, 128, 128);
    expect(iou(pred, gt, 3, 2)).toBeCloseTo(1 / 3, 12);
    expect(mae(pred, gt, 3, 2)).toBeCloseTo((0.1 + 0.6 + 0.8 + 0.1) / 4, 6);
    expect(mae(pred, gt, 3, 2, true)).toBeCloseTo(2 / 4, 12);
  });

  it('threshold is pred ≥ 0.5', () => {
    expect(iou(f(0.5, 0.49), u8(255, 255), 2, 1)).toBeCloseTo(0.5, 12);
  });

  it('perfect prediction', () => {
    const gt = u8(0, 255, 255, 128);
    expect(iou(f(0, 1, 1, 0.3), gt, 2, 2)).toBe(1);
    expect(mae(f(0, 1, 1, 0.3), gt, 2, 2)).toBe(0);
  });

  it('both empty → IoU 1', () => {
    expect(iou(f(0, 0), u8(0, 128), 2, 1)).toBe(1);
  });
});

describe('helpers', () => {
  it('median', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(Number.isNaN(median([]))).toBe(true);
  });
});

describe('eval-data loader without data', () => {
  it('returns null / empty lists and an empty report when the folder is absent', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'no-eval-'));
    const missing = path.join(dir, 'does-not-exist');
    try {
      expect(resolveEvalDir(missing)).toBeNull();
      expect(hasEvalData(missing)).toBe(false);
      expect(listAlphaMatting(missing)).toEqual([]);
      expect(listGrabCut(missing)).toEqual([]);
      // an existing but empty folder lists nothing either
      expect(listAlphaMatting(dir)).toEqual([]);
      expect(listGrabCut(dir)).toEqual([]);
      let calls = 0;
      const report = await evaluate(
        async () => {
          calls++;
          return { alpha: new Float32Array(1), width: 1, height: 1 };
        },
        { pipeline: 'none', dataDir: missing, onImage: null },
      );
      expect(calls).toBe(0);
      expect(report.sets).toEqual({});
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const EVAL_DIR = '../shared/eval';

describe.skipIf(!existsSync(EVAL_DIR))('eval-data loader with the real data', () => {
  it('lists 14 alphamatting and 25 grabcut items', () => {
    expect(listAlphaMatting(EVAL_DIR).length).toBe(14);
    expect(listGrabCut(EVAL_DIR).length).toBe(25);
  });

  it('loads an alphamatting ground truth (alpha in [0,1], trimaps 0/128/255)', async () => {
    const item = listAlphaMatting(EVAL_DIR)[0];
    if (!item) throw new Error('no alphamatting item');
    const gt = await loadAlphaMattingGroundTruth(item);
    expect(gt.alpha.length).toBe(gt.width * gt.height);
    expect(gt.trimap1.length).toBe(gt.width * gt.height);
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of gt.alpha) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThanOrEqual(1);
    expect(hi).toBeGreaterThan(lo);
    expect(unknownCount(gt.trimap1)).toBeGreaterThan(0);
    expect(sad(gt.alpha, gt.alpha, gt.width, gt.height)).toBe(0);
  });

  it('loads a grabcut mask (one byte per pixel)', async () => {
    const item = listGrabCut(EVAL_DIR)[0];
    if (!item) throw new Error('no grabcut item');
    const gt = await loadGrabCutGroundTruth(item);
    expect(gt.mask.length).toBe(gt.width * gt.height);
    const values = new Set(gt.mask);
    for (const v of values) expect([0, 128, 255]).toContain(v);
  });
});
