/**
 * The inference page in the panel: a `<webview>` loaded from plugin-data: (the page and the model
 * files side by side, so the frame reads the model with a relative fetch: the notes' first choice),
 * the protocol client over the bridge, and the probe that decides whether that path works: `preload`
 * with a model base of './'. The notes' fallbacks (model as <script> chunk files plus wasmBinary;
 * streaming the bytes over the bridge) are not implemented in this version: when the relative read
 * fails, `loadModel` says so with the frame's own error, and Diagnostics carries it to us.
 */
import { createFrameClient, isFrameError, type FrameClient, type PreloadResult } from '@cutout/protocol';
import { createPanelEndpoint, type MessageSource, type WebviewLike } from './bridge.js';
import { PluginError, messageOf } from './errors.js';
import { PANEL_MODEL } from './model-install.js';

/** The page is ~1 MB of script parsed in the webview; the model loads later, with progress. */
const READY_TIMEOUT_MS = 30_000;

export interface PageSession {
  readonly client: FrameClient;
  readonly src: string;
  /** Set once `loadModel` succeeded: where the model bytes came from and on which backend. */
  model: PreloadResult | null;
  /** Why reading the model by relative URL failed, when it did. */
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
  return { client, src: o.src, model: null, modelError: null, close };
}

/**
 * The probe (path a): the frame loads the model from './models/…' next to its page. On failure the
 * session records why, and the error names the fallbacks this version does not have.
 */
export async function loadModel(session: PageSession, onProgress?: (fraction: number) => void): Promise<PreloadResult> {
  if (session.model) return session.model;
  try {
    session.model = await session.client.request('preload', undefined, { onProgress: (p) => onProgress?.(p.fraction) });
    session.modelError = null;
    return session.model;
  } catch (e) {
    session.modelError = messageOf(e);
    throw new PluginError(
      'page_failed',
      `The inference page could not read the model from plugin-data: (${session.modelError}). ` +
        'The other ways (script chunks with wasmBinary; streaming over the bridge) are not in this version. Run Diagnostics and send us the report.',
    );
  }
}
