/**
 * The host side of the protocol, written once for every adapter (Figma sandbox, Photoshop panel,
 * Canva app, the browser test pages): requests with ids, replies matched by id and checked to
 * answer the method asked, progress routed to the request, cancel, panel commands, and a `ready`
 * that rejects with a coded error when the frame never boots (a UI that fails to load must not
 * leave a plugin waiting forever). Every incoming message is validated; what does not parse is
 * logged and ignored.
 */
import {
  PROTOCOL_VERSION,
  type Capabilities,
  type PayloadOf,
  type ProgressStage,
  type RequestMethod,
  type ResultMap,
  type WireErrorCode,
} from './messages.js';
import { parseFrameMessage } from './validate.js';
import { silentLogger, type HostEndpoint, type Logger } from './transports/types.js';

/** Codes only the client raises: the frame never said ready, it answered the wrong method, or the client was closed. */
export const CLIENT_ERROR_CODES = ['ready_timeout', 'bad_reply', 'closed'] as const;
export type ClientErrorCode = WireErrorCode | (typeof CLIENT_ERROR_CODES)[number];

export class FrameError extends Error {
  override readonly name = 'FrameError';
  constructor(
    readonly code: ClientErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isFrameError(value: unknown, code?: ClientErrorCode): value is FrameError {
  return value instanceof FrameError && (code === undefined || value.code === code);
}

export interface ProgressInfo {
  readonly stage: ProgressStage;
  readonly fraction: number;
  readonly loadedBytes?: number;
  readonly totalBytes?: number;
}

export interface RequestOptions {
  readonly onProgress?: (progress: ProgressInfo) => void;
  /** Aborting sends a cancel; the request then settles with the frame's 'cancelled' error. */
  readonly signal?: AbortSignal;
}

export interface PendingRequest<M extends RequestMethod> {
  readonly id: string;
  readonly result: Promise<ResultMap[M]>;
  cancel(): void;
}

export interface FrameClientOptions {
  /** How long to wait for the frame's `ready` (default 20 s). */
  readonly readyTimeoutMs?: number;
  readonly log?: Logger;
  /** Prefix of request ids (default 'h'). */
  readonly idPrefix?: string;
}

export interface FrameClient {
  /** The frame's capabilities once it has booted; rejects with 'ready_timeout' or 'closed'. */
  readonly ready: Promise<Capabilities>;
  /** Sends a request and returns its id with the pending result. */
  start<M extends RequestMethod>(method: M, payload: PayloadOf<M>, options?: RequestOptions): PendingRequest<M>;
  request<M extends RequestMethod>(method: M, payload: PayloadOf<M>, options?: RequestOptions): Promise<ResultMap[M]>;
  /** Asks the frame to cancel a request (running or queued); it settles with 'cancelled'. */
  cancel(id: string): void;
  /** Panel commands the user pressed in the frame; returns a function that stops listening. */
  onCommand(handler: (command: string) => void): () => void;
  /** Stops listening; every pending request and an unresolved `ready` reject with 'closed'. */
  close(reason?: string): void;
}

interface Entry {
  readonly method: RequestMethod;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: FrameError) => void;
  readonly onProgress: ((progress: ProgressInfo) => void) | undefined;
  readonly detach: () => void;
}

export const DEFAULT_READY_TIMEOUT_MS = 20_000;

export function createFrameClient(endpoint: HostEndpoint, options: FrameClientOptions = {}): FrameClient {
  const log = options.log ?? silentLogger;
  const prefix = options.idPrefix ?? 'h';
  const pending = new Map<string, Entry>();
  const commandHandlers = new Set<(command: string) => void>();
  let counter = 0;
  let closed = false;
  let settleReady: { resolve: (c: Capabilities) => void; reject: (e: FrameError) => void } | null = null;
  const ready = new Promise<Capabilities>((resolve, reject) => (settleReady = { resolve, reject }));
  // A host that never awaits `ready` must not see an unhandled rejection.
  ready.catch(() => undefined);
  const timeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  const timer = setTimeout(() => {
    settleReady?.reject(new FrameError('ready_timeout', `The plugin window did not start within ${Math.round(timeoutMs / 1000)} s.`));
    settleReady = null;
  }, timeoutMs);

  const finish = (id: string): Entry | undefined => {
    const entry = pending.get(id);
    if (!entry) return undefined;
    pending.delete(id);
    entry.detach();
    return entry;
  };

  const unlisten = endpoint.listen((raw) => {
    const parsed = parseFrameMessage(raw);
    if (!parsed.ok) return log(`ignored a malformed message from the frame: ${parsed.reason}`);
    const message = parsed.message;
    switch (message.kind) {
      case 'ready':
        clearTimeout(timer);
        settleReady?.resolve(message.capabilities);
        settleReady = null;
        return;
      case 'command':
        for (const handler of [...commandHandlers]) handler(message.command);
        return;
      case 'progress': {
        const entry = pending.get(message.id);
        if (!entry) return log(`ignored progress for unknown request ${message.id}`);
        const { stage, fraction, loadedBytes, totalBytes } = message;
        entry.onProgress?.({ stage, fraction, ...(loadedBytes !== undefined ? { loadedBytes } : {}), ...(totalBytes !== undefined ? { totalBytes } : {}) });
        return;
      }
      case 'result': {
        const entry = finish(message.id);
        if (!entry) return log(`ignored a result for unknown request ${message.id}`);
        if (message.result.method !== entry.method) {
          entry.reject(new FrameError('bad_reply', `The frame answered a ${entry.method} request with a ${message.result.method} result.`));
        } else entry.resolve(message.result.value);
        return;
      }
      case 'error': {
        const entry = finish(message.id);
        if (!entry) return log(`ignored an error for unknown request ${message.id}`);
        entry.reject(new FrameError(message.code, message.message));
        return;
      }
    }
  });

  const cancel = (id: string): void => {
    if (!closed && pending.has(id)) endpoint.send({ v: PROTOCOL_VERSION, kind: 'cancel', id });
  };

  function start<M extends RequestMethod>(method: M, payload: PayloadOf<M>, requestOptions: RequestOptions = {}): PendingRequest<M> {
    const id = `${prefix}${++counter}`;
    const { signal, onProgress } = requestOptions;
    const result = new Promise<ResultMap[M]>((resolve, reject) => {
      if (closed) return reject(new FrameError('closed', 'The connection to the frame is closed.'));
      const onAbort = (): void => cancel(id);
      signal?.addEventListener('abort', onAbort, { once: true });
      pending.set(id, {
        method,
        resolve: resolve as (value: unknown) => void,
        reject,
        onProgress,
        detach: () => signal?.removeEventListener('abort', onAbort),
      });
      endpoint.send({ v: PROTOCOL_VERSION, kind: 'request', id, method, payload } as Parameters<HostEndpoint['send']>[0]);
      if (signal?.aborted) cancel(id);
    });
    return { id, result, cancel: () => cancel(id) };
  }

  return {
    ready,
    start,
    request: (method, payload, requestOptions) => start(method, payload, requestOptions).result,
    cancel,
    onCommand(handler) {
      commandHandlers.add(handler);
      return () => void commandHandlers.delete(handler);
    },
    close(reason = 'The connection to the frame was closed.') {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      unlisten();
      settleReady?.reject(new FrameError('closed', reason));
      settleReady = null;
      for (const id of [...pending.keys()]) finish(id)?.reject(new FrameError('closed', reason));
      commandHandlers.clear();
    },
  };
}
