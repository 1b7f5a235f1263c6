/**
 * The model cache helper in Node: its message validation (only files under models/ and ort/, by
 * sha256 and size), the helper page's request handling against a fake storage and model host, and
 * AssetLoader's use of a helper (fake): where the bytes come from, what it reports, and that a
 * helper that lies or fails is caught and the file downloaded directly.
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { CoreError } from '@cutout/core';
import { memoryCache, type AssetCache } from '../packages/frame/src/asset-cache.js';
import { AssetLoader } from '../packages/frame/src/asset-loader.js';
import type { CacheHelper, ConnectHelper } from '../packages/frame/src/cache-helper-client.js';
import { envelope, parseHelperReply, parseHelperRequest, type HelperReplyBody } from '../packages/frame/src/cache-helper/messages.js';
import { createHelperHandler } from '../packages/frame/src/cache-helper/serve.js';

const BYTES = new Uint8Array(1000).map((_, i) => (i * 13) & 255);
const SHA = createHash('sha256').update(BYTES).digest('hex');
const BASE = 'https://models.example.org/cutout/';
const ASSET = { url: `${BASE}models/tiny.onnx`, bytes: BYTES.length, sha256: SHA };
const WASM = { file: 'ort-wasm-simd-threaded.jsep.wasm', bytes: BYTES.length, sha256: SHA };

/** A persistent-looking store (the helper's IndexedDB) over a Map. */
function store(): AssetCache & { readonly entries: Map<string, Uint8Array> } {
  const entries = new Map<string, Uint8Array>();
  return {
    kind: 'indexeddb',
    entries,
    get: async (sha) => entries.get(sha)?.slice() ?? null,
    put: async (sha, bytes) => void entries.set(sha, bytes.slice()),
    delete: async (sha) => void entries.delete(sha),
  };
}

function countingFetch(body: Uint8Array = BYTES): typeof fetch & { calls: string[] } {
  const calls: string[] = [];
  const f = (async (input: RequestInfo | URL) => {
    calls.push(String(input));
    return new Response(body.slice(), { headers: { 'content-type': 'application/octet-stream' } });
  }) as typeof fetch & { calls: string[] };
  f.calls = calls;
  return f;
}

describe('cache helper messages', () => {
  const get = (path: string, extra: Record<string, unknown> = {}): unknown => envelope({ kind: 'get', id: 1, path, bytes: 10, sha256: SHA, ...extra });

  it('accepts model and ORT files only, one flat name each', () => {
    expect(parseHelperRequest(get('models/isnet-fp32-web.onnx'))).toMatchObject({ kind: 'get', path: 'models/isnet-fp32-web.onnx' });
    expect(parseHelperRequest(get('ort/ort-wasm-simd-threaded.jsep.wasm'))).not.toBeNull();
    for (const path of ['models/index.json', 'models/a.json', 'models/../secret.onnx', 'models/sub/x.onnx', '/models/x.onnx', 'https://evil.example/models/x.onnx', 'cache-helper.html', 'ort/other.wasm', 'models/.x.onnx', 'models/x..onnx']) {
      expect(parseHelperRequest(get(path)), path).toBeNull();
    }
  });

  it('requires a sha256, a positive size and its own tag and version', () => {
    expect(parseHelperRequest(get('models/x.onnx', { sha256: 'ABC' }))).toBeNull();
    expect(parseHelperRequest(get('models/x.onnx', { bytes: 0 }))).toBeNull();
    expect(parseHelperRequest(get('models/x.onnx', { bytes: 2 ** 40 }))).toBeNull();
    expect(parseHelperRequest({ ...(get('models/x.onnx') as object), v: 2 })).toBeNull();
    expect(parseHelperRequest({ ...(get('models/x.onnx') as object), tag: 'other' })).toBeNull();
    expect(parseHelperRequest({ pluginMessage: {} })).toBeNull();
  });

  it('validates replies: bytes must be an ArrayBuffer, progress within its total, codes from the list', () => {
    expect(parseHelperReply(envelope({ kind: 'bytes', id: 1, from: 'storage', stored: true, data: new ArrayBuffer(4) }))).not.toBeNull();
    expect(parseHelperReply({ ...envelope({ kind: 'bytes', id: 1, from: 'storage', stored: true, data: new ArrayBuffer(4) }), data: new Uint8Array(4) })).toBeNull();
    expect(parseHelperReply(envelope({ kind: 'progress', id: 1, loadedBytes: 5, totalBytes: 4 }))).toBeNull();
    expect(parseHelperReply({ ...envelope({ kind: 'failed', id: 1, code: 'model_integrity', message: 'x' }), code: 'internal' })).toBeNull();
    expect(parseHelperReply(envelope({ kind: 'pong', id: 1, storage: 'indexeddb' }))).toMatchObject({ storage: 'indexeddb' });
  });
});

