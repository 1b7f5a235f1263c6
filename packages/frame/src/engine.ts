/**
 * Sessions for the frame: picks the backend and model variant from the detected capabilities,
 * falls back WebGPU → WASM when WebGPU is missing, its session cannot be created, or the device
 * is lost mid-run (the run is repeated on WASM, so the user gets a result either way), and keeps
 * one session alive between requests.
 */
import { BackgroundRemover, CoreError, isCoreError, type AlphaMatte, type ModelManifest, type ProgressListener, type RemoveQuality, type RgbaImage } from '@cutout/core';
import type { InferenceRuntime } from '@cutout/core';
import type { OrtBuild, OrtWebOptions, WebBackend } from '@cutout/core-web';
import type { BackendChoice, Capabilities } from '@cutout/protocol';
import type { AssetLoader, AssetSource } from './asset-loader.js';
import { expectedInferenceMs, withInferenceEstimate } from './inference-estimate.js';
import { createInferenceRuntimes, type InferenceMode, type InferenceRuntimes } from './worker-runtime.js';
import { inferenceWorkerSource } from './worker-source.js';

/**
 * Model variant per backend (see docs/models.md): the weight-only int8 file everywhere (45.7 MB
 * instead of 176 MB, folded to fp32 at session creation: the same kernels and speed as
 * isnet-fp32-web, SAD +0.4 % on the dev half). Adapters with `shader-f16` get it too: fp32 compute
 * runs on every adapter, and the fp16 file (88 MB) would double the first download for a speed-up
 * this project has not measured on a real GPU; `model: 'isnet-fp16-web'` still selects it.
 */
const WEB_MODELS = {
  webgpu: 'isnet-int8-web',
  wasm: 'isnet-int8-web',
} as const;

export interface EngineOptions {
  readonly backend: BackendChoice;
  /**
   * Override the model id: any `<base>models/<id>.json` prepared for wasm or webgpu, e.g.
   * 'isnet-fp32-web-dynamic' for reduced-size tests or a model added with `cutout models add`.
   */
  readonly model?: string | undefined;
  /** Square input size for models with `dynamicSize` (multiples of 64); default the manifest's. */
  readonly inputSize?: number | undefined;
  /** The runtime factory (onnxruntime-web); replaceable so the fallback logic can be tested in Node. */
  readonly createRuntime?: ((options: OrtWebOptions) => InferenceRuntime) | undefined;
  /**
   * Where the model runs when `createRuntime` is not given: 'worker' (default; the frame's UI and
   * cancel stay responsive, falls back to the main thread where no worker starts) or 'main-thread'
   * (hosts that allow no workers, e.g. Canva).
   */
  readonly inference?: InferenceMode | undefined;
}

export interface LoadProgress {
  readonly loadedBytes: number;
  readonly totalBytes: number;
}

export interface ActiveSession {
  readonly remover: BackgroundRemover;
  readonly backend: WebBackend;
  readonly model: string;
  readonly source: AssetSource;
  /** The model file's size in bytes. */
  readonly modelBytes: number;
  readonly fallbackReason: string | undefined;
}

interface Attempt {
  readonly backend: WebBackend;
  readonly model: string;
}

/** The backends the frame runs models on (a manifest's `backends` may also say 'cpu', for onnxruntime-node). */
const FRAME_BACKENDS: readonly string[] = ['wasm', 'webgpu'];

/**
 * Refuses, before any download, a model not prepared for this backend: `runtime_unavailable` (the
 * next backend is tried) when it is prepared for the other one, `model_unsupported` when for
 * neither (e.g. a model registered with `cutout models add` for cpu only).
 */
function assertBackend(manifest: ModelManifest, backend: WebBackend): void {
  if (manifest.backends.includes(backend)) return;
  if (manifest.backends.some((b) => FRAME_BACKENDS.includes(b))) throw new CoreError('runtime_unavailable', `Model ${manifest.id} is not prepared for ${backend}.`);
  const fix = manifest.registered
    ? `register it again with --backends ${[...new Set([...manifest.backends, ...FRAME_BACKENDS])].join(',')} ("cutout models remove ${manifest.id}", then "cutout models add … --backends …")`
    : 'choose a model prepared for them (e.g. isnet-int8-web)';
  throw new CoreError(
    'model_unsupported',
    `Model ${manifest.id} is prepared for ${manifest.backends.join(', ') || 'no backend'} only (its manifest's backends); the frame runs models on wasm or webgpu: ${fix}.`,
  );
}

