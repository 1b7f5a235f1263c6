/**
 * End to end: the BUILT Photoshop UXP plugin (photoshop-uxp/dist: index.html + main.js in a happy-dom
 * window, `require('photoshop')` / `require('uxp')` answered by the typed fakes of tests/photoshop) with
 * its built inference page (dist/webview/frame.html) in headless Chromium behind a bridge that JSON
 * round-trips every message, as UXP's `<webview>` does. The first Remove Background downloads the model
 * and the ORT runtime with the panel's `fetch` (here Node's, against the harness's model host) into the
 * fake plugin-data folder, copies the page there, and the page is served FROM that folder, so its
 * relative model read ('./models/…', './ort/…') exercises the plugin-data layout. The written mask must
 * match the Node core's matte on the same image within 1/255.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alphaToBytes, type RgbaImage } from '@cutout/core';
import { createNodeRemover } from '@cutout/core-node';
import { CHROMIUM, loadRgba, openWebviewPage, startHarness, type Harness, type WebviewPage, type WebviewPageOptions } from '@cutout/tools-browser';
import { FakePhotoshop, FakeUxp, FakeWebviewBridge, loadBuiltPlugin } from '../photoshop/index.js';
import { HAVE_MODELS, MODELS_DIR, ROOT, SAMPLES_DIR } from '../helpers/paths.js';
import { need } from '../helpers/require.js';

const DIST = join(ROOT, 'photoshop-uxp', 'dist');
const RUN = need({ models: HAVE_MODELS, chromium: CHROMIUM, built: [join(DIST, 'main.js'), join(DIST, 'index.html'), join(DIST, 'webview', 'frame.html')] });
/** The model host baked into the build (scripts/build.mjs, the Figma plugin's default). */
const BAKED_MODEL_BASE = 'http://127.0.0.1:8787/';

interface Clickable {
  click(): void;
  hasAttribute(name: string): boolean;
  textContent: string | null;
}

interface Run {
  readonly ps: FakePhotoshop;
  readonly bridge: FakeWebviewBridge;
  readonly status: string;
  readonly ms: number;
  readonly errors: unknown[];
  readonly dataFiles: string[];
  /** Requests the page made that the test refused (see WebviewPageOptions.refuse). */
  readonly refused: string[];
}

