// Decontamination above the full-resolution budget: estimated at reduced size, applied only where α is fractional.
import { describe, expect, it } from 'vitest';
import { decontaminate, type AlphaMatte, type RgbaImage } from '@cutout/core';

/** Red disc (soft edge) over a green background: the photo's edge pixels are red/green mixes. */
function scene(n: number): { image: RgbaImage; matte: AlphaMatte } {
  const data = new Uint8ClampedArray(n * n * 4);
  const alpha = new Float32Array(n * n);
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const d = Math.hypot(x + 0.5 - n / 2, y + 0.5 - n / 2);
      const a = Math.min(1, Math.max(0, (n * 0.3 - d) / 4 + 0.5));
      const p = y * n + x;
      alpha[p] = a;
      data.set([255 * a, 255 * (1 - a), 0, 255], p * 4);
    }
  }
  return { image: { width: n, height: n, data }, matte: { width: n, height: n, data: alpha } };
}

describe('decontaminate', () => {
  for (const [label, maxPixels] of [['full resolution', 1e9], ['reduced resolution', 2000]] as const) {
    it(`removes background bleed at soft edges (${label})`, async () => {
      const { image, matte } = scene(96);
      const out = await decontaminate(image, matte, undefined, maxPixels);
      let greenBefore = 0;
      let greenAfter = 0;
      let n = 0;
      for (let p = 0; p < 96 * 96; p++) {
        const a = matte.data[p] as number;
        if (a >= 1 - 1 / 512 || a <= 1 / 512) {
          // Opaque and transparent pixels keep the photo's colours exactly.
          expect(out.data[p * 4], `pixel ${p}`).toBe(image.data[p * 4]);
          expect(out.data[p * 4 + 1]).toBe(image.data[p * 4 + 1]);
          continue;
        }
        if (a < 0.2 || a > 0.8) continue;
        greenBefore += image.data[p * 4 + 1] as number;
        greenAfter += out.data[p * 4 + 1] as number;
        n++;
      }
      expect(n).toBeGreaterThan(50);
      // The foreground is pure red: the green that leaked in from the background must mostly go.
      expect(greenAfter / n).toBeLessThan(0.3 * (greenBefore / n));
    });
  }
});
