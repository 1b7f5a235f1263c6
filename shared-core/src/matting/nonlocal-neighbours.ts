/**
 * Building blocks of the nonlocal matting terms: per-pixel feature vectors (colour + scaled
 * position), neighbour lists of the band's unknown pixels found in them (./knn-search.ts), and
 * locally linear embedding weights (Roweis & Saul, Science 2000) expressing a pixel's colour as an
 * affine mix of its neighbours' colours, as information-flow matting does (Aksoy, Aydın, Pollefeys
 * CVPR 2017 §3.1–3.2).
 */
import { buildKnnIndex } from './knn-search.js';
import type { GuidePlanes } from './guided-filter.js';
import type { NeighbourRows } from './sparse-terms.js';
import type { Yielder } from './yielder.js';

/** [r, g, b, xy·x/w, xy·y/h] per pixel (Aksoy et al. 2017 §3.1: xy weight 1 for colour mixture, 10 for K-to-U). */
export function rgbxyFeatures(guide: GuidePlanes, xy: number): Float32Array {
  const { width: w, height: h, r, g, b } = guide;
  const f = new Float32Array(w * h * 5);
  for (let y = 0, i = 0; y < h; y++) {
    for (let x = 0; x < w; x++, i++) {
      const o = i * 5;
      f[o] = r[i] as number;
      f[o + 1] = g[i] as number;
      f[o + 2] = b[i] as number;
      f[o + 3] = (xy * x) / w;
      f[o + 4] = (xy * y) / h;
    }
  }
  return f;
}

/** Pixel ids where `pick(i)` holds. */
export function pixelsWhere(n: number, pick: (i: number) => boolean): Int32Array {
  let c = 0;
  for (let i = 0; i < n; i++) if (pick(i)) c++;
  const out = new Int32Array(c);
  for (let i = 0, k = 0; i < n; i++) if (pick(i)) out[k++] = i;
  return out;
}

/**
 * The K nearest `candidates` of each query pixel in `feat` (the pixel itself excluded), as
 * neighbour rows with zero weights; −1 where fewer than K candidates exist.
 */
export async function nearestNeighbours(feat: Float32Array, dim: number, queries: Int32Array, candidates: Int32Array, K: number, maxLeaves: number, yielder?: Yielder): Promise<NeighbourRows> {
  const nq = queries.length;
  const ids = new Int32Array(nq * K).fill(-1);
  const weights = new Float64Array(nq * K);
  if (candidates.length === 0 || K === 0) return { k: K, ids, weights };
  const index = buildKnnIndex(feat, dim, candidates, maxLeaves);
  const out = new Int32Array(K);
  const dist = new Float64Array(K);
  const q = new Float64Array(dim);
  for (let k = 0; k < nq; k++) {
    if ((k & 4095) === 4095 && yielder) await yielder.tick();
    const i = queries[k] as number;
    for (let d = 0; d < dim; d++) q[d] = feat[i * dim + d] as number;
    const found = index.query(q, K, out, dist, i);
    for (let t = 0; t < found; t++) ids[k * K + t] = out[t] as number;
  }
  return { k: K, ids, weights };
}

/**
 * LLE weights (sum 1) of each row: minimise ‖c_i − Σ_j w_j c_j‖² + ε‖w‖² with Σ w_j = 1 over RGB
 * colours. With D = [c_j − c_i] (3 × K) the solution is w ∝ (DᵀD + εI)⁻¹ 1, computed through the
 * 3 × 3 matrix G = DDᵀ + εI (Woodbury): w_j ∝ 1 − d_jᵀ G⁻¹ D1. Rows are written in place.
 */
export function lleWeights(guide: GuidePlanes, queries: Int32Array, rows: NeighbourRows, eps: number): void {
  const { r, g, b } = guide;
  const { k: K, ids, weights } = rows;
  for (let q = 0; q < queries.length; q++) {
    const i = queries[q] as number;
    const ri = r[i] as number, gi = g[i] as number, bi = b[i] as number;
    let s0 = 0, s1 = 0, s2 = 0, a00 = eps, a01 = 0, a02 = 0, a11 = eps, a12 = 0, a22 = eps;
    let n = 0;
    for (let t = 0; t < K; t++) {
      const j = ids[q * K + t] as number;
      if (j < 0) continue;
      n++;
      const d0 = (r[j] as number) - ri, d1 = (g[j] as number) - gi, d2 = (b[j] as number) - bi;
      s0 += d0; s1 += d1; s2 += d2;
      a00 += d0 * d0; a01 += d0 * d1; a02 += d0 * d2; a11 += d1 * d1; a12 += d1 * d2; a22 += d2 * d2;
    }
    if (n === 0) continue;
    // u = G⁻¹ s (symmetric 3 × 3 by cofactors)
    const c00 = a11 * a22 - a12 * a12, c01 = a02 * a12 - a01 * a22, c02 = a01 * a12 - a02 * a11;
    const c11 = a00 * a22 - a02 * a02, c12 = a01 * a02 - a00 * a12, c22 = a00 * a11 - a01 * a01;
    const det = a00 * c00 + a01 * c01 + a02 * c02;
    const inv = det > 0 ? 1 / det : 0;
    const u0 = (c00 * s0 + c01 * s1 + c02 * s2) * inv;
    const u1 = (c01 * s0 + c11 * s1 + c12 * s2) * inv;
    const u2 = (c02 * s0 + c12 * s1 + c22 * s2) * inv;
    let sum = 0;
    for (let t = 0; t < K; t++) {
      const j = ids[q * K + t] as number;
      if (j < 0) continue;
      const wv = 1 - (((r[j] as number) - ri) * u0 + ((g[j] as number) - gi) * u1 + ((b[j] as number) - bi) * u2);
      weights[q * K + t] = wv;
      sum += wv;
    }
    const norm = Math.abs(sum) > 1e-12 ? 1 / sum : 0;
    for (let t = 0; t < K; t++) {
      const e = q * K + t;
      weights[e] = norm === 0 ? (ids[e] as number) >= 0 ? 1 / n : 0 : (weights[e] as number) * norm;
    }
  }
}
