/**
 * The built frame as Photoshop's `<webview>` page: loaded in headless Chromium with `window.uxpHost`
 * and a bridge that JSON-round-trips every message both ways (photoshop-notes §3), driven from
 * Node by the protocol's webview endpoint and the shared client, as the UXP panel drives it.
 * Checks the page picks the webview transport, a remove round-trips (binary as base64, long
 * messages chunked), and the matte matches the Node core on the same model-sized input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { alphaToBytes } from '@cutout/core';
import { createNodeRemover } from '@cutout/core-node';
import { createFrameClient } from '@cutout/protocol';
import { CHROMIUM, loadRgba, openWebviewPage, startHarness, type Harness, type WebviewPage } from '@cutout/tools-browser';
import { HAVE_MODELS, MODELS_DIR, ROOT, SAMPLES_DIR } from '../helpers/paths.js';
import { need } from '../helpers/require.js';
import { panelEndpoint } from '../helpers/webview-endpoint.js';

const FRAME = join(ROOT, 'packages', 'frame', 'dist', 'frame.html');
const RUN = need({ models: HAVE_MODELS, chromium: CHROMIUM, built: [FRAME] });

describe.skipIf(!RUN)('the frame behind the Photoshop webview bridge (Chromium, WASM)', () => {
  let h: Harness;
  let webview: WebviewPage;
  let image: { width: number; height: number; data: Uint8Array };
  beforeAll(async () => {
    h = await startHarness();
    webview = await openWebviewPage(h.browser, { url: `${h.baseUrl}frame/frame.html` });
    // The panel sends the layer at model size (getPixels with targetSize); the sample is 512².
    const photo = await loadRgba(join(SAMPLES_DIR, 'astronaut.png'));
    image = { width: photo.width, height: photo.height, data: new Uint8Array(photo.data.buffer, photo.data.byteOffset, photo.data.length) };
  });
  afterAll(async () => {
    await webview?.close();
    await h?.close();
  });

  it('speaks the webview transport: ready, configure, a chunked remove, and the Node core matte', async () => {
    // 64 KiB chunks: the request (≈ 0.8 MB of base64) crosses as a dozen chunk envelopes.
    const client = createFrameClient(panelEndpoint(webview, 64 * 1024));
    try {
      const caps = await client.ready;
      expect(caps.simd).toBe(true);
      await client.request('configure', { modelBaseUrl: h.baseUrl, backend: 'wasm' });
      const before = { ...webview.bytes };
      const result = await client.request('remove', { image });
      const sent = webview.bytes.toPage - before.toPage;
      const received = webview.bytes.toPlugin - before.toPlugin;
      // Binary crosses as base64: 4/3 of the raw size plus small JSON overhead, in both directions.
      expect(sent).toBeGreaterThan((image.data.length * 4) / 3);
      expect(sent).toBeLessThan((image.data.length * 4) / 3 + 64 * 1024);
      const matte = result.matte;
      expect(matte?.width).toBe(image.width);
      expect(matte?.height).toBe(image.height);
      expect(received).toBeGreaterThan(((matte?.data.length ?? 0) * 4) / 3);
      expect(matte?.data).toBeInstanceOf(Uint8Array);

      const remover = await createNodeRemover({ modelsDir: MODELS_DIR, modelId: 'isnet-int8' });
      try {
        const node = alphaToBytes((await remover.matte(image)).matte);
        let sum = 0;
        let max = 0;
        for (let i = 0; i < node.length; i++) {
          const d = Math.abs(matte!.data[i]! - node[i]!);
          sum += d;
          max = Math.max(max, d);
        }
        const mean = sum / node.length;
        console.log(`webview bridge: ${sent} chars to the page, ${received} back; vs the Node core: max |Δ| ${max}/255, mean ${mean.toFixed(4)}/255`);
        expect(mean).toBeLessThan(0.05);
        expect(max).toBeLessThanOrEqual(4);
      } finally {
        await remover.dispose();
      }
    } finally {
      client.close();
    }
  }, 300_000);
});
