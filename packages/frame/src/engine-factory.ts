/**
 * What the frame server needs of an engine, and how it gets one. Injectable the way `Engine`
 * takes `createRuntime`: Node tests run `FrameServer` with a fake; the default is `Engine` on
 * onnxruntime-web, loading assets from the configured model base URL.
 */
import { CoreError, type AlphaMatte, type RgbaImage } from '@cutout/core';
import type { BackendChoice, InferenceMode, ModelDelivery } from '@cutout/protocol';
import type { AssetCache } from './asset-cache.js';
import { AssetLoader } from './asset-loader.js';
import type { DetectedCapabilities } from './capabilities.js';
import { Engine, type ActiveSession, type LoadProgress, type PredictOptions } from './engine.js';
import { createScriptReader, type HostFiles, type LocalFileReader } from './local-files.js';

export interface FrameConfig {
  readonly modelBaseUrl: string | undefined;
  readonly backend: BackendChoice;
  readonly model: string | undefined;
  readonly inputSize: number | undefined;
  /** Where the model runs: 'worker' (default) or 'main-thread' (hosts without workers, e.g. Canva). */
  readonly inference?: InferenceMode | undefined;
  /** With a page-relative base: fetch the files beside the page (default), load them as scripts, or take them from the host. */
  readonly modelDelivery?: ModelDelivery | undefined;
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
  predict(image: RgbaImage, options?: PredictOptions): Promise<EnginePrediction>;
  dispose(): Promise<void>;
  /** Where the model runs once started (a worker may fall back to the main thread); optional. */
  where?(): InferenceMode;
  /** Whether the model host's helper frame answered with storage (it keeps the model where the frame cannot). */
  helperFrame?(): boolean;
}

type Logger = (message: string, detail?: unknown) => void;

/** Makes the engine for a configuration; called on first use and again after a reconfigure. `hostFiles`: what the host sent with `asset`. */
export type CreateEngine = (config: FrameConfig, caps: DetectedCapabilities, cache: AssetCache, log: Logger, hostFiles?: HostFiles) => EngineLike;

function localReader(config: FrameConfig, hostFiles: HostFiles | undefined): LocalFileReader | null {
  const delivery = config.modelDelivery ?? 'fetch';
  if (delivery === 'fetch') return null;
  if (!config.modelBaseUrl?.startsWith('./')) throw new CoreError('invalid_argument', `modelDelivery '${delivery}' needs a model base beside the page ('./').`);
  if (delivery === 'host') {
    if (!hostFiles) throw new CoreError('invalid_argument', "modelDelivery 'host' needs a frame that keeps the host's files.");
    return hostFiles;
  }
  return createScriptReader(document, new URL(config.modelBaseUrl, location.href).href);
}

export const defaultCreateEngine: CreateEngine = (config, caps, cache, log, hostFiles) => {
  const base = config.modelBaseUrl;
  if (!base) throw new CoreError('model_missing', 'No model base URL is configured: the host must send configure { modelBaseUrl } first.');
  const reader = localReader(config, hostFiles);
  const loader = reader ? new AssetLoader(base, cache, log, undefined, undefined, null, reader) : new AssetLoader(base, cache, log);
  return new Engine(caps, loader, { backend: config.backend, model: config.model, inputSize: config.inputSize, inference: config.inference }, log);
};
