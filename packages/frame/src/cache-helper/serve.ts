/**
 * What the cache helper page does with a request from the frame embedding it: answer a ping with
 * its storage, serve a file from storage, or fetch it from its own origin (same-origin: no CORS,
 * and a real, non-transient HTTP cache key), verify size and sha256, store it, and send it back.
 * Only verified bytes are ever stored, keyed by their sha256, so a stored copy is the file. The
 * frame verifies again whatever it receives: this page is a cache, not a trust anchor.
 *
 * DOM-free so that it runs in Node tests; main.ts wires it to the page.
 */
import { isCoreError } from '@cutout/core';
import type { AssetCache } from '../asset-cache.js';
import { fetchVerified } from '../fetch-verified.js';
import { envelope, parseHelperRequest, HELPER_ERROR_CODES, type HelperErrorCode, type HelperReplyBody, type HelperRequest, type HelperStorage } from './messages.js';

export interface HelperDeps {
  /** Resolves to the page's storage, null where it has none (an opaque origin, storage blocked). */
  readonly storage: Promise<AssetCache | null>;
  /** The directory the helper page is served from: files are `${baseUrl}${path}`. */
  readonly baseUrl: string;
  readonly fetchImpl: typeof fetch;
  readonly log: (message: string, detail?: unknown) => void;
}

/** A few at once is all a frame asks for (the ORT binary, then the model); more is a misbehaving embedder. */
const MAX_RUNNING = 4;

function errorCode(e: unknown): HelperErrorCode {
  return isCoreError(e) && (HELPER_ERROR_CODES as readonly string[]).includes(e.code) ? (e.code as HelperErrorCode) : 'model_fetch_failed';
}

/** The ArrayBuffer to transfer: the view's own buffer when it spans it, else a copy. */
function ownBuffer(bytes: Uint8Array): ArrayBuffer {
  const buffer = bytes.buffer;
  if (buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength) return buffer;
  return bytes.slice().buffer as ArrayBuffer;
}

/** Where replies go: the parent window for the handshake, the frame's MessagePort after it. */
type PostReply = (reply: HelperReplyBody, transfer: Transferable[]) => void;

export interface HelperHandler {
  handle(raw: unknown, post: PostReply): void;
  dispose(): void;
}

export function createHelperHandler(deps: HelperDeps): HelperHandler {
  const running = new Map<number, AbortController>();

  const send = (post: PostReply, body: HelperReplyBody, transfer: Transferable[] = []): void => {
    try {
      post(envelope(body), transfer);
    } catch (e) {
      deps.log('could not post a reply to the frame', e);
    }
  };

  async function storageKind(): Promise<HelperStorage> {
    const storage = await deps.storage;
    return storage && storage.kind !== 'memory' ? storage.kind : 'none';
  }

  async function get(request: Extract<HelperRequest, { kind: 'get' }>, post: PostReply): Promise<void> {
    const { id, path, bytes, sha256 } = request;
    const reply = (body: HelperReplyBody, transfer: Transferable[] = []): void => send(post, body, transfer);
    const controller = new AbortController();
    running.set(id, controller);
    try {
      const storage = await deps.storage;
      const stored = storage ? await storage.get(sha256).catch((e: unknown) => (deps.log(`storage read failed for ${path}`, e), null)) : null;
      if (stored && stored.length === bytes) {
        const data = ownBuffer(stored);
        reply({ kind: 'bytes', id, from: 'storage', stored: true, data }, [data]);
        return;
      }
      if (stored) await storage?.delete(sha256).catch(() => undefined); // wrong size: not the file any more
      let last = -1;
      const fresh = await fetchVerified(
        { url: new URL(path, deps.baseUrl).href, bytes, sha256 },
        {
          signal: controller.signal,
          fetchImpl: deps.fetchImpl,
          onProgress: ({ loadedBytes, totalBytes }) => {
            // ≥ 0.5 % steps: a 176 MB download arrives in thousands of chunks.
            if (loadedBytes < totalBytes && loadedBytes - last < totalBytes / 200) return;
            last = loadedBytes;
            reply({ kind: 'progress', id, loadedBytes, totalBytes });
          },
        },
      );
      // Stored before the reply: the transfer detaches `fresh`.
      let kept = false;
      if (storage && !controller.signal.aborted) {
        kept = await storage.put(sha256, fresh).then(
          () => true,
          (e: unknown) => (deps.log(`could not store ${path} (quota?)`, e), false),
        );
      }
      const data = ownBuffer(fresh);
      reply({ kind: 'bytes', id, from: 'network', stored: kept, data }, [data]);
    } catch (e) {
      reply({ kind: 'failed', id, code: controller.signal.aborted ? 'cancelled' : errorCode(e), message: e instanceof Error ? e.message : String(e) });
    } finally {
      running.delete(id);
    }
  }

  return {
    handle(raw, post) {
      const request = parseHelperRequest(raw);
      if (!request) return deps.log('ignored a malformed or unserved request');
      const reply = (body: HelperReplyBody): void => send(post, body);
      switch (request.kind) {
        case 'ping':
          void storageKind().then((storage) => reply({ kind: 'pong', id: request.id, storage }));
          return;
        case 'connect':
          return; // handled by the page (main.ts): it carries the port
        case 'get':
          if (running.has(request.id)) return reply({ kind: 'failed', id: request.id, code: 'invalid_argument', message: `request id ${request.id} is in use` });
          if (running.size >= MAX_RUNNING) return reply({ kind: 'failed', id: request.id, code: 'model_fetch_failed', message: 'too many requests at once' });
          void get(request, post);
          return;
        case 'cancel':
          running.get(request.id)?.abort();
          return;
        case 'evict':
          void deps.storage
            .then((storage) => storage?.delete(request.sha256))
            .catch((e: unknown) => deps.log('evict failed', e))
            .then(() => reply({ kind: 'evicted', id: request.id }));
          return;
      }
    },
    dispose() {
      for (const controller of running.values()) controller.abort();
      running.clear();
    },
  };
}