describe('cache helper page (serve.ts)', () => {
  function helper(storage: AssetCache | null, fetchImpl: typeof fetch): (raw: unknown) => Promise<HelperReplyBody> {
    const handler = createHelperHandler({ storage: Promise.resolve(storage), baseUrl: BASE, fetchImpl, log: () => undefined });
    return (raw) =>
      new Promise((resolve) => {
        handler.handle(raw, (reply) => {
          if (reply.kind !== 'progress') resolve(reply);
        });
      });
  }
  const get = (id: number, sha256 = SHA): unknown => envelope({ kind: 'get', id, path: 'models/tiny.onnx', bytes: BYTES.length, sha256 });

  it('downloads same-origin, verifies, stores, then serves from storage', async () => {
    const db = store();
    const fetchImpl = countingFetch();
    const ask = helper(db, fetchImpl);
    expect(await ask(envelope({ kind: 'ping', id: 1 }))).toMatchObject({ kind: 'pong', storage: 'indexeddb' });
    const first = await ask(get(2));
    expect(first).toMatchObject({ kind: 'bytes', from: 'network', stored: true });
    expect(fetchImpl.calls).toEqual([`${BASE}models/tiny.onnx`]);
    expect(db.entries.has(SHA)).toBe(true);
    const second = await ask(get(3));
    expect(second).toMatchObject({ kind: 'bytes', from: 'storage' });
    expect(new Uint8Array((second as { data: ArrayBuffer }).data)).toEqual(BYTES);
    expect(fetchImpl.calls).toHaveLength(1);
    expect(await ask(envelope({ kind: 'evict', id: 4, sha256: SHA }))).toMatchObject({ kind: 'evicted' });
    expect(db.entries.has(SHA)).toBe(false);
  });

  it('stores nothing that fails verification, and says why', async () => {
    const db = store();
    const reply = await helper(db, countingFetch(new Uint8Array(BYTES.length)))(get(1));
    expect(reply).toMatchObject({ kind: 'failed', code: 'model_integrity' });
    expect(db.entries.size).toBe(0);
  });

  it('without storage it still answers (pong says none; files come from the network, unstored)', async () => {
    const ask = helper(null, countingFetch());
    expect(await ask(envelope({ kind: 'ping', id: 1 }))).toMatchObject({ storage: 'none' });
    expect(await ask(get(2))).toMatchObject({ kind: 'bytes', from: 'network', stored: false });
  });
});

/** A fake helper: serves `bytes` as if stored (or downloaded), and records what it was asked. */
function fakeHelper(options: { bytes?: Uint8Array; from?: 'storage' | 'network'; fail?: boolean } = {}): { connect: ConnectHelper; asked: string[]; evicted: string[]; closed: number } {
  const state = { asked: [] as string[], evicted: [] as string[], closed: 0 };
  const helper: CacheHelper = {
    storage: 'indexeddb',
    async get(path, expected, o) {
      state.asked.push(path);
      if (options.fail) throw new CoreError('model_fetch_failed', 'helper broke');
      o?.onProgress?.({ loadedBytes: expected.bytes, totalBytes: expected.bytes });
      return { bytes: (options.bytes ?? BYTES).slice(), from: options.from ?? 'storage' };
    },
    async evict(sha) {
      state.evicted.push(sha);
    },
    close: () => void state.closed++,
  };
  return Object.assign(state, { connect: (async () => helper) as ConnectHelper });
}

