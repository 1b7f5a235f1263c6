// The full-resolution passes of refinement, decontamination and compose against plain per-pixel
// references of the same arithmetic (bit for bit), on sizes that give empty, single-pixel and wide runs.
import { describe, expect, it } from 'vitest';
import { composeCutout, decontaminate, type RgbaImage } from '@cutout/core';
import { applyCoefficientsUpsampled, boxMean, estimateForegroundBackground, type GuidedCoefficients } from '@cutout/core/matting';
import { linearTaps } from '../shared-core/src/matting/guided-upsample.js';
import { areaAverageRgb } from '../shared-core/src/resample.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function randomImage(w: number, h: number, rand: () => number, opaque = true): RgbaImage {
  const data = new Uint8ClampedArray(w * h * 4);
  for (let i = 0; i < data.length; i++) data[i] = (i & 3) === 3 && opaque ? 255 : Math.floor(rand() * 256);
  return { width: w, height: h, data };
}

/** Coefficients in blocks: clear background (q = 0), solid subject (q = 1) and random mixes. */
function blockCoefficients(gw: number, gh: number, rand: () => number): GuidedCoefficients {
  const [ar, ag, ab, b] = [0, 1, 2, 3].map(() => new Float32Array(gw * gh));
  for (let i = 0; i < gw * gh; i++) {
    const kind = Math.floor((((i % gw) >> 2) + ((i / gw) >> 2) * 3) % 3);
    const mix = kind === 2 ? 1 : 0.0001;
    ar![i] = (rand() - 0.5) * mix;
    ag![i] = (rand() - 0.5) * mix;
    ab![i] = (rand() - 0.5) * mix;
    b![i] = kind === 0 ? 0 : kind === 1 ? 1 : rand();
  }
  return { width: gw, height: gh, ar: ar!, ag: ag!, ab: ab!, b: b! };
}

describe('applyCoefficientsUpsampled', () => {
  it('gives each pixel the bilinearly interpolated model, exactly 0 or 1 where all four cells are flat', async () => {
    const rand = rng(3);
    for (const [gw, gh, W, H] of [[13, 9, 100, 70], [16, 12, 16, 12], [7, 5, 64, 41], [20, 10, 15, 9]] as const) {
      const c = blockCoefficients(gw, gh, rand);
      const image = randomImage(W, H, rand);
      const out = await applyCoefficientsUpsampled(c, image);
      const tx = linearTaps(gw, W);
      const ty = linearTaps(gh, H);
      const lerp = (p: Float32Array, y: number, g: number): number => {
        const a = p[(ty.i0[y] as number) * gw + g] as number;
        return Math.fround(a + ((p[(ty.i1[y] as number) * gw + g] as number) - a) * (ty.f[y] as number));
      };
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) {
          const [g0, g1, fx] = [tx.i0[x] as number, tx.i1[x] as number, tx.f[x] as number];
          const d = image.data;
          const j = (y * W + x) * 4;
          const [r, g, b] = [d[j] as number, d[j + 1] as number, d[j + 2] as number];
          const at = (gx: number): number => lerp(c.ar, y, gx) * r / 255 + lerp(c.ag, y, gx) * g / 255 + lerp(c.ab, y, gx) * b / 255 + lerp(c.b, y, gx);
          const v = at(g0) + (at(g1) - at(g0)) * fx;
          const q = Math.min(1, Math.max(0, v));
          const got = out[y * W + x] as number;
          if (got === 0 || got === 1) expect(Math.round(q * 255), `(${x}, ${y}) of ${W}×${H}`).toBe(got * 255);
          else expect(got, `(${x}, ${y}) of ${W}×${H}`).toBeCloseTo(q, 5);
        }
      }
    }
  });
});

describe('decontaminate on a grid', () => {
  it('corrects exactly the fractional pixels by the weighted smallest change, the rest keeps the photo', async () => {
    const rand = rng(9);
    const [w, h] = [97, 61];
    const image = randomImage(w, h, rand);
    const a = new Float32Array(w * h);
    for (let i = 0; i < a.length; i++) a[i] = [0, 1, 1 / 1024, 1 - 1 / 1024, rand(), rand()][Math.floor(rand() * 6)] as number;
    const matte = { width: w, height: h, data: a };
    const gridPixels = 500;
    const out = await decontaminate(image, matte, undefined, { fullResMaxPixels: gridPixels, gridPixels });
    // The grid estimate, as decontaminate makes it.
    const s = Math.sqrt(gridPixels / (w * h));
    const [dw, dh] = [Math.floor(w * s), Math.floor(h * s)];
    const small = areaAverageRgb(image.data, w, h, dw, dh, a);
    const rgba = new Uint8ClampedArray(dw * dh * 4);
    for (let i = 0; i < dw * dh; i++) rgba.set([small.rgb[i * 3] as number, small.rgb[i * 3 + 1] as number, small.rgb[i * 3 + 2] as number, 255], i * 4);
    const fb = await estimateForegroundBackground({ width: dw, height: dh, data: rgba }, { width: dw, height: dh, data: small.plane! });
    const tx = linearTaps(dw, w);
    let corrected = 0;
    for (let y = 0; y < h; y++) {
      const fy = Math.min(dh - 1, Math.max(0, ((y + 0.5) * dh) / h - 0.5));
      const [y0, y1] = [Math.floor(fy), Math.min(dh - 1, Math.floor(fy) + 1)];
      const col = (p: Float32Array, g: number, c: number): number => {
        const v0 = p[(y0 * dw + g) * 3 + c] as number;
        return Math.fround(v0 + ((p[(y1 * dw + g) * 3 + c] as number) - v0) * (fy - y0));
      };
      for (let x = 0; x < w; x++) {
        const p = y * w + x;
        const av = a[p] as number;
        for (let c = 0; c < 3; c++) {
          let want = image.data[p * 4 + c] as number;
          if (av > 1 / 512 && av < 1 - 1 / 512) {
            const [g0, g1, wx] = [tx.i0[x] as number, tx.i1[x] as number, tx.f[x] as number];
            const f = col(fb.foreground, g0, c) + (col(fb.foreground, g1, c) - col(fb.foreground, g0, c)) * wx;
            const b = col(fb.background, g0, c) + (col(fb.background, g1, c) - col(fb.background, g0, c)) * wx;
            const k = av / (av * av + 0.1 * (1 - av) * (1 - av)); // ρ = 0.1
            const v = f * (255 * (1 - k * av)) - b * (255 * k * (1 - av)) + k * want + 0.5;
            want = v <= 0 ? 0 : v >= 255 ? 255 : Math.floor(v);
            corrected++;
          }
          expect(out.data[p * 4 + c], `pixel (${x}, ${y}) channel ${c}`).toBe(want);
        }
        expect(out.data[p * 4 + 3]).toBe(255);
      }
    }
    expect(corrected).toBeGreaterThan(1000);
  });
});

