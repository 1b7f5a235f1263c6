/**
 * Nonlocal energy terms over a band's unknown pixels as matrix-free operators for ./band-cg.ts,
 * from per-pixel neighbour lists (k nearest neighbours, ./knn-search.ts):
 *
 *   - a graph Laplacian D − W of symmetrised affinities, W ← (W + Wᵀ)/2 (KNN matting, Chen, Li,
 *     Tang TPAMI 2013 §3; the intra-U flow of Aksoy, Aydın, Pollefeys CVPR 2017 §3.3): energy
 *     Σ_ij W_ij (α_i − α_j)² / 2;
 *   - a mixture term (I − W)ᵀ(I − W) with rows of W summing to 1 (the colour-mixture flow, Aksoy
 *     et al. 2017 §3.1, LLE weights of Roweis & Saul 2000): energy Σ_i (α_i − Σ_j w_ij α_j)².
 *
 * Neighbours may be known pixels: their values come from the full-grid vector, as for the local
 * Laplacian. Only rows of unknown pixels are kept, so an operator costs O(band · K).
 */
import type { BandOperator } from './band-cg.js';
import { BAND_UNKNOWN, knownValue, type Band } from './trimap-band.js';

/** Neighbour lists of the band's unknown pixels: row k (↔ band.unknown[k]) holds `k` pixel ids and weights. */
export interface NeighbourRows {
  readonly k: number;
  /** nu·k full-grid pixel ids; −1 = no neighbour. */
  readonly ids: Int32Array;
  readonly weights: Float64Array;
}

/** Position of each pixel in band.unknown, −1 for known pixels. */
function unknownPositions(band: Band): Int32Array {
  const pos = new Int32Array(band.width * band.height).fill(-1);
  for (let k = 0; k < band.unknown.length; k++) pos[band.unknown[k] as number] = k;
  return pos;
}

/** Graph Laplacian of the symmetrised affinities, scaled by `scale`. */
export function graphLaplacianTerm(band: Band, rows: NeighbourRows, scale: number): BandOperator {
  const { unknown, state } = band;
  const nu = unknown.length;
  const pos = unknownPositions(band);
  const K = rows.k;
  // CSR over unknown rows, unknown columns only (compact indices): each directed edge k→j gives w/2
  // to row k and, when j is unknown, to row pos[j]. Known neighbours go to `known` and the diagonal.
  const count = new Int32Array(nu + 1);
  for (let k = 0; k < nu; k++) {
    for (let t = 0; t < K; t++) {
      const j = rows.ids[k * K + t] as number;
      if (j < 0 || state[j] !== BAND_UNKNOWN) continue;
      const m = pos[j] as number;
      count[k + 1] = (count[k + 1] as number) + 1;
      count[m + 1] = (count[m + 1] as number) + 1;
    }
  }
  for (let k = 0; k < nu; k++) count[k + 1] = (count[k + 1] as number) + (count[k] as number);
  const col = new Int32Array(count[nu] as number);
  const val = new Float64Array(count[nu] as number);
  const fill = count.slice(0, nu);
  const diagonal = new Float64Array(nu);
  const known = new Float64Array(nu);
  const push = (row: number, c: number, wv: number): void => {
    const f = fill[row] as number;
    col[f] = c;
    val[f] = wv;
    fill[row] = f + 1;
    diagonal[row] = (diagonal[row] as number) + wv;
  };
  for (let k = 0; k < nu; k++) {
    for (let t = 0; t < K; t++) {
      const j = rows.ids[k * K + t] as number;
      if (j < 0) continue;
      const wv = (scale * (rows.weights[k * K + t] as number)) / 2;
      if (state[j] === BAND_UNKNOWN) {
        const m = pos[j] as number;
        push(k, m, wv);
        push(m, k, wv);
      } else {
        diagonal[k] = (diagonal[k] as number) + wv;
        known[k] = (known[k] as number) - wv * knownValue(state[j] as number);
      }
    }
  }
  return {
    diagonal,
    known,
    apply(v, _vFull, out) {
      for (let k = 0; k < nu; k++) {
        let s = (diagonal[k] as number) * (v[k] as number);
        for (let e = count[k] as number, end = count[k + 1] as number; e < end; e++) s -= (val[e] as number) * (v[col[e] as number] as number);
        out[k] = s;
      }
    },
  };
}

/** (I − W)ᵀ(I − W) over the unknown rows of W, scaled by `scale`. */
export function mixtureTerm(band: Band, rows: NeighbourRows, scale: number): BandOperator {
  const { unknown, state } = band;
  const nu = unknown.length;
  const K = rows.k;
  const pos = unknownPositions(band);
  // Unknown neighbours in compact indices; known or missing ones point at the row itself with weight
  // 0 (no branch in the loops), their pull is c_k = Σ_{j known} w_kj α_j.
  const cols = new Int32Array(nu * K);
  const ws = new Float32Array(nu * K);
  const c = new Float64Array(nu);
  const diagonal = new Float64Array(nu).fill(scale);
  for (let k = 0; k < nu; k++) {
    for (let t = 0; t < K; t++) {
      const e = k * K + t;
      const j = rows.ids[e] as number;
      cols[e] = k;
      if (j < 0) continue;
      const wv = rows.weights[e] as number;
      if (state[j] === BAND_UNKNOWN) {
        const m = pos[j] as number;
        cols[e] = m;
        ws[e] = wv;
        diagonal[m] = (diagonal[m] as number) + scale * wv * wv;
      } else c[k] = (c[k] as number) + wv * knownValue(state[j] as number);
    }
  }
  const e = new Float64Array(nu);
  /** out = scale · (I − W_U)ᵀ (I − W_U) v */
  const apply = (v: Float64Array, out: Float64Array): void => {
    for (let k = 0; k < nu; k++) {
      let s = v[k] as number;
      for (let t = k * K, end = t + K; t < end; t++) s -= (ws[t] as number) * (v[cols[t] as number] as number);
      s *= scale;
      e[k] = s;
      out[k] = s;
    }
    for (let k = 0; k < nu; k++) {
      const ek = e[k] as number;
      for (let t = k * K, end = t + K; t < end; t++) {
        const m = cols[t] as number;
        out[m] = (out[m] as number) - (ws[t] as number) * ek;
      }
    }
  };
  // Energy scale · Σ_k ((I − W_U) α_U − c)_k²: the constant part of its gradient is −scale (I − W_U)ᵀ c.
  const known = new Float64Array(nu);
  for (let k = 0; k < nu; k++) {
    const ck = scale * (c[k] as number);
    known[k] = (known[k] as number) - ck;
    for (let t = k * K, end = t + K; t < end; t++) known[cols[t] as number] = (known[cols[t] as number] as number) + (ws[t] as number) * ck;
  }
  return { diagonal, known, apply: (v, _vFull, out) => apply(v, out) };
}
