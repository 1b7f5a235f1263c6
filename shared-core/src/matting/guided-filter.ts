/**
 * Colour guided filter (He, Sun, Tang, "Guided Image Filtering", TPAMI 2013) and its fast
 * variant (He & Sun, "Fast Guided Filter", arXiv:1505.00996, 2015).
 *
 * q_i = ā_iᵀ I_i + b̄_i where, per window k, a_k = (Σ_k + εU)⁻¹ cov_k(I, p) and b_k = p̄_k − a_kᵀ μ_k;
 * ā, b̄ are box means of a, b. All box filters are O(1) per pixel (./box.ts). The fast variant
 * computes a, b and their means on a subsampled grid (here: the solve/work grid), then upsamples
 * the four coefficient planes bilinearly and applies them to the full-resolution guide — the only
 * full-resolution work is one bilinear lookup of 4 planes and a 3-term dot product per pixel where
 * the result is not plainly 0 or 1 (./guided-upsample.ts).
 *
 * The 3×3 inverse is the explicit adjugate of the symmetric covariance (6 unique entries).
 */
import type { RgbaImage } from '../image.js';
import { boxMean } from './box.js';

/** Planar float RGB guide in [0, 1] at some grid size. */
export interface GuidePlanes {
  readonly width: number;
  readonly height: number;
  readonly r: Float32Array;
  readonly g: Float32Array;
  readonly b: Float32Array;
}

/** Per-pixel linear model (box-averaged) of the guided filter: q = ar·R + ag·G + ab·B + b. */
export interface GuidedCoefficients {
  readonly width: number;
  readonly height: number;
  readonly ar: Float32Array;
  readonly ag: Float32Array;
  readonly ab: Float32Array;
  readonly b: Float32Array;
}

/** Guide planes from an RGBA image already at the grid size. */
export function guideFromRgba(image: RgbaImage): GuidePlanes {
  const n = image.width * image.height;
  const r = new Float32Array(n);
  const g = new Float32Array(n);
  const b = new Float32Array(n);
  const d = image.data;
  for (let i = 0, j = 0; i < n; i++, j += 4) {
    r[i] = (d[j] as number) / 255;
    g[i] = (d[j + 1] as number) / 255;
    b[i] = (d[j + 2] as number) / 255;
  }
  return { width: image.width, height: image.height, r, g, b };
}

/** Box-averaged guided-filter coefficients of input p (same grid as the guide). */
export function guidedCoefficients(guide: GuidePlanes, p: Float32Array, radius: number, eps: number): GuidedCoefficients {
  const { width: w, height: h, r: R, g: G, b: B } = guide;
  const n = w * h;
  const tmp = new Float64Array(w);
  const sums = new Float32Array(n); // the box filter's horizontal sums, reused
  const mean = (src: Float32Array, into?: Float32Array): Float32Array => {
    const out = into ?? new Float32Array(n);
    boxMean(src, w, h, radius, out, tmp, sums);
    return out;
  };
  // Products go through one scratch plane (each is box-filtered at once).
  const scratch = new Float32Array(n);
  const prod = (x: Float32Array, y: Float32Array): Float32Array => multiplyInto(scratch, x, y);
  const mR = mean(R);
  const mG = mean(G);
  const mB = mean(B);
  const mP = mean(p);
  const mRP = mean(prod(R, p));
  const mGP = mean(prod(G, p));
  const mBP = mean(prod(B, p));
  const vRR = mean(prod(R, R));
  const vRG = mean(prod(R, G));
  const vRB = mean(prod(R, B));
  const vGG = mean(prod(G, G));
  const vGB = mean(prod(G, B));
  const vBB = mean(prod(B, B));
  // Reuse buffers: a → mRP/mGP/mBP, b → mP.
  for (let i = 0; i < n; i++) {
    const mr = mR[i] as number;
    const mg = mG[i] as number;
    const mb = mB[i] as number;
    const mp = mP[i] as number;
    const cr = (mRP[i] as number) - mr * mp;
    const cg = (mGP[i] as number) - mg * mp;
    const cb = (mBP[i] as number) - mb * mp;
    const srr = (vRR[i] as number) - mr * mr + eps;
    const srg = (vRG[i] as number) - mr * mg;
    const srb = (vRB[i] as number) - mr * mb;
    const sgg = (vGG[i] as number) - mg * mg + eps;
    const sgb = (vGB[i] as number) - mg * mb;
    const sbb = (vBB[i] as number) - mb * mb + eps;
    // adjugate of the symmetric 3×3
    const i00 = sgg * sbb - sgb * sgb;
    const i01 = srb * sgb - srg * sbb;
    const i02 = srg * sgb - srb * sgg;
    const i11 = srr * sbb - srb * srb;
    const i12 = srb * srg - srr * sgb;
    const i22 = srr * sgg - srg * srg;
    const det = srr * i00 + srg * i01 + srb * i02;
    const inv = det > 1e-30 ? 1 / det : 0;
    const ar = (i00 * cr + i01 * cg + i02 * cb) * inv;
    const ag = (i01 * cr + i11 * cg + i12 * cb) * inv;
    const ab = (i02 * cr + i12 * cg + i22 * cb) * inv;
    mRP[i] = ar;
    mGP[i] = ag;
    mBP[i] = ab;
    mP[i] = mp - ar * mr - ag * mg - ab * mb;
  }
  // The box means of a and b go into four of the variance planes, no longer needed.
  return { width: w, height: h, ar: mean(mRP, vRR), ag: mean(mGP, vRG), ab: mean(mBP, vRB), b: mean(mP, vGG) };
}

function multiplyInto(out: Float32Array, x: Float32Array, y: Float32Array): Float32Array {
  for (let i = 0; i < out.length; i++) out[i] = (x[i] as number) * (y[i] as number);
  return out;
}

/** q = ā·I + b̄ on the coefficients' own grid. */
export function applyCoefficients(c: GuidedCoefficients, guide: GuidePlanes, out?: Float32Array): Float32Array {
  const n = c.width * c.height;
  const q = out ?? new Float32Array(n);
  for (let i = 0; i < n; i++) {
    q[i] = (c.ar[i] as number) * (guide.r[i] as number) + (c.ag[i] as number) * (guide.g[i] as number) + (c.ab[i] as number) * (guide.b[i] as number) + (c.b[i] as number);
  }
  return q;
}

/** Guided filter on one grid: edge-aware smoothing of p guided by the colour image. */
export function guidedFilter(guide: GuidePlanes, p: Float32Array, radius: number, eps: number): Float32Array {
  return applyCoefficients(guidedCoefficients(guide, p, radius, eps), guide);
}

export { applyCoefficientsUpsampled } from './guided-upsample.js';