/** Loads ASSET again after dropping it from the memory cache (the next file the engine would load). */
async function cacheMiss(l: AssetLoader): Promise<void> {
  l.sessionCreated(ASSET);
  await new Promise((r) => setTimeout(r, 0));
  await l.load(ASSET);
}

describe('AssetLoader with the helper frame', () => {
  const loader = (cache: AssetCache, connect: ConnectHelper | null, fetchImpl = countingFetch()): AssetLoader => new AssetLoader(BASE, cache, () => undefined, fetchImpl, WASM, connect);

  it("reports 'helper-frame' only for bytes the helper had stored; a helper download is 'network'", async () => {
    const stored = fakeHelper({ from: 'storage' });
    const l = loader(memoryCache(), stored.connect);
    expect((await l.load(ASSET)).source).toBe('helper-frame');
    expect(l.helperFrame).toBe(true);
    expect(stored.asked).toEqual(['models/tiny.onnx']);
    const downloaded = fakeHelper({ from: 'network' });
    expect((await loader(memoryCache(), downloaded.connect).load(ASSET)).source).toBe('network');
  });

  it('a lying helper is caught by the sha256 check, asked to evict, closed, not asked again; the file is downloaded directly', async () => {
    const liar = fakeHelper({ bytes: new Uint8Array(BYTES.length).fill(7) });
    const fetchImpl = countingFetch();
    const l = loader(memoryCache(), liar.connect, fetchImpl);
    const got = await l.load(ASSET);
    expect(got.source).toBe('network');
    expect(got.bytes).toEqual(BYTES);
    expect(liar.evicted).toEqual([SHA]);
    expect(liar.closed).toBe(1);
    expect(l.helperFrame).toBe(false);
    await cacheMiss(l);
    expect(liar.asked).toHaveLength(1);
    expect(fetchImpl.calls).toHaveLength(2);
  });

  it('a failing or missing helper means a direct download', async () => {
    const broken = fakeHelper({ fail: true });
    expect((await loader(memoryCache(), broken.connect).load(ASSET)).source).toBe('network');
    const unreachable: ConnectHelper = async () => {
      throw new CoreError('model_fetch_failed', 'no pong');
    };
    const l = loader(memoryCache(), unreachable);
    expect((await l.load(ASSET)).source).toBe('network');
    expect(l.helperFrame).toBe(false);
  });

  it('is not used where the frame has storage of its own', async () => {
    const helper = fakeHelper();
    const l = loader(store(), helper.connect);
    expect((await l.load(ASSET)).source).toBe('network');
    expect((await l.load(ASSET)).source).toBe('indexeddb');
    expect(helper.asked).toEqual([]);
  });

  it('sessionCreated drops the model from the memory cache and closes the helper; a later load asks the helper again', async () => {
    const helper = fakeHelper();
    const cache = memoryCache();
    const l = loader(cache, helper.connect);
    await l.load(ASSET);
    expect(await cache.get(SHA)).not.toBeNull();
    l.sessionCreated(ASSET);
    await Promise.resolve();
    expect(await cache.get(SHA)).toBeNull();
    await new Promise((r) => setTimeout(r, 0));
    expect(helper.closed).toBe(1);
    expect((await l.load(ASSET)).source).toBe('helper-frame');
    expect(helper.asked).toHaveLength(2);
    l.dispose();
    await expect(l.load(ASSET)).rejects.toMatchObject({ code: 'disposed' });
  });

  it('treats a memory entry whose buffer went to the worker (detached) as a miss', async () => {
    const cache = memoryCache();
    const l = loader(cache, null);
    const first = await l.load(ASSET);
    structuredClone(first.bytes.buffer, { transfer: [first.bytes.buffer] }); // what the worker transfer does
    expect(first.bytes.length).toBe(0);
    expect((await l.load(ASSET)).source).toBe('network');
  });
});
