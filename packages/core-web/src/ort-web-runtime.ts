/**
 * InferenceRuntime on onnxruntime-web (WebGPU or WASM). Works in browsers and, for the WASM
 * backend, in Node (onnxruntime-web ships a Node build), which is how the Node tests exercise it.
 *
 * Two builds of onnxruntime-web: the default one (WebGPU + WASM; its .wasm is the 28 MB "jsep"
 * binary) and the WASM-only one (`onnxruntime-web/wasm`, a 14 MB .wasm), for a page that will not
 * try WebGPU. The WASM-only build is imported only when asked for (it has no Node build).
 *
 * onnxruntime-web keeps its settings in a module-wide `ort.env`; this module is the only place
 * that writes it, once per runtime, before the first session is created.
 */
import * as ortDefault from 'onnxruntime-web';
import { CoreError, throwIfAborted, type InferenceRuntime, type InferenceSession, type ModelManifest } from '@cutout/core';

export type WebBackend = 'webgpu' | 'wasm';
/** Which onnxruntime-web build: 'jsep' (WebGPU + WASM, the default) or 'wasm' (WASM only). */
export type OrtBuild = 'jsep' | 'wasm';
type Ort = typeof ortDefault;

async function ortFor(build: OrtBuild): Promise<Ort> {
  return build === 'wasm' ? ((await import('onnxruntime-web/wasm')) as Ort) : ortDefault;
}

export interface OrtWebOptions {
  readonly backend: WebBackend;
  /** Default 'jsep'. The 'wasm' build runs the WASM backend only, with its own .wasm (wasmBinary). */
  readonly build?: OrtBuild | undefined;
  /** Where the ORT `.wasm`/`.mjs` files are served from (a URL prefix ending in '/'). */
  readonly wasmPaths?: string | undefined;
  /** WASM threads; > 1 needs cross-origin isolation in browsers. */
  readonly numThreads?: number | undefined;
  /**
   * The ORT WebAssembly binary, fetched and verified by the caller (then `wasmPaths` is not used
   * for the .wasm). The bundled build embeds its JS glue, so nothing else is fetched.
   */
  readonly wasmBinary?: ArrayBuffer | Uint8Array | undefined;
}

/**
 * Whether a WebGPU run failed because the GPU device was lost (driver reset, GPU removed, the tab's
 * device destroyed), as opposed to a kernel, shader or out-of-memory error on a live device. ORT
 * surfaces the loss only as message text ("device lost", "Device is lost", "GPUDevice was lost"…),
 * so the message (and its cause's) is what is checked.
 */
export function isDeviceLost(e: unknown): boolean {
  for (let x: unknown = e, depth = 0; x instanceof Error && depth < 4; x = x.cause, depth++) {
    if (/device\b.{0,16}\blost|lost\b.{0,16}\bdevice|DeviceLost/i.test(x.message)) return true;
  }
  return false;
}

class OrtWebSession implements InferenceSession {
  private released = false;
  private running = false;
  constructor(
    readonly manifest: ModelManifest,
    readonly backend: WebBackend,
    private readonly session: ortDefault.InferenceSession,
    private readonly ort: Ort,
  ) {}

  async run(input: Float32Array, signal?: AbortSignal): Promise<Float32Array> {
    if (this.released) throw new CoreError('disposed', 'The inference session has been disposed.');
    if (this.running) throw new CoreError('busy', 'This session is already running; queue requests.');
    throwIfAborted(signal);
    const { name, shape } = this.manifest.input;
    const tensor = new this.ort.Tensor('float32', input, [...shape]);
    const outName = this.manifest.output.name;
    this.running = true;
    try {
      const results = await this.session.run({ [name]: tensor }, [outName]);
      throwIfAborted(signal);
      const out = results[outName];
      if (!out || out.type !== 'float32') throw new CoreError('model_invalid_output', `Model returned no float32 "${outName}".`);
      // getData() downloads GPU-resident output; on WASM it is already CPU data.
      const data = (await out.getData(true)) as Float32Array;
      return data;
    } catch (e) {
      if (e instanceof CoreError) throw e;
      const code = this.backend === 'webgpu' && isDeviceLost(e) ? 'gpu_lost' : 'inference_failed';
      throw new CoreError(code, `Inference on ${this.backend} failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    } finally {
      this.running = false;
      tensor.dispose();
    }
  }

  async dispose(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.session.release();
  }
}

export function createOrtWebRuntime(options: OrtWebOptions): InferenceRuntime {
  const build = options.build ?? 'jsep';
  let ready: Promise<Ort> | null = null;
  /** The build's module, its env set once (before its first session, as onnxruntime-web requires). */
  const ortReady = (): Promise<Ort> =>
    (ready ??= ortFor(build).then((ort) => {
      if (options.wasmPaths !== undefined) ort.env.wasm.wasmPaths = options.wasmPaths;
      if (options.numThreads !== undefined) ort.env.wasm.numThreads = options.numThreads;
      if (options.wasmBinary !== undefined) ort.env.wasm.wasmBinary = options.wasmBinary;
      return ort;
    }));
  return {
    async createSession(manifest, bytes) {
      if (options.backend === 'webgpu' && manifest.backends.indexOf('webgpu') < 0) {
        throw new CoreError('runtime_unavailable', `Model ${manifest.id} is not prepared for WebGPU.`);
      }
      if (options.backend === 'webgpu' && build === 'wasm') throw new CoreError('runtime_unavailable', 'The WASM-only build of onnxruntime-web has no WebGPU.');
      try {
        const ort = await ortReady();
        const session = await ort.InferenceSession.create(bytes, {
          executionProviders: [options.backend],
          graphOptimizationLevel: 'all',
        });
        return new OrtWebSession(manifest, options.backend, session, ort);
      } catch (e) {
        throw new CoreError('runtime_unavailable', `Could not create a ${options.backend} session for ${manifest.id}: ${(e as Error).message}`, {
          cause: e,
        });
      }
    },
  };
}
