/**
 * The frame's side of the inference worker: starts it from a Blob URL (the frame is one HTML file,
 * often a `data:` URL or `srcdoc`, so there is no URL a worker script could be loaded from), checks
 * that it answers a ping, and matches replies to requests by id.
 */
import { CoreError } from '@cutout/core';
import { parseWorkerReply, transferList, type WorkerReply, type WorkerRequest } from './worker-messages.js';

/** The part of `Worker` used here; tests pass a fake. */
export interface WorkerLike {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message' | 'error' | 'messageerror', listener: (event: Event) => void): void;
  terminate(): void;
}

/** Starts a worker on a script URL; throws where the host refuses workers (CSP `worker-src`). */
export type StartWorker = (url: string) => WorkerLike;

type Unsent<T> = T extends unknown ? Omit<T, 'id'> : never;
export type OutgoingRequest = Unsent<WorkerRequest>;

/** Long enough for a cold start of a ~0.5 MB module on a slow machine, short enough to fall back. */
const START_TIMEOUT_MS = 5000;

/** Worker names starting with 'em-pthread' or 'ort-wasm-proxy-worker' would make ORT act as its own helper worker. */
const WORKER_NAME = 'cutout-inference';

/** A classic worker: Chromium refuses module workers from blob: URLs made in opaque origins (data:, srcdoc). */
export function defaultStartWorker(): StartWorker | null {
  if (typeof Worker === 'undefined') return null;
  return (url) => new Worker(url, { name: WORKER_NAME });
}

interface Pending {
  resolve(reply: WorkerReply): void;
  reject(error: CoreError): void;
}

export class WorkerClient {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private worker: WorkerLike | null = null;
  private url: string | null = null;
  private closed: CoreError | null = null;
  private gpu = false;

  private constructor(private readonly log: (message: string, detail?: unknown) => void) {}

  /** A started worker that answered its ping; rejects with 'runtime_unavailable' (the reason) otherwise. */
  static async start(source: string, startWorker: StartWorker, log: (message: string, detail?: unknown) => void, timeoutMs = START_TIMEOUT_MS): Promise<WorkerClient> {
    const client = new WorkerClient(log);
    client.url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    try {
      client.worker = startWorker(client.url);
    } catch (e) {
      client.terminate();
      throw new CoreError('runtime_unavailable', `The inference worker could not be created (${(e as Error).message}).`, { cause: e });
    }
    const worker = client.worker;
    let failStart: (e: CoreError) => void = () => undefined;
    const failed = new Promise<never>((_, reject) => (failStart = reject));
    worker.addEventListener('message', (event) => client.receive((event as MessageEvent).data));
    worker.addEventListener('messageerror', () => log('inference worker: a reply could not be deserialised'));
    worker.addEventListener('error', (event) => {
      const message = (event as ErrorEvent).message || 'the script failed to load (blocked by a content security policy?)';
      log(`inference worker error: ${message}`);
      failStart(new CoreError('runtime_unavailable', `The inference worker failed: ${message}`));
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new CoreError('runtime_unavailable', `The inference worker did not answer within ${timeoutMs} ms.`)), timeoutMs);
    });
    try {
      const pong = await Promise.race([client.send({ kind: 'ping' }).reply, failed, timeout]);
      client.gpu = pong.kind === 'pong' && pong.webgpu;
    } catch (e) {
      client.terminate();
      throw e;
    } finally {
      clearTimeout(timer);
    }
    // The worker has loaded its script: the URL is no longer needed.
    client.revokeUrl();
    return client;
  }

  /** navigator.gpu exists in the worker (from its start-up pong). */
  get webgpu(): boolean {
    return this.gpu;
  }

  get alive(): boolean {
    return this.closed === null;
  }

  /** Posts a request (its big arrays transferred) and returns its id and the reply to come. */
  send(request: OutgoingRequest): { id: number; reply: Promise<WorkerReply> } {
    const id = this.nextId++;
    const message = { ...request, id } as WorkerRequest;
    const reply = new Promise<WorkerReply>((resolve, reject) => {
      if (this.closed || !this.worker) return reject(this.closed ?? new CoreError('disposed', 'The inference worker is not running.'));
      this.pending.set(id, { resolve, reject });
      try {
        this.worker.postMessage(message, transferList(message));
      } catch (e) {
        this.pending.delete(id);
        reject(new CoreError('inference_failed', `Could not send to the inference worker: ${(e as Error).message}`, { cause: e }));
      }
    });
    return { id, reply };
  }

  /** Stops waiting for a reply (a cancelled run): when it comes, it is dropped. */
  forget(id: number): void {
    this.pending.delete(id);
  }

  /** Ends the worker (sessions and model bytes in it are freed); pending requests fail with 'disposed'. */
  terminate(): void {
    if (!this.closed) this.closed = new CoreError('disposed', 'The inference worker has been stopped.');
    this.worker?.terminate();
    this.worker = null;
    this.revokeUrl();
    for (const p of this.pending.values()) p.reject(this.closed);
    this.pending.clear();
  }

  private revokeUrl(): void {
    if (this.url) URL.revokeObjectURL(this.url);
    this.url = null;
  }

  private receive(raw: unknown): void {
    const reply = parseWorkerReply(raw);
    if (!reply) return this.log('inference worker: ignored a malformed reply');
    const entry = this.pending.get(reply.id);
    // No entry: the reply to a cancelled run, dropped on purpose.
    if (!entry) return;
    this.pending.delete(reply.id);
    if (reply.kind === 'failed') entry.reject(new CoreError(reply.code, reply.message));
    else entry.resolve(reply);
  }
}
