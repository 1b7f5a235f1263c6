/**
 * The model session on a worker thread, for --jobs 2 and more. onnxruntime-node runs a session
 * synchronously on the thread that calls it, so on the main thread nothing else (preprocessing,
 * refinement, composition) can run during an inference; hosted here, the main thread keeps working
 * on other images while this one runs. Still one session: the worker runs one input at a time, in
 * the order they arrive. The worker is this same bundle (dist/main.js) started with WORKER_MARK in
 * its workerData; the guard at the bottom turns it into the session's host.
 */
import { isMainThread, MessageChannel, parentPort, Worker, workerData, type MessagePort } from 'node:worker_threads';
import { BackgroundRemover, CoreError, isCoreError, throwIfAborted, type CoreErrorCode, type InferenceSession, type ModelManifest } from '@cutout/core';
import { createOrtNodeRuntime, loadVerifiedModel, readManifest, readModelIndex, type NodeRemoverOptions } from '@cutout/core-node';

const WORKER_MARK = 'cutout-inference-worker';

interface WorkerInit {
  readonly mark: typeof WORKER_MARK;
  readonly modelsDir: string;
  readonly manifest: ModelManifest;
  /** onnxruntime intra-op threads; 0 lets it pick (one per physical core). */
  readonly threads: number;
}

interface Failure {
  readonly code: CoreErrorCode;
  readonly message: string;
}
type ToWorker = { readonly type: 'run'; readonly id: number; readonly input: Float32Array } | { readonly type: 'dispose' };
type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'init-failed'; readonly error: Failure }
  | { readonly type: 'result'; readonly id: number; readonly output: Float32Array }
  | { readonly type: 'failed'; readonly id: number; readonly error: Failure }
  | { readonly type: 'disposed' };

function toFailure(e: unknown): Failure {
  if (isCoreError(e)) return { code: e.code, message: e.message };
  return { code: 'inference_failed', message: e instanceof Error ? e.message : String(e) };
}

/** The array's buffer when it can be moved rather than copied (it is the whole buffer), else none. */
function movable(a: Float32Array | Uint8Array): ArrayBuffer[] {
  return a.byteOffset === 0 && a.byteLength === a.buffer.byteLength && a.buffer instanceof ArrayBuffer ? [a.buffer] : [];
}

class WorkerSession implements InferenceSession {
  readonly backend = 'cpu';
  private nextId = 0;
  private disposed = false;
  /** Why the worker is gone, once it is: later runs fail at once instead of waiting forever. */
  private lost: CoreError | undefined;
  private readonly pending = new Map<number, { resolve: (out: Float32Array) => void; reject: (e: unknown) => void }>();

  constructor(
    readonly manifest: ModelManifest,
    private readonly worker: Worker,
  ) {
    worker.on('message', (m: FromWorker) => {
      if (m.type !== 'result' && m.type !== 'failed') return;
      const job = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.type === 'result') job?.resolve(m.output);
      else job?.reject(new CoreError(m.error.code, m.error.message));
    });
    const lost = (why: string): void => {
      this.lost ??= new CoreError('inference_failed', `The inference worker stopped: ${why}`);
      for (const job of this.pending.values()) job.reject(this.lost);
      this.pending.clear();
    };
    worker.on('error', (e) => lost(e.message));
    worker.on('exit', (code) => lost(`exit code ${code}`));
  }

  run(input: Float32Array, signal?: AbortSignal): Promise<Float32Array> {
    if (this.disposed) return Promise.reject(new CoreError('disposed', 'The inference session has been disposed.'));
    if (this.lost) return Promise.reject(this.lost);
    throwIfAborted(signal);
    const id = this.nextId++;
    return new Promise<Float32Array>((resolve, reject) => {
      const onAbort = (): void => {
        this.pending.delete(id);
        reject(new CoreError('cancelled', 'The operation was cancelled.', { cause: signal?.reason }));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = (): void => signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, { resolve: (out) => (done(), resolve(out)), reject: (e) => (done(), reject(e)) });
      const message: ToWorker = { type: 'run', id, input };
      this.worker.postMessage(message, movable(input));
    });
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    if (!this.lost) {
      // The session is released on its own thread before the thread is stopped.
      const released = new Promise<void>((resolve) => {
        this.worker.on('message', (m: FromWorker) => m.type === 'disposed' && resolve());
        this.worker.once('exit', () => resolve());
      });
      const message: ToWorker = { type: 'dispose' };
      this.worker.postMessage(message);
      await released;
    }
    await this.worker.terminate();
  }
}

