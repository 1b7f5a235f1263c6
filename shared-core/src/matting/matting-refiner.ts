/**
 * The matting refiner ('matting'): replaces bilinear upsampling of the network alpha.
 *
 *   1. work grid: the image itself up to solveMaxSide px; larger images scaled to solveMaxSide when
 *      a band solve runs, or to guidedMaxSide for the guided filter alone;
 *   2. prior: network alpha resampled to the work grid, then a colour guided filter guided by the
 *      photo (He et al. 2013) — edges snap to image edges;
 *   3. band: uncertain pixels of the prior, dilated (./trimap-band.ts), extended around hints;
 *   4. solve: closed-form matting in the band (./closed-form.ts), prior as a confidence-weighted
 *      data term, time-bounded (falls back to the prior / best iterate);
 *   5. upsample to full resolution with the fast guided filter (He & Sun 2015): coefficients on the
 *      work grid, applied to the full-resolution photo;
 *   6. edge controls (./edge-controls.ts), then hints exactly in their pixels.
 */
import { clampUnit } from '../clamp.js';
import { CoreError } from '../errors.js';
import { applyHintsInPlace, assertHintSize } from '../hints.js';
import { hintedFraction, localiseToHints, strokeNeighbourhood } from './stroke-locality.js';
import { assertRgbaImage, type AlphaMatte, type RgbaImage } from '../image.js';
import type { Refiner, RefineInput } from '../refiner.js';
import { areaAverageRgb, resamplePlane } from '../resample.js';
import { solveCoarseToFine } from './coarse-to-fine.js';
import { applyEdgeControls } from './edge-controls.js';
import { applyCoefficients, applyCoefficientsUpsampled, guidedCoefficients, type GuidePlanes } from './guided-filter.js';
import { computeBand, downsampleHints } from './trimap-band.js';
import { createYielder } from './yielder.js';
import { hintSolveOptions, resolveHintSolver } from './hint-solvers.js';
import { DEFAULT_MATTING_OPTIONS, type MattingOptions } from './matting-options.js';
import { estimateForegroundMultiLevel } from './foreground.js';

/** Throws model_invalid_output unless the low-resolution alpha is a finite plane of the right size. */
export function assertLowResAlpha(lowRes: AlphaMatte): void {
  const { width, height, data } = lowRes;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || data.length !== width * height) {
    throw new CoreError('model_invalid_output', `Network alpha is ${width}×${height} with ${data.length} values.`);
  }
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i] as number)) {
      throw new CoreError('model_invalid_output', `Network alpha has a non-finite value (${data[i]}) at index ${i}.`);
    }
  }
}

/**
 * RGB planes of the image at w × h (w ≤ W, h ≤ H), in [0, 1]. Shrinking is an area average in one
 * pass over the photo (each source pixel falls in exactly one cell): measured ~10× faster than a
 * separable triangle filter over full-resolution float planes at 24 MP, and it needs no
 * full-resolution float copy. The guide only steers the filter, so a box prefilter is enough.
 */
export function guideAtSize(image: RgbaImage, w: number, h: number): GuidePlanes {
  const { width: W, height: H, data } = image;
  const r = new Float32Array(w * h);
  const g = new Float32Array(w * h);
  const b = new Float32Array(w * h);
  const same = W === w && H === h;
  // Same size: read the RGBA bytes directly (stride 4); otherwise the area-averaged RGB (stride 3).
  const src = same ? data : areaAverageRgb(data, W, H, w, h).rgb;
  const stride = same ? 4 : 3;
  for (let i = 0; i < w * h; i++) {
    r[i] = (src[i * stride] as number) / 255;
    g[i] = (src[i * stride + 1] as number) / 255;
    b[i] = (src[i * stride + 2] as number) / 255;
  }
  return { width: w, height: h, r, g, b };
}

