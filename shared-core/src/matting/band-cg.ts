/**
 * Preconditioned conjugate gradients for the band-restricted matting systems
 *
 *   (Σ_t L_t + Λ) α_U = Λ p − Σ_t (L_t)_{UK} α_K
 *
 * (Levin, Lischinski, Weiss TPAMI 2008 §3 eliminate the known pixels the same way), where every
 * L_t is a symmetric positive semi-definite operator applied matrix-free over the band's unknown
 * pixels (the local matting Laplacian, ./band-laplacian.ts; nonlocal terms, ./sparse-terms.ts) and
 * Λ a diagonal data term. Jacobi preconditioner. CG decreases the energy monotonically, so the last
 * iterate is the best one: on deadline or iteration cap it is returned as is. The AbortSignal is
 * checked and the event loop yielded to (./yielder.ts) every iteration.
 */
import type { Band } from './trimap-band.js';
import type { Yielder } from './yielder.js';

/**
 * A symmetric PSD operator L split over the band's unknown pixels U (index k ↔ pixel
 * band.unknown[k]) and known pixels K: L_UU applied to vectors, L_UK α_K (the constraints' pull)
 * precomputed.
 */
export interface BandOperator {
  /** out = L_UU v (overwrites out); `v` per unknown pixel, `vFull` the same values on the full grid, zero at known pixels. */
  apply(v: Float64Array, vFull: Float64Array, out: Float64Array): void;
  /** L_UK α_K per unknown pixel. */
  readonly known: Float64Array;
  /** diag(L) at the unknown pixels (Jacobi preconditioner). */
  readonly diagonal: Float64Array;
}

export interface CgOptions {
  readonly maxIterations: number;
  /** Stop when ‖r‖ ≤ tolerance·‖r₀‖. */
  readonly tolerance: number;
  /** `clock()` value after which the current iterate is returned. */
  readonly deadline: number;
  /** The deadline's clock in ms (default performance.now; see MattingOptions.solveClock). */
  readonly clock?: (() => number) | undefined;
  readonly yielder?: Yielder | undefined;
}

export interface CgResult {
  readonly iterations: number;
  readonly relativeResidual: number;
  readonly timedOut: boolean;
}

/**
 * Solves in place: `x` holds the unknown pixels' starting values (index k ↔ band.unknown[k]);
 * `lam` / `target` the data term per unknown pixel.
 */
export async function solveBandCg(band: Band, x: Float64Array, ops: readonly BandOperator[], lam: Float64Array, target: Float64Array, opts: CgOptions): Promise<CgResult> {
  const { unknown } = band;
  const nu = unknown.length;
  const n = band.width * band.height;
  const dinv = new Float64Array(nu);
  for (let k = 0; k < nu; k++) {
    let d = lam[k] as number;
    for (const op of ops) d += op.diagonal[k] as number;
    dinv[k] = 1 / Math.max(1e-9, d);
  }
  const tmp = new Float64Array(nu);
  const vFull = new Float64Array(n);
  /** out = Σ_t (L_t)_UU v. */
  const only = ops.length === 1 ? ops[0] : undefined;
  const applyAll = (v: Float64Array, out: Float64Array): void => {
    for (let k = 0; k < nu; k++) vFull[unknown[k] as number] = v[k] as number;
    if (only) return only.apply(v, vFull, out);
    out.fill(0);
    for (const op of ops) {
      op.apply(v, vFull, tmp);
      for (let k = 0; k < nu; k++) out[k] = (out[k] as number) + (tmp[k] as number);
    }
  };

  // r = Λ(p − x) − Σ (L_UU x + L_UK α_K)
  const r = new Float64Array(nu);
  applyAll(x, r);
  for (let k = 0; k < nu; k++) {
    let kn = 0;
    for (const op of ops) kn += op.known[k] as number;
    r[k] = (lam[k] as number) * ((target[k] as number) - (x[k] as number)) - (r[k] as number) - kn;
  }
  const z = new Float64Array(nu);
  const q = new Float64Array(nu);
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
  if (!(r0 > 0)) return { iterations: 0, relativeResidual: 0, timedOut: false };
  let rel = 1;
  let it = 0;
  let timedOut = false;
  const now = opts.clock ?? (() => performance.now());
  while (it < opts.maxIterations) {
    if (now() > opts.deadline) {
      timedOut = true;
      break;
    }
    applyAll(d, q);
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
      x[k] = (x[k] as number) + step * (d[k] as number);
      const rk = (r[k] as number) - step * (q[k] as number);
      r[k] = rk;
      const zk = rk * (dinv[k] as number);
      z[k] = zk;
      rr += rk * rk;
      rzNew += rk * zk;
    }
    it++;
    rel = Math.sqrt(rr) / r0;
    if (rel <= opts.tolerance) break;
    const beta = rzNew / rz;
    rz = rzNew;
    for (let k = 0; k < nu; k++) d[k] = (z[k] as number) + beta * (d[k] as number);
    if (opts.yielder) await opts.yielder.tick();
  }
  return { iterations: it, relativeResidual: rel, timedOut };
}
