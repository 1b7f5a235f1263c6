/** Node entry point: onnxruntime-node runtime, model loading from disk, a ready-made remover, registering the user's own models. */
import { BackgroundRemover, type RemoverOptions } from '@cutout/core';
import { loadVerifiedModel, readManifest, readModelIndex } from './model-store.js';
import { createOrtNodeRuntime, type OrtNodeOptions } from './ort-node-runtime.js';

export { createOrtNodeRuntime, type OrtNodeOptions } from './ort-node-runtime.js';
export { registerModel, type RegisterOptions } from './model-register.js';
export { listModels, removeModel, type ModelListing } from './model-registry.js';
export type { InputSize, Normalisation, Triple } from './model-fit.js';
export { loadVerifiedModel, readManifest, readModelIndex, sha256Hex, REBUILD_HINT, type ModelIndex } from './model-store.js';

export interface NodeRemoverOptions extends RemoverOptions, OrtNodeOptions {
  /** Folder with the prepared models (`npm run models`). */
  readonly modelsDir: string;
  /** Model id; defaults to the index's default. */
  readonly modelId?: string | undefined;
}

export async function createNodeRemover(options: NodeRemoverOptions): Promise<BackgroundRemover> {
  const id = options.modelId ?? (await readModelIndex(options.modelsDir)).default;
  const manifest = await readManifest(options.modelsDir, id);
  const bytes = await loadVerifiedModel(options.modelsDir, manifest);
  const session = await createOrtNodeRuntime(options).createSession(manifest, bytes);
  return new BackgroundRemover(session, options);
}
