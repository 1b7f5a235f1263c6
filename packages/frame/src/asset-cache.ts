/**
 * Where verified model and runtime bytes are kept between runs, keyed by their sha256 (so a key
 * can never return different bytes). Cache Storage where the origin has it, IndexedDB otherwise,
 * memory as the last resort: null-origin `data:` and sandboxed `srcdoc` frames have no storage, and
 * Chromium does not HTTP-cache their requests (transient network isolation key, figma-review
 * CR-cache). There AssetLoader asks the model host's cache helper frame, which runs this same
 * code under the model host's origin (cache-helper/main.ts). The memory cache holds the model only
 * until a session has it (AssetLoader.sessionCreated).
 */

export type CacheKind = 'cache-storage' | 'indexeddb' | 'memory';

export interface AssetCache {
  readonly kind: CacheKind;
  get(sha256: string): Promise<Uint8Array | null>;
  put(sha256: string, bytes: Uint8Array): Promise<void>;
  delete(sha256: string): Promise<void>;
}

const CACHE_NAME = 'cutout-assets-v1';
/** Cache Storage needs a URL as key; this one is never fetched. */
const keyUrl = (sha256: string): string => `https://cutout.invalid/sha256/${sha256}`;

function cacheStorageCache(): AssetCache {
  return {
    kind: 'cache-storage',
    async get(sha256) {
      const cache = await caches.open(CACHE_NAME);
      const hit = await cache.match(keyUrl(sha256));
      return hit ? new Uint8Array(await hit.arrayBuffer()) : null;
    },
    async put(sha256, bytes) {
      const cache = await caches.open(CACHE_NAME);
      await cache.put(keyUrl(sha256), new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { 'content-type': 'application/octet-stream' } }));
    },
    async delete(sha256) {
      const cache = await caches.open(CACHE_NAME);
      await cache.delete(keyUrl(sha256));
    },
  };
}

const DB_NAME = 'cutout-assets';
const STORE = 'assets';

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB open failed'));
  });
}

/**
 * Runs `run` in one transaction; resolves with what `result` returns once the transaction has
 * committed (so a put is durable before the caller goes on), rejects if it aborts.
 */
function idbTransaction<T>(mode: IDBTransactionMode, run: (store: IDBObjectStore) => () => T): Promise<T> {
  return openDb().then(
    (db) =>
      new Promise<T>((resolve, reject) => {
        const tx = db.transaction(STORE, mode);
        let result: () => T;
        try {
          result = run(tx.objectStore(STORE));
        } catch (e) {
          db.close();
          reject(e);
          return;
        }
        tx.oncomplete = () => {
          db.close();
          try {
            resolve(result());
          } catch (e) {
            reject(e);
          }
        };
        tx.onerror = tx.onabort = () => {
          db.close();
          reject(tx.error ?? new Error('IndexedDB transaction failed'));
        };
      }),
  );
}

/**
 * Chromium refuses IndexedDB values above ~127 MiB ("The serialized keys and/or value are too
 * large", Chromium 156: max 133,169,152 bytes), and the fp32 model is 176 MB: bytes are stored in
 * parts of this size under `<sha256>/<i>`, with a record `<sha256>` = { bytes, parts } written in
 * the same transaction.
 */
const IDB_PART_BYTES = 32 * 1024 * 1024;

interface IdbEntry {
  readonly bytes: number;
  readonly parts: number;
}

function isIdbEntry(v: unknown): v is IdbEntry {
  return typeof v === 'object' && v !== null && Number.isSafeInteger((v as IdbEntry).bytes) && Number.isSafeInteger((v as IdbEntry).parts);
}

const partKey = (sha256: string, i: number): string => `${sha256}/${i}`;
/** All part keys of one entry (`/` sorts before every digit, `0` after). */
const partRange = (sha256: string): IDBKeyRange => IDBKeyRange.bound(`${sha256}/`, `${sha256}0`, false, true);

function indexedDbCache(): AssetCache {
  return {
    kind: 'indexeddb',
    async get(sha256) {
      const entry: unknown = await idbTransaction('readonly', (s) => {
        const r = s.get(sha256);
        return () => r.result as unknown;
      });
      if (!isIdbEntry(entry)) return null;
      const parts = await idbTransaction('readonly', (s) => {
        const requests: IDBRequest[] = [];
        for (let i = 0; i < entry.parts; i++) requests.push(s.get(partKey(sha256, i)));
        return () => requests.map((r) => r.result as unknown);
      });
      const out = new Uint8Array(entry.bytes);
      let offset = 0;
      for (const part of parts) {
        if (!(part instanceof Uint8Array) || offset + part.length > entry.bytes) return null;
        out.set(part, offset);
        offset += part.length;
      }
      return offset === entry.bytes ? out : null;
    },
    async put(sha256, bytes) {
      await idbTransaction('readwrite', (s) => {
        s.delete(partRange(sha256));
        const parts = Math.ceil(bytes.length / IDB_PART_BYTES);
        // slice, not subarray: a view would be stored with its whole underlying buffer.
        for (let i = 0; i < parts; i++) s.put(bytes.slice(i * IDB_PART_BYTES, (i + 1) * IDB_PART_BYTES), partKey(sha256, i));
        s.put({ bytes: bytes.length, parts } satisfies IdbEntry, sha256);
        return () => undefined;
      });
    },
    async delete(sha256) {
      await idbTransaction('readwrite', (s) => {
        s.delete(sha256);
        s.delete(partRange(sha256));
        return () => undefined;
      });
    },
  };
}

export function memoryCache(): AssetCache {
  const entries = new Map<string, Uint8Array>();
  return {
    kind: 'memory',
    get: async (sha256) => entries.get(sha256) ?? null,
    put: async (sha256, bytes) => void entries.set(sha256, bytes),
    delete: async (sha256) => void entries.delete(sha256),
  };
}

export function createAssetCache(available: { cacheStorage: boolean; indexedDb: boolean }): AssetCache {
  if (available.cacheStorage) return cacheStorageCache();
  if (available.indexedDb) return indexedDbCache();
  return memoryCache();
}
