/** The two O(1)-per-pixel primitives under the refiner and decontamination, against brute force. */
import { describe, expect, it } from 'vitest';
import { boxMean } from '@cutout/core/matting';
import { areaAverageRgb } from '../shared-core/src/resample.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function bruteBox(src: Float32Array, w: number, h: number, r: number): Float64Array {
  const out = new Float64Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let s = 0;
      let n = 0;
      for (let yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++)
        for (let xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) {
          s += src[yy * w + xx] as number;
          n++;
        }
      out[y * w + x] = s / n;
    }
  return out;
}

describe('boxMean', () => {
  it('equals the brute-force clipped window mean for radii below, at and above the image size', () => {
    const rand = rng(11);
    for (const [w, h, r] of [[1, 1, 1], [5, 3, 1], [7, 9, 2], [13, 4, 3], [4, 13, 6], [31, 17, 5], [6, 6, 40]] as const) {
      const src = Float32Array.from({ length: w * h }, () => rand());
      const dst = new Float32Array(w * h);
      boxMean(src, w, h, r, dst);
      const ref = bruteBox(src, w, h, r);
      for (let i = 0; i < w * h; i++) expect(Math.abs((dst[i] as number) - (ref[i] as number))).toBeLessThan(1e-5);
    }
  });
});

describe('areaAverageRgb', () => {
  it('averages each cell exactly, with and without 32-bit aligned pixels, and a float plane alongside', () => {
    const rand = rng(5);
    for (const [W, H, w, h] of [[10, 7, 3, 2], [64, 48, 64, 48], [101, 37, 17, 9], [5, 5, 1, 1]] as const) {
      for (const offset of [0, 1]) {
        const buffer = new Uint8Array(W * H * 4 + offset);
        for (let i = 0; i < buffer.length; i++) buffer[i] = Math.floor(rand() * 256);
        const data = buffer.subarray(offset);
        const plane = Float32Array.from({ length: W * H }, () => rand());
        const { rgb, plane: avg } = areaAverageRgb(data, W, H, w, h, plane);
        const sums = new Float64Array(w * h * 4);
        const counts = new Float64Array(w * h);
        for (let y = 0; y < H; y++)
          for (let x = 0; x < W; x++) {
            const c = Math.min(h - 1, Math.floor((y * h) / H)) * w + Math.min(w - 1, Math.floor((x * w) / W));
            for (let k = 0; k < 3; k++) sums[c * 4 + k] = (sums[c * 4 + k] as number) + (data[(y * W + x) * 4 + k] as number);
            sums[c * 4 + 3] = (sums[c * 4 + 3] as number) + (plane[y * W + x] as number);
            counts[c] = (counts[c] as number) + 1;
          }
        for (let c = 0; c < w * h; c++) {
          for (let k = 0; k < 3; k++) expect(Math.abs((rgb[c * 3 + k] as number) - (sums[c * 4 + k] as number) / (counts[c] as number))).toBeLessThan(1e-3);
          expect(Math.abs((avg?.[c] as number) - (sums[c * 4 + 3] as number) / (counts[c] as number))).toBeLessThan(1e-5);
        }
      }
    }
  });
});
