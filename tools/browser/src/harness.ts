/**
 * Browser test harness: serves the built frame, the test host page and staged raw images on
 * http://127.0.0.1 (with the model server's real headers), and drives Debian's Chromium headless
 * through playwright-core. Every request the browser makes is recorded for the privacy checks.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Frame, type Page, type Request } from 'playwright-core';
import { startModelServer, type ModelServer } from './model-server.js';
import { MODELS_DIR, PAGES_DIR, ROOT } from './paths.js';
import type { RgbaImage } from '@cutout/core';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const BASE_FLAGS = ['--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'];
const WEBGPU_FLAGS = ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--enable-features=Vulkan'];

export interface RecordedRequest {
  readonly url: string;
  readonly method: string;
  readonly frameUrl: string;
  /** Made by the embedded frame (not the test host page, not the frame's own navigation). */
  readonly byFrame: boolean;
  readonly hasBody: boolean;
}

export interface Harness {
  readonly baseUrl: string;
  readonly workDir: string;
  readonly browser: Browser;
  readonly requests: RecordedRequest[];
  /** The model host behind baseUrl (every request recorded, with its bytes on the wire). */
  readonly modelHost: ModelServer;
  /** Writes an image under /work/<name>.rgba (+ .json) for the host page to load. */
  stage(name: string, image: RgbaImage): Promise<void>;
  open(mode: 'src' | 'srcdoc' | 'data', options?: { initScript?: string }): Promise<{ page: Page; frame: () => Frame; context: BrowserContext }>;
  close(): Promise<void>;
}

export async function startHarness(options: { webgpu?: boolean; extraStatic?: Record<string, string>; extraFlags?: string[] } = {}): Promise<Harness> {
  const workDir = await mkdtemp(join(tmpdir(), 'cutout-browser-'));
  const server = await startModelServer({
    port: 0,
    modelsDir: MODELS_DIR,
    staticDirs: {
      '/frame/': join(ROOT, 'packages', 'frame', 'dist'),
      '/harness/': PAGES_DIR,
      '/protocol/': join(ROOT, 'packages', 'protocol', 'dist'),
      '/work/': workDir,
      ...(options.extraStatic ?? {}),
    },
    recordRequests: true,
  });
  // The default files' brotli copies exist before any page asks (made once per checkout: models/.encoded).
  await server.encodedReady;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...BASE_FLAGS, ...(options.webgpu ? WEBGPU_FLAGS : ['--disable-gpu']), ...(options.extraFlags ?? [])],
  });
  const requests: RecordedRequest[] = [];
  const contexts: BrowserContext[] = [];
  return {
    baseUrl: server.url,
    modelHost: server,
    workDir,
    browser,
    requests,
    async stage(name, image) {
      await writeFile(join(workDir, `${name}.rgba`), image.data);
      await writeFile(join(workDir, `${name}.json`), JSON.stringify({ width: image.width, height: image.height }));
    },
    async open(mode, openOptions = {}) {
      const context = await browser.newContext({ viewport: { width: 480, height: 900 } });
      contexts.push(context);
      if (openOptions.initScript) await context.addInitScript(openOptions.initScript);
      const page = await context.newPage();
      page.on('console', (m) => {
        if (m.type() === 'error' || process.env['CUTOUT_BROWSER_LOG']) console.log(`[browser ${m.type()}] ${m.text()}`);
      });
      const record = (r: Request): void => {
        // A blob: URL never leaves the browser (the frame starts its inference worker from one).
        if (r.url().startsWith('blob:')) return;
        const frame = r.frame();
        const byFrame = frame.parentFrame() !== null && !r.isNavigationRequest();
        requests.push({ url: r.url(), method: r.method(), frameUrl: frame.url(), byFrame, hasBody: r.postDataBuffer() !== null });
      };
      page.on('request', record);
      await page.goto(`${server.url}harness/host.html?mode=${mode}`);
      await page.waitForFunction(() => (window as unknown as { host?: unknown }).host !== undefined);
      await page.evaluate(() => (window as unknown as { host: { ready: Promise<unknown> } }).host.ready);
      const frame = (): Frame => {
        const f = page.frames().find((x) => x !== page.mainFrame());
        if (!f) throw new Error('frame not found');
        return f;
      };
      return { page, frame, context };
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close();
      await server.close();
      await rm(workDir, { recursive: true, force: true });
    },
  };
}

/** Base64 → bytes (mattes come back from the page as base64 to keep transfers cheap). */
export function fromBase64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64'));
}