function withInputSize(manifest: ModelManifest, size: number | undefined): ModelManifest {
  if (size === undefined || (size === manifest.input.shape[2] && size === manifest.input.shape[3])) return manifest;
  if (!manifest.dynamicSize) throw new CoreError('invalid_argument', `Model ${manifest.id} has a fixed input size; inputSize ${size} needs a dynamic-size model.`);
  if (!Number.isInteger(size) || size < 64 || size % 64 !== 0) throw new CoreError('invalid_argument', `inputSize must be a multiple of 64; got ${size}.`);
  return {
    ...manifest,
    input: { ...manifest.input, shape: [1, 3, size, size] },
    output: { ...manifest.output, shape: [1, 1, size, size] },
  };
}

/** How the frame's engine runs one prediction. */
export interface PredictOptions {
  readonly signal?: AbortSignal | undefined;
  /** The model download's progress (first use, or after a reconfigure). */
  readonly onLoad?: ((p: LoadProgress) => void) | undefined;
  /** The core's preprocess and inference events, with estimates while the model runs. */
  readonly onStage?: ProgressListener | undefined;
  /** 'high' runs the model twice (the core's RunOptions.quality); default 'standard'. */
  readonly quality?: RemoveQuality | undefined;
}

export class Engine {
  private active: ActiveSession | null = null;
  private wasmBinary: Uint8Array | null = null;
  /** Backends that failed in this frame: not tried again until reload. */
  private readonly failed = new Map<WebBackend, string>();
  /** The worker (or main-thread) runtimes behind the sessions; the worker ends with the engine. */
  private runtimes: InferenceRuntimes | null = null;
  /** The last run's duration per backend, for the inference progress estimate. */
  private readonly inferenceMs = new Map<WebBackend, number>();
  /** The loaded model's input size in pixels (its manifest, or inputSize), for the same estimate; 0 before a load. */
  private inputPixels = 0;

  constructor(
    private readonly caps: Capabilities,
    private readonly loader: AssetLoader,
    private readonly options: EngineOptions,
    private readonly log: (message: string, detail?: unknown) => void = () => undefined,
  ) {}

  get current(): ActiveSession | null {
    return this.active;
  }

  private plan(): Attempt[] {
    const { backend, model } = this.options;
    const webgpu: Attempt = { backend: 'webgpu', model: model ?? WEB_MODELS.webgpu };
    const wasm: Attempt = { backend: 'wasm', model: model ?? WEB_MODELS.wasm };
    if (backend === 'webgpu') return [webgpu];
    if (backend === 'wasm') return [wasm];
    return this.caps.webgpu ? [webgpu, wasm] : [wasm];
  }

  /** The session to run on, loading (and falling back) as needed. */
  async ensure(signal?: AbortSignal, onProgress?: (p: LoadProgress) => void): Promise<ActiveSession> {
    if (this.active) return this.active;
    const reasons: string[] = [];
    if (this.options.backend !== 'wasm' && !this.caps.webgpu) reasons.push('WebGPU: not available in this frame');
    for (const attempt of this.plan()) {
      const earlier = this.failed.get(attempt.backend);
      if (earlier) {
        reasons.push(`${attempt.backend}: ${earlier}`);
        continue;
      }
      try {
        this.active = await this.open(attempt, reasons.length ? reasons.join('; ') : undefined, signal, onProgress);
        return this.active;
      } catch (e) {
        if (!isCoreError(e, 'runtime_unavailable')) throw e;
        this.log(`${attempt.backend} session failed; trying the next backend`, e);
        this.failed.set(attempt.backend, e.message);
        reasons.push(`${attempt.backend}: ${e.message}`);
      }
    }
    throw new CoreError('runtime_unavailable', `No backend could run the model. ${reasons.join('; ')}`);
  }

