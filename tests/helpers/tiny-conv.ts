/** A tiny ONNX model the quantization tests build themselves (no downloaded weights), and seeded test values. */
import { DataType, type Model } from '@cutout/tools-models';

/** A seeded LCG in [-1, 1). */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 31) - 1;
}

/** Float32 values as little-endian raw bytes (an initializer's rawData). */
const f32 = (values: Float32Array): Uint8Array => new Uint8Array(values.buffer.slice(0));

/** One 3×3 Conv (pads 1, bias 0.25) from a [1, 3, 16, 16] input to `outChannels` channels, opset 15. */
export function convModel(weights: Float32Array, outChannels: number): Model {
  return {
    irVersion: 8,
    opsetImport: [{ domain: '', version: 15 }],
    graph: {
      name: 'tiny',
      input: [{ name: 'input', type: { tensorType: { elemType: DataType.FLOAT, shape: { dim: [{ dimValue: 1 }, { dimValue: 3 }, { dimValue: 16 }, { dimValue: 16 }] } } } }],
      output: [{ name: 'output', type: { tensorType: { elemType: DataType.FLOAT } } }],
      initializer: [
        { name: 'w', dataType: DataType.FLOAT, dims: [outChannels, 3, 3, 3], rawData: f32(weights) },
        { name: 'b', dataType: DataType.FLOAT, dims: [outChannels], rawData: f32(new Float32Array(outChannels).fill(0.25)) },
      ],
      node: [{ name: 'conv', opType: 'Conv', input: ['input', 'w', 'b'], output: ['output'], attribute: [{ name: 'pads', type: 7, ints: [1, 1, 1, 1] }] }],
    },
  };
}
