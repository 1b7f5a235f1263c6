// The sampled alpha estimates of shared-core/src/matting/sampling-data.ts (shared matting, Gastal &
// Oliveira 2010; global sampling's cost, He et al. 2011) on tiny synthetic composites whose alpha is
// known: α̂ close to the truth where F and B differ, confidence ~0 where they are equal.
import { describe, expect, it } from 'vitest';
import { SAMPLING_DEFAULTS, sampleEstimates } from '../shared-core/src/matting/sampling-data.js';
import { mergeDataTerms, samplingDataTerm } from '../shared-core/src/matting/sampling-term.js';
import { computeBand } from '../shared-core/src/matting/trimap-band.js';

const W = 40, H = 16, KNOWN = 8;

/** Keep on the left KNOWN columns, remove on the right ones, an α ramp between; I = αF + (1 − α)B. */
function composite(f: readonly number[], b: readonly number[]): { guide: { width: number; height: number; r: Float32Array; g: Float32Array; b: Float32Array }; truth: Float32Array; hints: Uint8Array } {
  const n = W * H;
  const truth = new Float32Array(n);
  const hints = new Uint8Array(n);
  const planes = [new Float32Array(n), new Float32Array(n), new Float32Array(n)] as const;
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const i = y * W + x;
    const a = x < KNOWN ? 1 : x >= W - KNOWN ? 0 : 1 - (x - KNOWN + 0.5) / (W - 2 * KNOWN);
    truth[i] = a;
    hints[i] = x < KNOWN ? 255 : x >= W - KNOWN ? 0 : 128;
    planes.forEach((p, c) => (p[i] = a * (f[c] as number) + (1 - a) * (b[c] as number)));
  }
  return { guide: { width: W, height: H, r: planes[0], g: planes[1], b: planes[2] }, truth, hints };
}

describe('sampled alpha estimates', () => {
  it('recover α of a composite of two distinct colours, with high confidence', async () => {
    const { guide, truth, hints } = composite([0.9, 0.2, 0.1], [0.1, 0.3, 0.9]);
    const band = computeBand(new Float32Array(W * H), W, H, hints, { radius: 1, hintRadius: Number.POSITIVE_INFINITY });
    expect(band.unknown.length).toBe(H * (W - 2 * KNOWN));
    // Rays as long as the grid: the middle of the 24-px band is 12 px from either side.
    const o = { ...SAMPLING_DEFAULTS, maxRay: 1 };
    const est = await sampleEstimates(guide, band, o);
    for (const i of band.unknown) {
      expect(est.fg[i]).toBeGreaterThanOrEqual(0);
      expect(est.bg[i]).toBeGreaterThanOrEqual(0);
      expect(Math.abs((est.alpha[i] as number) - (truth[i] as number))).toBeLessThan(0.02);
      expect(est.confidence[i]).toBeGreaterThan(0.9);
    }
    // Known pixels carry no data term.
    expect(est.confidence[0]).toBe(0);
    const term = await samplingDataTerm(guide, band, o);
    const i = band.unknown[5] as number;
    expect(term.weight[i]).toBeCloseTo(SAMPLING_DEFAULTS.lambda * (est.confidence[i] as number), 6);
    expect(term.target[i]).toBeCloseTo(est.alpha[i] as number, 6);
  });

  it('samples gathered on a coarser grid (large bands) still give α̂ close to the truth', async () => {
    const { guide, truth, hints } = composite([0.9, 0.2, 0.1], [0.1, 0.3, 0.9]);
    const band = computeBand(new Float32Array(W * H), W, H, hints, { radius: 1, hintRadius: Number.POSITIVE_INFINITY });
    // At most ~50 unknown pixels per sampling grid: 384 here, so a 3× coarser grid.
    const term = await samplingDataTerm(guide, band, { ...SAMPLING_DEFAULTS, maxRay: 1 }, 50);
    for (const i of band.unknown) {
      expect(Math.abs((term.target[i] as number) - (truth[i] as number))).toBeLessThan(0.02);
      expect(term.weight[i]).toBeGreaterThan(0.9 * SAMPLING_DEFAULTS.lambda);
    }
  });

  it('say nothing (confidence ~0) where foreground and background have the same colour', async () => {
    const { guide, hints } = composite([0.5, 0.5, 0.5], [0.5, 0.5, 0.5]);
    const band = computeBand(new Float32Array(W * H), W, H, hints, { radius: 1, hintRadius: Number.POSITIVE_INFINITY });
    const est = await sampleEstimates(guide, band);
    for (const i of band.unknown) expect(est.confidence[i]).toBeLessThan(1e-3);
  });

  it('two data terms merge into one with the summed weight and the weighted mean target', () => {
    const a = { weight: Float32Array.of(1, 0, 0), target: Float32Array.of(0.2, 0.9, 0) };
    const b = { weight: Float32Array.of(3, 2, 0), target: Float32Array.of(0.6, 0.4, 0.7) };
    const m = mergeDataTerms(a, b);
    expect([...(m?.weight ?? [])]).toEqual([4, 2, 0]);
    expect(m?.target[0]).toBeCloseTo(0.5, 6);
    expect(m?.target[1]).toBeCloseTo(0.4, 6);
    expect(m?.target[2]).toBe(0);
    expect(mergeDataTerms(undefined, b)).toBe(b);
  });
});