  private async open(attempt: Attempt, fallbackReason: string | undefined, signal?: AbortSignal, onProgress?: (p: LoadProgress) => void): Promise<ActiveSession> {
    const loaded = await this.loader.manifest(attempt.model, signal);
    assertBackend(loaded, attempt.backend);
    const manifest = withInputSize(loaded, this.options.inputSize);
    this.inputPixels = manifest.input.shape[2] * manifest.input.shape[3];
    const wasmAsset = this.loader.ortWasmAsset(this.ortBuild());
    const modelAsset = this.loader.modelAsset(manifest);
    const total = (this.wasmBinary ? 0 : wasmAsset.bytes) + modelAsset.bytes;
    let wasmLoaded = 0;
    if (!this.wasmBinary) {
      const { bytes } = await this.loader.load(wasmAsset, {
        signal,
        onProgress: (p) => {
          wasmLoaded = p.loadedBytes;
          onProgress?.({ loadedBytes: wasmLoaded, totalBytes: total });
        },
      });
      this.wasmBinary = bytes;
    }
    const { bytes, source } = await this.loader.load(modelAsset, {
      signal,
      onProgress: (p) => onProgress?.({ loadedBytes: wasmLoaded + p.loadedBytes, totalBytes: total }),
    });
    const runtime = this.runtimeFactory()({
      backend: attempt.backend,
      build: this.ortBuild(),
      wasmBinary: this.wasmBinary,
      // Threads need SharedArrayBuffer, i.e. cross-origin isolation, which no host frame has today.
      numThreads: this.caps.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency || 1) : 1,
    });
    const session = await runtime.createSession(manifest, bytes);
    this.loader.sessionCreated(modelAsset); // the memory copy of the model goes; ORT has its own
    return { remover: new BackgroundRemover(session), backend: attempt.backend, model: manifest.id, source, modelBytes: modelAsset.bytes, fallbackReason };
  }

  /**
   * The onnxruntime-web build this engine loads: the WASM-only one (a 14 MB .wasm instead of 28 MB)
   * when WebGPU will not be tried — no navigator.gpu (e.g. an insecure data: frame) or backend 'wasm'.
   * Fixed per engine: its .wasm is loaded once and ORT reads it once per worker.
   */
  private ortBuild(): OrtBuild {
    return this.plan().some((a) => a.backend === 'webgpu') ? 'jsep' : 'wasm';
  }

  /** Whether the model host's helper frame answered with storage (diagnostics). */
  helperFrame(): boolean {
    return this.loader.helperFrame;
  }

  where(): InferenceMode {
    return this.runtimes?.where() ?? this.options.inference ?? 'worker';
  }

  private runtimeFactory(): (options: OrtWebOptions) => InferenceRuntime {
    if (this.options.createRuntime) return this.options.createRuntime;
    this.runtimes ??= createInferenceRuntimes({ mode: this.options.inference ?? 'worker', workerSource: inferenceWorkerSource(), log: this.log });
    return this.runtimes.createRuntime;
  }

  /**
   * Network alpha for an image; a WebGPU failure mid-run (device lost, kernel error) marks
   * WebGPU as failed and repeats the run on WASM. `onStage` gets the core's preprocess and
   * inference events, plus inference estimates while the model runs (inference-estimate.ts).
   * `quality` 'high' runs the model twice (photo and mirror image): expected twice as long.
   */
  async predict(image: RgbaImage, options: PredictOptions = {}): Promise<{ lowRes: AlphaMatte; session: ActiveSession; preprocessMs: number; inferenceMs: number }> {
    const { signal, onLoad, onStage, quality = 'standard' } = options;
    const session = await this.ensure(signal, onLoad);
    const runs = quality === 'high' ? 2 : 1;
    const expected = runs * expectedInferenceMs(session.backend, this.inputPixels, this.inferenceMs.get(session.backend));
    const estimate = onStage ? withInferenceEstimate(onStage, expected) : undefined;
    try {
      const out = await session.remover.predict(image, { signal, onProgress: estimate?.listener, quality });
      this.inferenceMs.set(session.backend, out.inferenceMs / runs); // one run's time, whichever quality comes next
      return { ...out, session };
    } catch (e) {
      estimate?.stop(); // before a repeat on WASM, which starts its own
      if (session.backend !== 'webgpu' || !(isCoreError(e, 'gpu_lost') || isCoreError(e, 'inference_failed')) || this.options.backend === 'webgpu') throw e;
      this.log('WebGPU failed during the run; repeating it on WASM', e);
      this.failed.set('webgpu', (e as Error).message);
      await this.reset();
      return this.predict(image, options);
    } finally {
      estimate?.stop();
    }
  }

  async reset(): Promise<void> {
    const active = this.active;
    this.active = null;
    if (active) await active.remover.dispose().catch((e: unknown) => this.log('dispose failed', e));
  }

  async dispose(): Promise<void> {
    // The worker first: a session release would wait behind a cancelled run still in the worker.
    this.runtimes?.dispose();
    this.runtimes = null;
    await this.reset();
    this.wasmBinary = null;
    this.loader.dispose(); // removes the model cache helper frame, if one is open
  }
}
