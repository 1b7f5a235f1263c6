/**
 * Closed-form matting (Levin, Lischinski, Weiss, "A Closed-Form Solution to Natural Image
 * Matting", TPAMI 2008) restricted to an unknown band, with a data term pulling towards a prior
 * and optional extra terms (the hinted solvers of ./hint-solvers.ts add nonlocal ones):
 *
 *   minimise αᵀ(L + Σ_t L_t)α + Σ_i λ_i (α_i − prior_i)² + Σ_i μ_i (α_i − t_i)²
 *   with α fixed on known pixels (Dirichlet).
 *
 * L (3×3 windows, ε regulariser) is applied matrix-free over the band (./band-laplacian.ts), so an
 * iteration costs O(band), not O(image). Solved by Jacobi-preconditioned CG (./band-cg.ts) starting
 * from the prior; the multi-resolution driver is ./coarse-to-fine.ts.
 */
import { BAND_UNKNOWN, knownValue, type Band } from './trimap-band.js';
import { bandLaplacian } from './band-laplacian.js';
import { solveBandCg, type BandOperator } from './band-cg.js';
import type { GuidePlanes } from './guided-filter.js';
import type { Yielder } from './yielder.js';
import { clamp01 } from '../clamp.js';

/** An extra data term Σ_i μ_i (α_i − t_i)², as planes over the level's grid (read at band pixels). */
export interface DataTerm {
  readonly weight: Float32Array;
  readonly target: Float32Array;
}

/** Extra energy terms over a band's unknown pixels. */
export interface ExtraTerms {
  readonly operators: readonly BandOperator[];
  readonly data?: DataTerm;
}

/** Builds the extra terms of one level; may yield (and throw 'cancelled') through the yielder. */
export type TermsBuilder = (guide: GuidePlanes, band: Band, prior: Float32Array, yielder?: Yielder) => ExtraTerms | Promise<ExtraTerms>;

export interface SolveOptions {
  /** Levin's ε (intensities in [0, 1]). Default 1e-6. */
  readonly eps?: number;
  /** Data-term weight towards the prior where the prior is confident (|2p−1| = 1). Default 0.05. */
  readonly lambda?: number;
  /** Fraction of λ kept where the prior is 0.5 (fully uncertain). Default 0.05. */
  readonly uncertainWeight?: number;
  /** Confidence c = |2p − 1|^power scales λ between uncertainWeight and 1 (default 2). */
  readonly confidencePower?: number;
  /** Fraction of λ kept in band pixels that are there because a user hint is near (default 0: the hints decide). */
  readonly hintPriorWeight?: number;
  /** Builds extra terms for a band (once per level of the coarse-to-fine solve, see termsMaxBand). */
  readonly terms?: TermsBuilder;
  /**
   * Levels whose band has more unknown pixels than this solve without the extra terms (default
   * Infinity). Measured: carrying a coarser level's data term up instead did worse.
   */
  readonly termsMaxBand?: number;
  /** Iteration cap on levels started from a coarser solution (coarse-to-fine only; default 30). */
  readonly fineIterations?: number;
  /** Iteration cap on the finest level when it starts from a coarser solution (default fineIterations). */
  readonly finestIterations?: number;
  /** Bands up to this many unknown pixels are solved at one level (coarse-to-fine only; default 16 000). */
  readonly coarseBand?: number;
  /** Initial values of band pixels (full grid); default the prior. */
  readonly initial?: Float32Array;
  readonly maxIterations?: number;
  /** `clock()` value after which the current iterate is returned. */
  readonly deadline?: number;
  /** The deadline's clock in ms (default performance.now). */
  readonly clock?: () => number;
  /** Stop when ‖r‖ ≤ tolerance·‖r₀‖. Default 1e-3. */
  readonly tolerance?: number;
  readonly yielder?: Yielder;
}

const BUILD_MS_PER_PIXEL = 2e-3;

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
  const nu = unknown.length;
  const start = opts.initial ?? prior;
  const x = new Float64Array(nu);
  for (let k = 0; k < nu; k++) x[k] = start[unknown[k] as number] as number;
  const finish = (iterations: number, rel: number, timedOut: boolean): SolveResult => {
    const alpha = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const s = state[i] as number;
      if (s !== BAND_UNKNOWN) alpha[i] = knownValue(s);
    }
    // A non-finite iterate (never expected: a guard for degenerate input) falls back to the prior there.
    for (let k = 0; k < nu; k++) {
      const i = unknown[k] as number;
      const v = x[k] as number;
      alpha[i] = clamp01(Number.isFinite(v) ? v : (prior[i] as number));
    }
    return { alpha, iterations, relativeResidual: rel, timedOut };
  };
  if (nu === 0 || w < 3 || h < 3) return finish(0, 0, false);
  // Not even time to build this level's system and run a few iterations (a coarser level used it):
  // the starting point as it is. Measured: the build costs ~1.2 µs, an iteration ~0.1 µs per band pixel.
  const now = opts.clock ?? (() => performance.now());
  if (now() + nu * BUILD_MS_PER_PIXEL > (opts.deadline ?? Number.POSITIVE_INFINITY)) return finish(0, 1, true);

  const lambda = opts.lambda ?? 0.05;
  const uw = opts.uncertainWeight ?? 0.05;
  const power = opts.confidencePower ?? 2;
  const hintW = opts.hintPriorWeight ?? 0;
  const extra = nu <= (opts.termsMaxBand ?? Number.POSITIVE_INFINITY) ? await opts.terms?.(guide, band, prior, opts.yielder) : undefined;
  // Data terms: the prior's and the extra one merge into one, Σ_a λ_a (α − t_a)² = Λ (α − Σ λ_a t_a / Λ)² + const.
  const lam = new Float64Array(nu);
  const target = new Float64Array(nu);
  for (let k = 0; k < nu; k++) {
    const i = unknown[k] as number;
    const p = prior[i] as number;
    const c = Math.pow(Math.abs(2 * p - 1), power);
    const l = lambda * (uw + (1 - uw) * c) * (band.nearHint?.[i] ? hintW : 1);
    const m = (extra?.data?.weight[i] as number | undefined) ?? 0;
    const t = (extra?.data?.target[i] as number | undefined) ?? 0;
    lam[k] = l + m;
    target[k] = l + m > 0 ? (l * p + m * t) / (l + m) : p;
  }
  const ops = [bandLaplacian(guide, band, opts.eps ?? 1e-6), ...(extra?.operators ?? [])];
  const res = await solveBandCg(band, x, ops, lam, target, {
    maxIterations: opts.maxIterations ?? 300,
    tolerance: opts.tolerance ?? 1e-3,
    deadline: opts.deadline ?? Number.POSITIVE_INFINITY,
    clock: now,
    yielder: opts.yielder,
  });
  return finish(res.iterations, res.relativeResidual, res.timedOut);
}
