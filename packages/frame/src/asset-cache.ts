/**
 * Where verified model and runtime bytes are kept between runs, keyed by their sha256 (so a key
 * can never return different bytes). Cache Storage where the origin has it, IndexedDB otherwise,
 * memory as the last resort (null-origin `data:` and sandboxed `srcdoc` frames have no storage:
 * there the model is downloaded again when the frame is reopened, and HTTP caching is all there is).
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

function idbRequest<T>(mode: IDBTransactionMode, run: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return openDb().then(
    (db) =>
      new Promise<T>((resolve, reject) => {
        const tx = db.transaction(STORE, mode);
        const request = run(tx.objectStore(STORE));
        tx.oncomplete = () => {
          db.close();
          resolve(request.result);
        };
        tx.onerror = tx.onabort = () => {
          db.close();
          reject(tx.error ?? new Error('IndexedDB transaction failed'));
        };
      }),
  );
}

function indexedDbCache(): AssetCache {
  return {
    kind: 'indexeddb',
    async get(sha256) {
      const value: unknown = await idbRequest('readonly', (s) => s.get(sha256));
      return value instanceof Uint8Array ? value : null;
    },
    async put(sha256, bytes) {
      await idbRequest('readwrite', (s) => s.put(bytes, sha256));
    },
    async delete(sha256) {
      await idbRequest('readwrite', (s) => s.delete(sha256));
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
