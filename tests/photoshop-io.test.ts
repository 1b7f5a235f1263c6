// The Photoshop panel's I/O pieces without Photoshop: the webview bridge end (JSON round trip, one
// delivery per message), the mask records, the verified model download, the manifest, and the
// page-relative model base the frame accepts for a page served from plugin-data:.
import { createHash } from 'node:crypto';
import { createWebviewEndpoint, parseHostMessage, type FrameMessage } from '@cutout/protocol';
import { describe, expect, it } from 'vitest';
import { createPanelEndpoint, payloadOf } from '../photoshop-uxp/src/bridge.js';
import { downloadTo, type FetchLike } from '../photoshop-uxp/src/download.js';
import { decodeRecord, encodeRecord } from '../photoshop-uxp/src/mask-store.js';
import { buildPhotoshopManifest } from '../scripts/lib/photoshop-manifest.mjs';
import { AssetLoader } from '../packages/frame/src/asset-loader.js';
import type { AssetCache } from '../packages/frame/src/asset-cache.js';

const sha256Hex = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

describe('bridge', () => {
  it('reads event.data or event.message', () => {
    expect(payloadOf({ data: 1 })).toBe(1);
    expect(payloadOf({ message: 2 })).toBe(2);
  });

  it('sends bytes as JSON text only, and takes a message reaching both window and webview once', async () => {
    const webview = new EventTarget() as EventTarget & { postMessage(m: unknown): void };
    const win = new EventTarget();
    const sent: string[] = [];
    webview.postMessage = (m) => sent.push(JSON.stringify(m));
    const panel = createPanelEndpoint(webview as never, win as never);
    const got: unknown[] = [];
    panel.listen((m) => got.push(m));
    panel.send({ v: 1, kind: 'request', id: 'a', method: 'remove', payload: { image: { width: 1, height: 1, data: new Uint8Array([1, 2, 3, 4]) } } });
    expect(sent[0]).toContain('$bytes');
    expect(parseHostMessage(createWebviewEndpointDecode(sent[0] as string)).ok).toBe(true);
    const reply: FrameMessage = { v: 1, kind: 'error', id: 'a', code: 'busy', message: 'x' };
    const ev = (): Event => Object.assign(new Event('message'), { data: JSON.parse(JSON.stringify(reply)) });
    webview.dispatchEvent(ev());
    win.dispatchEvent(ev());
    await tick();
    expect(got).toEqual([reply]);
  });
});

/** What the page's endpoint decodes from one bridge message. */
function createWebviewEndpointDecode(text: string): unknown {
  let out: unknown;
  const target = { addEventListener: (_t: 'message', l: (e: { data: unknown }) => void) => l({ data: JSON.parse(text) }), removeEventListener: () => undefined };
  createWebviewEndpoint<FrameMessage>({ send: () => undefined, target }).listen((m) => (out = m));
  return out;
}

describe('mask records', () => {
  it('round-trips, and refuses damaged bytes', () => {
    const record = { documentID: 3, layerID: 9, documentTitle: 'Pörtrait.psd', extent: { left: -2, top: 1, right: 1, bottom: 3 }, edge: { feather: 2 }, written: new Uint8Array([0, 1, 2, 3, 4, 5]), lowRes: { width: 2, height: 1, data: new Uint8Array([7, 8]) } };
    const buffer = encodeRecord(record);
    expect(decodeRecord(buffer)).toEqual(record);
    expect(decodeRecord(buffer.slice(0, buffer.byteLength - 1))).toBeNull();
    expect(decodeRecord(new ArrayBuffer(2))).toBeNull();
  });
});

function memoryFile() {
  const state = { bytes: new Uint8Array(0), deleted: false, writes: 0 };
  const file = {
    isFile: true,
    name: 'm.onnx',
    url: 'plugin-data:/m.onnx',
    read: async () => state.bytes.buffer,
    write: async (data: string | ArrayBuffer, o: { append?: boolean } = {}) => {
      const add = new Uint8Array(data as ArrayBuffer);
      const base = o.append ? state.bytes : new Uint8Array(0);
      const next = new Uint8Array(base.length + add.length);
      next.set(base);
      next.set(add, base.length);
      state.bytes = next;
      state.writes++;
    },
    delete: async () => void (state.deleted = true),
  };
  return { file, state };
}

