/**
 * The hinted solvers the stroke eval compares (`npm run eval -- --strokes … --solvers NAME,…`): each
 * a Refiner that turns the network alpha and the user's hints into the matte, as ./refiners.ts names
 * the automatic ones. A new solver is one line here, and a column in the stroke table.
 */
import type { Refiner } from '@cutout/core';
import { createMattingRefiner, type MattingOptions } from '@cutout/core/matting';

export const HINTED_SOLVERS = {
  // Today's: the default matting refiner. Strokes: the closed-form energy in the strokes' neighbourhood, 240 ms budget
  // (shared-core/src/matting/hint-solvers.ts; nonlocal terms are for trimap-sized hints).
  default: (base: MattingOptions) => createMattingRefiner(base),
  // The solve before issue 15 (closed-form, its coarse-to-fine schedule, the 1.5 s budget strokes had then).
  'closed-form-before': (base: MattingOptions) => createMattingRefiner({ ...base, hintSolver: 'closed-form-before', maxStrokeSolveMs: 1500 }),
  // The network alpha as a confidence-weighted prior near the strokes too.
  'net-prior': (base: MattingOptions) => createMattingRefiner({ ...base, hintSolver: 'net-prior' }),
  // Today's without a time budget (iteration cap 3000 only): what it gives when it is not cut short, and the
  // same on any machine (the budgeted solve stops where the clock says, so its figures move with the machine's load).
  'default-unbounded': (base: MattingOptions) => createMattingRefiner({ ...base, maxHintSolveMs: Number.POSITIVE_INFINITY, maxStrokeSolveMs: Number.POSITIVE_INFINITY }),
  // No re-solve: the guided-filter matte with the strokes pasted in, the floor a solver has to beat.
  paste: (base: MattingOptions) => createMattingRefiner({ ...base, solve: false }),
} as const satisfies Record<string, (base: MattingOptions) => Refiner>;

export type HintedSolverName = keyof typeof HINTED_SOLVERS;
export const HINTED_SOLVER_NAMES = Object.keys(HINTED_SOLVERS) as HintedSolverName[];

/** `base`: options every solver gets (the eval's solve clock); the solver's own settings win. */
export function hintedSolverByName(name: HintedSolverName, base: MattingOptions = {}): Refiner {
  return HINTED_SOLVERS[name](base);
}
