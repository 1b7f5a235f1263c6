/**
 * The frame's WebGPU path on SwiftShader (a 1024² ISNet run is far too slow there, so the
 * dynamic-size model runs at 256²), forced WebGPU failure falling back to WASM, and the brush:
 * a stroke re-solves the matte where it was painted and nowhere far from it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadRgba } from '../helpers/images.js';
import { HAVE_MODELS, SAMPLES_DIR } from '../helpers/paths.js';
import { need } from '../helpers/require.js';
import { CHROMIUM, fromBase64, startHarness, type Harness } from '@cutout/tools-browser';

const RUN = need({ models: HAVE_MODELS, chromium: CHROMIUM });
const SMALL = { model: 'isnet-fp32-web-dynamic', inputSize: 256 } as const;
/** SwiftShader needs ~70 s for one 256² run on two cores; 128² keeps the WebGPU check affordable. */
const TINY = { model: 'isnet-fp32-web-dynamic', inputSize: 128 } as const;
type Reply = { ok: boolean; code?: string; message?: string; result?: any };
declare const host: {
  request(method: string, payload?: unknown, id?: string): Promise<Reply>;
  removeRaw(name: string, extra?: unknown, id?: string): Promise<Reply>;
  start(method: string, payload?: unknown, id?: string): string;
  results: Record<string, Promise<Reply>>;
  slim(r: Reply): Reply;
  loadRaw(name: string): Promise<unknown>;
};

function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b[i]!);
  return s / a.length;
}

describe.skipIf(!RUN)('inference frame in Chromium (WebGPU on SwiftShader, fallback, brush)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ webgpu: true });
    await h.stage('astronaut', await loadRgba(join(SAMPLES_DIR, 'astronaut.png')));
  });
  afterAll(async () => {
    await h?.close();
  });

  it('runs on WebGPU in a sandboxed srcdoc frame and agrees with WASM at the same size', async () => {
    const { page, frame } = await h.open('srcdoc');
    const out = await page.evaluate(async (args) => {
      const hello = await host.request('hello');
      await host.request('configure', { modelBaseUrl: args.base, backend: 'webgpu', ...args.tiny });
      const gpu = await host.removeRaw('astronaut');
      await host.request('configure', { backend: 'wasm' });
      const wasm = await host.removeRaw('astronaut');
      return { hello, gpu, wasm };
    }, { base: h.baseUrl, tiny: TINY });
    expect(out.hello.result.value.capabilities.webgpu).toBe(true);
    expect(out.gpu.ok, out.gpu.message).toBe(true);
    expect(out.gpu.result.value.backend).toBe('webgpu');
    expect(out.wasm.result.value.backend).toBe('wasm');
    const diff = meanAbsDiff(fromBase64(out.gpu.result.value.matte.base64), fromBase64(out.wasm.result.value.matte.base64));
    console.log(`WebGPU (SwiftShader) vs WASM matte at 128² input: mean |Δ| ${diff.toFixed(4)}/255; inference ${out.gpu.result.value.timings.inference.toFixed(0)} ms vs ${out.wasm.result.value.timings.inference.toFixed(0)} ms`);
    expect(diff).toBeLessThan(0.5);
    expect(await frame().getByTestId('backend').textContent()).toContain('WASM');
  }, 240_000);

  it('falls back to WASM when WebGPU cannot create a device, and says so', async () => {
    // The adapter exists but every device request fails: ORT's WebGPU session cannot start.
    const initScript = `if (globalThis.GPUAdapter) GPUAdapter.prototype.requestDevice = function () { return Promise.reject(new Error('forced failure for the test')); };`;
    const { page, frame } = await h.open('src', { initScript });
    const reply = await page.evaluate(async (args) => {
      // The init script patches the page's GPUAdapter only (init scripts do not reach workers):
      // this test is about backend fallback, so inference stays on the frame's thread.
      await host.request('configure', { modelBaseUrl: args.base, backend: 'auto', inference: 'main-thread', ...args.small });
      return host.removeRaw('astronaut');
    }, { base: h.baseUrl, small: SMALL });
    expect(reply.ok, reply.message).toBe(true);
    expect(reply.result.value.backend).toBe('wasm');
    expect(reply.result.value.fallbackReason).toMatch(/webgpu/i);
    expect(await frame().getByTestId('backend').textContent()).toContain('fallback');
  }, 240_000);

  it('a brush stroke changes the matte where it was painted, and undo restores it', async () => {
    const { page, frame } = await h.open('src');
    const baseline = await page.evaluate(async (args) => {
      await host.request('configure', { modelBaseUrl: args.base, backend: 'wasm', ...args.small });
      return host.removeRaw('astronaut');
    }, { base: h.baseUrl, small: SMALL });
    const before = fromBase64(baseline.result.value.matte.base64);

    const paint = async (): Promise<void> => {
      const canvas = frame().getByTestId('brush-canvas');
      await canvas.waitFor();
      await frame().getByTestId('brush-remove').click();
      const box = (await canvas.boundingBox())!;
      // Paint "remove" across the astronaut's helmet (centre-top of the photo).
      const y = box.y + box.height * 0.3;
      await page.mouse.move(box.x + box.width * 0.4, y);
      await page.mouse.down();
      for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + box.width * (0.4 + 0.02 * i), y);
      await page.mouse.up();
      await frame().getByText('Undo (1)').waitFor();
    };
    const interactive = async (id: string): Promise<void> => {
      await page.evaluate(async (rid) => {
        const image = await host.loadRaw('astronaut');
        host.start('remove', { image, interactive: true }, rid);
      }, id);
    };

    // Stroke, undo, apply: the matte is the one without the stroke.
    await interactive('undo');
    await paint();
    await frame().getByTestId('undo').click();
    await frame().getByText('Undo (0)').waitFor();
    await frame().getByTestId('apply').click();
    const undone = await page.evaluate(async () => host.slim(await host.results['undo']!));
    expect(undone.ok, undone.message).toBe(true);
    expect(fromBase64(undone.result.value.matte.base64)).toEqual(before);

    // Stroke, apply: removed where painted, unchanged far away.
    await interactive('brush');
    await paint();
    await frame().getByTestId('apply').click();
    const reply = await page.evaluate(async () => host.slim(await host.results['brush']!));
    expect(reply.ok, reply.message).toBe(true);
    const after = fromBase64(reply.result.value.matte.base64);
    const w = reply.result.value.matte.width as number;
    const hgt = reply.result.value.matte.height as number;
    const at = (m: Uint8Array, fx: number, fy: number): number => m[Math.floor(fy * hgt) * w + Math.floor(fx * w)]!;
    expect(at(before, 0.5, 0.3)).toBeGreaterThan(200);
    expect(at(after, 0.5, 0.3)).toBe(0);
    // Far from the stroke (bottom-left corner region of the suit) the matte is unchanged.
    let far = 0;
    let n = 0;
    for (let y2 = Math.floor(hgt * 0.8); y2 < hgt; y2++) for (let x2 = 0; x2 < Math.floor(w * 0.2); x2++, n++) far += Math.abs(after[y2 * w + x2]! - before[y2 * w + x2]!);
    expect(far / n).toBeLessThan(1);
  }, 240_000);
});
