/**
 * The matting Laplacian of Levin, Lischinski, Weiss ("A Closed-Form Solution to Natural Image
 * Matting", TPAMI 2008; 3×3 windows, ε regulariser) restricted to an unknown band, applied
 * matrix-free as in He, Sun, Tang ("Fast Matting Using Large Kernel Matting Laplacian Matrices",
 * CVPR 2010, eq. 8–10): for a vector p,
 *   a_k = Δ_k⁻¹ (1/|ω| Σ_{i∈ω_k} I_i p_i − μ_k p̄_k),  b_k = p̄_k − a_kᵀ μ_k,  Δ_k = Σ_k + ε/|ω| U,
 *   (L p)_i = |ω_i| p_i − Σ_{k∋i} (a_kᵀ I_i + b_k)
 * (|ω| = 9; |ω_i| = number of windows containing i). Per-window μ_k and Δ_k⁻¹ are precomputed once
 * (doubles: Δ is near-singular in flat areas), and only windows touching band pixels are visited,
 * so one product costs O(band), not O(image). Windows lie fully inside the image, as in Levin.
 * The solver that uses it is ./closed-form.ts.
 */
import { BAND_UNKNOWN, type Band } from './trimap-band.js';
import type { GuidePlanes } from './guided-filter.js';

/** L restricted to the band's unknown pixels (index k ↔ pixel band.unknown[k]). */
export interface BandLaplacian {
  /** out[k] = (L v)[unknown[k]] for a full-grid v (values at known pixels are the constraints). */
  apply(v: Float64Array, out: Float64Array): void;
  /** diag(L) at the unknown pixels (for a Jacobi preconditioner). */
  readonly diagonal: Float64Array;
}

