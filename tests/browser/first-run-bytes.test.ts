/**
 * Bytes on the wire for a first run (issue 14 item 3, goal ≤ 50 MB): the frame with no copy of the
 * model anywhere, in each form a host embeds it — a same-origin page (Photoshop's webview page
 * reads its files locally; the panel downloads the same two files), a sandboxed `srcdoc` iframe and a
 * `data:` URL iframe (Figma's two UI forms: null origin, so the model host's cache helper page does
 * the download) — with the default model and backend, the model host's brotli copies (Chromium
 * accepts br), and only the onnxruntime-web build the frame will use (the WASM-only one's .wasm where
 * it has no WebGPU to try, as in this headless Chromium and in any insecure data: frame).
 * Counted from the model host's own record of each response's Content-Length. A byte count, not a
 * time: it does not depend on the machine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, startHarness, type Harness } from '@cutout/tools-browser';
import { join } from 'node:path';
import { HAVE_MODELS, ROOT } from '../helpers/paths.js';
import { need } from '../helpers/require.js';

const RUN = need({ models: HAVE_MODELS, chromium: CHROMIUM, built: [join(ROOT, 'packages', 'frame', 'dist', 'frame.html')] });
const GOAL = 50 * 1000 * 1000;
const MB = (n: number): string => `${(n / 1e6).toFixed(1)} MB`;

describe.skipIf(!RUN)('first-run bytes on the wire, per frame form (Chromium, default model and backend)', () => {
  let h: Harness;
  const rows: string[] = [];
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    if (rows.length) console.log(['form | files (bytes on the wire) | total', ...rows].join('\n'));
    await h?.close();
  });

  for (const mode of ['src', 'srcdoc', 'data'] as const) {
    it(`${mode === 'src' ? 'same-origin iframe' : mode === 'srcdoc' ? 'sandboxed srcdoc iframe' : 'data: URL iframe'}: the model and the runtime build it needs arrive brotli-encoded, ≤ 50 MB in all`, async () => {
      const from = h.modelHost.requests.length;
      let runtime = '';
      const { page, context } = await h.open(mode);
      try {
        const caps = (await page.evaluate('window.host.ready')) as { webgpu: boolean };
        runtime = caps.webgpu ? '/ort/ort-wasm-simd-threaded.jsep.wasm' : '/ort/ort-wasm-simd-threaded.wasm';
        // The default backend ('auto'): WebGPU is tried only where the frame has navigator.gpu.
        const configured = (await page.evaluate(`window.host.request('configure', { modelBaseUrl: ${JSON.stringify(h.baseUrl)} })`)) as { ok: boolean; message?: string };
        expect(configured.ok, configured.message).toBe(true);
        const preload = (await page.evaluate(`window.host.request('preload')`)) as { ok: boolean; message?: string; result?: { value: { model: string; source: string } } };
        expect(preload.ok, preload.message).toBe(true);
        expect(preload.result?.value).toMatchObject({ model: 'isnet-int8-web', source: 'network' });
      } finally {
        await context.close();
      }
      const served = h.modelHost.requests.slice(from).filter((r) => r.method === 'GET' && r.status < 300 && !r.url.startsWith('/harness/'));
      const big = served.filter((r) => /\.(onnx|wasm)$/.test(r.url));
      // Only the runtime build the frame will use: the WASM-only one where it will not try WebGPU.
      expect(big.map((r) => r.url.replace(/[?#].*$/, '')).sort()).toEqual(['/models/isnet-int8-web.onnx', runtime]);
      for (const r of big) expect(r.encoding).toBe('br');
      const total = served.reduce((sum, r) => sum + (r.length ?? 0), 0);
      rows.push(`${mode} | ${served.map((r) => `${r.url} ${MB(r.length ?? 0)}`).join(', ')} | ${MB(total)}`);
      expect(total).toBeLessThanOrEqual(GOAL);
    }, 240_000);
  }
});
