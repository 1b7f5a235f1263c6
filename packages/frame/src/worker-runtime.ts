/**
 * Where the frame runs the model: in a dedicated worker (default), so a 10–15 s WASM run does not
 * freeze the frame's UI, its animation frames or the host's cancel messages; or on the frame's own
 * thread where the host allows no workers (Canva), or when the worker cannot start (no `Worker`,
 * a CSP refusing `blob:` workers, no answer to the start-up ping). A WebGPU session also stays on
 * the frame's thread where the worker has no WebGPU: a sandboxed srcdoc frame is a secure context,
 * the blob: worker it makes is not. Every such choice is logged.
 *
 * Cancel: a running ORT `run` cannot be interrupted. When the signal fires, `run` rejects at once
 * with 'cancelled' and the worker's result is dropped when it arrives. The worker is not
 * terminated: in null-origin frames the model bytes live only there (they were transferred), and
 * getting them back means a 176 MB download. A later `run` waits in the worker's queue until the
 * cancelled one has finished.
 */
import { CoreError, isCoreError, throwIfAborted, type InferenceRuntime, type InferenceSession, type ModelManifest } from '@cutout/core';
import { createOrtWebRuntime, type OrtWebOptions, type WebBackend } from '@cutout/core-web';
import type { InferenceMode } from '@cutout/protocol';
import { defaultStartWorker, WorkerClient, type StartWorker } from './worker-client.js';
import { transferable } from './worker-messages.js';

export type { InferenceMode };

export interface InferenceRuntimesOptions {
  readonly mode: InferenceMode;
  /** The bundled worker script; null where the build did not embed one (Node tests). */
  readonly workerSource: string | null;
  readonly log: (message: string, detail?: unknown) => void;
  /** How a worker is started; default a classic `new Worker(url)`, null where `Worker` is missing. */
  readonly startWorker?: StartWorker | null | undefined;
  /** The in-process runtime (today's path); default onnxruntime-web on this thread. */
  readonly inProcess?: ((options: OrtWebOptions) => InferenceRuntime) | undefined;
  readonly startTimeoutMs?: number | undefined;
}

/** A runtime factory for `Engine` plus the worker behind it, ended by `dispose`. */
export interface InferenceRuntimes {
  readonly createRuntime: (options: OrtWebOptions) => InferenceRuntime;
  /** Where the latest session runs: 'main-thread' also after a fallback, or for WebGPU without it in the worker. */
  where(): InferenceMode;
  dispose(): void;
}

/** Settles like `promise`, or rejects with 'cancelled' as soon as the signal fires, without waiting for it. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined, onAbort: () => void): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const abort = (): void => {
      onAbort();
      reject(new CoreError('cancelled', 'The model run was cancelled.', { cause: signal.reason }));
    };
    if (signal.aborted) return abort();
    signal.addEventListener('abort', abort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', abort);
        resolve(value);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(e);
      },
    );
  });
}

/** A session living in the worker. `run` transfers its input: the caller's array is detached. */
class WorkerSession implements InferenceSession {
  private disposed = false;
  constructor(
    readonly manifest: ModelManifest,
    readonly backend: WebBackend,
    private readonly client: WorkerClient,
    private readonly number: number,
  ) {}

  async run(input: Float32Array, signal?: AbortSignal): Promise<Float32Array> {
    if (this.disposed) throw new CoreError('disposed', 'The inference session has been disposed.');
    throwIfAborted(signal);
    const { id, reply } = this.client.send({ kind: 'run', session: this.number, input: transferable(input) });
    const answer = await abortable(reply, signal, () => this.client.forget(id));
    if (answer.kind !== 'output') throw new CoreError('inference_failed', `The inference worker answered a run with '${answer.kind}'.`);
    return answer.output;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    if (!this.client.alive) return; // a stopped worker has freed the session already
    await this.client.send({ kind: 'release', session: this.number }).reply.catch((e: unknown) => {
      // Stopped while the release waited (behind a cancelled run): freed with the worker.
      if (!isCoreError(e, 'disposed')) throw e;
    });
  }
}

/**
 * On the frame's own thread a run blocks everything until it ends, the frame's messages included
 * (measured: the 'inference' progress reached the host only with the result). One macrotask before
 * the run lets what was already posted go out, and a cancel that already arrived be seen.
 */
