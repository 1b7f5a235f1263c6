/**
 * The one seam between the pipeline and an inference engine. onnxruntime-node implements it in
 * @cutout/core-node (packages/core-node), onnxruntime-web in @cutout/core-web (packages/core-web);
 * tests may add others.
 */
import type { ModelManifest } from './model-manifest.js';

export interface InferenceSession {
  readonly manifest: ModelManifest;
  /** Name of the backend that actually runs the session ('cpu', 'wasm', 'webgpu'). */
  readonly backend: string;
  /**
   * Runs the model on one NCHW float32 input of `manifest.input.shape` and returns the first
   * channel of `manifest.output` (length H × W). The returned array is owned by the caller.
   */
  run(input: Float32Array, signal?: AbortSignal): Promise<Float32Array>;
  dispose(): Promise<void>;
}

export interface InferenceRuntime {
  /** Creates a session for verified model bytes; the runtime does not re-check the hash. */
  createSession(manifest: ModelManifest, bytes: Uint8Array): Promise<InferenceSession>;
}
