/**
 * The frame side of the protocol: validates every incoming message, runs requests one at a time
 * (later ones queue, up to a bound; beyond it they are refused with 'busy'), maps core progress
 * and errors onto replies carrying the request id, and honours cancel for running and queued work.
 */
import { alphaToBytes, CoreError, isCoreError, type EdgeControls, type HintMask, type RgbaImage } from '@cutout/core';
import {
  isWireErrorCode,
  parseHostMessage,
  type BackendChoice,
  type ConfigurePayload,
  type Endpoint,
  type FrameMessage,
  type HostRequest,
  type ProgressStage,
  type RemovePayload,
  type RemoveResult,
  type ResultPayload,
  type WireEncoded,
  type WireErrorCode,
} from '@cutout/protocol';
import { decodeImage, encodePng } from './image-codec.js';
import { downscaleRgba, fitSize, hintsFromImage, hintsImage, maskImage } from './image-ops.js';
import { createAssetCache, type AssetCache } from './asset-cache.js';
import { AssetLoader } from './asset-loader.js';
import type { DetectedCapabilities } from './capabilities.js';
import { Engine } from './engine.js';
import type { FrameState, Store } from './frame-state.js';
import type { ReviewUi } from './review.js';

export const MAX_QUEUED = 8;

export interface FrameConfig {
  readonly modelBaseUrl: string | undefined;
  readonly backend: BackendChoice;
  readonly model: string | undefined;
  readonly inputSize: number | undefined;
}

interface Job {
  readonly request: Extract<HostRequest, { method: 'preload' | 'remove' }>;
  readonly controller: AbortController;
}

export interface FrameServerOptions {
  readonly endpoint: Endpoint;
  readonly caps: DetectedCapabilities;
  readonly config: FrameConfig;
  readonly store: Store<FrameState>;
  readonly ui?: ReviewUi | undefined;
  readonly log?: ((message: string, detail?: unknown) => void) | undefined;
}



function toWireError(e: unknown): { code: WireErrorCode; message: string } {
  if (isCoreError(e) && isWireErrorCode(e.code)) return { code: e.code, message: e.message };
  return { code: 'internal', message: e instanceof Error ? e.message : String(e) };
}

/** A request id from a message that failed validation, when it is safe to echo back. */
function salvageId(raw: unknown): string | null {
  try {
    if (typeof raw !== 'object' || raw === null) return null;
    const r = raw as Record<string, unknown>;
    const id = Object.prototype.hasOwnProperty.call(r, 'id') ? r['id'] : undefined;
    const kind = Object.prototype.hasOwnProperty.call(r, 'kind') ? r['kind'] : undefined;
    const v = Object.prototype.hasOwnProperty.call(r, 'v') ? r['v'] : undefined;
    return v === 1 && kind === 'request' && typeof id === 'string' && id.length > 0 && id.length <= 128 ? id : null;
  } catch {
    return null;
  }
}

export class FrameServer {
  private config: FrameConfig;
  private engine: Engine | null = null;
  private readonly cache: AssetCache;
  private readonly queue: Job[] = [];
  private running: Job | null = null;
  private unlisten: (() => void) | null = null;
  private readonly log: (message: string, detail?: unknown) => void;

  constructor(private readonly options: FrameServerOptions) {
    this.config = options.config;
    this.cache = createAssetCache(options.caps);
    this.log = options.log ?? ((message, detail) => console.warn(`[cutout-frame] ${message}`, detail ?? ''));
  }

  get cacheKind(): AssetCache['kind'] {
    return this.cache.kind;
  }

  start(): void {
    this.unlisten = this.options.endpoint.listen((raw) => this.receive(raw));
    const { adapterInfo: _adapter, ...capabilities } = this.options.caps;
    this.send({ v: 1, kind: 'ready', capabilities });
  }

  async stop(): Promise<void> {
    this.unlisten?.();
    for (const job of [...this.queue, ...(this.running ? [this.running] : [])]) job.controller.abort();
    await this.engine?.dispose();
  }

  /** Cancels the running request from the UI (same as a host cancel message). */
  cancelCurrent(): void {
    this.running?.controller.abort();
  }

  private send(message: FrameMessage): void {
    try {
      this.options.endpoint.send(message);
    } catch (e) {
      this.log('could not send a message to the host', e);
    }
  }

  private reply(id: string, result: ResultPayload): void {
    this.send({ v: 1, kind: 'result', id, result });
  }

  private fail(id: string, e: unknown): void {
    const { code, message } = toWireError(e);
    this.send({ v: 1, kind: 'error', id, code, message });
  }

