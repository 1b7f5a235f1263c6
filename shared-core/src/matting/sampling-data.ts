/**
 * Sampling-based alpha estimates as a confidence-weighted data term for the band solve, as robust
 * matting adds its sampled estimates to the matting Laplacian (Wang & Cohen, "Optimized Color
 * Sampling for Robust Matting", CVPR 2007): energy Σ_U λ c_i (α_i − α̂_i)².
 *
 * The samples are gathered as in shared matting (Gastal & Oliveira, "Shared Sampling for Real-Time
 * Alpha Matting", Eurographics 2010, §4): from each unknown pixel `rays` rays, at angles rotated per
 * pixel in a 3×3 pattern (so neighbours look in different directions), walk until the first known
 * pixel (foreground or background), which becomes a candidate sample. The pair (F, B) kept is the
 * one minimising global sampling's cost (He, Rhemann, Rother, Tang, Sun, "A Global Sampling Method
 * for Alpha Matting", CVPR 2011, eq. 2–4): ω·‖I − (α̂F + (1−α̂)B)‖ + ‖x_F − x‖/D_F + ‖x_B − x‖/D_B,
 * with D_F, D_B the distances to the nearest candidate of each kind and α̂ the projection of I onto
 * the F–B line, clamped to [0, 1]. Then shared matting's sharing step (§4.2): each pixel takes, among
 * its own pair and those of the neighbours at offsets of `SHARE` px, the one with the least
 * chromatic distortion of its own colour. Confidence: exp(−d²/σ²), times 1 − exp(−‖F − B‖²/τ²)
 * (an estimate from nearly equal F and B says nothing, Wang & Cohen 2007 §4).
 * Left out: the papers' local smoothing (the matting Laplacian does it here), and global
 * sampling's PatchMatch search over every boundary sample (rays are far cheaper per level).
 */
import type { GuidePlanes } from './guided-filter.js';
import { BAND_BG, BAND_FG, BAND_HINT_BG, BAND_HINT_FG, type Band } from './trimap-band.js';
import type { Yielder } from './yielder.js';

export interface SamplingOptions {
  /** λ: weight of a fully confident estimate (the local Laplacian has weight 1). */
  readonly lambda: number;
  /** σ of the confidence exp(−d²/σ²), d the chromatic distortion (RGB in [0, 1]). */
  readonly sigma: number;
  /** τ of the separation factor 1 − exp(−‖F − B‖²/τ²). */
  readonly tau: number;
  /** Rays per pixel (shared matting's k_g). */
  readonly rays: number;
  /** ω: weight of the chromatic distortion against the normalised spatial costs. */
  readonly colourWeight: number;
  /** Longest ray, as a fraction of the grid's long side. */
  readonly maxRay: number;
}

/**
 * Global constants, chosen on the whole dev half (never per image), within the 1.5 s budget, as
 * info-flow + this term on the info-flow levels (u_SAD trimap1 / trimap2; info-flow alone 4.48 / 6.88):
 * λ 0.05, σ 0.1 → 4.94 / 7.47; λ 0.005, σ 0.05 → 4.45 / 6.97. τ, rays, ω and maxRay were not tuned.
 */
export const SAMPLING_DEFAULTS: SamplingOptions = { lambda: 0.005, sigma: 0.05, tau: 0.1, rays: 8, colourWeight: 10, maxRay: 0.25 };

/** Neighbour offsets of the sharing step (Gastal & Oliveira 2010 share within a small radius). */
const SHARE = 3;

/** The chosen samples (pixel ids, −1 = none) and the estimate, per pixel of the grid. */
export interface SamplingEstimate {
  readonly fg: Int32Array;
  readonly bg: Int32Array;
  /** α̂ (0 where no pair was found). */
  readonly alpha: Float32Array;
  /** Confidence c in [0, 1] (0 where no pair was found and at known pixels). */
  readonly confidence: Float32Array;
}

const isFg = (s: number): boolean => s === BAND_FG || s === BAND_HINT_FG;
const isBg = (s: number): boolean => s === BAND_BG || s === BAND_HINT_BG;

/** Projection of colour (ir, ig, ib) on the segment from B (pixel b of `guide`) to F (pixel f): [α̂, distortion², ‖F − B‖²]. */
function project(ir: number, ig: number, ib: number, guide: GuidePlanes, f: number, b: number, out: Float64Array): void {
  const { r, g, b: bl } = guide;
  const fr = r[f] as number, fgr = g[f] as number, fb = bl[f] as number;
  const br = r[b] as number, bg = g[b] as number, bb = bl[b] as number;
  const d0 = fr - br, d1 = fgr - bg, d2 = fb - bb;
  const e0 = ir - br, e1 = ig - bg, e2 = ib - bb;
  const fb2 = d0 * d0 + d1 * d1 + d2 * d2;
  const a = fb2 > 1e-12 ? Math.min(1, Math.max(0, (e0 * d0 + e1 * d1 + e2 * d2) / fb2)) : 0.5;
  const m0 = e0 - a * d0, m1 = e1 - a * d1, m2 = e2 - a * d2;
  out[0] = a;
  out[1] = m0 * m0 + m1 * m1 + m2 * m2;
  out[2] = fb2;
}

/** The (F, B) sample pair chosen per pixel of a grid (pixel ids of `guide`, −1 = none). */
export interface SampledPairs {
  readonly guide: GuidePlanes;
  readonly fgOf: Int32Array;
  readonly bgOf: Int32Array;
  /** Pixels of the band's grid per cell of this one (1: the same grid). */
  readonly scale: number;
  /** Offset, in cells, of the neighbours whose pairs are shared. */
  readonly step: number;
}

