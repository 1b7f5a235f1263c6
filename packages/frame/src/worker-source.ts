/** The inference worker's script, bundled by scripts/build.mjs and written into the frame bundle as a string. */
declare const __INFERENCE_WORKER__: string;

/** The script, or null where no build put it in (Node tests, where the constant is not defined). */
export function inferenceWorkerSource(): string | null {
  try {
    return __INFERENCE_WORKER__;
  } catch {
    return null;
  }
}
