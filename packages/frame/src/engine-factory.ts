/**
 * What the frame server needs of an engine, and how it gets one. Injectable the way `Engine`
 * takes `createRuntime`: Node tests run `FrameServer` with a fake; the default is `Engine` on
 * onnxruntime-web, loading assets from the configured model base URL.
 */
import { CoreError, type AlphaMatte, type ProgressListener, type RgbaImage } from '@cutout/core';
import type { BackendChoice, InferenceMode } from '@cutout/protocol';
import type { AssetCache } from './asset-cache.js';
import { AssetLoader } from './asset-loader.js';
import type { DetectedCapabilities } from './capabilities.js';
import { Engine, type ActiveSession, type LoadProgress } from './engine.js';

export interface FrameConfig {
  readonly modelBaseUrl: string | undefined;
  readonly backend: BackendChoice;
  readonly model: string | undefined;
  readonly inputSize: number | undefined;
  /** Where the model runs: 'worker' (default) or 'main-thread' (hosts without workers, e.g. Canva). */
  readonly inference?: InferenceMode | undefined;
}

export interface EnginePrediction {
  readonly lowRes: AlphaMatte;
  readonly session: ActiveSession;
  readonly preprocessMs: number;
  readonly inferenceMs: number;
}

export interface EngineLike {
  /** The loaded session, null before the first load (diagnostics read it). */
  readonly current: ActiveSession | null;
  ensure(signal?: AbortSignal, onProgress?: (p: LoadProgress) => void): Promise<ActiveSession>;
  predict(image: RgbaImage, signal?: AbortSignal, onProgress?: (p: LoadProgress) => void, onStage?: ProgressListener): Promise<EnginePrediction>;
  dispose(): Promise<void>;
  /** Where the model runs once started (a worker may fall back to the main thread); optional. */
  where?(): InferenceMode;
  /** Whether the model host's helper frame answered with storage (it keeps the model where the frame cannot). */
  helperFrame?(): boolean;
}

type Logger = (message: string, detail?: unknown) => void;

/** Makes the engine for a configuration; called on first use and again after a reconfigure. */
export type CreateEngine = (config: FrameConfig, caps: DetectedCapabilities, cache: AssetCache, log: Logger) => EngineLike;

export const defaultCreateEngine: CreateEngine = (config, caps, cache, log) => {
  const base = config.modelBaseUrl;
  if (!base) throw new CoreError('model_missing', 'No model base URL is configured: the host must send configure { modelBaseUrl } first.');
  const loader = new AssetLoader(base, cache, log);
  return new Engine(caps, loader, { backend: config.backend, model: config.model, inputSize: config.inputSize, inference: config.inference }, log);
};
