/** Public surface of the matting pass (re-exported by the core's index). */
export { boxMean, dilateMask } from './box.js';
export {
  applyCoefficients,
  applyCoefficientsUpsampled,
  guideFromRgba,
  guidedCoefficients,
  guidedFilter,
  type GuidedCoefficients,
  type GuidePlanes,
} from './guided-filter.js';
export { computeBand, downsampleHints, BAND_BG, BAND_FG, BAND_UNKNOWN, BAND_HINT_BG, BAND_HINT_FG, type Band, type BandOptions } from './trimap-band.js';
export { solveClosedForm, type SolveOptions, type SolveResult } from './closed-form.js';
export { solveCoarseToFine } from './coarse-to-fine.js';
export { applyEdgeControls, signedEdgeDistance, type EdgeControls } from './edge-controls.js';
export { estimateForegroundBackground, estimateForegroundMultiLevel, type ForegroundBackground, type ForegroundOptions } from './foreground.js';
export { assertLowResAlpha, createMattingRefiner, estimateForeground, guideAtSize } from './matting-refiner.js';
export { DEFAULT_MATTING_OPTIONS, type MattingOptions } from './matting-options.js';
export { createYielder, type Yielder } from './yielder.js';