/** Starts the worker and the session in it; resolves once the model is loaded (or rejects as createNodeRemover would). */
async function createWorkerSession(modelsDir: string, manifest: ModelManifest, threads: number): Promise<InferenceSession> {
  const init: WorkerInit = { mark: WORKER_MARK, modelsDir, manifest, threads };
  // The parent's node flags, less --input-type (for `node -e` code only: a worker refuses to start with it).
  const execArgv = process.execArgv.filter((a, i, all) => !a.startsWith('--input-type') && all[i - 1] !== '--input-type');
  const worker = new Worker(new URL(import.meta.url), { workerData: init, execArgv });
  let onMessage: (m: FromWorker) => void = () => undefined;
  let onError: (e: Error) => void = () => undefined;
  let onExit: (code: number) => void = () => undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      onMessage = (m) => (m.type === 'ready' ? resolve() : m.type === 'init-failed' ? reject(new CoreError(m.error.code, m.error.message)) : undefined);
      onError = (e) => reject(new CoreError('runtime_unavailable', `The inference worker failed to start: ${e.message}`, { cause: e }));
      onExit = (code) => reject(new CoreError('runtime_unavailable', `The inference worker exited (code ${code}) before the model loaded.`));
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    });
  } catch (e) {
    await worker.terminate();
    throw e;
  } finally {
    // Only these: the Worker keeps listeners of its own (removeAllListeners would break its messaging).
    worker.off('message', onMessage).off('error', onError).off('exit', onExit);
  }
  return new WorkerSession(manifest, worker);
}

/** createNodeRemover with the session on a worker thread (same model checks, same errors). */
export async function createWorkerRemover(options: NodeRemoverOptions): Promise<BackgroundRemover> {
  const id = options.modelId ?? (await readModelIndex(options.modelsDir)).default;
  const manifest = await readManifest(options.modelsDir, id);
  return new BackgroundRemover(await createWorkerSession(options.modelsDir, manifest, options.threads ?? 0), options);
}

/**
 * Frees a buffer's memory now instead of at some later garbage collection, which on this thread (it
 * makes little garbage of its own) can be many images away: the model file once loaded (176 MB for
 * fp32; the session has its own copy), each input once run (12 MB). The buffer is moved into a
 * message on a channel that is closed unread, which drops it.
 */
function dropNow(view: Uint8Array | Float32Array): void {
  const { port1, port2 } = new MessageChannel();
  const transfer = movable(view);
  if (transfer.length > 0) port1.postMessage(null, transfer);
  port1.close();
  port2.close();
}

async function serve(port: MessagePort, init: WorkerInit): Promise<void> {
  const post = (m: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);
  let session: InferenceSession;
  try {
    const bytes = await loadVerifiedModel(init.modelsDir, init.manifest);
    session = await createOrtNodeRuntime({ threads: init.threads }).createSession(init.manifest, bytes);
    dropNow(bytes);
  } catch (e) {
    post({ type: 'init-failed', error: toFailure(e) });
    return;
  }
  // Messages are handled one at a time: a run is synchronous on this thread, so the next waits.
  port.on('message', (m: ToWorker) => {
    if (m.type === 'dispose') {
      void session.dispose().finally(() => post({ type: 'disposed' }));
      return;
    }
    session.run(m.input).then(
      (output) => {
        dropNow(m.input);
        try {
          post({ type: 'result', id: m.id, output }, movable(output));
        } catch {
          post({ type: 'result', id: m.id, output: output.slice() }); // a buffer that cannot be moved is copied
        }
      },
      (e: unknown) => {
        dropNow(m.input);
        post({ type: 'failed', id: m.id, error: toFailure(e) });
      },
    );
  });
  post({ type: 'ready' });
}

function isWorkerInit(data: unknown): data is WorkerInit {
  return typeof data === 'object' && data !== null && (data as { mark?: unknown }).mark === WORKER_MARK;
}

if (!isMainThread && parentPort && isWorkerInit(workerData)) void serve(parentPort, workerData);
