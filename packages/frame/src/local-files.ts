/**
 * Model files that lie next to the frame's page (a page-relative model base, './': the Photoshop
 * panel's page in plugin-data:), read the two ways a page can use when `fetch` of its sibling files
 * fails (photoshop-notes.md, "Design consequences" 2; fetch itself stays in asset-loader.ts):
 *   - 'script': each file as `<path>.part-<n>.js` scripts that hand a base64 piece to
 *     `globalThis.__cutoutModelPart(path, index, count, totalBytes, base64)` (protocol: MODEL_PART_CALLBACK; relative <script src>
 *     loading is documented for local webview content; fetch of local files is not);
 *   - 'host': the host sends the pieces itself with `asset` requests (over its bridge), before preload.
 * Either way the asset loader verifies the assembled bytes by size and sha256.
 */
import { CoreError } from '@cutout/core';
import { MODEL_PART_CALLBACK, decodeBase64, modelPartPath, type AssetPayload } from '@cutout/protocol';
import type { FetchProgress } from './fetch-verified.js';

export interface LocalReadOptions {
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((p: FetchProgress) => void) | undefined;
}

export interface LocalFileReader {
  /** The whole file at `path` (relative to the model base), e.g. 'models/x.onnx'. */
  read(path: string, options?: LocalReadOptions): Promise<Uint8Array>;
  /** A session holds the bytes now: what the reader keeps of `path` can go. */
  release(path: string): void;
}

interface Part {
  readonly count: number;
  readonly total: number;
  readonly base64: string;
}

type PartSink = (path: string, index: number, count: number, total: number, base64: string) => void;
type Waiter = (part: Part) => void;

/** Scripts deliver parts through one global function; it routes each to the load waiting for it. */
function partRouter(): Map<string, Waiter> {
  const g = globalThis as unknown as Record<string, PartSink | undefined> & { __cutoutPartWaiters?: Map<string, Waiter> };
  if (!g.__cutoutPartWaiters) {
    const waiters = new Map<string, Waiter>();
    g.__cutoutPartWaiters = waiters;
    g[MODEL_PART_CALLBACK] = (path, index, count, total, base64) => waiters.get(`${path}#${index}`)?.({ count, total, base64 });
  }
  return g.__cutoutPartWaiters;
}

function loadPart(doc: Document, baseUrl: string, path: string, index: number, signal: AbortSignal | undefined): Promise<Part> {
  const src = `${baseUrl}${modelPartPath(path, index)}`;
  const key = `${path}#${index}`;
  const waiters = partRouter();
  return new Promise<Part>((resolve, reject) => {
    let part: Part | null = null;
    const script = doc.createElement('script');
    const done = (): void => {
      waiters.delete(key);
      script.remove();
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = (): void => {
      done();
      reject(new CoreError('cancelled', 'Cancelled while reading the model.'));
    };
    waiters.set(key, (p) => (part = p));
    script.onload = () => {
      done();
      if (part) resolve(part);
      else reject(new CoreError('model_fetch_failed', `${src} loaded but carried no model part.`));
    };
    script.onerror = () => {
      done();
      reject(new CoreError('model_fetch_failed', `Could not load ${src} as a script.`));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    script.src = src;
    doc.head.appendChild(script);
  });
}

export function createScriptReader(doc: Document, baseUrl: string): LocalFileReader {
  return {
    async read(path, options = {}) {
      const first = await loadPart(doc, baseUrl, path, 0, options.signal);
      const { count, total } = first;
      if (!Number.isInteger(count) || count < 1 || !Number.isInteger(total) || total < 0) throw new CoreError('model_fetch_failed', `${path}.part-0.js announced ${count} parts of ${total} bytes.`);
      const out = new Uint8Array(total);
      let loaded = 0;
      for (let index = 0; index < count; index++) {
        const part = index === 0 ? first : await loadPart(doc, baseUrl, path, index, options.signal);
        if (part.count !== count || part.total !== total) throw new CoreError('model_fetch_failed', `${path}.part-${index}.js belongs to another copy of the file.`);
        const bytes = decodeBase64(part.base64);
        if (loaded + bytes.length > total) throw new CoreError('model_fetch_failed', `${path}: the parts hold more than the announced ${total} bytes.`);
        out.set(bytes, loaded);
        loaded += bytes.length;
        options.onProgress?.({ loadedBytes: loaded, totalBytes: total });
      }
      if (loaded !== total) throw new CoreError('model_fetch_failed', `${path}: the parts hold ${loaded} of ${total} bytes.`);
      return out;
    },
    release: () => undefined,
  };
}

/** Files the host sent with `asset` requests, kept in memory until a session has them. */
export class HostFiles implements LocalFileReader {
  private readonly files = new Map<string, { data: Uint8Array; received: number }>();

  /** One piece, in order; a piece at offset 0 starts the file again. Throws (bad_request) when out of order. */
  put(piece: AssetPayload): void {
    let file = this.files.get(piece.path);
    if (piece.offset === 0) {
      file = { data: new Uint8Array(piece.total), received: 0 };
      this.files.set(piece.path, file);
    }
    if (!file || file.data.length !== piece.total || piece.offset !== file.received) {
      throw new CoreError('invalid_argument', `${piece.path}: expected the piece at ${file?.received ?? 0} of a ${file?.data.length ?? piece.total}-byte file; got ${piece.offset} of ${piece.total}.`);
    }
    file.data.set(piece.data, piece.offset);
    file.received += piece.data.length;
  }

  async read(path: string, options: LocalReadOptions = {}): Promise<Uint8Array> {
    const file = this.files.get(path);
    if (!file || file.received !== file.data.length) {
      throw new CoreError('model_fetch_failed', `The host has not sent ${path}${file ? ` (only ${file.received} of ${file.data.length} bytes)` : ''}.`);
    }
    options.onProgress?.({ loadedBytes: file.data.length, totalBytes: file.data.length });
    return file.data;
  }

  release(path: string): void {
    this.files.delete(path);
  }

  clear(): void {
    this.files.clear();
  }
}
