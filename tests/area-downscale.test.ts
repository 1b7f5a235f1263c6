/**
 * The output-size downscales (shared-core/src/area-downscale.ts) against a plain reference: every
 * output cell is the (premultiplied) mean of exactly the source pixels `areaBins` assigns to it.
 */
import { describe, expect, it } from 'vitest';
import { downscaleMatte, downscaleRgba } from '@cutout/core';
import { areaBins } from '../shared-core/src/resample.js';

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

/** Cells of each source column and row, by areaBins: the reference sums over them directly. */
function cellsOf(W: number, H: number, w: number, h: number): { cx: Int32Array; cy: Int32Array } {
  return { cx: areaBins(W, w).cell, cy: areaBins(H, h).cell };
}

describe('area downscale for output sizes', () => {
  it('RGBA: premultiplied cell means, rounded; transparent source colours never bleed in', () => {
    const [W, H, w, h] = [37, 23, 10, 7];
    const rnd = random(7);
    const data = new Uint8Array(W * H * 4);
    for (let i = 0; i < W * H; i++) {
      // Left third fully transparent with a loud colour that must not show; the rest random.
      const x = i % W;
      const a = x < 12 ? 0 : Math.floor(rnd() * 256);
      data.set(x < 12 ? [255, 0, 255, 0] : [Math.floor(rnd() * 256), Math.floor(rnd() * 256), Math.floor(rnd() * 256), a], i * 4);
    }
    const out = downscaleRgba({ width: W, height: H, data }, w, h);
    const { cx, cy } = cellsOf(W, H, w, h);
    const sums = new Float64Array(w * h * 5);
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const c = (cy[y]! * w + cx[x]!) * 5;
        const i = (y * W + x) * 4;
        const a = data[i + 3]!;
        for (let k = 0; k < 3; k++) sums[c + k]! += data[i + k]! * a;
        sums[c + 3]! += a;
        sums[c + 4]! += 1;
      }
    for (let c = 0; c < w * h; c++) {
      const a = sums[c * 5 + 3]!;
      expect(out.data[c * 4 + 3]).toBe(Math.round(a / sums[c * 5 + 4]!));
      for (let k = 0; k < 3; k++) expect(out.data[c * 4 + k]).toBe(a > 0 ? Math.round(sums[c * 5 + k]! / a) : 0);
    }
    // Cells wholly in the transparent third: alpha 0 and no magenta.
    expect([...out.data.subarray(0, 4)]).toEqual([0, 0, 0, 0]);
  });

  it('matte: cell means; the same size returns the input unchanged', () => {
    const [W, H, w, h] = [50, 31, 9, 4];
    const rnd = random(3);
    const data = Float32Array.from({ length: W * H }, () => rnd());
    const out = downscaleMatte({ width: W, height: H, data }, w, h);
    const { cx, cy } = cellsOf(W, H, w, h);
    const sums = new Float64Array(w * h);
    const counts = new Float64Array(w * h);
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const c = cy[y]! * w + cx[x]!;
        sums[c]! += data[y * W + x]!;
        counts[c]! += 1;
      }
    for (let c = 0; c < w * h; c++) expect(out.data[c]).toBeCloseTo(sums[c]! / counts[c]!, 6);
    const same = { width: W, height: H, data };
    expect(downscaleMatte(same, W, H)).toBe(same);
  });
});
