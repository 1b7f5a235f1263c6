/** The development model server sends what a real model host must: CORS for null origins, types, caching, ranges. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { startModelServer, type ModelServer } from '../scripts/lib/model-server.js';

/** Raw GET without URL normalisation (fetch would resolve `..` before sending). */
function rawGet(base: string, path: string): Promise<number> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method: 'GET' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('model server', () => {
  let dir: string;
  let server: ModelServer;
  const seen: Array<{ method: string; url: string; status: number }> = [];
  const model = new Uint8Array(1000).map((_, i) => i & 255);
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cutout-models-'));
    await writeFile(join(dir, 'tiny.onnx'), model);
    await writeFile(join(dir, 'tiny.json'), '{"id":"tiny"}');
    server = await startModelServer({ port: 0, modelsDir: dir, onRequest: (r) => seen.push(r) });
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves models, manifests and the ORT wasm with CORS, types and caching headers', async () => {
    const onnx = await fetch(`${server.url}models/tiny.onnx`, { headers: { Origin: 'null' } });
    expect(onnx.status).toBe(200);
    expect(onnx.headers.get('access-control-allow-origin')).toBe('*');
    expect(onnx.headers.get('content-type')).toBe('application/octet-stream');
    expect(onnx.headers.get('cache-control')).toContain('immutable');
    expect(onnx.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(onnx.headers.get('content-length')).toBe('1000');
    expect(new Uint8Array(await onnx.arrayBuffer())).toEqual(model);
    const json = await fetch(`${server.url}models/tiny.json`);
    expect(json.headers.get('content-type')).toContain('application/json');
    expect(json.headers.get('cache-control')).toBe('no-cache');
    const wasm = await fetch(`${server.url}ort/ort-wasm-simd-threaded.jsep.wasm`, { method: 'HEAD' });
    expect(wasm.status).toBe(200);
    expect(wasm.headers.get('content-type')).toBe('application/wasm');
    expect(Number(wasm.headers.get('content-length'))).toBeGreaterThan(1e6);
    expect((await wasm.arrayBuffer()).byteLength).toBe(0);
  });

  it('answers preflight, ETag revalidation and byte ranges', async () => {
    const pre = await fetch(`${server.url}models/tiny.onnx`, { method: 'OPTIONS', headers: { Origin: 'null', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'range' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-methods')).toContain('GET');
    expect(pre.headers.get('access-control-allow-headers')).toContain('Range');
    const first = await fetch(`${server.url}models/tiny.onnx`);
    const etag = first.headers.get('etag')!;
    await first.arrayBuffer();
    expect((await fetch(`${server.url}models/tiny.onnx`, { headers: { 'If-None-Match': etag } })).status).toBe(304);
    const part = await fetch(`${server.url}models/tiny.onnx`, { headers: { Range: 'bytes=10-19' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 10-19/1000');
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(model.subarray(10, 20));
    expect((await fetch(`${server.url}models/tiny.onnx`, { headers: { Range: 'bytes=5000-' } })).status).toBe(416);
  });

  it('refuses traversal, unknown files and other methods, still with CORS', async () => {
    for (const path of ['/models/../package.json', '/models/%2e%2e/package.json', '/ort/..%2fpackage.json', '/models/..%5Cpackage.json', '/models/%00.json', '/models/', '/index.html']) {
      expect(await rawGet(server.url, path), path).toBeGreaterThanOrEqual(400);
    }
    const missing = await fetch(`${server.url}models/nope.onnx`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('access-control-allow-origin')).toBe('*');
    expect((await fetch(`${server.url}models/tiny.onnx`, { method: 'POST', body: 'x' })).status).toBe(405);
    expect(seen.some((r) => r.status === 405 && r.method === 'POST')).toBe(true);
  });
});
