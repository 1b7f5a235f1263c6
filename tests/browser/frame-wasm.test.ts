/**
 * The built frame in real headless Chromium on WASM: the full default web model on a sample
 * matches the Node core's matte; privacy (every request goes to the model base URL, nothing is
 * sent); the protocol round trip with a hostile message, queueing and cancel; bad model hosts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFile, mkdir, open, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BackgroundRemover, alphaToBytes } from '@cutout/core';
import { createNodeRemover } from '@cutout/core-node';
import { loadRgba } from '../helpers/images.js';
import { HAVE_MODELS, MODELS_DIR, ROOT, SAMPLES_DIR } from '../helpers/paths.js';
import { need } from '../helpers/require.js';
import { CHROMIUM, defaultOrtDir, fromBase64, startHarness, type Harness } from '@cutout/tools-browser';

const RUN = need({ models: HAVE_MODELS, chromium: CHROMIUM });
const SMALL = { model: 'isnet-fp32-web-dynamic', inputSize: 256 } as const;

type Host = {
  request(method: string, payload?: unknown, id?: string): Promise<Reply>;
  removeRaw(name: string, extra?: unknown, id?: string): Promise<Reply & { ms: number }>;
  start(method: string, payload?: unknown, id?: string): string;
  results: Record<string, Promise<Reply>>;
  cancel(id: string): void;
  on(listener: (message: { kind: string; id?: string; stage?: string }) => void): () => void;
  raw(value: unknown): void;
  loadRaw(name: string): Promise<unknown>;
  slim(r: Reply): Reply;
  events: Array<{ kind: string; id?: string; stage?: string; code?: string }>;
};
type Reply = { ok: boolean; code?: string; message?: string; result?: any; progress: Array<{ stage: string; fraction: number; loadedBytes?: number; totalBytes?: number }> };
declare const host: Host;

describe.skipIf(!RUN)('inference frame in Chromium (WASM)', () => {
  let h: Harness;
  let badDir: string;
  beforeAll(async () => {
    badDir = join(MODELS_DIR, '..', '.cache', 'bad-model-host');
    await mkdir(join(badDir, 'html', 'models'), { recursive: true });
    await mkdir(join(badDir, 'trunc', 'models'), { recursive: true });
    h = await startHarness({ extraStatic: { '/bad/': badDir } });
    // A host whose manifest URL serves an HTML page (a mistyped base URL on a web server).
    await writeFile(join(badDir, 'html', 'models', `${SMALL.model}.json`), '<!doctype html><html><body>Not found</body></html>');
    // A host with a truncated model file: the manifest is right, the file is cut short.
    await copyFile(join(MODELS_DIR, `${SMALL.model}.json`), join(badDir, 'trunc', 'models', `${SMALL.model}.json`));
    const fd = await open(join(MODELS_DIR, `${SMALL.model}.onnx`), 'r');
    const head = Buffer.alloc(4 << 20);
    await fd.read(head, 0, head.length, 0);
    await fd.close();
    await writeFile(join(badDir, 'trunc', 'models', `${SMALL.model}.onnx`), head);
    await rm(join(badDir, 'trunc', 'ort'), { force: true });
    await symlink(defaultOrtDir(ROOT), join(badDir, 'trunc', 'ort'));
    await h.stage('astronaut', await loadRgba(join(SAMPLES_DIR, 'astronaut.png')));
  });
  afterAll(async () => {
    await h?.close();
  });

  it('runs the full default model on WASM in a data: iframe and matches the Node core', async () => {
    const { page } = await h.open('data');
    const reply = await page.evaluate(async (base) => {
      await host.request('configure', { modelBaseUrl: base, backend: 'wasm' });
      return host.removeRaw('astronaut');
    }, h.baseUrl);
    expect(reply.ok, reply.message).toBe(true);
    const value = reply.result.value;
    expect(value.backend).toBe('wasm');
    expect(value.model).toBe('isnet-int8-web');
    const downloads = reply.progress.filter((p) => p.stage === 'download');
    expect(downloads.length).toBeGreaterThan(2);
    for (let i = 1; i < downloads.length; i++) expect(downloads[i]!.loadedBytes!).toBeGreaterThanOrEqual(downloads[i - 1]!.loadedBytes!);
    expect(downloads.at(-1)!.loadedBytes).toBe(downloads.at(-1)!.totalBytes);

    const browserMatte = fromBase64(value.matte.base64);
    const image = await loadRgba(join(SAMPLES_DIR, 'astronaut.png'));
    const remover: BackgroundRemover = await createNodeRemover({ modelsDir: MODELS_DIR, modelId: 'isnet-int8' });
    try {
      const nodeMatte = alphaToBytes((await remover.matte(image)).matte);
      expect(browserMatte.length).toBe(nodeMatte.length);
      let max = 0;
      let sum = 0;
      for (let i = 0; i < nodeMatte.length; i++) {
        const d = Math.abs(browserMatte[i]! - nodeMatte[i]!);
        sum += d;
        if (d > max) max = d;
      }
      const mean = sum / nodeMatte.length;
      console.log(`frame (WASM, data: iframe) vs Node core matte: max |Δ| ${max}/255, mean ${mean.toFixed(4)}/255, frame ${reply.ms.toFixed(0)} ms incl. download`);
      expect(mean).toBeLessThan(0.05);
      expect(max).toBeLessThanOrEqual(4);
    } finally {
      await remover.dispose();
    }
  }, 300_000);

  it('sends no request except to the model base URL, and never a body', () => {
    const frameRequests = h.requests.filter((r) => r.byFrame);
    expect(frameRequests.length).toBeGreaterThan(0);
    for (const r of frameRequests) {
      expect(r.url.startsWith(`${h.baseUrl}models/`) || r.url.startsWith(`${h.baseUrl}ort/`), r.url).toBe(true);
      expect(r.method).toBe('GET');
      expect(r.hasBody).toBe(false);
    }
  });

  it('round-trips the protocol: hello, queued requests, cancel, hostile messages ignored', async () => {
    const { page } = await h.open('srcdoc');
    const out = await page.evaluate(async (args) => {
      const hello = await host.request('hello');
      await host.request('configure', { modelBaseUrl: args.base, backend: 'wasm', ...args.small });
      // Hostile and malformed messages: not a pluginMessage, wrong version, prototype keys, a lying size.
      host.raw('hello');
      host.raw({ pluginMessage: JSON.parse('{"__proto__":{"polluted":1},"v":1,"kind":"request","id":"x","method":"hello"}') });
      host.raw({ pluginMessage: { v: 2, kind: 'request', id: 'v2', method: 'hello' } });
      host.raw({ pluginMessage: { v: 1, kind: 'request', id: 'big', method: 'remove', payload: { image: { width: 100000, height: 100000, data: new Uint8Array(4) } } } });
      const zero = await host.request('remove', { image: { width: 0, height: 0, data: new Uint8Array(0) } }, 'zero');
      // Two requests at once: both answered, each with its own id and its own image size.
      const a = await host.loadRaw('astronaut');
      const small = { width: 64, height: 48, data: new Uint8Array(64 * 48 * 4).fill(200) };
      const [r1, r2] = await Promise.all([host.request('remove', { image: a }, 'first'), host.request('remove', { image: small }, 'second')]);
      // Cancel while running: once the frame says it is inferring (an event, not a sleep).
      const inferring = new Promise<void>((resolve) => {
        const off = host.on((m) => {
          if (m.kind === 'progress' && m.id === 'to-cancel' && m.stage === 'inference') {
            off();
            resolve();
          }
        });
      });
      const id = host.start('remove', { image: a }, 'to-cancel');
      await inferring;
      host.cancel(id);
      const cancelled = await host.results[id]!;
      const after = await host.request('remove', { image: small }, 'after');
      const onePixel = await host.request('remove', { image: { width: 1, height: 1, data: new Uint8Array([200, 30, 30, 255]) }, output: 'cutout' }, 'one');
      return {
        hello,
        zero,
        r1: host.slim(r1),
        r2: host.slim(r2),
        cancelled,
        after: host.slim(after),
        onePixel: host.slim(onePixel),
        polluted: ({} as Record<string, unknown>)['polluted'],
        ids: host.events.filter((e) => e.kind === 'result' || e.kind === 'error').map((e) => e.id),
      };
    }, { base: h.baseUrl, small: SMALL });
    expect(out.hello.ok).toBe(true);
    expect(out.hello.result.value.capabilities.secureContext).toBe(true);
    expect(out.zero).toMatchObject({ ok: false, code: 'bad_request' });
    expect(out.r1.ok && out.r2.ok).toBe(true);
    expect(out.r1.result.value.matte.width).toBe(512);
    expect(out.r2.result.value.matte.width).toBe(64);
    expect(out.cancelled).toMatchObject({ ok: false, code: 'cancelled' });
    expect(out.after.ok).toBe(true);
    expect(out.onePixel.ok, out.onePixel.message).toBe(true);
    expect(out.onePixel.result.value.matte.width).toBe(1);
    expect(out.polluted).toBeUndefined();
    // A wrong version is not answered; a valid hello with a hostile extra key is answered without it.
    expect(out.ids).not.toContain('v2');
    expect(out.ids).toContain('x');
    expect(out.ids).toContain('big');
  }, 180_000);

  it('caches verified model bytes in Cache Storage or IndexedDB where the origin has storage, memory where it has none', async () => {
    const { page } = await h.open('src');
    const preload = (): Promise<Reply> =>
      page.evaluate(async (args) => {
        await host.request('configure', { modelBaseUrl: args.base, backend: 'wasm', ...args.small });
        return host.request('preload');
      }, { base: h.baseUrl, small: SMALL });
    const first = await preload();
    expect(first.result.value.source).toBe('network');
    const before = h.requests.filter((r) => r.byFrame && r.url.endsWith('.onnx')).length;
    await page.reload();
    await page.waitForFunction(() => (window as unknown as { host?: unknown }).host !== undefined);
    await page.evaluate(() => (host as unknown as { ready: Promise<unknown> }).ready);
    const second = await preload();
    expect(second.result.value.source).toBe('cache-storage');
    expect(h.requests.filter((r) => r.byFrame && r.url.endsWith('.onnx')).length).toBe(before);
    // Where Cache Storage is missing, IndexedDB keeps the bytes.
    const idb = await h.open('src', { initScript: 'delete globalThis.caches; delete Window.prototype.caches;' });
    const viaIdb = (): Promise<Reply> =>
      idb.page.evaluate(async (args) => {
        await host.request('configure', { modelBaseUrl: args.base, backend: 'wasm', ...args.small });
        return host.request('preload');
      }, { base: h.baseUrl, small: SMALL });
    expect((await viaIdb()).result.value.source).toBe('network');
    await idb.page.reload();
    await idb.page.waitForFunction(() => (window as unknown as { host?: unknown }).host !== undefined);
    await idb.page.evaluate(() => (host as unknown as { ready: Promise<unknown> }).ready);
    expect((await viaIdb()).result.value.source).toBe('indexeddb');
    // A sandboxed srcdoc frame has no storage: memory only, so a reopened frame downloads again.
    const sandboxed = await h.open('srcdoc');
    const hello = await sandboxed.page.evaluate(() => host.request('hello'));
    expect(hello.result.value.capabilities.cacheStorage).toBe(false);
    expect(hello.result.value.capabilities.indexedDb).toBe(false);
  });

  it('a 6000×4000 photo: inference on a downscaled copy, the matte at full resolution', async () => {
    const big = await loadRgba(join(SAMPLES_DIR, 'rocket.jpg'));
    const sharp = (await import('sharp')).default;
    const { data, info } = await sharp(Buffer.from(big.data), { raw: { width: big.width, height: big.height, channels: 4 } })
      .resize(6000, 4000, { fit: 'fill' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    await h.stage('large', { width: info.width, height: info.height, data: new Uint8Array(data) });
    const { page } = await h.open('src');
    const reply = await page.evaluate(async (args) => {
      await host.request('configure', { modelBaseUrl: args.base, backend: 'wasm', ...args.small });
      const r = await host.removeRaw('large');
      return r.ok ? { ok: true, width: r.result.value.matte.width, height: r.result.value.matte.height, ms: r.ms, timings: r.result.value.timings } : r;
    }, { base: h.baseUrl, small: SMALL });
    expect(reply).toMatchObject({ ok: true, width: 6000, height: 4000 });
    console.log(`6000×4000 in the frame (model at 256²): ${JSON.stringify(reply)}`);
  }, 240_000);

  it('reports a model base URL that returns HTML, and one that is down, with the URL', async () => {
    const { page } = await h.open('src');
    const out = await page.evaluate(async (args) => {
      const small = { width: 32, height: 32, data: new Uint8Array(32 * 32 * 4) };
      await host.request('configure', { modelBaseUrl: args.html, ...args.small, backend: 'wasm' });
      const html = await host.request('remove', { image: small });
      await host.request('configure', { modelBaseUrl: args.down });
      const down = await host.request('remove', { image: small });
      return { html, down };
    }, { html: `${h.baseUrl}bad/html/`, down: 'http://127.0.0.1:9/', small: SMALL });
    expect(out.html).toMatchObject({ ok: false, code: 'model_fetch_failed' });
    expect(out.html.message).toContain(`${h.baseUrl}bad/html/models/`);
    expect(out.html.message).toMatch(/HTML/);
    expect(out.down).toMatchObject({ ok: false, code: 'model_fetch_failed' });
    expect(out.down.message).toContain('http://127.0.0.1:9/');
  });

  it('rejects a truncated model with an integrity error, offers Retry, and cancels during download', async () => {
    const { page, frame } = await h.open('src');
    await page.evaluate(async (args) => {
      await host.request('configure', { modelBaseUrl: args.trunc, ...args.small, backend: 'wasm' });
      host.start('remove', { image: { width: 32, height: 32, data: new Uint8Array(32 * 32 * 4) }, interactive: true }, 'trunc');
    }, { trunc: `${h.baseUrl}bad/trunc/`, small: SMALL });
    const message = frame().getByTestId('error-message');
    await message.waitFor();
    expect(await message.textContent()).toMatch(/truncated/);
    await frame().getByTestId('retry').click(); // downloads again, fails again
    await frame().getByTestId('retry').waitFor();
    await frame().getByRole('button', { name: 'Cancel' }).click();
    const reply = await page.evaluate(() => host.results['trunc']!);
    expect(reply).toMatchObject({ ok: false, code: 'model_integrity' });

    // Cancel while the (full-size) model downloads.
    const fresh = await h.open('src');
    const cancelled = await fresh.page.evaluate(async (base) => {
      await host.request('configure', { modelBaseUrl: base, model: 'isnet-fp16-web', backend: 'wasm' });
      // Cancel on the first download progress: the download is under way (an event, not a sleep).
      const downloading = new Promise<void>((resolve) => {
        const off = host.on((m) => {
          if (m.kind === 'progress' && m.id === 'dl' && m.stage === 'download') {
            off();
            resolve();
          }
        });
      });
      const id = host.start('preload', undefined, 'dl');
      await downloading;
      host.cancel(id);
      return host.results[id]!;
    }, h.baseUrl);
    expect(cancelled, JSON.stringify(cancelled)).toMatchObject({ ok: false, code: 'cancelled' });
  });
});
