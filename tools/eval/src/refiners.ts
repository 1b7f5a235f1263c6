/** Refiner names the measurement scripts accept (`--refiner`). */
import { bilinearRefiner, type Refiner } from '@cutout/core';
import { createMattingRefiner as createRefiner, type MattingOptions } from '@cutout/core/matting';

/** Every name `refinerByName` accepts ('default' is what BackgroundRemover uses when given no refiner). */
export const REFINER_NAMES = [
  'default',
  'bilinear',
  'guided',
  'guided-1024',
  'matting',
  'matting-lowres',
  'matting-converged',
  'matting-solve',
  // The hinted solve's variants (issue 15; shared-core/src/matting/hint-solvers.ts), compared with --hints trimap1|trimap2.
  'hinted-closed-form-near',
  'hinted-closed-form-before',
  'hinted-closed-form',
  'hinted-net-prior',
  'hinted-knn',
  'hinted-info-flow',
  'hinted-info-flow-unbounded',
  'hinted-info-flow-every-level',
  'hinted-info-flow-sampling',
  'hinted-info-flow-sampling-every-level',
] as const;

/** `base`: options every matting refiner gets (the eval's solve clock); the name's own settings win. */
export function refinerByName(name: string, base: MattingOptions = {}): Refiner {
  const createMattingRefiner = (options: MattingOptions = {}): Refiner => createRefiner({ ...base, ...options });
  switch (name) {
    case 'bilinear':
      return bilinearRefiner;
    case 'guided': // fast guided filter only, no band solve
      return createMattingRefiner({ solve: false });
    case 'guided-1024': // the automatic path with the guided filter on a grid of long side ≤ 1024 (the default before)
      return createMattingRefiner({ guidedMaxSide: 1024 });
    case 'default': // what BackgroundRemover uses when given no refiner
    case 'matting': // defaults: guided filter, band solve only around hints
      return createMattingRefiner();
    case 'matting-solve': // band solve also without hints (default budget)
      return createMattingRefiner({ solve: true });
    case 'matting-lowres': // solve on a grid of long side 512, fast-guided-filter upsampling
      return createMattingRefiner({ solve: true, solveMaxSide: 512 });
    case 'matting-converged': // no time budget: what the solve gives when it converges
      return createMattingRefiner({ solve: true, maxSolveMs: 60_000, maxIterations: 3000 });
    case 'hinted-closed-form-near': // the hinted solve before issue 15: trimap pixels far from a hint keep the prior's 0/1
      return createMattingRefiner({ hintSolver: 'closed-form-before', trimapBand: 'near' });
    case 'hinted-closed-form-before': // the same solver, every undecided pixel of a trimap solved
      return createMattingRefiner({ hintSolver: 'closed-form-before' });
    case 'hinted-closed-form':
      return createMattingRefiner({ hintSolver: 'closed-form' });
    case 'hinted-net-prior':
      return createMattingRefiner({ hintSolver: 'net-prior' });
    case 'hinted-knn':
      return createMattingRefiner({ hintSolver: 'knn' });
    case 'hinted-info-flow':
      return createMattingRefiner({ hintSolver: 'info-flow' });
    case 'hinted-info-flow-unbounded': // no 1.5 s budget: what today's solve gives when it is not cut short
      return createMattingRefiner({ hintSolver: 'info-flow', maxHintSolveMs: Number.POSITIVE_INFINITY });
    case 'hinted-info-flow-every-level': // the nonlocal terms on every level too, no budget: the method's ceiling here
      return createMattingRefiner({ hintSolver: 'info-flow-every-level', maxHintSolveMs: Number.POSITIVE_INFINITY });
    case 'hinted-info-flow-sampling': // info-flow plus sampled estimates (shared / global sampling) as a data term
      return createMattingRefiner({ hintSolver: 'info-flow-sampling' });
    case 'hinted-info-flow-sampling-every-level': // the sampled data term on every level of the pyramid
      return createMattingRefiner({ hintSolver: 'info-flow-sampling-every-level' });
    default:
      throw new Error(`unknown refiner "${name}" (known: ${REFINER_NAMES.join(', ')})`);
  }
}
