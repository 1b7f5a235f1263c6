/**
 * The bare onnxruntime-web run the Canva app is compared with (bundled by the browser test into
 * /canva/bare.js, loaded under the same CSP): the same WASM-only ORT build, .wasm bytes and model,
 * one thread, no cache; times download + session + one run. Also records what WebGPU offers here.
 */
import * as ort from 'onnxruntime-web/wasm';

declare const window: { bare: Promise<unknown> } & Record<string, unknown>;

async function run(): Promise<unknown> {
  const base = new URLSearchParams(location.search).get('base') ?? '';
  const model = new URLSearchParams(location.search).get('model') ?? '';
  const t0 = performance.now();
  const manifest = await (await fetch(`${base}models/${model}.json`, { mode: 'cors' })).json();
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.wasmBinary = await (await fetch(`${base}ort/ort-wasm-simd-threaded.wasm`, { mode: 'cors' })).arrayBuffer();
  const bytes = new Uint8Array(await (await fetch(`${base}models/${manifest.file}`, { mode: 'cors' })).arrayBuffer());
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  const shape = manifest.input.shape as number[];
  const tensor = new ort.Tensor('float32', new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(0.1), shape);
  const t1 = performance.now();
  await session.run({ [manifest.input.name]: tensor });
  const t2 = performance.now();
  await session.release();
  const gpu = (navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  const adapter = gpu ? await gpu.requestAdapter().then((a) => (a ? 'adapter' : 'null'), (e: Error) => `rejected: ${e.message}`) : 'no navigator.gpu';
  // What ORT's WebGPU glue would need (Embind's `new Function`), tried as a page script under the CSP.
  let evalResult: string;
  try {
    evalResult = typeof new Function('return 1') === 'function' ? 'allowed' : 'unexpected';
  } catch (e) {
    evalResult = `refused (${(e as Error).name})`;
  }
  return { totalMs: t2 - t0, runMs: t2 - t1, webgpu: adapter, evalResult };
}

window.bare = run();
