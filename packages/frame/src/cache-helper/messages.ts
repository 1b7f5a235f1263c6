/**
 * The protocol between the inference frame and the model host's cache helper page
 * (`<model base>cache-helper.html`): requests carry an id, every reply carries it back, and both
 * sides validate what they receive before using it (anything else is dropped and logged).
 *
 *   window:  frame → helper  ping                  helper → frame  pong {storage}
 *            frame → helper  connect (+ a MessagePort, sent to the model origin only)
 *   port:    frame → helper  get {path, bytes, sha256} | cancel | evict {sha256}
 *            helper → frame  progress | bytes {from, data} | failed {code} | evicted
 *
 * The handshake uses window messages, so that the frame can check the pong's source window and
 * origin; everything after it uses a MessageChannel, so the helper's traffic never reaches the
 * window listener of the frame's host endpoint. `bytes.data` is an ArrayBuffer, transferred.
 */

export const HELPER_TAG = 'cutout-cache-helper';
export const HELPER_VERSION = 1;

/** Where the helper keeps files: its origin's Cache Storage where it is a secure context, else IndexedDB; 'none' when it has no storage. */
const HELPER_STORAGE = ['cache-storage', 'indexeddb', 'none'] as const;
export type HelperStorage = (typeof HELPER_STORAGE)[number];

/** Error codes a helper can answer with (a subset of the core's CoreErrorCode). */
export const HELPER_ERROR_CODES = ['model_fetch_failed', 'model_integrity', 'cancelled', 'invalid_argument'] as const;
export type HelperErrorCode = (typeof HELPER_ERROR_CODES)[number];

interface Envelope {
  readonly tag: typeof HELPER_TAG;
  readonly v: typeof HELPER_VERSION;
  readonly id: number;
}

export type HelperRequest = Envelope &
  (
    | { readonly kind: 'ping' }
    | { readonly kind: 'connect' }
    | { readonly kind: 'get'; readonly path: string; readonly bytes: number; readonly sha256: string }
    | { readonly kind: 'cancel' }
    | { readonly kind: 'evict'; readonly sha256: string }
  );

export type HelperReply = Envelope &
  (
    | { readonly kind: 'pong'; readonly storage: HelperStorage }
    | { readonly kind: 'progress'; readonly loadedBytes: number; readonly totalBytes: number }
    | { readonly kind: 'bytes'; readonly from: 'storage' | 'network'; readonly stored: boolean; readonly data: ArrayBuffer }
    | { readonly kind: 'failed'; readonly code: HelperErrorCode; readonly message: string }
    | { readonly kind: 'evicted' }
  );

type Unsent<T> = T extends unknown ? Omit<T, 'tag' | 'v'> : never;
export type HelperRequestBody = Unsent<HelperRequest>;
export type HelperReplyBody = Unsent<HelperReply>;

export function envelope<T extends HelperRequestBody | HelperReplyBody>(body: T): T & { tag: typeof HELPER_TAG; v: typeof HELPER_VERSION } {
  return { ...body, tag: HELPER_TAG, v: HELPER_VERSION };
}

/**
 * Files the helper serves, the same ones the model server serves (tools/browser/src/model-server.ts):
 * model files under models/ and ORT binaries under ort/, one flat name each (no '/', no '..').
 */
const SERVED_PATH = /^(?:models\/[A-Za-z0-9][\w.-]*\.onnx|ort\/ort-wasm-[\w.-]+\.wasm)$/;
const isServedPath = (path: string): boolean => SERVED_PATH.test(path) && !path.includes('..');

/** 2 GiB: above any model here, below ArrayBuffer and IndexedDB trouble. */
const MAX_ASSET_BYTES = 2 ** 31;
const SHA256 = /^[0-9a-f]{64}$/;

type Fields = Record<string, unknown>;
const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null;
const isId = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;
const isSize = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0 && (v as number) <= MAX_ASSET_BYTES;
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= MAX_ASSET_BYTES;
const isSha = (v: unknown): v is string => typeof v === 'string' && SHA256.test(v);
const oneOf = <T extends string>(list: readonly T[], v: unknown): v is T => typeof v === 'string' && (list as readonly string[]).includes(v);

function header(raw: unknown): Fields | null {
  if (!isObject(raw) || raw['tag'] !== HELPER_TAG || raw['v'] !== HELPER_VERSION || !isId(raw['id'])) return null;
  return raw;
}

/** A request the helper may act on, or null (not ours, malformed, or a path it does not serve). */
export function parseHelperRequest(raw: unknown): HelperRequest | null {
  const m = header(raw);
  if (!m) return null;
  const id = m['id'] as number;
  const base = { tag: HELPER_TAG, v: HELPER_VERSION, id } as const;
  switch (m['kind']) {
    case 'ping':
    case 'connect':
    case 'cancel':
      return { ...base, kind: m['kind'] };
    case 'get': {
      const { path, bytes, sha256 } = m;
      if (typeof path !== 'string' || !isServedPath(path) || !isSize(bytes) || !isSha(sha256)) return null;
      return { ...base, kind: 'get', path, bytes, sha256 };
    }
    case 'evict':
      return isSha(m['sha256']) ? { ...base, kind: 'evict', sha256: m['sha256'] } : null;
    default:
      return null;
  }
}

/** A reply the frame may act on, or null. */
export function parseHelperReply(raw: unknown): HelperReply | null {
  const m = header(raw);
  if (!m) return null;
  const base = { tag: HELPER_TAG, v: HELPER_VERSION, id: m['id'] as number } as const;
  switch (m['kind']) {
    case 'pong':
      return oneOf(HELPER_STORAGE, m['storage']) ? { ...base, kind: 'pong', storage: m['storage'] } : null;
    case 'progress': {
      const { loadedBytes, totalBytes } = m;
      if (!isCount(loadedBytes) || !isSize(totalBytes) || loadedBytes > totalBytes) return null;
      return { ...base, kind: 'progress', loadedBytes, totalBytes };
    }
    case 'bytes': {
      const { from, stored, data } = m;
      if ((from !== 'storage' && from !== 'network') || typeof stored !== 'boolean' || !(data instanceof ArrayBuffer)) return null;
      return { ...base, kind: 'bytes', from, stored, data };
    }
    case 'failed': {
      const { code, message } = m;
      if (!oneOf(HELPER_ERROR_CODES, code) || typeof message !== 'string') return null;
      return { ...base, kind: 'failed', code, message: message.slice(0, 500) };
    }
    case 'evicted':
      return { ...base, kind: 'evicted' };
    default:
      return null;
  }
}
