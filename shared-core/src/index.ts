/** Public surface of the core for hosts and the CLI; runtimes are @cutout/core-node / @cutout/core-web. */
export { CoreError, isCoreError, throwIfAborted, type CoreErrorCode } from './errors.js';
export { assertRgbaImage, alphaToBytes, MAX_PIXELS, type AlphaMatte, type RgbaImage } from './image.js';
export { parseModelManifest, OUTPUT_ACTIVATIONS, type ModelManifest, type ModelPrecision, type OutputActivation } from './model-manifest.js';
export { applyOutputActivation, isAlphaValue } from './model-output.js';
export type { InferenceRuntime, InferenceSession } from './runtime-port.js';
export type { ProgressEvent, ProgressListener, StageTimings } from './progress.js';
export { preprocess, type PreprocessOptions, type ResizeMode } from './preprocess.js';
export { computeTaps, resamplePlane } from './resample.js';
export { downscaleRgba, downscaleMatte } from './area-downscale.js';
export { applyHintsInPlace, assertHintSize, HINT_KEEP, HINT_REMOVE, type HintMask } from './hints.js';
export { bilinearRefiner, type Refiner, type RefineInput } from './refiner.js';
export { clampUnit } from './clamp.js';
export { composeCutout, subjectBounds, CROP_THRESHOLD, type ComposeOptions, type Rect, type Rgb } from './compose.js';
export type { CutoutRows, CutoutRowsListener } from './cutout-rows.js';
export { REMOVE_QUALITIES, type RemoveQuality } from './mirror-average.js';
export { BackgroundRemover, type CutoutOptions, type CutoutResult, type MatteResult, type PreparedInput, type RemoverOptions, type RunOptions } from './pipeline.js';
export { parseColour } from './colour.js';
// A host mask the user painted over: strokes as hints, the re-solve from them (Photoshop's Refine edges, Canva's brush).
export { CHANGED, HINT_UNKNOWN, mergePainting, paintedHints, refineFromPainting, type PaintedHints, type PaintedRefineInput, type PaintedRefineResult } from './painted-refine.js';
export { decontaminate, DECONTAMINATE_GRID_PIXELS, DECONTAMINATE_MAX_PIXELS, type DecontaminateOptions } from './decontaminate.js';
// The matting pass's building blocks (solver, band codes, filters) are `@cutout/core/matting`;
// the main entry carries only the one matting type a caller passes in (RunOptions.edge).
export type { EdgeControls } from './matting/index.js';
