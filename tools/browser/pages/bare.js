// A bare onnxruntime-web run in the host page, for the frame benchmark: same ORT build, same
// .wasm, same model file, same thread count as the frame; times session.run only.
export async function createBare(base, modelId, backend) {
  const ort = await import('/ortjs/ort.bundle.min.mjs');
  const manifest = await (await fetch(`${base}models/${modelId}.json`)).json();
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.wasmBinary = await (await fetch(`${base}ort/ort-wasm-simd-threaded.jsep.wasm`)).arrayBuffer();
  const bytes = new Uint8Array(await (await fetch(`${base}models/${manifest.file}`)).arrayBuffer());
  const session = await ort.InferenceSession.create(bytes, { executionProviders: [backend], graphOptimizationLevel: 'all' });
  const shape = manifest.input.shape;
  const input = new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(0.1);
  return {
    async run() {
      const tensor = new ort.Tensor('float32', input, shape);
      const t0 = performance.now();
      const out = await session.run({ [manifest.input.name]: tensor });
      const data = await out[manifest.output.name].getData(true);
      const ms = performance.now() - t0;
      tensor.dispose();
      return { ms, values: data.length };
    },
    release: () => session.release(),
  };
}
