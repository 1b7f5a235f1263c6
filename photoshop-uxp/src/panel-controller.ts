/**
 * What the panel's buttons do. Remove Background: targets from the selection (targets.ts), the inline
 * confirm before an existing mask is replaced, the model installed once (model-install.ts), the page
 * opened (session.ts), then the host kit's batch runner with the Photoshop port. Refine edges and
 * Diagnostics as their own modules. Hiding or closing the panel mid-run aborts the run: the batch runner
 * then writes nothing (its isClosed/abort checks come before the one write). Esc in any of the run's
 * modal scopes, or another plugin holding the modal state, ends the whole batch (photoshopStops).
 */
import { runBatch, summarise } from '@cutout/host-kit';
import type { DiagnosticsResult, FrameClient, RemoveResult } from '@cutout/protocol';
import type { FetchLike } from './download.js';
import { PluginError, isPluginError, messageOf } from './errors.js';
import { createMaskStore, type MaskStore } from './mask-store.js';
import { installModel, installPage, installedFiles, isInstalled, type InstallConfig } from './model-install.js';
import type { PanelView } from './panel-view.js';
import { createPhotoshopPort } from './photoshop-port.js';
import { probeBridge, probeMasks } from './probes.js';
import { findDocument, type Ps } from './ps-api.js';
import { hasUserMask } from './ps-read.js';
import { refineEdges } from './refine-edges.js';
import { loadModel, openPage, type ModelSource, type PageSession } from './session.js';
import type { StorageApi } from './storage-types.js';
import { collectTargets, type Target } from './targets.js';
import { diagnosticsReport } from './diagnostics-report.js';
import type { MessageSource } from './bridge.js';
import { unitToBytes } from './refine-hints.js';

export interface ControllerDeps {
  readonly ps: Ps;
  readonly storage: StorageApi;
  readonly fetch: FetchLike;
  readonly view: PanelView;
  readonly window: MessageSource;
  readonly install: InstallConfig;
  readonly about: { readonly plugin: string; readonly host: string };
  readonly log: (message: string) => void;
}

/**
 * Photoshop's own stops end the whole batch: Esc in any of the run's modal scopes, or another plugin
 * holding the modal state (EAM L71-160). The batch runner would skip only that layer and go on with
 * (and write) the others; instead the first such error aborts the batch's signal and is raised after it.
 */
function photoshopStops(signal: AbortSignal) {
  const stop = new AbortController();
  const abort = (): void => stop.abort();
  signal.addEventListener('abort', abort);
  let stopped: PluginError | null = null;
  const stopOn =
    <A extends unknown[], R>(fn: (...args: A) => R | Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await fn(...args);
      } catch (e) {
        if (isPluginError(e, 'cancelled') || isPluginError(e, 'modal_busy')) {
          stopped ??= e;
          stop.abort();
        }
        throw e;
      }
    };
  return { signal: stop.signal, stopOn, stopped: () => stopped, done: () => signal.removeEventListener('abort', abort) };
}

const PHASE_WORDS = { page: 'Preparing', manifest: 'Downloading the model', model: 'Downloading the model', runtime: 'Downloading the runtime' } as const;

export class PanelController {
  private session: PageSession | null = null;
  private pageUrl = '';
  private run: AbortController | null = null;
  private closed = false;
  private lastRun: { totalMs: number; workMs: number; replyBytes: number } | null = null;
  private readonly store: MaskStore;

  constructor(private readonly d: ControllerDeps) {
    this.store = createMaskStore(d.storage);
    const v = d.view;
    v.on('remove', () => void this.guard((signal) => this.remove(signal)));
    v.on('refine', () => void this.guard((signal) => this.refine(signal)));
    v.on('diagnostics', () => void this.guard(() => this.diagnostics()));
    v.on('cancel', () => this.run?.abort());
    v.on('copy-report', () => void this.copyReport());
    v.busy(false);
    v.progress(null);
  }

  show(): void {
    this.closed = false;
  }

