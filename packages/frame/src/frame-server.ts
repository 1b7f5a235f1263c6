/**
 * The frame side of the protocol: validates every incoming message, runs requests one at a time
 * (later ones queue, up to a bound; beyond it they are refused with 'busy'), maps core progress
 * and errors onto replies carrying the request id, and honours cancel for running and queued work.
 * `panel`, `diagnostics` and `asset` (model file pieces the host sends) are answered at once, never queued. What one remove does is in
 * remove-job.ts; the engine comes from an injectable factory (engine-factory.ts).
 */
import { CoreError, isCoreError } from '@cutout/core';
import {
  isWireErrorCode,
  parseHostMessage,
  type AssetPayload,
  type ConfigurePayload,
  type DiagnosticsResult,
  type FrameEndpoint,
  type FrameMessage,
  type HostRequest,
  type PanelPayload,
  type ProgressStage,
  type ResultPayload,
  type WireErrorCode,
} from '@cutout/protocol';
import { createAssetCache, type AssetCache } from './asset-cache.js';
import type { DetectedCapabilities } from './capabilities.js';
import { collectDiagnostics } from './diagnostics.js';
import { defaultCreateEngine, type CreateEngine, type EngineLike, type FrameConfig } from './engine-factory.js';
import type { FrameState, Store } from './frame-state.js';
import { HostFiles } from './local-files.js';
import type { ReviewUi } from './review.js';
import { runRemoveJob, type RemoveJobContext } from './remove-job.js';

export const MAX_QUEUED = 8;

export type { CreateEngine, EngineLike, FrameConfig } from './engine-factory.js';

interface Job {
  readonly request: Extract<HostRequest, { method: 'preload' | 'remove' }>;
  readonly controller: AbortController;
}

export interface FrameServerOptions {
  readonly endpoint: FrameEndpoint;
  readonly caps: DetectedCapabilities;
  readonly config: FrameConfig;
  readonly store: Store<FrameState>;
  readonly ui?: ReviewUi | undefined;
  readonly log?: ((message: string, detail?: unknown) => void) | undefined;
  /** Makes the engine for a configuration; default `Engine` on onnxruntime-web (tests pass a fake). */
  readonly createEngine?: CreateEngine | undefined;
}

function toWireError(e: unknown): { code: WireErrorCode; message: string } {
  if (isCoreError(e) && isWireErrorCode(e.code)) return { code: e.code, message: e.message };
  return { code: 'internal', message: e instanceof Error ? e.message : String(e) };
}

export class FrameServer {
  private config: FrameConfig;
  private engine: EngineLike | null = null;
  private readonly cache: AssetCache;
  /** Model files the host sent with `asset` (modelDelivery 'host'). */
  private readonly hostFiles = new HostFiles();
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

  /** What the frame can do here and what it has loaded (the `diagnostics` reply and the UI's view). */
  diagnostics(): DiagnosticsResult {
    return collectDiagnostics({ caps: this.options.caps, config: this.config, engine: this.engine, helperFrame: this.engine?.helperFrame?.() ?? false });
  }

  /** The user pressed a panel command: sent to the host unless a job runs or the host has disabled it. */
  sendCommand(command: string): void {
    const panel = this.options.store.get().panel;
    if (this.running || !panel?.commands.some((c) => c.id === command && c.enabled)) return this.log(`ignored panel command ${command}`);
    this.send({ v: 1, kind: 'command', command });
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
      this.log(`ignored a malformed message: ${parsed.reason}`);
      if (parsed.id !== undefined) this.send({ v: 1, kind: 'error', id: parsed.id, code: 'bad_request', message: parsed.reason });
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
      case 'panel':
        return this.panel(message.id, message.payload);
      case 'diagnostics':
        return this.reply(message.id, { method: 'diagnostics', value: this.diagnostics() });
      case 'asset':
        return this.asset(message.id, message.payload);
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
      ...(payload.inference !== undefined ? { inference: payload.inference } : {}),
      ...(payload.modelDelivery !== undefined ? { modelDelivery: payload.modelDelivery } : {}),
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

  /** Not queued: pieces arrive before the preload that reads them. */
  private asset(id: string, payload: AssetPayload): void {
    try {
      this.hostFiles.put(payload);
    } catch (e) {
      this.send({ v: 1, kind: 'error', id, code: 'bad_request', message: e instanceof Error ? e.message : String(e) });
      return;
    }
    this.reply(id, { method: 'asset', value: { ok: true } });
  }

  /** Not queued: the panel shows the host's current selection even while a job runs. */
  private panel(id: string, payload: PanelPayload): void {
    this.options.store.set({ panel: payload });
    this.reply(id, { method: 'panel', value: { ok: true } });
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
    this.options.store.set({ queued: this.queue.length, running: true });
    try {
      await this.run(job);
    } finally {
      this.running = null;
      if (this.queue.length === 0) this.options.store.set({ running: false });
      void this.pump();
    }
  }

  private engineFor(): EngineLike {
    if (this.engine) return this.engine;
    this.engine = (this.options.createEngine ?? defaultCreateEngine)(this.config, this.options.caps, this.cache, this.log, this.hostFiles);
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

  private jobContext(interactive: boolean): RemoveJobContext {
    return {
      engine: () => this.engineFor(),
      store: this.options.store,
      ui: interactive ? this.options.ui : undefined,
      progress: (id, stage, fraction, bytes) => this.progress(id, stage, fraction, bytes),
    };
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
          this.reply(request.id, { method: 'preload', value: { backend: session.backend, model: session.model, source: session.source, bytes: session.modelBytes } });
        } else {
          const value = await runRemoveJob(this.jobContext(interactive), request.id, request.payload, controller.signal);
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
}
