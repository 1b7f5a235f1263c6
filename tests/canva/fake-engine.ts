/**
 * The model for the Canva views' tests, injected where the app takes its engine factory (the frame
 * server's `CreateEngine`): the shared FakeEngine (a real BackgroundRemover, so the real core
 * refines, decontaminates and composes, on a fake network output: left half background, right
 * half subject), plus what the real engine reports on a first run: the model download with its
 * size, then the model run. Gates hold the run in the download or in the model run, as a slow
 * network or a slow device would. `onCall` sees each point where the real engine would block the
 * page (creating the engine, then compiling and running the model).
 */
import type { RgbaImage } from '@cutout/core';
import type { CreateEngine } from '@cutout/frame/server';
import type { LoadProgress, PredictOptions } from '../../packages/frame/src/engine.js';
import type { EnginePrediction, FrameConfig } from '../../packages/frame/src/engine-factory.js';
import { FakeEngine, TEST_CAPS, type Gate } from '../helpers/fake-frame-engine.js';
import type { RuntimeEnvironment } from '../../canva-app/src/runtime/engine.js';

/** What a first run downloads: the int8 model (45.7 MB) and ORT's .wasm (14.2 MB); docs/models.md, canva-notes §5. */
export const FIRST_RUN_BYTES = 45_700_000 + 14_200_000;

interface EngineScript {
  /** Reported in order before the model runs (empty: the model is cached). */
  download: LoadProgress[];
  /** Holds the run after the download was reported, until opened. */
  downloadGate: Gate | null;
  /** Holds the model run until opened (or the run is cancelled). */
  gate: Gate | null;
}

class CanvaFakeEngine extends FakeEngine {
  constructor(
    config: FrameConfig,
    private readonly script: EngineScript,
    private readonly onCall: (what: 'predict') => void,
  ) {
    super(config);
    this.gate = script.gate;
  }

  override async predict(image: RgbaImage, options: PredictOptions = {}): Promise<EnginePrediction> {
    this.onCall('predict');
    for (const p of this.script.download) options.onLoad?.(p);
    await this.script.downloadGate?.opened;
    options.onStage?.({ stage: 'inference', fraction: 0 });
    return super.predict(image, { signal: options.signal });
  }
}

export interface FakeEngines extends EngineScript {
  readonly createEngine: CreateEngine;
  readonly engines: CanvaFakeEngine[];
}

export function canvaFakeEngines(onCall: (what: 'create' | 'predict') => void = () => undefined): FakeEngines {
  const state: FakeEngines = {
    engines: [],
    download: [],
    downloadGate: null,
    gate: null,
    createEngine: (config) => {
      onCall('create');
      const engine = new CanvaFakeEngine(config, state, onCall);
      state.engines.push(engine);
      return engine;
    },
  };
  return state;
}

/** What `detectEnvironment()` gives in a browser without WebGPU; no Cache Storage (a memory cache). */
export const TEST_ENV: RuntimeEnvironment = {
  caps: { ...TEST_CAPS, webgpu: false, shaderF16: false },
  webgpu: { status: 'unavailable', detail: 'navigator.gpu is missing' },
};
