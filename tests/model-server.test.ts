/**
 * The development model server sends what a real model host must: CORS for null origins (errors
 * included), preflight answers, content types, caching, ETag revalidation, byte ranges, and it
 * refuses traversal. Uses a temporary models dir (the real models may be absent) and the real
 * onnxruntime-web dist for /ort/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { request, type IncomingHttpHeaders } from 'node:http';
import { brotliDecompressSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultOrtDir, startModelServer, type ModelServer, type ModelServerRequestInfo } from '@cutout/tools-browser';

const WASM = 'ort-wasm-simd-threaded.jsep.wasm';
const IMMUTABLE = 'public, max-age=31536000, immutable';

interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** A request sent exactly as written (fetch would normalise `..`, `%2e%2e` and backslashes first). */
function raw(base: string, path: string, method = 'GET', headers: Record<string, string> = {}): Promise<RawResponse> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The headers every response carries, success or error. */
function expectCorsBase(h: Headers): void {
  expect(h.get('access-control-allow-origin')).toBe('*');
  expect(h.get('access-control-expose-headers')).toBe('Content-Length, Content-Range, ETag');
  expect(h.get('cross-origin-resource-policy')).toBe('cross-origin');
}

describe('model server', () => {
  let dir: string;
  let pages: string;
  let server: ModelServer;
  const seen: ModelServerRequestInfo[] = [];
  const model = new Uint8Array(1000).map((_, i) => (i * 7) & 255);
  const manifest = JSON.stringify({ id: 'tiny', bytes: 1000 });
  const ortDir = defaultOrtDir();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cutout-models-'));
    await writeFile(join(dir, 'tiny.onnx'), model);
    await writeFile(join(dir, 'tiny.json'), manifest);
    await writeFile(join(dir, 'index.json'), JSON.stringify({ default: 'tiny', models: ['tiny'] }));
    await writeFile(join(dir, 'notes.txt'), 'not served');
    await mkdir(join(dir, 'sub'));
    await writeFile(join(dir, 'sub', 'nested.onnx'), model);
    pages = await mkdtemp(join(tmpdir(), 'cutout-pages-'));
    await mkdir(join(pages, 'css'));
    await writeFile(join(pages, 'index.html'), '<!doctype html><title>t</title>');
    await writeFile(join(pages, 'css', 'a.css'), 'body{}');
    await writeFile(join(pages, 'a.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    // Plain bytes here (fetch accepts br): the brotli copies have their own suite below.
    server = await startModelServer({ port: 0, modelsDir: dir, staticDirs: { '/pages/': pages }, onRequest: (r) => seen.push(r), encode: false });
  });
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
    await rm(pages, { recursive: true, force: true });
  });

  it('listens on an ephemeral 127.0.0.1 port and resolves the ORT dist', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(server.url).not.toBe('http://127.0.0.1:8787/');
    expect(server.ortDir).toBe(ortDir);
  });

  it('GET .onnx: CORS, octet-stream, immutable caching, CORP, strong ETag, length, bytes', async () => {
    const res = await fetch(`${server.url}models/tiny.onnx`, { headers: { Origin: 'null' } });
    expect(res.status).toBe(200);
    expectCorsBase(res.headers);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('cache-control')).toBe(IMMUTABLE);
    expect(res.headers.get('etag')).toMatch(/^"[^"]+"$/);
    expect(res.headers.get('content-length')).toBe('1000');
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(model);
  });

  it('GET .json manifests and index.json: application/json, no-cache', async () => {
    for (const name of ['tiny.json', 'index.json']) {
      const res = await fetch(`${server.url}models/${name}`, { headers: { Origin: 'null' } });
      expect(res.status).toBe(200);
      expectCorsBase(res.headers);
      expect(res.headers.get('content-type')).toMatch(/^application\/json(;|$)/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('etag')).toMatch(/^"[^"]+"$/);
      const text = await res.text();
      expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
      if (name === 'tiny.json') expect(text).toBe(manifest);
    }
  });

  it('GET the real ORT .wasm (application/wasm, immutable, streamed whole) and .mjs (text/javascript)', async () => {
    const size = (await stat(join(ortDir, WASM))).size;
    const res = await fetch(`${server.url}ort/${WASM}`, { headers: { Origin: 'null' } });
    expect(res.status).toBe(200);
    expectCorsBase(res.headers);
    expect(res.headers.get('content-type')).toBe('application/wasm');
    expect(res.headers.get('cache-control')).toBe(IMMUTABLE);
    expect(res.headers.get('etag')).toMatch(/^"[^"]+"$/);
    expect(res.headers.get('content-length')).toBe(String(size));
    const body = new Uint8Array(await res.arrayBuffer());
    expect(body.byteLength).toBe(size);
    expect([...body.subarray(0, 4)]).toEqual([0x00, 0x61, 0x73, 0x6d]); // \0asm
    const mjs = await fetch(`${server.url}ort/${WASM.replace(/\.wasm$/, '.mjs')}`);
    expect(mjs.status).toBe(200);
    expect(mjs.headers.get('content-type')).toMatch(/^text\/javascript(;|$)/);
    expect(mjs.headers.get('cache-control')).toBe(IMMUTABLE);
    await mjs.arrayBuffer();
  });

  it('serves only allowed names: no other ORT files, no other model-dir files, no listing, no subdirectories', async () => {
    for (const path of ['/ort/ort.min.js', '/ort/', '/ort', '/models/notes.txt', '/models/', '/models', '/models/sub/nested.onnx', '/models/nope.onnx', '/', '/index.html']) {
      const res = await raw(server.url, path);
      expect(res.status, path).toBe(404);
      expect(res.headers['access-control-allow-origin'], path).toBe('*');
    }
  });

  it('static dirs: test pages with their types and no-cache', async () => {
    const html = await fetch(`${server.url}pages/index.html`);
    expect(html.status).toBe(200);
    expectCorsBase(html.headers);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.headers.get('cache-control')).toBe('no-cache');
    expect(await html.text()).toContain('<title>t</title>');
    const css = await fetch(`${server.url}pages/css/a.css`);
    expect(css.headers.get('content-type')).toMatch(/^text\/css(;|$)/);
    await css.arrayBuffer();
    const png = await fetch(`${server.url}pages/a.png`);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(png.headers.get('cache-control')).toBe('no-cache');
    await png.arrayBuffer();
  });

  it('answers a CORS preflight from a null origin with 204', async () => {
    const res = await fetch(`${server.url}models/tiny.onnx`, {
      method: 'OPTIONS',
      headers: { Origin: 'null', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'range' },
    });
    expect(res.status).toBe(204);
    expectCorsBase(res.headers);
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, HEAD, OPTIONS');
    expect(res.headers.get('access-control-allow-headers')).toBe('Range, Content-Type');
    expect(res.headers.get('access-control-max-age')).toBe('86400');
    expect((await res.arrayBuffer()).byteLength).toBe(0);
  });

  it('revalidates with If-None-Match → 304 (no body), other tags → 200', async () => {
    const first = await fetch(`${server.url}models/tiny.onnx`);
    const etag = first.headers.get('etag') ?? '';
    await first.arrayBuffer();
    for (const tag of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const res = await raw(server.url, '/models/tiny.onnx', 'GET', { 'If-None-Match': tag });
      expect(res.status, tag).toBe(304);
      expect(res.body.length).toBe(0);
      expect(res.headers['etag']).toBe(etag);
      expect(res.headers['access-control-allow-origin']).toBe('*');
    }
    const other = await fetch(`${server.url}models/tiny.onnx`, { headers: { 'If-None-Match': '"nope"' } });
    expect(other.status).toBe(200);
    await other.arrayBuffer();
    const json = await fetch(`${server.url}models/tiny.json`);
    await json.text();
    expect((await fetch(`${server.url}models/tiny.json`, { headers: { 'If-None-Match': json.headers.get('etag') ?? '' } })).status).toBe(304);
  });

  it('serves single byte ranges with 206 and Content-Range; 416 when unsatisfiable', async () => {
    const cases: Array<[string, number, number]> = [
      ['bytes=10-19', 10, 19],
      ['bytes=990-', 990, 999],
      ['bytes=995-5000', 995, 999],
      ['bytes=-5', 995, 999],
      ['bytes=0-0', 0, 0],
    ];
    for (const [range, a, b] of cases) {
      const res = await fetch(`${server.url}models/tiny.onnx`, { headers: { Range: range, Origin: 'null' } });
      expect(res.status, range).toBe(206);
      expectCorsBase(res.headers);
      expect(res.headers.get('content-range')).toBe(`bytes ${a}-${b}/1000`);
      expect(res.headers.get('content-length')).toBe(String(b - a + 1));
      expect(res.headers.get('cache-control')).toBe(IMMUTABLE);
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(model.subarray(a, b + 1));
    }
    for (const range of ['bytes=1000-', 'bytes=5000-6000', 'bytes=-0']) {
      const res = await fetch(`${server.url}models/tiny.onnx`, { headers: { Range: range } });
      expect(res.status, range).toBe(416);
      expect(res.headers.get('content-range')).toBe('bytes */1000');
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      await res.arrayBuffer();
    }
    // Not a single byte range: ignored, the whole file.
    const multi = await fetch(`${server.url}models/tiny.onnx`, { headers: { Range: 'bytes=0-1,5-6' } });
    expect(multi.status).toBe(200);
    expect((await multi.arrayBuffer()).byteLength).toBe(1000);
  });

  it('HEAD sends the GET headers and no body', async () => {
    const res = await raw(server.url, '/models/tiny.onnx', 'HEAD', { Origin: 'null' });
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe('1000');
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['etag']).toMatch(/^"[^"]+"$/);
    expect(res.body.length).toBe(0);
    const wasm = await fetch(`${server.url}ort/${WASM}`, { method: 'HEAD' });
    expect(wasm.headers.get('content-type')).toBe('application/wasm');
    expect(Number(wasm.headers.get('content-length'))).toBeGreaterThan(1e6);
    expect((await wasm.arrayBuffer()).byteLength).toBe(0);
  });

  it('refuses path traversal (raw, encoded, backslash, NUL) with 400/404 and never leaks files', async () => {
    const pkg = await readFile(join(import.meta.dirname, '..', 'package.json'), 'utf8');
    const attempts = [
      '/models/../package.json',
      '/models/%2e%2e/package.json',
      '/models/%2E%2E/%2E%2E/package.json',
      '/models/..%2fpackage.json',
      '/ort/..%2fpackage.json',
      '/ort/..%2f..%2f..%2fpackage.json',
      '/models/..\\package.json',
      '/models/..%5Cpackage.json',
      '/models/%5c..%5c..%5cpackage.json',
      '/models/tiny.onnx%00.json',
      '/models/%00tiny.json',
      '/models/%zz.json',
      '/models/%2fetc%2fpasswd',
      '/pages/../../package.json',
      '/pages/%2e%2e/%2e%2e/package.json',
      '/pages/..%2f..%2fpackage.json',
      '/pages//etc/passwd',
      '/pages/%2fetc%2fpasswd',
    ];
    for (const path of attempts) {
      const res = await raw(server.url, path);
      expect([400, 404], path).toContain(res.status);
      expect(res.headers['access-control-allow-origin'], path).toBe('*');
      expect(res.body.toString(), path).not.toContain(pkg.slice(0, 40));
    }
    // fetch normalises `..` away before sending: it asks for /package.json, which is not served.
    expect((await fetch(`${server.url}models/../package.json`)).status).toBe(404);
  });

  it('unknown files are 404 with CORS; other methods 405 with CORS and Allow', async () => {
    const missing = await fetch(`${server.url}models/nope.onnx`, { headers: { Origin: 'null' } });
    expect(missing.status).toBe(404);
    expectCorsBase(missing.headers);
    await missing.arrayBuffer();
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const res = await fetch(`${server.url}models/tiny.onnx`, { method, body: 'x' });
      expect(res.status, method).toBe(405);
      expectCorsBase(res.headers);
      expect(res.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
      await res.arrayBuffer();
    }
  });

  it('reports every request to onRequest (method, url, origin, status)', async () => {
    seen.length = 0;
    const sent: Array<[string, string, string | undefined, number]> = [
      ['GET', '/models/tiny.json', 'null', 200],
      ['HEAD', '/models/tiny.onnx', undefined, 200],
      ['OPTIONS', '/models/tiny.onnx', 'null', 204],
      ['GET', '/models/missing.onnx', 'null', 404],
      ['POST', '/models/tiny.onnx', undefined, 405],
      ['GET', '/models/..%2fpackage.json', undefined, 400],
    ];
    for (const [method, path, origin] of sent) await raw(server.url, path, method, origin ? { Origin: origin } : {});
    const range = await fetch(`${server.url}models/tiny.onnx`, { headers: { Range: 'bytes=0-9' } });
    await range.arrayBuffer();
    expect(seen).toEqual([
      ...sent.map(([method, url, origin, status]) => expect.objectContaining({ method, url, status, ...(origin ? { origin } : {}) })),
      expect.objectContaining({ method: 'GET', url: '/models/tiny.onnx', status: 206, length: 10 }),
    ]);
  });

  it('latencyMs delays each response; close() stops the server', async () => {
    const slow = await startModelServer({ port: 0, modelsDir: dir, latencyMs: 150 });
    const t0 = performance.now();
    const res = await fetch(`${slow.url}models/tiny.json`);
    expect(res.status).toBe(200);
    await res.text();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
    await slow.close();
    await slow.close(); // idempotent
    await expect(fetch(`${slow.url}models/tiny.json`)).rejects.toThrow();
  });

  it('serves the cache helper page at /cache-helper.html (HTML, no-cache, frameable), or 404 when there is none', async () => {
    const helperFile = join(pages, 'helper.html');
    await writeFile(helperFile, '<!doctype html><title>helper</title>');
    const withHelper = await startModelServer({ port: 0, modelsDir: dir, cacheHelper: helperFile });
    const none = await startModelServer({ port: 0, modelsDir: dir, cacheHelper: null });
    try {
      const res = await fetch(`${withHelper.url}cache-helper.html`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('x-frame-options')).toBeNull();
      expectCorsBase(res.headers);
      expect(await res.text()).toContain('helper');
      expect((await raw(withHelper.url, '/cache-helper.html/x')).status).toBe(404);
      expect((await raw(withHelper.url, '/models/cache-helper.html')).status).toBe(404);
      expect((await raw(none.url, '/cache-helper.html')).status).toBe(404);
    } finally {
      await withHelper.close();
      await none.close();
    }
  });

  it('recordRequests keeps every request; countGets counts GETs of one path, whatever the query', async () => {
    expect(server.requests).toEqual([]); // not recorded unless asked
    const rec = await startModelServer({ port: 0, modelsDir: dir, recordRequests: true });
    try {
      for (const path of ['/models/tiny.onnx', '/models/tiny.onnx?x=1', '/models/tiny.json']) await raw(rec.url, path);
      await raw(rec.url, '/models/tiny.onnx', 'HEAD');
      expect(rec.requests).toHaveLength(4);
      expect(rec.countGets('/models/tiny.onnx')).toBe(2);
      expect(rec.countGets('/models/tiny.json')).toBe(1);
    } finally {
      await rec.close();
    }
  });
});