  /** hide/destroy: the run in flight is abandoned; nothing is written after this. */
  hide(destroy = false): void {
    this.closed = true;
    this.run?.abort();
    this.d.view.dismissConfirm();
    if (destroy) {
      this.session?.close();
      this.session = null;
    }
  }

  private async guard(work: (signal: AbortSignal) => Promise<string>): Promise<void> {
    if (this.run) return;
    const run = new AbortController();
    this.run = run;
    const v = this.d.view;
    v.busy(true);
    v.report(null);
    try {
      // Shown even when the panel was hidden meanwhile: it is what the user reads when it opens again.
      v.status(await work(run.signal));
    } catch (e) {
      // An exception wrote nothing (the write rolls back on one, EAM L217-271).
      if (this.closed) v.status('The panel was closed: nothing was changed.');
      else v.status(isPluginError(e) ? e.message : `Something went wrong: ${messageOf(e)}`, !isPluginError(e, 'cancelled'));
      this.d.log(`run failed: ${messageOf(e)}`);
    } finally {
      this.run = null;
      v.busy(false);
      v.progress(null);
    }
  }

  /** The page, opened once per panel session (the model is not needed for it). */
  private async page(): Promise<PageSession> {
    if (this.session) return this.session;
    const host = this.d.view.webviewHost();
    if (!host) throw new Error('the panel has no #webview-host');
    this.pageUrl = await installPage(this.d.storage);
    this.session = await openPage({ container: host, window: this.d.window, src: this.pageUrl, log: this.d.log });
    return this.session;
  }

  private async ready(signal: AbortSignal): Promise<PageSession> {
    const v = this.d.view;
    await installModel(this.d.install, {
      storage: this.d.storage,
      fetch: this.d.fetch,
      signal,
      log: this.d.log,
      onProgress: (phase, loaded, total) => v.progress(total ? loaded / total : 0, `${PHASE_WORDS[phase]} (once)`),
    });
    const session = await this.page();
    v.progress(0, 'Loading the model');
    await loadModel(session, this.modelSource(), (f, what) => v.progress(f, what));
    return session;
  }

  private modelSource(): ModelSource {
    const { storage, install } = this.d;
    return { storage, files: () => installedFiles(storage, install) };
  }

  private async remove(signal: AbortSignal): Promise<string> {
    const { ps, view: v } = this.d;
    const opts = v.options();
    const collected = collectTargets(ps.app.activeDocument, opts.output);
    if (collected.problem) throw new PluginError('no_target', collected.problem);
    let replaceMasks = false;
    if (opts.output === 'mask') {
      const masked = [];
      for (const t of collected.targets) if (!t.isBackground && (await hasUserMask(ps, t.documentID, t.layerID))) masked.push(t.name);
      if (masked.length) {
        replaceMasks = await v.confirm(`${masked.join(', ')} already ${masked.length === 1 ? 'has' : 'have'} a layer mask. Replace it with the new one?`);
        if (!replaceMasks) return 'Nothing was changed: the existing mask was kept.';
      }
    }
    const session = await this.ready(signal);
    const { signal: batchSignal, stopOn, stopped, done } = photoshopStops(signal);
    const port = createPhotoshopPort({
      ps,
      isClosed: () => this.closed,
      signal: batchSignal,
      edge: opts.edge,
      decontaminate: opts.decontaminate,
      replaceMasks,
      onStage: (name, stage, f) => v.progress(f, stage === 'write' ? 'Writing' : `${stage === 'refine' ? 'Refining edges of' : 'Composing'} ${name}`),
    });
    const outcome = await runBatch({
      client: this.timed(session.client),
      port: { ...port, read: stopOn((t: Target) => port.read(t)), stage: stopOn((t: Target, r: RemoveResult) => port.stage(t, r)), progress: (p) => v.progress(p.fraction, `${p.stage} ${p.name}`) },
      targets: collected.targets,
      skipped: collected.skipped,
      request: { output: 'mask', refine: false },
      signal: batchSignal,
    }).finally(done);
    const stop = stopped();
    if (stop && outcome.status !== 'closed') throw stop;
    if (outcome.status === 'closed') return 'The panel was closed: nothing was changed.';
    if (outcome.status === 'cancelled') return 'Cancelled: nothing was changed.';
    if (outcome.status === 'failed') throw new Error(`Nothing was changed: ${outcome.error?.message ?? 'the inference page stopped answering'}`);
    const notes: string[] = [];
    for (const w of port.written) {
      if (w.target.output !== 'mask') continue;
      // The written document's title, not the active one's: the user may have switched documents meanwhile.
      const doc = findDocument(ps.app, w.target.documentID);
      await this.store
        .save({ documentID: w.target.documentID, layerID: w.layerID, documentTitle: doc?.title ?? '', extent: w.target.extent, edge: opts.edge, written: unitToBytes(w.staged.mask), lowRes: w.staged.lowRes })
        .catch((e: unknown) => notes.push(`Refine edges is not available for ${w.target.name} (${messageOf(e)})`));
    }
    const verb = opts.output === 'mask' ? 'Masked' : opts.output === 'layer' ? 'Removed the background of' : 'Selected the subject of';
    return summarise(verb, outcome.written, outcome.skipped, notes, 400);
  }

