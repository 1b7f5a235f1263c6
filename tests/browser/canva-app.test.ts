/**
 * The BUILT Canva app (canva-app/dist/app.js) in headless Chromium, in a page that carries Canva's
 * exact CSP (as a header) and a scripted `window.canva_sdk` (tools/browser/pages/canva-sdk.js),
 * with the model host on HTTPS loopback (tests/canva/https-host.ts). The only change to the built
 * file is its one model-base string, pointed at this run's port. Asserts: no CSP violation and no
 * worker or frame; the model and .wasm come from the host on the first run and from the cache on
 * the second; the upload is a `;base64` PNG data URL ≤ 10 MB at the input's size with `parentRef`
 * and `aiDisclosure: 'none'`; its alpha equals the Node core's matte within 1/255. Logs the
 * timings against a bare onnxruntime-web run under the same CSP, and what WebGPU offered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alphaToBytes } from '@cutout/core';
import { createNodeRemover } from '@cutout/core-node';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { BASE_FLAGS, CHROMIUM, loadRgba } from '@cutout/tools-browser';
import { HAVE_MODELS, MODELS_DIR, ROOT, SAMPLES_DIR } from '../helpers/paths.js';
import { need } from '../helpers/require.js';
import { startHttpsHost, type HttpsHost } from '../canva/https-host.js';

const APP = join(ROOT, 'canva-app', 'dist', 'app.js');
const RUN = need({ models: HAVE_MODELS, chromium: CHROMIUM, built: [APP] });
const DEV_BASE = 'https://localhost:8788/';
const MODEL = 'isnet-int8-web';

describe.skipIf(!RUN)('Canva app (built app.js) under Canva CSP in Chromium', () => {
  let work: string;
  let host: HttpsHost;
  let browser: Browser;
  let context: BrowserContext;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'cutout-canva-'));
    host = await startHttpsHost(work);
    const app = await readFile(APP, 'utf8');
    expect(app.split(DEV_BASE).length - 1, 'the built app holds its model base once').toBe(1);
    await writeFile(join(work, 'app.js'), app.replace(DEV_BASE, host.modelBase));
    await copyFile(join(SAMPLES_DIR, 'astronaut.png'), join(work, 'astronaut.png'));
    await build({
      entryPoints: [join(ROOT, 'tests/canva/bare-ort.ts')],
      outfile: join(work, 'bare.js'),
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      logLevel: 'error',
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...BASE_FLAGS, '--disable-gpu', `--ignore-certificate-errors-spki-list=${host.spki}`] });
    context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 360, height: 800 } });
  }, 120_000);
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await host?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  const modelGets = (): number => host.server.countGets(`/models/${MODEL}.onnx`) + host.server.countGets('/ort/ort-wasm-simd-threaded.wasm');

  async function removeOnce(): Promise<{ record: any; ms: number; workers: number; frames: number; errors: string[] }> {
    const page = await context.newPage();
    const errors: string[] = [];
    let workers = 0;
    page.on('worker', () => workers++);
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(`${host.pageBase}harness/canva-host.html?image=${encodeURIComponent(`${host.modelBase}work/astronaut.png`)}`);
    const button = page.getByRole('button', { name: 'Remove background' });
    await button.waitFor();
    await page.waitForFunction(() => !document.querySelector('button[disabled]'), undefined, { timeout: 30_000 }).catch(() => undefined);
    const t0 = await page.evaluate(() => performance.now());
    await button.click();
    await page.waitForFunction(() => (window as any).canvaTest.saves.length > 0 || (window as any).canvaTest.toasts.length > 0 || document.querySelector('[role=alert]'), undefined, { timeout: 280_000 });
    const record = await page.evaluate(() => (window as any).canvaTest);
    const frames = page.frames().length - 1;
    await page.close();
    return { record, ms: (record.savedAt[0] ?? Number.NaN) - t0, workers, frames, errors };
  }

  it('first run: downloads model and wasm from the HTTPS host, replaces the image with a faithful cut-out', async () => {
    const before = modelGets();
    const from = host.server.requests.length;
    const run = await removeOnce();
    // Bytes on the wire (issue 14's ≤ 50 MB): the model host's record of each response's length.
    const big = host.server.requests.slice(from).filter((r) => r.method === 'GET' && /\.(onnx|wasm)$/.test(r.url));
    const wire = big.reduce((sum, r) => sum + (r.length ?? 0), 0);
    console.log(`Canva first run on the wire: ${big.map((r) => `${r.url} ${((r.length ?? 0) / 1e6).toFixed(1)} MB ${r.encoding ?? 'plain'}`).join(', ')}; ${(wire / 1e6).toFixed(1)} MB`);
    expect(big.every((r) => r.encoding === 'br')).toBe(true);
    expect(wire).toBeLessThanOrEqual(50_000_000);
    timings['first'] = run.ms;
    expect(run.record.violations, JSON.stringify(run.record.violations)).toEqual([]);
    expect(run.workers).toBe(0);
    expect(run.frames).toBe(0);
    expect(run.record.saves, run.errors.join('\n')).toEqual([['cutout-ref-1']]);
    expect(modelGets() - before).toBe(2);
    const upload = run.record.uploads[0];
    expect(upload).toMatchObject({ type: 'image', mimeType: 'image/png', parentRef: 'original-ref', aiDisclosure: 'none' });
    expect(upload.url).toMatch(/^data:image\/png;base64,/);
    expect(upload.url.length).toBeLessThanOrEqual(10 * 1024 * 1024);
    expect(upload.thumbnailUrl).toMatch(/^data:image\/png;base64,/);
    const input = await loadRgba(join(SAMPLES_DIR, 'astronaut.png'));
    expect([upload.width, upload.height]).toEqual([input.width, input.height]);
    expect(run.record.toasts.length).toBe(1);

    const sharp = (await import('sharp')).default;
    const png = Buffer.from(upload.url.slice(upload.url.indexOf(',') + 1), 'base64');
    const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([input.width, input.height]);
    const remover = await createNodeRemover({ modelsDir: MODELS_DIR, modelId: 'isnet-int8' });
    try {
      const matte = alphaToBytes((await remover.matte(input)).matte);
      let max = 0;
      let sum = 0;
      for (let i = 0; i < matte.length; i++) {
        const d = Math.abs(data[i * 4 + 3]! - matte[i]!);
        sum += d;
        max = Math.max(max, d);
      }
      console.log(`Canva app alpha vs Node core matte: max |Δ| ${max}/255, mean ${(sum / matte.length).toFixed(4)}/255`);
      expect(max).toBeLessThanOrEqual(1);
    } finally {
      await remover.dispose();
    }
  }, 300_000);

  it('second run: model and wasm come from the cache (no request reaches the host)', async () => {
    const before = modelGets();
    const run = await removeOnce();
    timings['cached'] = run.ms;
    expect(run.record.violations).toEqual([]);
    expect(run.record.saves).toEqual([['cutout-ref-1']]);
    expect(modelGets() - before).toBe(0);
  }, 300_000);

  it('measures a bare onnxruntime-web run under the same CSP (and what WebGPU offers there)', async () => {
    const page = await context.newPage();
    await page.goto(`${host.pageBase}harness/canva-bare.html?base=${encodeURIComponent(host.modelBase)}&model=${MODEL}`);
    const bare = (await page.evaluate(() => (window as any).bare)) as { totalMs: number; runMs: number; webgpu: string; evalResult: string };
    await page.close();
    console.log(
      `Canva app under the CSP: first run ${timings['first']?.toFixed(0)} ms (${((timings['first'] ?? 0) / bare.totalMs).toFixed(2)}× bare), ` +
        `cached run ${timings['cached']?.toFixed(0)} ms (${((timings['cached'] ?? 0) / bare.totalMs).toFixed(2)}× bare); ` +
        `bare ORT (download + session + run) ${bare.totalMs.toFixed(0)} ms, run ${bare.runMs.toFixed(0)} ms; WebGPU: ${bare.webgpu}; new Function under the CSP: ${bare.evalResult}`,
    );
    expect(bare.totalMs).toBeGreaterThan(0);
    // The reason the app bundles no WebGPU build: its glue's eval is refused here.
    expect(bare.evalResult).toMatch(/^refused/);
  }, 300_000);
});
