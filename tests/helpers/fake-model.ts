/** What the core's unit tests need to run BackgroundRemover with a fake network: its manifest, and seeded photos. */
import { parseModelManifest, type ModelManifest, type RgbaImage } from '@cutout/core';

/** A valid manifest for a fake network of `height`×`width` (byte-unit normalisation, fp32, cpu unless told). */
export function fakeManifest(height: number, width: number, backends: readonly string[] = ['cpu']): ModelManifest {
  return parseModelManifest({
    id: 'test',
    file: 'test.onnx',
    bytes: 1,
    sha256: '0'.repeat(64),
    input: { name: 'input', shape: [1, 3, height, width], mean: [128, 128, 128], std: [256, 256, 256] },
    output: { name: 'output', shape: [1, 1, height, width] },
    precision: 'fp32',
    backends,
    licence: 'test',
    source: 'test',
  });
}

/** An opaque photo of seeded noise (an LCG per byte). */
export function randomImage(w: number, h: number, seed: number): RgbaImage {
  let s = seed;
  const data = new Uint8Array(w * h * 4);
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    data[i] = i % 4 === 3 ? 255 : s >>> 24;
  }
  return { width: w, height: h, data };
}
