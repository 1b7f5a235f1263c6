/**
 * The frame engine's backend logic in Node with a fake runtime and a fake model host: WebGPU first,
 * WASM when the WebGPU session cannot be created, and a run repeated on WASM when the GPU device is
 * lost mid-run (the user still gets a result, and the reason is reported).
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { CoreError, type InferenceRuntime, type ModelManifest } from '@cutout/core';
import { memoryCache } from '../packages/frame/src/asset-cache.js';
import { AssetLoader } from '../packages/frame/src/asset-loader.js';
import { Engine } from '../packages/frame/src/engine.js';

const BYTES = new Uint8Array([8, 1, 2, 3, 4, 5]);
const SHA = createHash('sha256').update(BYTES).digest('hex');

function manifest(id: string): ModelManifest & Record<string, unknown> {
  return {
    id,
    file: `${id}.onnx`,
    bytes: BYTES.length,
    sha256: SHA,
    input: { name: 'input', shape: [1, 3, 64, 64], mean: [128, 128, 128], std: [256, 256, 256] },
    output: { name: 'output', shape: [1, 1, 64, 64] },
    precision: 'fp32',
    backends: ['wasm', 'webgpu'],
    requiresShaderF16: false,
    dynamicSize: false,
    licence: 'test',
    source: 'test',
    description: 'test',
  } as ModelManifest & Record<string, unknown>;
}

const fakeFetch: typeof fetch = async (input) => {
  const url = String(input);
  const id = /models\/([\w.-]+)\.json$/.exec(url)?.[1];
  if (id) return new Response(JSON.stringify(manifest(id)), { headers: { 'content-type': 'application/json' } });
  if (url.endsWith('.onnx') || url.endsWith('.wasm')) return new Response(BYTES);
  return new Response('no', { status: 404 });
};

/** WebGPU: session creation fails or the run loses the device; WASM: returns a constant alpha. */
function fakeRuntime(gpu: 'ok' | 'no-session' | 'lost'): { created: string[]; factory: (o: { backend: 'webgpu' | 'wasm' }) => InferenceRuntime } {
  const created: string[] = [];
  return {
    created,
    factory: ({ backend }) => ({
      async createSession(m) {
        created.push(backend);
        if (backend === 'webgpu' && gpu === 'no-session') throw new CoreError('runtime_unavailable', 'no device');
        return {
          manifest: m,
          backend,
          async run() {
            if (backend === 'webgpu' && gpu === 'lost') throw new CoreError('gpu_lost', 'Device was lost');
            return new Float32Array(64 * 64).fill(backend === 'webgpu' ? 0.25 : 0.75);
          },
          async dispose() {},
        };
      },
    }),
  };
}

const caps = { webgpu: true, shaderF16: false, crossOriginIsolated: false, simd: true, cacheStorage: false, indexedDb: false, secureContext: true, adapterInfo: 'fake' };
const image = { width: 8, height: 8, data: new Uint8Array(8 * 8 * 4).fill(100) };

async function run(gpu: 'ok' | 'no-session' | 'lost') {
  const rt = fakeRuntime(gpu);
  const loader = new AssetLoader('https://models.example/', memoryCache(), () => undefined, fakeFetch, { file: 'x.wasm', bytes: BYTES.length, sha256: SHA });
  const engine = new Engine(caps, loader, { backend: 'auto', createRuntime: rt.factory as never });
  const out = await engine.predict(image);
  return { out, created: rt.created, engine };
}

describe('frame engine backend choice', () => {
  it('uses WebGPU when it works', async () => {
    const { out, created } = await run('ok');
    expect(out.session.backend).toBe('webgpu');
    expect(out.session.fallbackReason).toBeUndefined();
    expect(created).toEqual(['webgpu']);
    expect(out.lowRes.data[0]).toBeCloseTo(0.25);
  });
  it('loads the int8 model on every backend, shader-f16 adapters included (the 88 MB fp16 file only when configured)', async () => {
    for (const shaderF16 of [false, true]) {
      for (const backend of ['auto', 'webgpu', 'wasm'] as const) {
        const rt = fakeRuntime('ok');
        const loader = new AssetLoader('https://models.example/', memoryCache(), () => undefined, fakeFetch, { file: 'x.wasm', bytes: BYTES.length, sha256: SHA });
        const out = await new Engine({ ...caps, shaderF16 }, loader, { backend, createRuntime: rt.factory as never }).predict(image);
        expect(out.session.model).toBe('isnet-int8-web');
      }
    }
  });
  it('falls back to WASM when the WebGPU session cannot be created', async () => {
    const { out, created } = await run('no-session');
    expect(out.session.backend).toBe('wasm');
    expect(out.session.fallbackReason).toMatch(/webgpu: .*no device/);
    expect(created).toEqual(['webgpu', 'wasm']);
  });
  it('repeats the run on WASM when the device is lost mid-run, and stays on WASM', async () => {
    const { out, created, engine } = await run('lost');
    expect(out.session.backend).toBe('wasm');
    expect(out.session.fallbackReason).toMatch(/Device was lost/);
    expect(out.lowRes.data[0]).toBeCloseTo(0.75);
    await engine.predict(image);
    expect(created).toEqual(['webgpu', 'wasm']);
  });
});
