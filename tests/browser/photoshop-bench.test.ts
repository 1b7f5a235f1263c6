/**
 * Photoshop benchmark (not a timed test: it asserts nothing about time and runs only with
 * CUTOUT_BENCH=1, through `npm run bench:photoshop`). It prints ratios measured in one run:
 *
 * 1. The bridge for a 24 MP layer, both ways, against a bare model run (onnxruntime-web session.run
 *    of the same model in the same page), for the two designs of issue 12 item 3:
 *    A. the whole layer crosses (6000×4000 RGBA to the page, which refines; the 24 MP matte back);
 *    B. only the model input crosses (getPixels targetSize: 1024×683), the page answers with the
 *       network alpha (1024², refine: false) and the panel refines at full resolution itself.
 *    Panel → page: request sent → the frame's first progress event (encoding, bridge, reassembly,
 *    validation); page → panel: the frame's last progress event → the result.
 * 2. The built plugin end to end on a 12 MP layer (4243×2828, 8-bit): click Remove Background → the
 *    mask written, through the fakes of tests/photoshop and the built page in Chromium behind the JSON
 *    bridge (PanelDriver), against a bare run in that same page; interleaved, after a warm-up run
 *    (which downloads the model), medians.
 *
 * The harness bridge is Playwright's, not UXP's: the figures rank the designs; a real panel's
 * Diagnostics report gives UXP's own throughput.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import sharp from 'sharp';
import { createFrameClient, type FrameClient, type RemovePayload, type RemoveResult, type WireRgba } from '@cutout/protocol';
import { createMattingRefiner } from '@cutout/core/matting';
import { CHROMIUM, ROOT, SAMPLES_DIR, defaultOrtDir, openWebviewPage, startHarness, type Harness, type WebviewPage } from '@cutout/tools-browser';
import { median } from '@cutout/tools-eval';
import { FakePhotoshop, FakeUxp } from '../photoshop/index.js';
import { startPhotoshopHarness } from '../photoshop/chromium-pages.js';
import { PanelDriver } from '../photoshop/panel-driver.js';
import { tapped } from '../photoshop/ps-taps.js';
import { HAVE_MODELS } from '../helpers/paths.js';
import { need } from '../helpers/require.js';
import { panelEndpoint } from '../helpers/webview-endpoint.js';

const FRAME = join(ROOT, 'packages', 'frame', 'dist', 'frame.html');
const DIST = join(ROOT, 'photoshop-uxp', 'dist');
const RUN = process.env['CUTOUT_BENCH'] === '1' && need({ models: HAVE_MODELS, chromium: CHROMIUM, built: [FRAME, join(DIST, 'main.js'), join(DIST, 'webview', 'frame.html')] });
const MODEL = 'isnet-int8-web';
const REPS = 3;

async function rgbaOf(path: string, width: number, height: number): Promise<WireRgba> {
  const { data, info } = await sharp(path).resize(width, height, { fit: 'fill' }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

interface Timed {
  readonly result: RemoveResult;
  /** Request sent → the frame's first progress event: encoding, the bridge, reassembly, validation. */
  readonly inMs: number;
  /** The frame's last progress event → the result: encoding the reply, the bridge, decoding. */
  readonly outMs: number;
}

async function timedRemove(client: FrameClient, payload: RemovePayload): Promise<Timed> {
  let first = Number.NaN;
  let last = Number.NaN;
  const t0 = performance.now();
  const result = await client.request('remove', payload, {
    onProgress: () => {
      last = performance.now();
      if (Number.isNaN(first)) first = last;
    },
  });
  return { result, inMs: first - t0, outMs: performance.now() - last };
}

const fmt = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

describe.skipIf(!RUN)('Photoshop bridge benchmark (24 MP layer)', () => {
  let h: Harness;
  let webview: WebviewPage;
  let client: FrameClient;

  beforeAll(async () => {
    h = await startHarness({ extraStatic: { '/ortjs/': defaultOrtDir(ROOT) } });
    webview = await openWebviewPage(h.browser, { url: `${h.baseUrl}frame/frame.html` });
    client = createFrameClient(panelEndpoint(webview));
    await client.ready;
    await client.request('configure', { modelBaseUrl: h.baseUrl, backend: 'wasm', model: MODEL });
    await client.request('preload', undefined);
  }, 300_000);

  afterAll(async () => {
    client?.close();
    await webview?.close();
    await h?.close();
  });

  it('prints the bridge cost of each design as a ratio to a bare model run', async () => {
    const photo = join(SAMPLES_DIR, 'astronaut.png');
    const big = await rgbaOf(photo, 6000, 4000);
    const small = await rgbaOf(photo, 1024, 683);
    const bareMs: number[] = [];
    const runsB: Timed[] = [];
    // A string, not a function: vitest would rewrite a dynamic import() inside a function.
    await webview.page.evaluate(`(async () => { const m = await import('/harness/bare.js'); window.bare = await m.createBare(${JSON.stringify(h.baseUrl)}, ${JSON.stringify(MODEL)}, 'wasm'); })()`);
    // Interleaved: a bare run, then design B's round trip (one warm-up of each).
    for (let i = 0; i < REPS + 1; i++) {
      const bare = (await webview.page.evaluate('window.bare.run()')) as { ms: number };
      const run = await timedRemove(client, { image: small, refine: false });
      expect(run.result.matte?.width).toBe(1024);
      if (i === 0) continue;
      bareMs.push(bare.ms);
      runsB.push(run);
    }
    const runA = await timedRemove(client, { image: big });
    expect(runA.result.matte?.width).toBe(6000);
    // Design B's full-resolution refine happens in the panel (UXP's JS engine; here Node's), from the network alpha.
    const alpha = runsB[0]!.result.matte!;
    const lowRes = { width: alpha.width, height: alpha.height, data: Float32Array.from(alpha.data, (v) => v / 255) };
    const refineStart = performance.now();
    await createMattingRefiner().refine({ lowRes, image: { width: big.width, height: big.height, data: big.data } });
    const panelRefine = performance.now() - refineStart;

    const model = median(bareMs);
    const inB = median(runsB.map((r) => r.inMs));
    const outB = median(runsB.map((r) => r.outMs));
    const ratio = (ms: number): string => `${(ms / model).toFixed(2)}×`;
    console.log(
      [
        `bare model run (onnxruntime-web WASM, ${MODEL}, median of ${REPS}): ${fmt(model)}; the frame's own inference: ${fmt(median(runsB.map((r) => r.result.timings.inference)))}`,
        `A (the whole 24 MP layer crosses, the page refines): panel → page ${fmt(runA.inMs)} (${ratio(runA.inMs)}), page → panel ${fmt(runA.outMs)} (${ratio(runA.outMs)}), both ${ratio(runA.inMs + runA.outMs)} a model run; the page's refine ${fmt(runA.result.timings.refine)}`,
        `B (the model input crosses, the network alpha back): panel → page ${fmt(inB)} (${ratio(inB)}), page → panel ${fmt(outB)} (${ratio(outB)}), both ${ratio(inB + outB)} a model run; the panel's refine (Node) ${fmt(panelRefine)}`,
        `characters on the bridge: A ${(((big.data.length + big.width * big.height) * 4) / 3 / 1e6).toFixed(0)} M, B ${(((small.data.length + 1024 * 1024) * 4) / 3 / 1e6).toFixed(1)} M`,
      ].join('\n'),
    );
  }, 900_000);
});

