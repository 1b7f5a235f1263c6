/**
 * InferenceRuntime on onnxruntime-web (WebGPU or WASM). Works in browsers and, for the WASM
 * backend, in Node (onnxruntime-web ships a Node build), which is how the Node tests exercise it.
 *
 * onnxruntime-web keeps its settings in a process-wide `ort.env`; this module is the only place
 * that writes it, once per runtime, before the first session is created.
 */
import * as ort from 'onnxruntime-web';
import { CoreError, throwIfAborted, type InferenceRuntime, type InferenceSession, type ModelManifest } from '@cutout/core';

export type WebBackend = 'webgpu' | 'wasm';

export interface OrtWebOptions {
  readonly backend: WebBackend;
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
    private readonly session: ort.InferenceSession,
  ) {}

  async run(input: Float32Array, signal?: AbortSignal): Promise<Float32Array> {
    if (this.released) throw new CoreError('disposed', 'The inference session has been disposed.');
    if (this.running) throw new CoreError('busy', 'This session is already running; queue requests.');
    throwIfAborted(signal);
    const { name, shape } = this.manifest.input;
    const tensor = new ort.Tensor('float32', input, [...shape]);
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
  if (options.wasmPaths !== undefined) ort.env.wasm.wasmPaths = options.wasmPaths;
  if (options.numThreads !== undefined) ort.env.wasm.numThreads = options.numThreads;
  if (options.wasmBinary !== undefined) ort.env.wasm.wasmBinary = options.wasmBinary;
  return {
    async createSession(manifest, bytes) {
      if (options.backend === 'webgpu' && manifest.backends.indexOf('webgpu') < 0) {
        throw new CoreError('runtime_unavailable', `Model ${manifest.id} is not prepared for WebGPU.`);
      }
      try {
        const session = await ort.InferenceSession.create(bytes, {
          executionProviders: [options.backend],
          graphOptimizationLevel: 'all',
        });
        return new OrtWebSession(manifest, options.backend, session);
      } catch (e) {
        throw new CoreError('runtime_unavailable', `Could not create a ${options.backend} session for ${manifest.id}: ${(e as Error).message}`, {
          cause: e,
        });
      }
    },
  };
}
