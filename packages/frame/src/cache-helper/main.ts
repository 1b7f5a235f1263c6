/**
 * Entry point of `cache-helper.html`, the page the model host serves next to models/ and ort/
 * (built into packages/frame/dist/model-host/, deployed as docs/hosting-models.md describes).
 *
 * Why it exists: Figma's plugin UI is a null-origin frame (a `data:` URL, or a sandboxed
 * `srcdoc`) with no IndexedDB, no Cache Storage and no localStorage (figma-review I-fb, I-ph,
 * I-cb), and Chromium does not HTTP-cache its requests because their network isolation key is
 * transient (`http_cache.cc` CanGenerateCacheKeyForRequest, CR-cache). This page, framed by the
 * UI, has the model host's real origin, so it has storage (partitioned under the top-level site,
 * so it lasts from one plugin run to the next in the same Figma profile).
 *
 * It answers only its parent, and only for files under its own models/ and ort/ (messages.ts).
 */
import { createAssetCache, type AssetCache } from '../asset-cache.js';
import { probeCacheStorage, probeIndexedDb } from '../capabilities.js';
import { parseHelperRequest } from './messages.js';
import { createHelperHandler } from './serve.js';

async function openStorage(): Promise<AssetCache | null> {
  // A frame inside a `data:` frame is not a secure context (its ancestor is not), so no Cache
  // Storage there; IndexedDB works in any context with a non-opaque origin. Inside a sandboxed
  // frame this page inherits the sandbox (HTML: nested browsing contexts inherit the parent's
  // sandboxing flags), gets an opaque origin and has neither.
  const [cacheStorage, indexedDb] = await Promise.all([probeCacheStorage(), probeIndexedDb()]);
  return cacheStorage || indexedDb ? createAssetCache({ cacheStorage, indexedDb }) : null;
}

const log = (message: string, detail?: unknown): void => console.warn(`[cutout-cache-helper] ${message}`, detail ?? '');

if (window.parent !== window) {
  const parent = window.parent;
  const handler = createHelperHandler({ storage: openStorage(), baseUrl: new URL('./', location.href).href, fetchImpl: (...args) => fetch(...args), log });
  let port: MessagePort | null = null;
  // Installed synchronously, before the load event the frame waits for to send its ping.
  window.addEventListener('message', (event) => {
    if (event.source !== parent) return;
    const kind = parseHelperRequest(event.data)?.kind;
    if (kind === 'connect') {
      const next = event.ports[0];
      if (!next) return log('connect without a port');
      port?.close();
      port = next;
      const own = next;
      own.onmessage = (e) => handler.handle(e.data, (reply, transfer) => own.postMessage(reply, transfer));
      return;
    }
    if (kind !== 'ping') return log('only ping and connect are answered on the window');
    // The ping. '*': the parent is the plugin UI, whose origin is opaque, and no target origin
    // string can name an opaque origin. The pong says only which storage this page has.
    handler.handle(event.data, (reply, transfer) => parent.postMessage(reply, '*', transfer));
  });
  window.addEventListener('pagehide', () => {
    handler.dispose();
    port?.close();
  });
}