function serve(bytes: Uint8Array, stream: boolean): FetchLike {
  return async () => ({
    ok: true,
    status: 200,
    body: stream ? { getReader: () => { let i = 0; return { read: async () => (i < bytes.length ? { done: false, value: bytes.subarray(i, (i += 3)) } : { done: true }), cancel: async () => undefined }; } } : null,
    arrayBuffer: async () => bytes.slice().buffer,
    text: async () => '',
  });
}

describe('model download', () => {
  const bytes = Uint8Array.from({ length: 20 }, (_, i) => i * 7);
  const expected = { url: 'https://m.example/models/x.onnx', bytes: bytes.length, sha256: sha256Hex(bytes) };

  for (const stream of [true, false]) {
    it(`writes verified bytes (${stream ? 'streamed' : 'whole body'}) with progress`, async () => {
      const { file, state } = memoryFile();
      const seen: number[] = [];
      await downloadTo(file, expected, { fetch: serve(bytes, stream), binary: Symbol('binary'), onProgress: (l) => seen.push(l) });
      expect(Array.from(state.bytes)).toEqual(Array.from(bytes));
      expect(seen.at(-1)).toBe(bytes.length);
      expect(seen).toEqual([...seen].sort((a, b) => a - b));
    });
  }

  it('deletes the file and says why when the sha256 is wrong', async () => {
    const { file, state } = memoryFile();
    await expect(downloadTo(file, { ...expected, sha256: '0'.repeat(64) }, { fetch: serve(bytes, true), binary: Symbol('b') })).rejects.toThrow(/did not verify/);
    expect(state.deleted).toBe(true);
  });
});

describe('manifest', () => {
  const template = { manifestVersion: 5, host: { app: 'PS', minVersion: '26.0.0' }, requiredPermissions: { webview: { allow: 'yes', domains: [], allowLocalRendering: 'yes', enableMessageBridge: 'localOnly' } } };

  it('derives network.domains from the model base and refuses a loopback base for release', () => {
    const m = buildPhotoshopManifest(template, { modelBase: 'https://models.cutout.dev/cutout', release: true });
    expect(m.requiredPermissions.network.domains).toEqual(['https://models.cutout.dev']);
    expect(buildPhotoshopManifest(template, { modelBase: 'http://127.0.0.1:8787/', release: false }).requiredPermissions.network.domains).toEqual(['http://127.0.0.1:8787']);
    expect(() => buildPhotoshopManifest(template, { modelBase: 'http://127.0.0.1:8787/', release: true })).toThrow(/Release build refused/);
  });
});

describe('a model base next to the page (plugin-data:)', () => {
  it('is accepted by the protocol as ./ only', () => {
    const configure = (modelBaseUrl: string) => parseHostMessage({ v: 1, kind: 'request', id: 'c', method: 'configure', payload: { modelBaseUrl } }).ok;
    expect(configure('./')).toBe(true);
    expect(configure('./assets/')).toBe(true);
    expect(configure('../')).toBe(false);
    expect(configure('/relative')).toBe(false);
  });

  it('makes the frame fetch beside its page, without its own cache', async () => {
    const g = globalThis as { location?: unknown };
    const before = g.location;
    g.location = { href: 'plugin-data://cutout/webview/frame.html' };
    try {
      const cache = { kind: 'indexeddb', get: () => Promise.reject(new Error('cache used')), put: () => Promise.reject(new Error('cache used')), delete: async () => undefined } as unknown as AssetCache;
      const body = new Uint8Array([1, 2, 3]);
      const urls: string[] = [];
      const loader = new AssetLoader('./', cache, () => undefined, (async (url: string) => (urls.push(url), new Response(body))) as typeof fetch, { file: 'o.wasm', bytes: 3, sha256: '' }, null);
      expect(loader.baseUrl).toBe('plugin-data://cutout/webview/');
      const got = await loader.load({ url: `${loader.baseUrl}models/x.onnx`, bytes: 3, sha256: sha256Hex(body) });
      expect(Array.from(got.bytes)).toEqual([1, 2, 3]);
      expect(urls).toEqual(['plugin-data://cutout/webview/models/x.onnx']);
    } finally {
      g.location = before;
    }
  });
});