describe.skipIf(!RUN)('Photoshop plugin end to end (built main.js + built webview page in Chromium)', () => {
  let h: Harness;
  let dataRoot: string;
  let distCopy: string;
  let photo: RgbaImage;
  /** The Node core's default pipeline (isnet-int8, the same weights as the page's isnet-int8-web). */
  let coreMatte: Uint8Array;

  beforeAll(async () => {
    // The page is served from the fake plugin-data: folders, which live under this one (FakeUxp's data dir is made per test).
    dataRoot = await mkdtemp(join(tmpdir(), 'ps-e2e-pd-'));
    h = await startHarness({ extraStatic: { '/pd/': dataRoot } });
    // The built plugin with its model host pointed at this harness (index.html and main.js only: the
    // plugin folder itself stays the real dist, so plugin:/webview/frame.html is the built page).
    distCopy = await mkdtemp(join(tmpdir(), 'ps-e2e-dist-'));
    const code = await readFile(join(DIST, 'main.js'), 'utf8');
    expect(code).toContain(BAKED_MODEL_BASE);
    await writeFile(join(distCopy, 'main.js'), code.replaceAll(BAKED_MODEL_BASE, h.baseUrl));
    await writeFile(join(distCopy, 'index.html'), await readFile(join(DIST, 'index.html')));
    photo = await loadRgba(join(SAMPLES_DIR, 'astronaut.png'));
    // The sample is 512², under the plugin's 1024 long side, so the panel sends the layer at its own
    // size (no getPixels targetSize). The page answers with the network's alpha (refine: false) and the
    // panel refines it once at full resolution: the core's default pipeline on the layer.
    expect(Math.max(photo.width, photo.height)).toBeLessThanOrEqual(1024);
    const remover = await createNodeRemover({ modelsDir: MODELS_DIR, modelId: 'isnet-int8' });
    try {
      coreMatte = alphaToBytes((await remover.matte(photo)).matte);
    } finally {
      await remover.dispose();
    }
  }, 180_000);

  afterAll(async () => {
    await h?.close();
    if (distCopy) await rm(distCopy, { recursive: true, force: true });
    if (dataRoot) await rm(dataRoot, { recursive: true, force: true });
  });

  /** Loads the built panel on `ps`, connects its webview to the page in Chromium, clicks Remove Background and waits for the run to end. */
  async function removeBackground(ps: FakePhotoshop, name: string, refuse?: WebviewPageOptions['refuse']): Promise<Run> {
    const uxp = new FakeUxp({ pluginDir: DIST });
    // Serve this FakeUxp's plugin-data folder under /pd/<name>/ (a symlink keeps FakeUxp's own layout).
    await symlink(uxp.dirs.data, join(dataRoot, name));
    const bridge = new FakeWebviewBridge({});
    let webview: WebviewPage | null = null;
    let opened: Promise<WebviewPage> | null = null;
    const fetched: string[] = [];
    // UXP's fetch downloads the model: Node's fetch against the harness's model host.
    const pluginFetch = (url: string): Promise<Response> => {
      fetched.push(url);
      return fetch(url);
    };
    const plugin = await loadBuiltPlugin({ distDir: distCopy, photoshop: ps.module, uxp, bridge, globals: { fetch: pluginFetch } });
    const unsubscribe: Array<() => void> = [];
    try {
      await plugin.panel.create();
      await plugin.panel.show();
      const doc = plugin.document;
      const el = (id: string): Clickable => {
        const e = doc.getElementById(id) as unknown as Clickable | null;
        if (!e) throw new Error(`#${id} is not in the panel`);
        return e;
      };
      // The page opens once the plugin has created <webview src="plugin-data:/webview/frame.html">
      // (the bridge is attached to it then); messages the plugin sends before the page is there wait.
      const pending: unknown[] = [];
      unsubscribe.push(
        bridge.page.onMessage((m) => {
          if (webview) void webview.postToPage(m);
          else pending.push(m);
        }),
      );
      const t0 = Date.now();
      el('remove').click();
      expect(el('remove').hasAttribute('disabled')).toBe(true);
      const deadline = Date.now() + 240_000;
      for (;;) {
        if (!opened && bridge.element) {
          const src = (bridge.element as unknown as { getAttribute(n: string): string | null }).getAttribute('src');
          expect(src).toBe('plugin-data:/webview/frame.html');
          opened = openWebviewPage(h.browser, { url: `${h.baseUrl}pd/${name}/webview/frame.html`, ...(refuse ? { refuse } : {}) }).then((w) => {
            webview = w;
            unsubscribe.push(w.onMessage((m) => bridge.page.postToPlugin(m)));
            for (const m of pending.splice(0)) void w.postToPage(m);
            return w;
          });
        }
        if (!el('remove').hasAttribute('disabled')) break;
        if (Date.now() > deadline) throw new Error(`the run did not end; status: ${el('status').textContent}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const ms = Date.now() - t0;
      const status = el('status').textContent ?? '';
      const dataFiles = (await readdir(join(uxp.dirs.data, 'webview'), { recursive: true })).map(String).sort();
      console.log(`${name}: "${status}" in ${(ms / 1000).toFixed(1)} s (fetched ${fetched.map((u) => u.slice(h.baseUrl.length)).join(', ')}; bridge ${bridge.bytes.toPage} chars to the page, ${bridge.bytes.toPlugin} back)`);
      return { ps, bridge, status, ms, errors: [...plugin.errors], dataFiles, refused: [...((webview as WebviewPage | null)?.refused ?? [])] };
    } finally {
      for (const u of unsubscribe) u();
      await plugin.panel.destroy().catch(() => undefined);
      await plugin.close();
      await (webview as WebviewPage | null)?.close();
      await opened?.then((w) => w.close()).catch(() => undefined);
      uxp.dispose();
    }
  }

  function diff(mask: Float32Array, reference: Uint8Array): { max: number; mean: number } {
    expect(mask.length).toBe(reference.length);
    let sum = 0;
    let max = 0;
    for (let i = 0; i < mask.length; i++) {
      const d = Math.abs(mask[i]! * 255 - reference[i]!);
      sum += d;
      if (d > max) max = d;
    }
    return { max, mean: sum / mask.length };
  }

  /** The written mask over the layer's rectangle vs the core's matte, within 1/255 (plus the 16-bit quantisation). */
  function compare(mask: Float32Array, what: string): void {
    const vsCore = diff(mask, coreMatte);
    console.log(`${what}: written mask vs the core's matte in Node: max |Δ| ${vsCore.max.toFixed(3)}/255, mean ${vsCore.mean.toFixed(4)}/255`);
    // 16-bit masks hold v/32768, so a byte-exact matte is off by at most 255/65536 after rounding.
    expect(vsCore.max).toBeLessThanOrEqual(1 + 255 / 65536 + 1e-6);
    expect(vsCore.mean).toBeLessThan(0.05);
  }

  function commonChecks(run: Run): void {
    expect(run.errors).toEqual([]);
    expect(run.status).toBe('Masked 1 image');
    expect(run.ps.registry.undisposed).toBe(0);
    expect(run.bridge.rawTypedArraysSeen).toEqual([]);
    // What the first run put in plugin-data: the page beside the model and the runtime, and the stamp.
    expect(run.dataFiles).toEqual(expect.arrayContaining(['frame.html', 'installed.json', 'models/isnet-int8-web.json', 'models/isnet-int8-web.onnx']));
    expect(run.dataFiles.some((f) => f.startsWith('ort/') && f.endsWith('.wasm'))).toBe(true);
  }

  it('8-bit document, layer at an offset, Layer mask output: one "Remove Background" state, the core matte', async () => {
    const ps = new FakePhotoshop({});
    const offset = { left: 37, top: 21 };
    const { doc, layer } = ps.setup.documentFromImage(photo, { depth: 8, offset, width: offset.left + photo.width + 40, height: offset.top + photo.height + 30 });
    ps.setup.selectLayers(doc, [layer]);
    const before = ps.history(doc);
    const run = await removeBackground(ps, 'eight-bit');
    commonChecks(run);
    expect(ps.history(doc)).toEqual([...before, 'Remove Background']);
    const rect = { left: offset.left, top: offset.top, right: offset.left + photo.width, bottom: offset.top + photo.height };
    const mask = ps.maskValues(doc, layer.id, rect);
    expect(mask).not.toBeNull();
    compare(mask!, '8-bit, offset layer');
  }, 300_000);

  it('16-bit document, Background layer: converted (new id), the mask at 16-bit depth, the core matte', async () => {
    const ps = new FakePhotoshop({});
    const { doc, layer } = ps.setup.documentFromImage(photo, { depth: 16, background: true });
    ps.setup.selectLayers(doc, [layer]);
    const before = ps.history(doc);
    const originalId = layer.id;
    const run = await removeBackground(ps, 'sixteen-bit');
    commonChecks(run);
    expect(ps.history(doc)).toEqual([...before, 'Remove Background']);
    const layers = doc.layers;
    expect(layers).toHaveLength(1);
    const converted = layers[0]!;
    expect(converted.isBackgroundLayer).toBe(false);
    expect(converted.id).not.toBe(originalId);
    // The mask as Photoshop hands it back: one gray component at 16 bits, in 0..32768.
    const { imageData } = await ps.module.imaging.getLayerMask({ documentID: doc.id, layerID: converted.id, kind: 'user' });
    try {
      expect(imageData.componentSize).toBe(16);
      const raw = (await imageData.getData({})) as Uint16Array;
      expect(Object.prototype.toString.call(raw)).toBe('[object Uint16Array]');
      let top = 0;
      for (const v of raw) if (v > top) top = v;
      expect(top).toBeLessThanOrEqual(32768);
      expect(top).toBeGreaterThan(255);
    } finally {
      await imageData.dispose();
    }
    expect(ps.registry.undisposed).toBe(0);
    const mask = ps.maskValues(doc, converted.id);
    expect(mask).not.toBeNull();
    compare(mask!, '16-bit, Background');
  }, 300_000);

  // The notes' fallbacks (photoshop-notes.md, "Design consequences" 2), in a page that may not fetch its
  // sibling files (as a WebView serving plugin-data: might not): the panel writes the files as script
  // parts and the page loads those; where scripts are refused too, the panel sends the bytes over the bridge.
  const LOCAL_FILES = /\/pd\/[^/]+\/webview\/(?:models|ort)\//;

  async function fallbackRun(name: string, refuse: NonNullable<WebviewPageOptions['refuse']>): Promise<Run> {
    const ps = new FakePhotoshop({});
    const { doc, layer } = ps.setup.documentFromImage(photo, { depth: 8 });
    ps.setup.selectLayers(doc, [layer]);
    const before = ps.history(doc);
    const run = await removeBackground(ps, name, refuse);
    commonChecks(run);
    expect(ps.history(doc)).toEqual([...before, 'Remove Background']);
    compare(ps.maskValues(doc, layer.id, { left: 0, top: 0, right: photo.width, bottom: photo.height })!, name);
    expect(run.refused.some((u) => u.endsWith('/models/isnet-int8-web.json'))).toBe(true);
    return run;
  }

  it('fetch of the files beside the page refused: the page reads them as script parts (wasmBinary), the core matte', async () => {
    const run = await fallbackRun('script-parts', { fetch: LOCAL_FILES });
    expect(run.dataFiles).toEqual(expect.arrayContaining(['parts.json', 'models/isnet-int8-web.json.part-0.js', 'models/isnet-int8-web.onnx.part-0.js']));
    expect(run.dataFiles.some((f) => f.startsWith('ort/') && f.endsWith('.wasm.part-0.js'))).toBe(true);
    // Only the model input and the matte crossed the bridge, not the model.
    expect(run.bridge.bytes.toPage).toBeLessThan(4_000_000);
  }, 300_000);

  it('fetch and scripts refused: the panel sends the model over the bridge in 4 MiB pieces, the core matte', async () => {
    const run = await fallbackRun('over-the-bridge', { fetch: LOCAL_FILES, script: LOCAL_FILES });
    expect(run.refused.some((u) => u.endsWith('.part-0.js'))).toBe(true);
    // The model (45.7 MB) and the runtime crossed as base64 JSON.
    expect(run.bridge.bytes.toPage).toBeGreaterThan(((45_000_000 + 10_000_000) * 4) / 3);
    expect(run.bridge.rawTypedArraysSeen).toEqual([]);
  }, 300_000);
});
