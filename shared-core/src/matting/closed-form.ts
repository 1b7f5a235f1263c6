/**
 * Closed-form matting (Levin, Lischinski, Weiss, "A Closed-Form Solution to Natural Image
 * Matting", TPAMI 2008) restricted to an unknown band, with a data term pulling towards a prior:
 *
 *   minimise αᵀLα + Σ_i λ_i (α_i − prior_i)²   with α fixed on known pixels (Dirichlet).
 *
 * L (3×3 windows, ε regulariser) is applied matrix-free over the band (./band-laplacian.ts), so an
 * iteration costs O(band), not O(image).
 *
 * Solved by conjugate gradient with a Jacobi (diagonal) preconditioner over band pixels only,
 * starting from the prior. CG decreases the energy monotonically, so the last iterate is the best
 * one: on deadline or iteration cap it is returned as is. The AbortSignal is checked and the event
 * loop yielded to (./yielder.ts) every iteration. The multi-resolution driver is ./coarse-to-fine.ts.
 */
import { BAND_UNKNOWN, knownValue, type Band } from './trimap-band.js';
import { bandLaplacian } from './band-laplacian.js';
import type { GuidePlanes } from './guided-filter.js';
import type { Yielder } from './yielder.js';
import { clamp01 } from '../clamp.js';

export interface SolveOptions {
  /** Levin's ε (intensities in [0, 1]). Default 1e-6. */
  readonly eps?: number;
  /** Data-term weight towards the prior where the prior is confident (|2p−1| = 1). Default 0.05. */
  readonly lambda?: number;
  /** Fraction of λ kept where the prior is 0.5 (fully uncertain). Default 0.05. */
  readonly uncertainWeight?: number;
  /** Fraction of λ kept in band pixels that are there because a user hint is near (default 0: the hints decide). */
  readonly hintPriorWeight?: number;
  /** Iteration cap on levels started from a coarser solution (coarse-to-fine only; default 30). */
  readonly fineIterations?: number;
  /** Initial values of band pixels (full grid); default the prior. */
  readonly initial?: Float32Array;
  readonly maxIterations?: number;
  /** performance.now() value after which the current iterate is returned. */
  readonly deadline?: number;
  /** Stop when ‖r‖ ≤ tolerance·‖r₀‖. Default 1e-3. */
  readonly tolerance?: number;
  readonly yielder?: Yielder;
}

export interface SolveResult {
  /** Full grid: known pixels at their constraint value, band pixels solved, clamped to [0, 1]. */
  readonly alpha: Float32Array;
  readonly iterations: number;
  readonly relativeResidual: number;
  readonly timedOut: boolean;
}

export async function solveClosedForm(guide: GuidePlanes, band: Band, prior: Float32Array, opts: SolveOptions = {}): Promise<SolveResult> {
  const { width: w, height: h, state, unknown } = band;
  const n = w * h;
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = state[i] as number;
    x[i] = s === BAND_UNKNOWN ? ((opts.initial ?? prior)[i] as number) : knownValue(s);
  }
  const nu = unknown.length;
  const finish = (iterations: number, rel: number, timedOut: boolean): SolveResult => {
    const alpha = new Float32Array(n);
    for (let i = 0; i < n; i++) alpha[i] = clamp01(x[i] as number);
    return { alpha, iterations, relativeResidual: rel, timedOut };
  };
  if (nu === 0 || w < 3 || h < 3) return finish(0, 0, false);

  const eps = opts.eps ?? 1e-6;
  const lambda = opts.lambda ?? 0.05;
  const uw = opts.uncertainWeight ?? 0.05;
  const hintW = opts.hintPriorWeight ?? 0;
  const maxIt = opts.maxIterations ?? 300;
  const tol = opts.tolerance ?? 1e-3;
  const deadline = opts.deadline ?? Number.POSITIVE_INFINITY;
  const yielder = opts.yielder;

  // Data-term weights and Jacobi preconditioner (diag of L + Λ).
  const L = bandLaplacian(guide, band, eps);
  const lam = new Float64Array(nu);
  const pri = new Float64Array(nu);
  const dinv = new Float64Array(nu);
  for (let k = 0; k < nu; k++) {
    const i = unknown[k] as number;
    const p = prior[i] as number;
    const c = Math.abs(2 * p - 1);
    lam[k] = lambda * (uw + (1 - uw) * c * c) * (band.nearHint?.[i] ? hintW : 1);
    pri[k] = p;
    dinv[k] = 1 / Math.max(1e-9, (L.diagonal[k] as number) + (lam[k] as number));
  }

  // r = Λ(p − x) − (L x)_U
  const r = new Float64Array(nu);
  L.apply(x, r);
  for (let k = 0; k < nu; k++) r[k] = (lam[k] as number) * ((pri[k] as number) - (x[unknown[k] as number] as number)) - (r[k] as number);
  const z = new Float64Array(nu);
  const q = new Float64Array(nu);
  const dFull = new Float64Array(n);
  const d = new Float64Array(nu);
  let rz = 0;
  let r0 = 0;
  for (let k = 0; k < nu; k++) {
    const zk = (r[k] as number) * (dinv[k] as number);
    z[k] = zk;
    d[k] = zk;
    rz += (r[k] as number) * zk;
    r0 += (r[k] as number) * (r[k] as number);
  }
  r0 = Math.sqrt(r0);
  if (r0 === 0) return finish(0, 0, false);
  let rel = 1;
  let it = 0;
  let timedOut = false;
  while (it < maxIt) {
    if (performance.now() > deadline) {
      timedOut = true;
      break;
    }
    for (let k = 0; k < nu; k++) dFull[unknown[k] as number] = d[k] as number;
    L.apply(dFull, q);
    let dq = 0;
    for (let k = 0; k < nu; k++) {
      const qk = (q[k] as number) + (lam[k] as number) * (d[k] as number);
      q[k] = qk;
      dq += (d[k] as number) * qk;
    }
    if (!(dq > 0)) break;
    const step = rz / dq;
    let rr = 0;
    let rzNew = 0;
    for (let k = 0; k < nu; k++) {
      const i = unknown[k] as number;
      x[i] = (x[i] as number) + step * (d[k] as number);
      const rk = (r[k] as number) - step * (q[k] as number);
      r[k] = rk;
      const zk = rk * (dinv[k] as number);
      z[k] = zk;
      rr += rk * rk;
      rzNew += rk * zk;
    }
    it++;
    rel = Math.sqrt(rr) / r0;
    if (rel <= tol) break;
    const beta = rzNew / rz;
    rz = rzNew;
    for (let k = 0; k < nu; k++) d[k] = (z[k] as number) + beta * (d[k] as number);
    if (yielder) await yielder.tick();
  }
  return finish(it, rel, timedOut);
}