  private receive(raw: unknown): void {
    const parsed = parseHostMessage(raw);
    if (!parsed.ok) {
      const id = salvageId(raw);
      this.log(`ignored a malformed message: ${parsed.reason}`);
      if (id !== null) this.send({ v: 1, kind: 'error', id, code: 'bad_request', message: parsed.reason });
      return;
    }
    const message = parsed.message;
    if (message.kind === 'cancel') return this.cancel(message.id);
    switch (message.method) {
      case 'hello': {
        const { adapterInfo: _adapter, ...capabilities } = this.options.caps;
        return this.reply(message.id, { method: 'hello', value: { protocol: 1, capabilities } });
      }
      case 'configure':
        return this.configure(message.id, message.payload);
      case 'preload':
      case 'remove':
        return this.enqueue({ request: message, controller: new AbortController() });
    }
  }

  private cancel(id: string): void {
    if (this.running?.request.id === id) return this.running.controller.abort();
    const index = this.queue.findIndex((job) => job.request.id === id);
    if (index < 0) return this.log(`cancel for unknown request ${id}`);
    const [job] = this.queue.splice(index, 1);
    this.options.store.set({ queued: this.queue.length });
    if (job) this.fail(id, new CoreError('cancelled', 'The request was cancelled before it started.'));
  }

  private configure(id: string, payload: ConfigurePayload): void {
    if (this.running || this.queue.length) {
      this.send({ v: 1, kind: 'error', id, code: 'busy', message: 'Cannot reconfigure while requests are running or queued.' });
      return;
    }
    const next: FrameConfig = {
      ...this.config,
      ...(payload.modelBaseUrl !== undefined ? { modelBaseUrl: payload.modelBaseUrl } : {}),
      ...(payload.backend !== undefined ? { backend: payload.backend } : {}),
      ...(payload.model !== undefined ? { model: payload.model } : {}),
      ...(payload.inputSize !== undefined ? { inputSize: payload.inputSize } : {}),
    };
    const changed = JSON.stringify(next) !== JSON.stringify(this.config);
    this.config = next;
    if (payload.theme) this.options.store.set({ theme: payload.theme });
    if (changed) {
      const old = this.engine;
      this.engine = null;
      void old?.dispose();
    }
    this.reply(id, { method: 'configure', value: { ok: true } });
  }

  private enqueue(job: Job): void {
    if (this.queue.length >= MAX_QUEUED) {
      this.send({ v: 1, kind: 'error', id: job.request.id, code: 'busy', message: `${MAX_QUEUED} requests are already waiting; try again when one finishes.` });
      return;
    }
    if ((this.running && this.running.request.id === job.request.id) || this.queue.some((j) => j.request.id === job.request.id)) {
      this.send({ v: 1, kind: 'error', id: job.request.id, code: 'bad_request', message: `Request id ${job.request.id} is already in use.` });
      return;
    }
    this.queue.push(job);
    this.options.store.set({ queued: this.queue.length });
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    const job = this.queue.shift();
    if (!job) return;
    this.running = job;
    this.options.store.set({ queued: this.queue.length });
    try {
      await this.run(job);
    } finally {
      this.running = null;
      void this.pump();
    }
  }

  private engineFor(): Engine {
    if (this.engine) return this.engine;
    const base = this.config.modelBaseUrl;
    if (!base) throw new CoreError('model_missing', 'No model base URL is configured: the host must send configure { modelBaseUrl } first.');
    const loader = new AssetLoader(base, this.cache, this.log);
    this.engine = new Engine(this.options.caps, loader, { backend: this.config.backend, model: this.config.model, inputSize: this.config.inputSize }, this.log);
    return this.engine;
  }

  /** Last progress sent per request and stage: downloads report every network chunk, hosts get ≥ 0.5 % steps. */
  private lastProgress = { key: '', fraction: -1 };

  private progress(id: string, stage: ProgressStage, fraction: number, bytes?: { loadedBytes: number; totalBytes: number }): void {
    const f = Math.min(1, Math.max(0, fraction));
    const key = `${id}\u0000${stage}`;
    if (key === this.lastProgress.key && f < 1 && f - this.lastProgress.fraction < 0.005) return;
    if (key === this.lastProgress.key && f < this.lastProgress.fraction) return; // never backwards within a stage
    this.lastProgress = { key, fraction: f };
    this.send({ v: 1, kind: 'progress', id, stage, fraction: f, ...(bytes ?? {}) });
    this.options.store.set({ stage, fraction: f, ...(bytes ?? {}) });
  }

