/** The matting refiner's options and their defaults (./matting-refiner.ts), with the measurements behind them. */
import type { EdgeControls } from './edge-controls.js';
import type { HintSolverName, HintSolverSpec } from './hint-solvers.js';

export interface MattingOptions {
  /**
   * Run the closed-form solve in the band: true = always, false = guided filter only, 'hints'
   * (default) = only when hints are given. Measured on the eval set, the time-bounded solve does not
   * beat the guided filter without hints (see the report), but with hints it is a large gain.
   */
  readonly solve?: boolean | 'hints';
  /** Time budget of the solve in ms (default 400); on expiry the best iterate is used. */
  readonly maxSolveMs?: number;
  /** CG iteration cap (default 200). */
  readonly maxIterations?: number;
  /** Long side of the grid the prior, band and solve run on (default 1024); larger images are upsampled with the fast guided filter. */
  readonly solveMaxSide?: number;
  /**
   * Long side of the grid for images larger than solveMaxSide when only the guided filter runs
   * (automatic mode, default 512). Measured (tools/eval/bin/eval-large.ts, alphamatting dev half upscaled
   * ×4 / ×2): 512 vs 1024 px changes SAD by +0.1 %, MSE −0.2 %, Grad −2 to −3.5 %, and halves the
   * refine time.
   */
  readonly guidedMaxSide?: number;
  /** Guided-filter radius on the work grid, as a fraction of its long side (default 1/256, at least 2 px). */
  readonly guidedRadius?: number;
  /** Guided-filter ε (default 1e-3, intensities in [0, 1]). */
  readonly guidedEps?: number;
  /** Band dilation radius as a fraction of the work grid's long side (default 1/128, at least 2 px). */
  readonly bandRadius?: number;
  /** Levin's ε (default 1e-6). */
  readonly eps?: number;
  /** Data-term weight towards the guided prior (default 0.01). */
  readonly lambda?: number;
  /**
   * Solve settings when the user gave hints (an explicit re-solve, e.g. after a brush stroke): no
   * prior term (the strokes and the Laplacian decide; default 0), a longer budget (default 1500 ms)
   * and iteration cap (default 3000). Measured on the alphamatting dev half with trimap1 as hints:
   * u_SAD 7.10 (λ 0.01, 400 ms) → 6.49 (λ 0, 400 ms) → 5.99 (λ 0, 1500 ms); 1–2 s with λ 0.01 gave 6.70.
   */
  readonly hintLambda?: number;
  readonly maxHintSolveMs?: number;
  /**
   * CG budget of a brush stroke's local re-solve (hints under localHintsBelow; default 240 ms: with
   * the blending around it the re-solve stays under 300 ms on an 800 px photo). Strokes
   * solve the closed-form energy (with the solver's prior, if any) without nonlocal terms: their
   * neighbour search alone took 300–500 ms on a stroke's neighbourhood (dev half, 2-core machine).
   */
  readonly maxStrokeSolveMs?: number;
  readonly maxHintIterations?: number;
  /** Radius (px of the work grid) and ε of the fast-guided-filter upsampling (defaults 1 and 1e-4). */
  readonly upsampleRadius?: number;
  readonly upsampleEps?: number;
  /** Feather / shift / smooth / hard edge; all off by default. */
  readonly edge?: EdgeControls;
  /** Longest stretch (ms) of work between yields to the event loop (default 12). */
  readonly yieldMs?: number;
  /**
   * Hints covering less than this fraction of the image count as brush strokes: their re-solve is
   * kept local to the strokes (default 0.5; a trimap covers far more).
   */
  readonly localHintsBelow?: number;
  /** The hinted solve's variant (./hint-solvers.ts): a name, or a spec (measurements). Default 'info-flow'. */
  readonly hintSolver?: HintSolverName | HintSolverSpec;
  /**
   * Hints covering ≥ localHintsBelow (a trimap): solve 'all' its undecided pixels (default), or only
   * those 'near' a hint, within 2 band radii (before issue 15: the rest kept the prior's 0/1).
   */
  readonly trimapBand?: 'all' | 'near';
  /**
   * The clock (ms) the solve's time budgets are read on; default performance.now (wall time: what
   * the user waits). The eval passes the process's CPU time, so that its figures do not depend on
   * how loaded a shared machine is (on a quiet machine the two agree: the solve is one thread).
   */
  readonly solveClock?: () => number;
  /** Diagnostics hook: called once per refine with the solve's statistics. */
  readonly onSolveStats?: (stats: { band: number; pixels: number; iterations: number; relativeResidual: number; timedOut: boolean; ms: number }) => void;
}

export const DEFAULT_MATTING_OPTIONS: Required<Omit<MattingOptions, 'edge' | 'onSolveStats' | 'solveClock'>> = {
  hintSolver: 'info-flow',
  trimapBand: 'all',
  solve: 'hints',
  maxSolveMs: 400,
  maxIterations: 200,
  solveMaxSide: 1024,
  guidedMaxSide: 512,
  guidedRadius: 1 / 256,
  guidedEps: 1e-3,
  bandRadius: 1 / 128,
  eps: 1e-6,
  lambda: 0.01,
  hintLambda: 0,
  maxHintSolveMs: 1500,
  maxStrokeSolveMs: 240,
  maxHintIterations: 3000,
  localHintsBelow: 0.5,
  upsampleRadius: 1,
  upsampleEps: 1e-4,
  yieldMs: 12,
};
