/**
 * The core in the app's own document (Canva allows no workers and no nested frames): the frame's
 * `Engine` on the WASM-only onnxruntime-web build that scripts/build-canva.mjs bundles, on the
 * main thread, single-threaded, no proxy. The .wasm and the model are downloaded from the model
 * host by the frame's `AssetLoader` and handed to ORT as bytes (`wasmBinary`, a session from a
 * Uint8Array); never a `wasmPaths` prefix, which would `import()` a script Canva's CSP blocks.
 * Both are kept in Cache Storage (else IndexedDB) by sha256 and verified on every read. No cache
 * helper frame: Canva's CSP has `frame-src 'none'`.
 */
import { createAssetCache } from '@cutout/frame/asset-cache';
import { AssetLoader } from '@cutout/frame/asset-loader';
import { detectCapabilities, type DetectedCapabilities } from '@cutout/frame/capabilities';
import { Engine } from '@cutout/frame/engine';
import type { CreateEngine, EngineLike, FrameConfig } from '@cutout/frame/server';
import { MODEL_BASE, MODEL_ID } from '../config.js';
import { probeWebGpu, type WebGpuProbe } from './webgpu-probe.js';

type Logger = (message: string, detail?: unknown) => void;

// The app's one diagnostic sink (frame server, model and .wasm download, WebGPU probe), read in the browser's console;
// the only console call in the app (Canva's lint allows console.info in this file alone: canva-app/canva.eslint.config.mjs).
export const log: Logger = (message, detail) => console.info(`[cutout-canva] ${message}`, detail ?? '');

/** The one configuration the panel's frame server and the overlay run: WASM, on this page's main thread. */
export const CANVA_CONFIG: FrameConfig = { modelBaseUrl: MODEL_BASE, backend: 'wasm', model: MODEL_ID, inputSize: undefined, inference: 'main-thread' };

/**
 * WASM always: the WebGPU build's glue needs `new Function`, which the CSP refuses (webgpu-probe.ts).
 * The views take the factory as a prop defaulting to this one (the frame server's own seam), so
 * Node tests run them on a fake model session.
 */
export const createCanvaEngine: CreateEngine = (config, caps, cache, logger) =>
  new Engine(caps, new AssetLoader(config.modelBaseUrl ?? MODEL_BASE, cache, logger, (...args) => fetch(...args), undefined, null), {
    backend: 'wasm',
    model: config.model,
    inference: 'main-thread',
  }, logger);

export interface RuntimeEnvironment {
  readonly caps: DetectedCapabilities;
  readonly webgpu: WebGpuProbe;
}

/** What this page can do; WebGPU is probed and reported, never trusted blindly. */
export async function detectEnvironment(): Promise<RuntimeEnvironment> {
  const [caps, webgpu] = await Promise.all([detectCapabilities(), probeWebGpu()]);
  if (webgpu.status !== 'unavailable') log(`WebGPU: ${webgpu.status} (${webgpu.detail}); running on WASM`);
  // The WASM-only build cannot use a WebGPU adapter: the engine must not plan a WebGPU session.
  return { caps: { ...caps, webgpu: false, shaderF16: false }, webgpu };
}

/** An engine for the overlay (the brush needs the network alpha, which the frame server does not return). */
export function createOverlayEngine(env: RuntimeEnvironment, createEngine: CreateEngine = createCanvaEngine): EngineLike {
  return createEngine(CANVA_CONFIG, env.caps, createAssetCache(env.caps), log);
}