describe('boxMean with a scratch plane for the horizontal sums', () => {
  it('gives the same floats as the in-place ring version', () => {
    const rand = rng(17);
    for (const [w, h, r] of [[1, 1, 1], [5, 3, 1], [7, 9, 2], [31, 17, 5], [6, 6, 40], [64, 3, 2], [3, 64, 2]] as const) {
      const src = new Float32Array(w * h);
      for (let i = 0; i < src.length; i++) src[i] = rand();
      const ring = new Float32Array(w * h);
      const fused = new Float32Array(w * h);
      boxMean(src, w, h, r, ring);
      boxMean(src, w, h, r, fused, undefined, new Float32Array(w * h));
      expect(Array.from(fused)).toEqual(Array.from(ring));
    }
  });
});

describe('areaAverageRgb with cells wider than the packed sums allow', () => {
  it('sums exactly on the byte path (cells of 150 and 300 pixels)', () => {
    const rand = rng(23);
    for (const [W, H, w, h] of [[300, 4, 2, 1], [300, 3, 1, 3]] as const) {
      const data = new Uint8Array(W * H * 4);
      for (let i = 0; i < data.length; i++) data[i] = 200 + Math.floor(rand() * 56);
      const { rgb } = areaAverageRgb(data, W, H, w, h);
      for (let cy = 0; cy < h; cy++)
        for (let cx = 0; cx < w; cx++)
          for (let c = 0; c < 3; c++) {
            let sum = 0;
            let n = 0;
            for (let y = Math.floor((cy * H) / h); y < Math.floor(((cy + 1) * H) / h); y++)
              for (let x = Math.floor((cx * W) / w); x < Math.floor(((cx + 1) * W) / w); x++, n++) sum += data[(y * W + x) * 4 + c] as number;
            expect(rgb[(cy * w + cx) * 3 + c]).toBeCloseTo(sum / n, 3);
          }
    }
  });
});

describe('composeCutout', () => {
  it('in place, copied and cropped give the photo colours and alpha = matte × photo alpha, rounded', () => {
    const rand = rng(31);
    const [w, h] = [23, 11];
    const photo = randomImage(w, h, rand, false);
    for (let p = 0; p < w * h; p += 3) photo.data[p * 4 + 3] = 255;
    const a = new Float32Array(w * h);
    for (let i = 0; i < a.length; i++) a[i] = i % 5 === 0 ? 0 : rand();
    const matte = { width: w, height: h, data: a };
    const want = (p: number): number => Math.round((a[p] as number) * ((photo.data[p * 4 + 3] as number) / 255) * 255);
    const copy = composeCutout(photo, matte).image.data;
    const cropped = composeCutout(photo, matte, { crop: true });
    const inPlace = composeCutout({ ...photo, data: photo.data.slice() }, matte, { inPlace: true }).image.data;
    const { x: rx, y: ry, width: rw } = cropped.rect;
    for (let p = 0; p < w * h; p++) {
      for (let c = 0; c < 3; c++) {
        expect(copy[p * 4 + c]).toBe(photo.data[p * 4 + c]);
        expect(inPlace[p * 4 + c]).toBe(photo.data[p * 4 + c]);
      }
      expect(copy[p * 4 + 3], `pixel ${p}`).toBe(want(p));
      expect(inPlace[p * 4 + 3]).toBe(want(p));
      const [x, y] = [p % w, Math.floor(p / w)];
      if (x >= rx && y >= ry && x < rx + rw && y < ry + cropped.rect.height) {
        const q = ((y - ry) * rw + (x - rx)) * 4;
        expect(cropped.image.data[q + 3]).toBe(want(p));
        expect(cropped.image.data[q]).toBe(photo.data[p * 4]);
      }
    }
  });
});