describe.skipIf(!RUN)('Photoshop end to end benchmark (12 MP layer, WASM)', () => {
  it('prints the built plugin end to end as a ratio to a bare model run in the same page', async () => {
    const pages = await startPhotoshopHarness(DIST, { '/ortjs/': defaultOrtDir(ROOT) });
    const ps = new FakePhotoshop({});
    const uxp = new FakeUxp({ pluginDir: DIST });
    const photo = await rgbaOf(join(SAMPLES_DIR, 'astronaut.png'), 4243, 2828);
    const { doc, layer } = ps.setup.documentFromImage(photo, { depth: 8 });
    ps.setup.selectLayers(doc, [layer]);
    // The time spent inside the fake's imaging calls (getPixels, putLayerMask, …), which Photoshop does natively.
    const { module, taps } = tapped(ps);
    let imagingMs = 0;
    let callStart = 0;
    taps.beforeImaging = () => void (callStart = performance.now());
    taps.afterImaging = () => void (imagingMs += performance.now() - callStart);
    const panel = await PanelDriver.open({ distDir: pages.distDir, ps, uxp, photoshop: module, fetch: (url) => fetch(url), openPage: await pages.opener(uxp, 'bench') });
    try {
      const warm = await panel.run('remove');
      expect(warm.status).toBe('Masked 1 image');
      const page = pages.pages[0]!.page;
      await page.evaluate(`(async () => { const m = await import('/harness/bare.js'); window.bare = await m.createBare(${JSON.stringify(pages.harness.baseUrl)}, ${JSON.stringify(MODEL)}, 'wasm'); })()`);
      await page.evaluate('window.bare.run()'); // warm-up
      const bare: number[] = [];
      const e2e: number[] = [];
      const inFake: number[] = [];
      // Where the time goes: each change of the panel's progress label, timed (the last run's are printed).
      let stages: Array<{ label: string; at: number }> = [];
      const bar = panel.plugin.document.getElementById('progress')!;
      new panel.plugin.window.MutationObserver(() => {
        const label = bar.getAttribute('label') ?? '';
        if (stages.at(-1)?.label !== label) stages.push({ label, at: performance.now() });
      }).observe(bar, { attributes: true, attributeFilter: ['label'] });
      for (let i = 0; i < REPS; i++) {
        bare.push(((await page.evaluate('window.bare.run()')) as { ms: number }).ms);
        stages = [{ label: 'click', at: performance.now() }];
        imagingMs = 0;
        const run = await panel.run('remove', { confirm: 'replace' });
        inFake.push(imagingMs);
        stages.push({ label: 'done', at: performance.now() });
        expect(run.status).toBe('Masked 1 image');
        e2e.push(run.ms);
      }
      expect(ps.registry.undisposed).toBe(0);
      console.log(
        `12 MP layer (4243×2828, 8-bit), Remove Background → layer mask, built plugin + page in Chromium (WASM, ${MODEL}), ${REPS} interleaved runs: ` +
          `end to end ${fmt(median(e2e))} vs bare model run ${fmt(median(bare))} in the same page = ${(median(e2e) / median(bare)).toFixed(2)}× (runs ${e2e.map(fmt).join(', ')}; bare ${bare.map(fmt).join(', ')})\n` +
          `of which inside the fake's imaging calls (native in Photoshop): ${inFake.map(fmt).join(', ')}; without them ${fmt(median(e2e.map((t, i) => t - inFake[i]!)))} = ${(median(e2e.map((t, i) => t - inFake[i]!)) / median(bare)).toFixed(2)}×\n` +
          `last run by panel stage: ${stages.slice(0, -1).map((s, i) => `${s.label} ${fmt(stages[i + 1]!.at - s.at)}`).join('; ')}`,
      );
    } finally {
      await panel.close();
      uxp.dispose();
      await pages.close();
    }
  }, 900_000);
});