function yieldBeforeRun(runtime: InferenceRuntime): InferenceRuntime {
  return {
    async createSession(manifest, bytes) {
      const session = await runtime.createSession(manifest, bytes);
      return {
        manifest: session.manifest,
        backend: session.backend,
        async run(input, signal) {
          await new Promise((resolve) => setTimeout(resolve, 0));
          throwIfAborted(signal);
          return session.run(input, signal);
        },
        dispose: () => session.dispose(),
      };
    },
  };
}

export function createInferenceRuntimes(options: InferenceRuntimesOptions): InferenceRuntimes {
  const inProcess = (ortOptions: OrtWebOptions): InferenceRuntime => yieldBeforeRun((options.inProcess ?? createOrtWebRuntime)(ortOptions));
  if (options.mode === 'main-thread') return { createRuntime: inProcess, where: () => 'main-thread', dispose: () => undefined };
  let client: Promise<WorkerClient | null> | null = null;
  let started: WorkerClient | null = null;
  let where: InferenceMode = 'worker';
  let wasmSent = false;
  let disposed = false;

  const startClient = async (): Promise<WorkerClient | null> => {
    const startWorker = options.startWorker === undefined ? defaultStartWorker() : options.startWorker;
    try {
      if (!options.workerSource) throw new CoreError('runtime_unavailable', 'this build embeds no worker script');
      if (!startWorker) throw new CoreError('runtime_unavailable', 'Worker is not available in this frame');
      const worker = await WorkerClient.start(options.workerSource, startWorker, options.log, options.startTimeoutMs);
      if (disposed) worker.terminate();
      started = worker;
      return worker;
    } catch (e) {
      options.log(`inference runs on the frame's main thread: ${(e as Error).message}`);
      return null;
    }
  };

  /** The worker for a session on `backend`, or null for the frame's own thread (logged). */
  const workerFor = async (backend: WebBackend): Promise<WorkerClient | null> => {
    const worker = await (client ??= startClient());
    if (worker && backend === 'webgpu' && !worker.webgpu) {
      // A sandboxed srcdoc frame is a secure context, its blob: worker is not: no navigator.gpu there.
      options.log("WebGPU is not available in the inference worker (insecure worker context); the WebGPU session runs on the frame's main thread");
      return null;
    }
    return worker;
  };

  const inWorker = async (worker: WorkerClient, ortOptions: OrtWebOptions, manifest: ModelManifest, bytes: Uint8Array): Promise<InferenceSession> => {
    // Checked here too: the worker would refuse it only after the model bytes were transferred.
    if (ortOptions.backend === 'webgpu' && manifest.backends.indexOf('webgpu') < 0) {
      throw new CoreError('runtime_unavailable', `Model ${manifest.id} is not prepared for WebGPU.`);
    }
    // The ORT binary goes once per worker and is copied (not in the transfer list): the engine keeps it.
    const binary = wasmSent ? undefined : ortOptions.wasmBinary;
    const wasmBinary = binary === undefined || binary instanceof Uint8Array ? binary : new Uint8Array(binary);
    wasmSent ||= wasmBinary !== undefined;
    const sessionOptions = { backend: ortOptions.backend, build: ortOptions.build ?? 'jsep', numThreads: ortOptions.numThreads, wasmBinary };
    const created = await worker.send({ kind: 'create', manifest, bytes: transferable(bytes), options: sessionOptions }).reply;
    if (created.kind !== 'created') throw new CoreError('runtime_unavailable', `The inference worker answered create with '${created.kind}'.`);
    return new WorkerSession(manifest, created.backend, worker, created.session);
  };

  return {
    createRuntime: (ortOptions) => ({
      async createSession(manifest, bytes) {
        const worker = await workerFor(ortOptions.backend);
        where = worker ? 'worker' : 'main-thread';
        return worker ? inWorker(worker, ortOptions, manifest, bytes) : inProcess(ortOptions).createSession(manifest, bytes);
      },
    }),
    where: () => where,
    dispose() {
      disposed = true;
      // At once when started (sessions disposed next see a stopped worker), else when the start ends.
      started?.terminate();
      void client?.then((c) => c?.terminate());
    },
  };
}