describe('model server: brotli copies of .wasm and .onnx', () => {
  let dir: string;
  let ort: string;
  let server: ModelServer;
  // Compressible like the real files (repetitive structure), small enough to encode in milliseconds.
  const model = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i % 97 < 50 ? i % 13 : 0)));
  const wasm = Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 31) % 7));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cutout-models-br-'));
    ort = await mkdtemp(join(tmpdir(), 'cutout-ort-br-'));
    await writeFile(join(dir, 'big.onnx'), model);
    await writeFile(join(dir, 'later.onnx'), model);
    await writeFile(join(dir, 'big.json'), '{}');
    await writeFile(join(ort, WASM), wasm);
    server = await startModelServer({ port: 0, modelsDir: dir, ortDir: ort, encodeAtStart: [join(dir, 'big.onnx'), join(ort, WASM)], recordRequests: true });
    await server.encodedReady;
  });
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
    await rm(ort, { recursive: true, force: true });
  });

  it('sends Content-Encoding: br with Vary and its own ETag to clients that accept it; the body decodes to the file', async () => {
    for (const [path, bytes, type] of [['/models/big.onnx', model, 'application/octet-stream'], [`/ort/${WASM}`, wasm, 'application/wasm']] as const) {
      const r = await raw(server.url, path, 'GET', { 'accept-encoding': 'gzip, deflate, br' });
      expect(r.status).toBe(200);
      expect(r.headers['content-encoding']).toBe('br');
      expect(r.headers['vary']).toBe('Accept-Encoding');
      expect(r.headers['content-type']).toBe(type);
      expect(r.headers['cache-control']).toBe(IMMUTABLE);
      expect(r.headers['etag']).toMatch(/-br"$/);
      expect(Number(r.headers['content-length'])).toBe(r.body.length);
      expect(r.body.length).toBeLessThan(bytes.length / 4);
      expect(brotliDecompressSync(r.body).equals(bytes)).toBe(true);
      // Bytes on the wire, as the server records them.
      expect(server.requests.at(-1)).toMatchObject({ url: path, status: 200, length: r.body.length, encoding: 'br' });
      const head = await raw(server.url, path, 'HEAD', { 'accept-encoding': 'br' });
      expect(head.headers['content-encoding']).toBe('br');
      expect(head.body.length).toBe(0);
    }
    // fetch decodes it: the bytes the frame verifies are the file's.
    const fetched = new Uint8Array(await (await fetch(`${server.url}models/big.onnx`)).arrayBuffer());
    expect(Buffer.from(fetched).equals(model)).toBe(true);
  });

  it('sends the plain file without br in Accept-Encoding (or br;q=0), and for Range requests', async () => {
    for (const headers of [{}, { 'accept-encoding': 'gzip' }, { 'accept-encoding': 'br;q=0, gzip' }] as Array<Record<string, string>>) {
      const r = await raw(server.url, '/models/big.onnx', 'GET', headers);
      expect(r.headers['content-encoding']).toBeUndefined();
      expect(r.headers['vary']).toBe('Accept-Encoding');
      expect(r.body.equals(model)).toBe(true);
    }
    const range = await raw(server.url, '/models/big.onnx', 'GET', { 'accept-encoding': 'br', range: 'bytes=10-19' });
    expect(range.status).toBe(206);
    expect(range.headers['content-encoding']).toBeUndefined();
    expect(range.body.equals(model.subarray(10, 20))).toBe(true);
    const json = await raw(server.url, '/models/big.json', 'GET', { 'accept-encoding': 'br' });
    expect(json.headers['content-encoding']).toBeUndefined();
  });

  it('encodes a file first asked for in the background: plain at first, br once the copy is on disk', async () => {
    const first = await raw(server.url, '/models/later.onnx', 'GET', { 'accept-encoding': 'br' });
    expect(first.headers['content-encoding']).toBeUndefined();
    expect(first.body.equals(model)).toBe(true);
    let encoding: string | undefined;
    for (const deadline = Date.now() + 20_000; encoding !== 'br' && Date.now() < deadline; ) {
      await new Promise((r) => setTimeout(r, 20));
      encoding = (await raw(server.url, '/models/later.onnx', 'HEAD', { 'accept-encoding': 'br' })).headers['content-encoding'];
    }
    expect(encoding).toBe('br');
  });
});