  /** The client with every remove reply timed (the report's page → panel figure). */
  private timed(client: FrameClient): FrameClient {
    return {
      ...client,
      request: async (method, payload, options) => {
        const t0 = Date.now();
        const result = await client.request(method, payload, options);
        if (method === 'remove') {
          const r = result as RemoveResult;
          const t = r.timings;
          this.lastRun = { totalMs: Date.now() - t0, workMs: t.preprocess + t.inference + t.refine + t.compose, replyBytes: r.matte?.data.length ?? 0 };
        }
        return result;
      },
    };
  }

  private async refine(signal: AbortSignal): Promise<string> {
    const v = this.d.view;
    v.progress(0, 'Refining edges');
    return (await refineEdges({ ps: this.d.ps, store: this.store, signal, onProgress: (f) => v.progress(f, 'Refining edges') })).message;
  }

  private async diagnostics(): Promise<string> {
    const { ps, view: v } = this.d;
    v.progress(0, 'Diagnostics');
    let page: DiagnosticsResult | null = null;
    let pageError: string | null = null;
    let bridge: Awaited<ReturnType<typeof probeBridge>> = [];
    const installed = await isInstalled(this.d.storage, this.d.install);
    try {
      const session = await this.page();
      // A failed load is recorded in session.modelError, which the report prints.
      if (installed && !session.model && !session.modelError) await loadModel(session, this.modelSource()).catch((e: unknown) => this.d.log(`model probe: ${messageOf(e)}`));
      page = await session.client.request('diagnostics', undefined);
      v.progress(0.3, 'Diagnostics: bridge');
      bridge = await probeBridge(session.client);
    } catch (e) {
      pageError = messageOf(e);
    }
    v.progress(0.6, 'Diagnostics: layer masks');
    const masks = await probeMasks(ps);
    const s = this.session;
    v.report(diagnosticsReport({ ...this.d.about, pageUrl: this.pageUrl, page, pageError, model: s?.model ?? null, delivery: s?.delivery ?? null, modelError: s?.modelError ?? null, modelInstalled: installed, bridge, lastRun: this.lastRun, masks }));
    return 'Diagnostics done: copy the report below and send it to us.';
  }

  private async copyReport(): Promise<void> {
    const text = this.d.view.reportText();
    const clip = (globalThis as { navigator?: { clipboard?: { writeText?: (t: string) => Promise<void>; setContent?: (c: Record<string, string>) => Promise<void> } } }).navigator?.clipboard;
    try {
      if (clip?.writeText) await clip.writeText(text);
      else if (clip?.setContent) await clip.setContent({ 'text/plain': text });
      else throw new Error('no clipboard here');
      this.d.view.status('The report is on the clipboard.');
    } catch (e) {
      this.d.view.status(`Could not copy (${messageOf(e)}): select the report and copy it.`, true);
    }
  }
}
