/**
 * The hinted solvers the stroke eval compares (`npm run eval -- --strokes … --solvers NAME,…`): each
 * a Refiner that turns the network alpha and the user's hints into the matte, as ./refiners.ts names
 * the automatic ones. A new solver is one line here, and a column in the stroke table.
 */
import type { Refiner } from '@cutout/core';
import { createMattingRefiner } from '@cutout/core/matting';

export const HINTED_SOLVERS = {
  // Today's: the default matting refiner, closed-form solve in the band around the hints (λ 0, 1.5 s budget, kept local to strokes).
  'closed-form': () => createMattingRefiner(),
  // The same solve without the time budget (iteration cap 3000 only): what it gives when it is not cut short, and the
  // same on any machine (the budgeted solve stops where the clock says, so its figures move with the machine's load).
  'closed-form-unbounded': () => createMattingRefiner({ maxHintSolveMs: Number.POSITIVE_INFINITY }),
  // No re-solve: the guided-filter matte with the strokes pasted in, the floor a solver has to beat.
  paste: () => createMattingRefiner({ solve: false }),
} as const satisfies Record<string, () => Refiner>;

export type HintedSolverName = keyof typeof HINTED_SOLVERS;
export const HINTED_SOLVER_NAMES = Object.keys(HINTED_SOLVERS) as HintedSolverName[];

export function hintedSolverByName(name: HintedSolverName): Refiner {
  return HINTED_SOLVERS[name]();
}