export function createMattingRefiner(options: MattingOptions = {}): Refiner {
  const o = { ...DEFAULT_MATTING_OPTIONS, ...options };
  const spec = resolveHintSolver(o.hintSolver);
  return {
    name: o.solve === false ? 'guided' : 'matting',
    async refine({ lowRes, image, hints, signal, onProgress }: RefineInput): Promise<AlphaMatte> {
      const yielder = createYielder(signal, o.yieldMs);
      yielder.check();
      assertRgbaImage(image);
      assertLowResAlpha(lowRes);
      const { width: W, height: H } = image;
      if (hints) assertHintSize(hints, W, H);
      let progress = 0;
      const report = (f: number): void => {
        if (f > progress) {
          progress = Math.min(1, f);
          onProgress?.(progress);
        }
      };
      const solve = o.solve === true || (o.solve === 'hints' && hints !== undefined);
      // Images up to solveMaxSide are refined at their own size; larger ones on a grid of
      // solveMaxSide (band solve) or guidedMaxSide (guided filter only), then upsampled guided.
      const long0 = Math.max(W, H);
      const scale = long0 <= o.solveMaxSide ? 1 : (solve ? o.solveMaxSide : o.guidedMaxSide) / long0;
      const ww = Math.max(1, Math.round(W * scale));
      const wh = Math.max(1, Math.round(H * scale));
      const full = ww === W && wh === H;
      const guide = guideAtSize(image, ww, wh);
      const p0 = new Float32Array(ww * wh);
      resamplePlane(lowRes.data, lowRes.width, lowRes.height, p0, ww, wh, true);
      await yielder.tick();
      const long = Math.max(ww, wh);
      const gr = Math.max(2, Math.round(long * o.guidedRadius));
      const coeffs = guidedCoefficients(guide, p0, gr, o.guidedEps);
      report(0.1);
      await yielder.tick();

      let data: Float32Array;
      if (!solve) {
        data = full ? clampUnit(applyCoefficients(coeffs, guide)) : await applyCoefficientsUpsampled(coeffs, image, yielder);
      } else {
        const prior = clampUnit(applyCoefficients(coeffs, guide));
        const gridHints = hints ? downsampleHints(hints.data, W, H, ww, wh) : undefined;
        // Strokes: the band only around them (./stroke-locality.ts). A trimap: all of its undecided pixels ('all').
        const r = Math.max(2, Math.round(long * o.bandRadius));
        const local = gridHints !== undefined && hintedFraction(gridHints) < o.localHintsBelow;
        const everyUndecided = gridHints !== undefined && !local && o.trimapBand === 'all';
        const band = computeBand(prior, ww, wh, gridHints, {
          radius: Math.max(2, long * o.bandRadius),
          ...(everyUndecided ? { hintRadius: Number.POSITIVE_INFINITY } : {}),
          ...(local ? { within: strokeNeighbourhood(gridHints, ww, wh, 6 * r) } : {}),
        });
        report(0.2);
        await yielder.tick();
        const clock = o.solveClock ?? (() => performance.now());
        const start = clock();
        const budgetMs = local ? o.maxStrokeSolveMs : hints ? o.maxHintSolveMs : o.maxSolveMs;
        const { terms, ...strokeOptions } = hints ? hintSolveOptions(spec, o.hintLambda) : {};
        const solved = await solveCoarseToFine(guide, band, prior, {
          eps: o.eps,
          ...(hints ? strokeOptions : { lambda: o.lambda }),
          ...(terms && !local ? { terms } : {}),
          maxIterations: hints ? o.maxHintIterations : o.maxIterations,
          deadline: start + budgetMs,
          clock,
          yielder: {
            check: yielder.check,
            tick: async () => {
              report(0.2 + 0.6 * Math.min(1, (clock() - start) / budgetMs));
              await yielder.tick();
            },
          },
        });
        report(0.8);
        if (gridHints && local) localiseToHints(solved.alpha, prior, gridHints, ww, wh, 3 * r, r);
        o.onSolveStats?.({ band: band.unknown.length, pixels: ww * wh, iterations: solved.iterations, relativeResidual: solved.relativeResidual, timedOut: solved.timedOut, ms: clock() - start });
        if (full) data = solved.alpha;
        else {
          const up = guidedCoefficients(guide, solved.alpha, o.upsampleRadius, o.upsampleEps);
          data = await applyCoefficientsUpsampled(up, image, yielder);
        }
      }
      report(0.9);
      const matte: AlphaMatte = { width: W, height: H, data };
      if (o.edge) await applyEdgeControls(matte, o.edge, yielder);
      if (hints) applyHintsInPlace(matte, hints);
      report(1);
      return matte;
    },
  };
}

/**
 * Decontaminated foreground colours for the cut-out (Germer et al. 2020, ./foreground.ts): RGBA
 * bytes with the photo's alpha; compose with the matte instead of the raw photo to remove the
 * background colour bleeding into hair and soft edges.
 */
export function estimateForeground(image: RgbaImage, matte: AlphaMatte, signal?: AbortSignal): Promise<RgbaImage> {
  assertRgbaImage(image);
  return estimateForegroundMultiLevel(image, matte, { signal });
}