export function bandLaplacian(guide: GuidePlanes, band: Band, eps: number): BandLaplacian {
  const { width: w, height: h, state, unknown } = band;
  const n = w * h;
  const nu = unknown.length;
  const R = guide.r;
  const G = guide.g;
  const B = guide.b;
  // Windows (centres) touching the band, fully inside the image.
  const isWin = new Uint8Array(n);
  for (let k = 0; k < nu; k++) {
    const i = unknown[k] as number;
    const y = (i / w) | 0;
    const xx = i - y * w;
    for (let dy = -1; dy <= 1; dy++) {
      const cy = y + dy;
      if (cy < 1 || cy > h - 2) continue;
      for (let dx = -1; dx <= 1; dx++) {
        const cx = xx + dx;
        if (cx >= 1 && cx <= w - 2) isWin[cy * w + cx] = 1;
      }
    }
  }
  let nw = 0;
  for (let i = 0; i < n; i++) nw += isWin[i] as number;
  const win = new Int32Array(nw);
  for (let i = 0, k = 0; i < n; i++) if (isWin[i]) win[k++] = i;
  const off = [-w - 1, -w, -w + 1, -1, 0, 1, w - 1, w, w + 1];
  const [o0, o1, o2, o3, o4, o5, o6, o7, o8] = off as [number, number, number, number, number, number, number, number, number];

  // Per-window mean and inverse of Δ = Σ + ε/9 U (symmetric: 6 entries).
  const st = new Float64Array(nw * 9);
  for (let k = 0; k < nw; k++) {
    const c = win[k] as number;
    let sr = 0, sg = 0, sb = 0, srr = 0, srg = 0, srb = 0, sgg = 0, sgb = 0, sbb = 0;
    for (const o of off) {
      const r = R[c + o] as number;
      const g = G[c + o] as number;
      const b = B[c + o] as number;
      sr += r; sg += g; sb += b;
      srr += r * r; srg += r * g; srb += r * b; sgg += g * g; sgb += g * b; sbb += b * b;
    }
    const mr = sr / 9, mg = sg / 9, mb = sb / 9;
    const e = eps / 9;
    const crr = srr / 9 - mr * mr + e, crg = srg / 9 - mr * mg, crb = srb / 9 - mr * mb;
    const cgg = sgg / 9 - mg * mg + e, cgb = sgb / 9 - mg * mb, cbb = sbb / 9 - mb * mb + e;
    const i00 = cgg * cbb - cgb * cgb, i01 = crb * cgb - crg * cbb, i02 = crg * cgb - crb * cgg;
    const i11 = crr * cbb - crb * crb, i12 = crb * crg - crr * cgb, i22 = crr * cgg - crg * crg;
    const det = crr * i00 + crg * i01 + crb * i02;
    const inv = 1 / det;
    const s = k * 9;
    st[s] = mr; st[s + 1] = mg; st[s + 2] = mb;
    st[s + 3] = i00 * inv; st[s + 4] = i01 * inv; st[s + 5] = i02 * inv;
    st[s + 6] = i11 * inv; st[s + 7] = i12 * inv; st[s + 8] = i22 * inv;
  }

  // Per-window coefficient planes (full grid; zero at non-window pixels, which are never written).
  const Ar = new Float64Array(n), Ag = new Float64Array(n), Ab = new Float64Array(n), Bb = new Float64Array(n);
  const computeWindows = (v: Float64Array): void => {
    for (let k = 0; k < nw; k++) {
      const c = win[k] as number;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let t = 0; t < 9; t++) {
        const j = c + (off[t] as number);
        const vj = v[j] as number;
        s0 += vj;
        s1 += (R[j] as number) * vj;
        s2 += (G[j] as number) * vj;
        s3 += (B[j] as number) * vj;
      }
      const s = k * 9;
      const mr = st[s] as number, mg = st[s + 1] as number, mb = st[s + 2] as number;
      const m = s0 / 9;
      const cr = s1 / 9 - mr * m, cg = s2 / 9 - mg * m, cb = s3 / 9 - mb * m;
      const i00 = st[s + 3] as number, i01 = st[s + 4] as number, i02 = st[s + 5] as number;
      const i11 = st[s + 6] as number, i12 = st[s + 7] as number, i22 = st[s + 8] as number;
      const ar = i00 * cr + i01 * cg + i02 * cb;
      const ag = i01 * cr + i11 * cg + i12 * cb;
      const ab = i02 * cr + i12 * cg + i22 * cb;
      Ar[c] = ar; Ag[c] = ag; Ab[c] = ab;
      Bb[c] = m - ar * mr - ag * mg - ab * mb;
    }
  };
  // Number of windows containing each band pixel; band pixels on the image border sum only in-image
  // neighbours (the rest are not windows). `interior` marks pixels whose 3×3 neighbourhood is in-image.
  const cnt = new Float64Array(nu);
  const interior = new Uint8Array(nu);
  for (let k = 0; k < nu; k++) {
    const i = unknown[k] as number;
    const y = (i / w) | 0;
    const xx = i - y * w;
    const nx = Math.min(xx + 1, w - 2) - Math.max(xx - 1, 1) + 1;
    const ny = Math.min(y + 1, h - 2) - Math.max(y - 1, 1) + 1;
    cnt[k] = Math.max(0, nx) * Math.max(0, ny);
    interior[k] = xx >= 1 && xx <= w - 2 && y >= 1 && y <= h - 2 ? 1 : 0;
  }
  const windowSum = (i: number, k: number): number => {
    let sa = 0, sgg = 0, sbb = 0, sb = 0;
    if (interior[k]) {
      sa =
        (Ar[i + o0] as number) + (Ar[i + o1] as number) + (Ar[i + o2] as number) +
        (Ar[i + o3] as number) + (Ar[i + o4] as number) + (Ar[i + o5] as number) +
        (Ar[i + o6] as number) + (Ar[i + o7] as number) + (Ar[i + o8] as number);
      sgg =
        (Ag[i + o0] as number) + (Ag[i + o1] as number) + (Ag[i + o2] as number) +
        (Ag[i + o3] as number) + (Ag[i + o4] as number) + (Ag[i + o5] as number) +
        (Ag[i + o6] as number) + (Ag[i + o7] as number) + (Ag[i + o8] as number);
      sbb =
        (Ab[i + o0] as number) + (Ab[i + o1] as number) + (Ab[i + o2] as number) +
        (Ab[i + o3] as number) + (Ab[i + o4] as number) + (Ab[i + o5] as number) +
        (Ab[i + o6] as number) + (Ab[i + o7] as number) + (Ab[i + o8] as number);
      sb =
        (Bb[i + o0] as number) + (Bb[i + o1] as number) + (Bb[i + o2] as number) +
        (Bb[i + o3] as number) + (Bb[i + o4] as number) + (Bb[i + o5] as number) +
        (Bb[i + o6] as number) + (Bb[i + o7] as number) + (Bb[i + o8] as number);
    } else {
      const y = (i / w) | 0;
      const xx = i - y * w;
      for (let dy = -1; dy <= 1; dy++) {
        const cy = y + dy;
        if (cy < 0 || cy >= h) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const cx = xx + dx;
          if (cx < 0 || cx >= w) continue;
          const c = cy * w + cx;
          sa += Ar[c] as number; sgg += Ag[c] as number; sbb += Ab[c] as number; sb += Bb[c] as number;
        }
      }
    }
    return sa * (R[i] as number) + sgg * (G[i] as number) + sbb * (B[i] as number) + sb;
  };
  const apply = (v: Float64Array, out: Float64Array): void => {
    computeWindows(v);
    for (let k = 0; k < nu; k++) {
      const i = unknown[k] as number;
      out[k] = (cnt[k] as number) * (v[i] as number) - windowSum(i, k);
    }
  };


  // diag(L)_i = Σ_{k∋i} (1 − (1 + (I_i − μ_k)ᵀ Δ_k⁻¹ (I_i − μ_k)) / 9), accumulated in the
  // full-grid scratch Bb (zero again afterwards, as apply() expects).
  for (let k = 0; k < nw; k++) {
    const c = win[k] as number;
    const s = k * 9;
    const mr = st[s] as number, mg = st[s + 1] as number, mb = st[s + 2] as number;
    const i00 = st[s + 3] as number, i01 = st[s + 4] as number, i02 = st[s + 5] as number;
    const i11 = st[s + 6] as number, i12 = st[s + 7] as number, i22 = st[s + 8] as number;
    for (const o of off) {
      const j = c + o;
      if (state[j] !== BAND_UNKNOWN) continue;
      const dr = (R[j] as number) - mr, dg = (G[j] as number) - mg, db = (B[j] as number) - mb;
      const q = dr * (i00 * dr + i01 * dg + i02 * db) + dg * (i01 * dr + i11 * dg + i12 * db) + db * (i02 * dr + i12 * dg + i22 * db);
      Bb[j] = (Bb[j] as number) + 1 - (1 + q) / 9;
    }
  }
  const diagonal = new Float64Array(nu);
  for (let k = 0; k < nu; k++) {
    const i = unknown[k] as number;
    diagonal[k] = Bb[i] as number;
  }
  Bb.fill(0);
  return { apply, diagonal };
}
