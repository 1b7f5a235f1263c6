/** Refiner names the measurement scripts accept (`--refiner`). */
import { bilinearRefiner, type Refiner } from '@cutout/core';
import { createMattingRefiner } from '@cutout/core/matting';

/** Every name `refinerByName` accepts ('default' is what BackgroundRemover uses when given no refiner). */
export const REFINER_NAMES = ['default', 'bilinear', 'guided', 'guided-1024', 'matting', 'matting-lowres', 'matting-converged', 'matting-solve'] as const;

export function refinerByName(name: string): Refiner {
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
    default:
      throw new Error(`unknown refiner "${name}" (known: ${REFINER_NAMES.join(', ')})`);
  }
}
