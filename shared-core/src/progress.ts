/** Progress events are a discriminated union on `stage`; `fraction` is in [0, 1] and never decreases within a stage. */
export type ProgressEvent =
  | { readonly stage: 'model-load'; readonly fraction: number; readonly loadedBytes: number; readonly totalBytes: number }
  | { readonly stage: 'preprocess'; readonly fraction: number }
  | { readonly stage: 'inference'; readonly fraction: number }
  | { readonly stage: 'refine'; readonly fraction: number }
  | { readonly stage: 'compose'; readonly fraction: number }
  | { readonly stage: 'done'; readonly fraction: 1; readonly timings: StageTimings };

export type ProgressListener = (event: ProgressEvent) => void;

/** Milliseconds spent in each stage of one pipeline run. */
export interface StageTimings {
  preprocess: number;
  inference: number;
  refine: number;
  compose: number;
}