/** Samples, α̂ and confidence for every unknown pixel of the band. */
export async function sampleEstimates(guide: GuidePlanes, band: Band, o: SamplingOptions = SAMPLING_DEFAULTS, yielder?: Yielder): Promise<SamplingEstimate> {
  return share(guide, band, await samplePairs(guide, band, o, yielder), o);
}

/** The best (F, B) pair of each unknown pixel from its own rays (before sharing). */
export async function samplePairs(guide: GuidePlanes, band: Band, o: SamplingOptions = SAMPLING_DEFAULTS, yielder?: Yielder): Promise<SampledPairs> {
  const { width: w, height: h, state, unknown } = band;
  const n = w * h;
  const fgOf = new Int32Array(n).fill(-1);
  const bgOf = new Int32Array(n).fill(-1);
  const rays = Math.max(1, Math.round(o.rays));
  const maxSteps = Math.max(4, Math.ceil(o.maxRay * Math.max(w, h)));
  const cand = new Int32Array(rays);
  const candD = new Float64Array(rays);
  const isF = new Uint8Array(rays);
  const pr = new Float64Array(3);
  for (let k = 0; k < unknown.length; k++) {
    if ((k & 4095) === 4095 && yielder) await yielder.tick();
    const i = unknown[k] as number;
    const x = i % w, y = (i - x) / w;
    // Shared matting's per-pixel rotation: 9 offsets over a 3×3 tile, in units of the ray spacing.
    const rot = ((x % 3) * 3 + (y % 3)) / 9;
    let nc = 0, dF = Infinity, dB = Infinity;
    for (let t = 0; t < rays; t++) {
      const ang = ((t + rot) * 2 * Math.PI) / rays;
      const dx = Math.cos(ang), dy = Math.sin(ang);
      for (let s = 1; s <= maxSteps; s++) {
        const px = Math.round(x + s * dx), py = Math.round(y + s * dy);
        if (px < 0 || py < 0 || px >= w || py >= h) break;
        const j = py * w + px;
        const sj = state[j] as number;
        const f = isFg(sj);
        if (!f && !isBg(sj)) continue;
        cand[nc] = j;
        candD[nc] = s;
        isF[nc] = f ? 1 : 0;
        nc++;
        if (f) dF = Math.min(dF, s);
        else dB = Math.min(dB, s);
        break;
      }
    }
    let best = Infinity;
    for (let a = 0; a < nc; a++) {
      if (!isF[a]) continue;
      for (let c = 0; c < nc; c++) {
        if (isF[c]) continue;
        project(guide.r[i] as number, guide.g[i] as number, guide.b[i] as number, guide, cand[a] as number, cand[c] as number, pr);
        const cost = o.colourWeight * Math.sqrt(pr[1] as number) + (candD[a] as number) / dF + (candD[c] as number) / dB;
        if (cost < best) {
          best = cost;
          fgOf[i] = cand[a] as number;
          bgOf[i] = cand[c] as number;
        }
      }
    }
  }
  return { guide, fgOf, bgOf, scale: 1, step: SHARE };
}

/**
 * Shared matting's sharing step, then α̂ and the confidence from the pair kept. The pairs may come
 * from a coarser grid (`pairs`, `scale` fine pixels per cell: ./sampling-term.ts); each unknown
 * pixel of `band` tries the pairs of its cell and of the cells `step` cells away, with its own colour.
 */
export function share(guide: GuidePlanes, band: Band, pairs: SampledPairs, o: SamplingOptions): SamplingEstimate {
  const { width: w, height: h, unknown } = band;
  const { guide: pg, fgOf, bgOf, scale, step } = pairs;
  const cw = pg.width, ch = pg.height;
  const n = w * h;
  const fg = new Int32Array(n).fill(-1);
  const bg = new Int32Array(n).fill(-1);
  const alpha = new Float32Array(n);
  const confidence = new Float32Array(n);
  const pr = new Float64Array(3);
  const s2 = o.sigma * o.sigma;
  const t2 = o.tau * o.tau;
  for (let k = 0; k < unknown.length; k++) {
    const i = unknown[k] as number;
    const x = i % w, y = (i - x) / w;
    const cx = Math.min(cw - 1, Math.floor(x / scale)), cy = Math.min(ch - 1, Math.floor(y / scale));
    let best = Infinity, bf = -1, bb = -1, ba = 0, bfb = 0;
    for (let dy = -step; dy <= step; dy += step) {
      const qy = cy + dy;
      if (qy < 0 || qy >= ch) continue;
      for (let dx = -step; dx <= step; dx += step) {
        const qx = cx + dx;
        if (qx < 0 || qx >= cw) continue;
        const q = qy * cw + qx;
        const f = fgOf[q] as number, b = bgOf[q] as number;
        if (f < 0 || b < 0) continue;
        project(guide.r[i] as number, guide.g[i] as number, guide.b[i] as number, pg, f, b, pr);
        if ((pr[1] as number) < best) {
          best = pr[1] as number;
          bf = f;
          bb = b;
          ba = pr[0] as number;
          bfb = pr[2] as number;
        }
      }
    }
    if (bf < 0) continue;
    fg[i] = bf;
    bg[i] = bb;
    alpha[i] = ba;
    confidence[i] = Math.exp(-best / s2) * (1 - Math.exp(-bfb / t2));
  }
  return { fg, bg, alpha, confidence };
}
