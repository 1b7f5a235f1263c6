/**
 * The inference page in the panel: a `<webview>` loaded from plugin-data: (the page and the model
 * files side by side), the protocol client over the bridge, and the probe that finds how the page can
 * read the model, in the notes' order (photoshop-notes.md, "Design consequences" 2): (a) its own
 * fetch of './models/…' beside it; (b) the same files as <script> parts (page-files.ts; the frame then
 * hands the runtime to ORT as wasmBinary); (c) the panel sends the bytes over the bridge. The first
 * that loads is kept for the panel session; Diagnostics reports which one it was and why the others failed.
 */
import { createFrameClient, isFrameError, MODEL_DELIVERIES, type FrameClient, type ModelDelivery, type PreloadResult } from '@cutout/protocol';
import { createPanelEndpoint, type MessageSource, type WebviewLike } from './bridge.js';
import { PluginError, messageOf } from './errors.js';
import { PANEL_MODEL } from './model-install.js';
import { sendFiles, writeScriptParts, type PageFiles } from './page-files.js';
import type { StorageApi } from './storage-types.js';

/** The page is ~1 MB of script parsed in the webview; the model loads later, with progress. */
const READY_TIMEOUT_MS = 30_000;

export interface PageSession {
  readonly client: FrameClient;
  readonly src: string;
  /** Set once `loadModel` succeeded: where the model bytes came from and on which backend. */
  model: PreloadResult | null;
  /** The way the page read the model (set with `model`). */
  delivery: ModelDelivery | null;
  /** Why each way tried before (or instead of) the one that worked failed. */
  modelError: string | null;
  close(): void;
}

export interface OpenOptions {
  readonly container: HTMLElement;
  readonly window: MessageSource;
  readonly src: string;
  readonly log: (message: string) => void;
}

/** Creates the `<webview>` (WV L83-96: src plugin-data:/…; uxpAllowInspector for debugging, WV L25) and waits for the frame. */
export async function openPage(o: OpenOptions): Promise<PageSession> {
  const doc = o.container.ownerDocument;
  const webview = doc.createElement('webview');
  webview.id = 'frame';
  webview.setAttribute('uxpAllowInspector', 'true');
  webview.setAttribute('src', o.src);
  o.container.appendChild(webview);
  const client = createFrameClient(createPanelEndpoint(webview as unknown as WebviewLike, o.window, o.log), { readyTimeoutMs: READY_TIMEOUT_MS, log: o.log, idPrefix: 'ps' });
  const close = (): void => {
    client.close('The panel was closed.');
    webview.remove();
  };
  try {
    await client.ready;
    await client.request('configure', { modelBaseUrl: './', model: PANEL_MODEL, host: 'photoshop', theme: 'dark' });
  } catch (e) {
    close();
    const why = isFrameError(e, 'ready_timeout') ? `it did not start within ${READY_TIMEOUT_MS / 1000} s` : messageOf(e);
    throw new PluginError('page_failed', `The inference page (${o.src}) could not start: ${why}. Run Diagnostics and send us the report.`);
  }
  return { client, src: o.src, model: null, delivery: null, modelError: null, close };
}

export interface ModelSource {
  readonly storage: StorageApi;
  /** The installed files (model-install.ts installedFiles), asked for only when fetch fails. */
  readonly files: () => Promise<PageFiles>;
}

const WAY: Record<ModelDelivery, string> = { fetch: 'fetch beside the page', script: 'script parts', host: 'sent over the bridge' };

/** Loads the model in the page the first way that works (see the header); the failures are kept for Diagnostics. */
export async function loadModel(session: PageSession, source: ModelSource, onProgress?: (fraction: number, what: string) => void): Promise<PreloadResult> {
  if (session.model) return session.model;
  const failures: string[] = [];
  const progress = (f: number): void => onProgress?.(f, 'Loading the model');
  for (const delivery of MODEL_DELIVERIES) {
    try {
      await session.client.request('configure', { modelDelivery: delivery });
      if (delivery === 'script') await writeScriptParts(source.storage, await source.files(), (f) => onProgress?.(f, 'Preparing the model for this page (once)'));
      if (delivery === 'host') await sendFiles(session.client, source.storage, await source.files(), (f) => onProgress?.(f, 'Sending the model to the page'));
      session.model = await session.client.request('preload', undefined, { onProgress: (p) => progress(p.fraction) });
      session.delivery = delivery;
      session.modelError = failures.length ? failures.join('; ') : null;
      return session.model;
    } catch (e) {
      if (isFrameError(e, 'cancelled')) throw e;
      failures.push(`${WAY[delivery]}: ${messageOf(e)}`);
    }
  }
  session.modelError = failures.join('; ');
  throw new PluginError('page_failed', `The inference page could not read the model in any of the three ways (${session.modelError}). Run Diagnostics and send us the report.`);
}