  private async run(job: Job): Promise<void> {
    const { request, controller } = job;
    const store = this.options.store;
    const label = request.method === 'remove' ? (request.payload.label ?? '') : 'Preparing the model';
    store.set({ phase: 'working', label, error: null, stage: null, fraction: 0 });
    const interactive = request.method === 'remove' && request.payload.interactive === true && this.options.ui !== undefined;
    for (;;) {
      try {
        if (request.method === 'preload') {
          const engine = this.engineFor();
          const session = await engine.ensure(controller.signal, (p) => this.progress(request.id, 'download', p.totalBytes ? p.loadedBytes / p.totalBytes : 1, p));
          store.set({ backend: session.backend, model: session.model, fallbackReason: session.fallbackReason ?? null });
          this.reply(request.id, { method: 'preload', value: { backend: session.backend, model: session.model, source: session.source } });
        } else {
          const value = await this.remove(request.id, request.payload, controller.signal, interactive);
          this.reply(request.id, { method: 'remove', value });
        }
        store.set({ phase: 'idle', stage: null });
        return;
      } catch (e) {
        const wire = toWireError(e);
        const retryable = wire.code === 'model_fetch_failed' || wire.code === 'model_integrity';
        if (retryable) {
          // Nothing half-loaded survives: a retry starts clean.
          void this.engine?.dispose();
          this.engine = null;
        }
        if (interactive && retryable && this.options.ui) {
          store.set({ phase: 'error', error: { ...wire, retryable } });
          const again = await this.options.ui.askRetry(wire, controller.signal).catch(() => false);
          if (again && !controller.signal.aborted) continue;
        }
        store.set({ phase: wire.code === 'cancelled' ? 'idle' : 'error', error: wire.code === 'cancelled' ? null : { ...wire, retryable } });
        this.fail(request.id, e);
        return;
      }
    }
  }

  private async remove(id: string, payload: RemovePayload, signal: AbortSignal, interactive: boolean): Promise<RemoveResult> {
    const image: RgbaImage = payload.image ?? (await decodeImage((payload.encoded as WireEncoded).data));
    let hints: HintMask | undefined = payload.hints ?? (payload.hintsEncoded ? hintsFromImage(await decodeImage(payload.hintsEncoded.data)) : undefined);
    let edge: EdgeControls = payload.edge ?? {};
    const engine = this.engineFor();
    const { lowRes, session, preprocessMs, inferenceMs } = await engine.predict(image, signal, (p) =>
      this.progress(id, 'download', p.totalBytes ? p.loadedBytes / p.totalBytes : 1, p),
    );
    this.options.store.set({ backend: session.backend, model: session.model, fallbackReason: session.fallbackReason ?? null });
    this.progress(id, 'inference', 1);
    const remover = session.remover;
    const refineProgress = (e: { stage: string; fraction: number }): void => {
      if (e.stage === 'refine' || e.stage === 'compose') this.progress(id, e.stage, e.fraction);
    };
    let refined = await remover.refineFrom(image, lowRes, { hints, edge, signal, onProgress: refineProgress });
    let output = payload.output ?? 'mask';
    if (interactive && this.options.ui) {
      this.progress(id, 'review', 0);
      this.options.store.set({ phase: 'review', output });
      const outcome = await this.options.ui.review(
        {
          image,
          matte: refined.matte,
          output,
          edge,
          hints,
          resolve: async (h, e, s) => (await remover.refineFrom(image, lowRes, { hints: h, edge: e, signal: s })).matte,
        },
        signal,
      );
      refined = { ...refined, matte: outcome.matte };
      output = outcome.output;
      edge = outcome.edge;
      hints = outcome.hints;
      this.options.store.set({ phase: 'working' });
    }
    const base = {
      matte: { width: image.width, height: image.height, data: alphaToBytes(refined.matte) },
      output,
      backend: session.backend,
      model: session.model,
      ...(session.fallbackReason ? { fallbackReason: session.fallbackReason } : {}),
    };
    const timings = { preprocess: preprocessMs, inference: inferenceMs, refine: refined.timings.refine, compose: 0 };
    let cutout: RgbaImage | undefined;
    if (output === 'cutout') {
      const cut = await remover.cutoutFrom(image, refined, { signal, onProgress: refineProgress });
      timings.compose = cut.timings.compose;
      cutout = { width: cut.image.width, height: cut.image.height, data: cut.image.data instanceof Uint8Array ? cut.image.data : new Uint8Array(cut.image.data.buffer, cut.image.data.byteOffset, cut.image.data.length) };
    }
    if (!payload.png) {
      return { ...base, timings, ...(cutout ? { cutout: { width: cutout.width, height: cutout.height, data: cutout.data as Uint8Array } } : {}) };
    }
    const size = fitSize(image.width, image.height, payload.maxOutputSide);
    const outImage = downscaleRgba(cutout ?? maskImage(refined.matte), size.width, size.height);
    const png = { data: await encodePng(outImage), width: size.width, height: size.height };
    const hintsPicture = hints && size.width === image.width ? hintsImage(hints) : null;
    return { ...base, timings, png, ...(hintsPicture ? { hintsPng: await encodePng(hintsPicture) } : {}) };
  }
}
