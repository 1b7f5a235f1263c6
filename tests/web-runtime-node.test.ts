// The onnxruntime-web runtime (WASM backend; onnxruntime-web ships a Node build) on the browser
// model variant must give the Node CPU runtime's matte. Browser-side tests come with the frame.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BackgroundRemover } from '@cutout/core';
import { createOrtWebRuntime } from '@cutout/core-web';
import { createNodeRemover, readManifest } from '@cutout/core-node';
import { loadRgba } from './helpers/images.js';
import { HAVE_MODELS, MODELS_DIR, SAMPLES_DIR } from './helpers/paths.js';
import { need } from './helpers/require.js';

describe.skipIf(!need({ models: HAVE_MODELS }))('onnxruntime-web runtime (WASM) in Node', () => {
  it('matches the onnxruntime-node matte on a sample (fp32 browser variant)', async () => {
    const manifest = await readManifest(MODELS_DIR, 'isnet-fp32-web');
    const session = await createOrtWebRuntime({ backend: 'wasm', numThreads: 2 }).createSession(manifest, await readFile(join(MODELS_DIR, manifest.file)));
    const web = new BackgroundRemover(session);
    const node = await createNodeRemover({ modelsDir: MODELS_DIR });
    try {
      const image = await loadRgba(join(SAMPLES_DIR, 'coffee.png'));
      const a = await web.matte(image);
      const b = await node.matte(image);
      expect(a.backend).toBe('wasm');
      let max = 0;
      for (let i = 0; i < a.lowRes.data.length; i++) max = Math.max(max, Math.abs((a.lowRes.data[i] as number) - (b.lowRes.data[i] as number)));
      // Measured 5.1e-4 (fp32 graph vs the fp16 graph on CPU); 2e-3 leaves room for thread-count order effects.
      expect(max).toBeLessThan(2e-3);
    } finally {
      await web.dispose();
      await node.dispose();
    }
  }, 240_000);
});
