/**
 * The sandbox side of the protocol: requests to the UI iframe (the inference frame) with ids,
 * replies matched by id, progress forwarded, malformed or unknown messages ignored and logged.
 */
import {
  createFigmaSandboxEndpoint,
  parseFrameMessage,
  type Endpoint,
  type HelloResult,
  type HostRequest,
  type PreloadResult,
  type RemoveResult,
  type ResultPayload,
  type WireErrorCode,
} from '@cutout/protocol';

export class UiError extends Error {
  constructor(
    readonly code: WireErrorCode,
    message: string,
  ) {
    super(message);
  }
}

type Pending = { resolve: (r: ResultPayload) => void; reject: (e: UiError) => void; onProgress?: (stage: string, fraction: number) => void };

interface ResultMap {
  hello: HelloResult;
  configure: { readonly ok: true };
  preload: PreloadResult;
  remove: RemoveResult;
}

type RequestOf<M extends HostRequest['method']> = Extract<HostRequest, { method: M }>;

export class UiClient {
  private readonly endpoint: Endpoint;
  private readonly pending = new Map<string, Pending>();
  private counter = 0;
  private readyResolve: (() => void) | null = null;
  readonly ready: Promise<void>;

  constructor(ui: UIAPI, private readonly log: (message: string) => void = (m) => console.warn(`[cutout] ${m}`)) {
    this.endpoint = createFigmaSandboxEndpoint(ui);
    this.ready = new Promise<void>((resolve) => (this.readyResolve = resolve));
    this.endpoint.listen((raw) => this.receive(raw));
  }

  private receive(raw: unknown): void {
    const parsed = parseFrameMessage(raw);
    if (!parsed.ok) return this.log(`ignored a malformed message from the UI: ${parsed.reason}`);
    const message = parsed.message;
    if (message.kind === 'ready') {
      this.readyResolve?.();
      return;
    }
    const entry = this.pending.get(message.id);
    if (!entry) return this.log(`ignored a message for unknown request ${message.id}`);
    if (message.kind === 'progress') return entry.onProgress?.(message.stage, message.fraction);
    this.pending.delete(message.id);
    if (message.kind === 'result') entry.resolve(message.result);
    else entry.reject(new UiError(message.code, message.message));
  }

  request<M extends HostRequest['method']>(
    method: M,
    payload: RequestOf<M>['payload'],
    onProgress?: (stage: string, fraction: number) => void,
  ): Promise<ResultMap[M]> {
    const id = `p${++this.counter}`;
    return new Promise<ResultMap[M]>((resolve, reject) => {
      this.pending.set(id, {
        resolve: (r) => (r.method === method ? resolve(r.value as unknown as ResultMap[M]) : reject(new UiError('internal', `expected a ${method} result, got ${r.method}`))),
        reject,
        ...(onProgress ? { onProgress } : {}),
      });
      this.endpoint.send({ v: 1, kind: 'request', id, method, payload } as HostRequest);
    });
  }

  /** Fails every pending request (the plugin is closing). */
  abandon(): void {
    for (const [, entry] of this.pending) entry.reject(new UiError('cancelled', 'The plugin was closed.'));
    this.pending.clear();
  }
}
