/**
 * Does the model survive from one plugin run to the next? For each form a Figma client may give
 * the plugin UI (a `data:` URL, a sandboxed `srcdoc`, a hosted page the UI navigates to), two runs
 * in one browser context: open the frame, preload the model, close the frame, open a new one,
 * preload again. What counts is what reached the model server (Playwright's request events also
 * fire for cache hits) and where the frame says the model came from (`PreloadResult.source`).
 *
 * The host page is on http://127.0.0.1:PORT; the model host is http://localhost:PORT, another site
 * (as a real model host is to figma.com), so the helper frame is a third-party frame. localhost is
 * potentially trustworthy, so it behaves like https. A persistent profile, like Figma's, so
 * storage and the HTTP cache are the disk-backed ones.
 *
 * Chromium gives a third-party frame no storage when third-party cookies are blocked ("The user
 * denied permission to access the database"; measured on Chromium 156, whose Debian build blocks
 * them by default). So the forms whose caching lives in a frame of the model host's origin (the
 * helper, the navigated UI) are measured both ways: cookie_controls_mode 0 (allowed: the default
 * of Chrome's regular windows) and 1 (blocked: Chrome's setting, and Incognito's default).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { BASE_FLAGS, CHROMIUM, DEFAULT_CACHE_HELPER, PAGES_DIR, startModelServer, type ModelServer } from '@cutout/tools-browser';
import { HAVE_MODELS, MODELS_DIR, ROOT } from '../helpers/paths.js';
import { need } from '../helpers/require.js';

const MODEL = 'isnet-fp32-web-dynamic';
const MODEL_PATH = `/models/${MODEL}.onnx`;
const FRAME_DIST = join(ROOT, 'packages', 'frame', 'dist');
const RUN = need({ models: HAVE_MODELS && existsSync(join(MODELS_DIR, `${MODEL}.onnx`)), chromium: CHROMIUM, built: [join(FRAME_DIST, 'frame.html'), DEFAULT_CACHE_HELPER] });

type Form = 'data' | 'srcdoc' | 'navigated';
type ThirdParty = 'allowed' | 'blocked';

interface Row {
  readonly form: string;
  readonly cookies: string;
  readonly step: string;
  readonly source: string;
  readonly modelGets: number;
  readonly ms: number;
  readonly frame: string;
}

interface Reply {
  readonly ok: boolean;
  readonly code?: string;
  readonly message?: string;
  readonly result?: { readonly method: string; readonly value: Record<string, unknown> };
}

const table: Row[] = [];

async function startServer(cacheHelper?: string): Promise<ModelServer> {
  return startModelServer({
    port: 0,
    modelsDir: MODELS_DIR,
    recordRequests: true,
    ...(cacheHelper ? { cacheHelper } : {}),
    staticDirs: { '/frame/': FRAME_DIST, '/harness/': PAGES_DIR, '/protocol/': join(ROOT, 'packages', 'protocol', 'dist') },
  });
}

interface FigmaWindow {
  readonly page: Page;
  readonly context: BrowserContext;
  readonly cookies: ThirdParty;
  close(): Promise<void>;
}

/** One Figma window: a persistent browser profile, with third-party cookies as given, and the host page open. */
async function openWindow(server: ModelServer, cookies: ThirdParty): Promise<FigmaWindow> {
  const profile = await mkdtemp(join(tmpdir(), 'cutout-figma-cache-'));
  await mkdir(join(profile, 'Default'));
  // chrome://settings/cookies: 0 allow third-party cookies, 1 block them, 2 block them in Incognito.
  await writeFile(join(profile, 'Default', 'Preferences'), JSON.stringify({ profile: { cookie_controls_mode: cookies === 'allowed' ? 0 : 1 } }));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: [...BASE_FLAGS, '--disable-gpu'] });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => {
    if (m.type() === 'error' || process.env['CUTOUT_BROWSER_LOG']) console.log(`[browser ${m.type()}] ${m.text()}`);
  });
  await page.goto(`${server.url}harness/cache-host.html`);
  await page.waitForFunction(() => (window as unknown as { cacheHost?: unknown }).cacheHost !== undefined);
  return {
    page,
    context,
    cookies,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

const request = (page: Page, method: string, payload?: unknown): Promise<Reply> =>
  page.evaluate(([m, p]) => (window as any).cacheHost.request(m, p) as Promise<Reply>, [method, payload] as const);

function localhostBase(server: ModelServer): string {
  return server.url.replace('127.0.0.1', 'localhost');
}

/** One plugin run: open the frame in `form`, configure, preload, then `more` (same frame), close. */
async function pluginRun(server: ModelServer, w: FigmaWindow, form: Form, step: string, more?: () => Promise<void>): Promise<Row> {
  const page = w.page;
  const base = localhostBase(server);
  const before = server.countGets(MODEL_PATH);
  const t0 = Date.now();
  const ready = (await page.evaluate(([f, nav]) => (window as any).cacheHost.open(f, nav), [form, `${base}frame/frame.html`] as const)) as {
    capabilities: { secureContext: boolean; cacheStorage: boolean; indexedDb: boolean };
  };
  const configured = await request(page, 'configure', { modelBaseUrl: base, backend: 'wasm', model: MODEL, inputSize: 256 });
  expect(configured.ok, configured.message).toBe(true);
  const preload = await request(page, 'preload');
  expect(preload.ok, `${preload.code}: ${preload.message}`).toBe(true);
  const caps = ready.capabilities;
  const row: Row = {
    form,
    cookies: w.cookies,
    step,
    source: String(preload.result?.value['source']),
    modelGets: server.countGets(MODEL_PATH) - before,
    ms: Date.now() - t0,
    frame: `${caps.secureContext ? 'secure' : 'not secure'}, ${caps.cacheStorage ? 'Cache Storage' : caps.indexedDb ? 'IndexedDB' : 'no storage'}`,
  };
  table.push(row);
  await more?.();
  await page.evaluate(() => (window as any).cacheHost.close());
  return row;
}

/**
 * In the same frame after a preload: two removes (a re-run in the same session loads nothing),
 * then a reconfigure that needs a new session, which loads the model again: that is where the
 * memory cache's eviction (AssetLoader.sessionCreated) could cost a download.
 */
async function sameFrame(server: ModelServer, w: FigmaWindow, form: Form): Promise<void> {
  const page = w.page;
  const before = server.countGets(MODEL_PATH);
  const t0 = Date.now();
  for (let i = 0; i < 2; i++) {
    const reply = await page.evaluate(() => (window as any).cacheHost.request('remove', { image: (window as any).cacheHost.image() }) as Promise<Reply>);
    expect(reply.ok, reply.message).toBe(true);
  }
  table.push({ form, cookies: w.cookies, step: '  same frame: 2 × remove', source: '(session kept)', modelGets: server.countGets(MODEL_PATH) - before, ms: Date.now() - t0, frame: '' });
  const mid = server.countGets(MODEL_PATH);
  const t1 = Date.now();
  expect((await request(page, 'configure', { inputSize: 320 })).ok).toBe(true);
  const again = await request(page, 'preload');
  expect(again.ok, again.message).toBe(true);
  table.push({ form, cookies: w.cookies, step: '  same frame: reconfigure + preload', source: String(again.result?.value['source']), modelGets: server.countGets(MODEL_PATH) - mid, ms: Date.now() - t1, frame: '' });
}

describe.skipIf(!RUN)('the model between plugin runs, per plugin UI iframe form (Chromium)', () => {
  let server: ModelServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.close();
    if (table.length) {
      const cols = ['form', 'cookies', 'step', 'frame', 'source', 'modelGets', 'ms'] as const;
      const width = cols.map((c) => Math.max(c.length, ...table.map((r) => String(r[c]).length)));
      const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(width[i] ?? 0)).join(' | ')} |`;
      console.log(
        [`Model ${MODEL} (${MODEL_PATH}); cookies = third-party cookies; modelGets = GET ${MODEL_PATH} that reached the server`, line([...cols]), line(width.map((w) => '-'.repeat(w))), ...table.map((r) => line(cols.map((c) => String(r[c]))))].join('\n'),
      );
    }
  });

  /** Two plugin runs in one window; `extra` runs in the second run's frame. */
  async function twoRuns(form: Form, cookies: ThirdParty, extra = false): Promise<[Row, Row]> {
    const w = await openWindow(server, cookies);
    try {
      const first = await pluginRun(server, w, form, 'run 1');
      const second = await pluginRun(server, w, form, 'run 2', extra ? () => sameFrame(server, w, form) : undefined);
      return [first, second];
    } finally {
      await w.close();
    }
  }

  it('data: URL iframe, third-party cookies allowed: the helper frame keeps the model; the second run downloads nothing', async () => {
    const [first, second] = await twoRuns('data', 'allowed', true);
    expect(first).toMatchObject({ source: 'network', modelGets: 1 });
    expect(second).toMatchObject({ source: 'helper-frame', modelGets: 0 });
    expect(table.at(-2)).toMatchObject({ modelGets: 0 }); // two removes in the same session load nothing
    expect(table.at(-1)).toMatchObject({ source: 'helper-frame', modelGets: 0 }); // a new session: from the helper again, not memory
  }, 300_000);

  it('data: URL iframe, third-party cookies blocked: the helper has no storage, so every run downloads', async () => {
    const [first, second] = await twoRuns('data', 'blocked');
    expect(first).toMatchObject({ source: 'network', modelGets: 1 });
    expect(second).toMatchObject({ source: 'network', modelGets: 1 });
  }, 300_000);

  it('sandboxed srcdoc iframe: the helper inherits the sandbox (opaque origin, no storage), so every run downloads', async () => {
    const [first, second] = await twoRuns('srcdoc', 'allowed', true);
    expect(first).toMatchObject({ source: 'network', modelGets: 1 });
    expect(second).toMatchObject({ source: 'network', modelGets: 1 });
    expect(table.at(-2)).toMatchObject({ modelGets: 0 });
    expect(table.at(-1)).toMatchObject({ source: 'network', modelGets: 1 }); // no storage anywhere: a new session downloads
  }, 300_000);

  it('UI navigated to the model host, third-party cookies allowed: the frame has its own Cache Storage; the second run downloads nothing', async () => {
    const [first, second] = await twoRuns('navigated', 'allowed');
    expect(first).toMatchObject({ source: 'network', modelGets: 1 });
    expect(second).toMatchObject({ source: 'cache-storage', modelGets: 0 });
  }, 300_000);

  it('UI navigated to the model host, third-party cookies blocked: a third-party frame without storage downloads again (or the browser HTTP cache answers)', async () => {
    const [first, second] = await twoRuns('navigated', 'blocked');
    expect(first).toMatchObject({ source: 'network', modelGets: 1 });
    // No storage of the frame's own: the second run loads over the network again. Since the model host
    // sends the model brotli-encoded, Chromium's HTTP cache (this frame's own partition) has been seen
    // to answer that load itself (0 GETs reach the host); either is a network load for the frame.
    expect(second.source).toBe('network');
    expect(second.modelGets).toBeLessThanOrEqual(1);
  }, 300_000);

  it('a helper frame that returns wrong bytes is caught by the sha256 check, asked to evict, and the frame downloads directly', async () => {
    const liar = await startServer(join(PAGES_DIR, 'lying-cache-helper.html'));
    const w = await openWindow(liar, 'allowed');
    try {
      const run = await pluginRun(liar, w, 'data', 'run 1, lying helper');
      expect(run).toMatchObject({ source: 'network', modelGets: 1 });
      // Asked for the first file (the ORT binary), caught, asked to evict it, then not asked again.
      expect(liar.countGets('/lying-helper/get')).toBe(1);
      expect(liar.countGets('/lying-helper/evict')).toBe(1);
    } finally {
      await w.close();
      await liar.close();
    }
  }, 300_000);
});
