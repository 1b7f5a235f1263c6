/**
 * Weight-only int8 (tools/models/src/onnx-int8.ts): the per-channel quantizer's error bound, and a
 * tiny convolution model this test builds itself, quantized and run by onnxruntime-node against
 * its fp32 original (the Cast + Mul dequantization is folded when the session is created).
 * The manifest's `dequantize` field: a known value is kept, an unknown one is a coded refusal.
 */
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { isCoreError, parseModelManifest } from '@cutout/core';
import { decodeModel, encodeModel, graphOf, quantizePerChannel, quantizeWeightsInt8 } from '@cutout/tools-models';
import { convModel, random } from './helpers/tiny-conv.js';

async function run(bytes: Uint8Array, input: Float32Array): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const out = await session.run({ input: new ort.Tensor('float32', input, [1, 3, 16, 16]) });
    return out['output']!.data as Float32Array;
  } finally {
    await session.release();
  }
}

describe('weight-only int8', () => {
  it('quantizes each output channel within half a step of its own range', () => {
    const next = random(7);
    const values = new Float32Array(4 * 50).map((_, i) => next() * (i < 50 ? 0.001 : i < 100 ? 5 : 1));
    values.fill(0, 150, 200); // an all-zero channel keeps scale 1 and exact zeros
    const { q, scales, maxRelativeError } = quantizePerChannel(values, 4);
    expect(scales[3]).toBe(1);
    expect(Array.from(q.subarray(150))).toEqual(new Array(50).fill(0));
    expect(maxRelativeError).toBeLessThanOrEqual(0.5 / 127 + 1e-6);
    for (let c = 0; c < 3; c++) {
      const slice = values.subarray(c * 50, c * 50 + 50);
      const max = Math.max(...Array.from(slice, Math.abs));
      expect(scales[c]).toBeCloseTo(max / 127, 6);
      for (let i = 0; i < 50; i++) expect(Math.abs(slice[i]! - q[c * 50 + i]! * scales[c]!)).toBeLessThanOrEqual((0.5 + 1e-4) * scales[c]!);
    }
  });

  it("'mse' scales never raise a channel's squared error over max scales", () => {
    const next = random(3);
    const values = new Float32Array(2 * 400).map(() => next() * 0.1);
    values[10] = 0.3; // an outlier in channel 0
    const sq = (q: Int8Array, scales: Float32Array, c: number): number => {
      let e = 0;
      for (let i = c * 400; i < c * 400 + 400; i++) e += (values[i]! - q[i]! * scales[c]!) ** 2;
      return e;
    };
    const max = quantizePerChannel(values, 2, 'max');
    const mse = quantizePerChannel(values, 2, 'mse');
    expect(mse.scales[0]!).toBeLessThanOrEqual(max.scales[0]!);
    expect(sq(mse.q, mse.scales, 0)).toBeLessThanOrEqual(sq(max.q, max.scales, 0));
    expect(sq(mse.q, mse.scales, 1)).toBeLessThanOrEqual(sq(max.q, max.scales, 1));
  });

  it('runs a quantized model in onnxruntime-node close to its fp32 original, at a quarter of the weight bytes', async () => {
    const next = random(11);
    const weights = new Float32Array(8 * 27).map(() => next() * 0.3);
    const fp32 = encodeModel(convModel(weights, 8));
    const model = decodeModel(fp32);
    const stats = quantizeWeightsInt8(model, { minElements: 100 });
    expect(stats.quantized).toBe(1); // the 216-element weight; the 8-element bias stays fp32
    expect(stats.bytesAfter).toBe(216 + 8 * 4);
    const g = graphOf(model);
    expect(g.initializer?.map((t) => t.name).sort()).toEqual(['b', 'w__int8', 'w__scale']);
    expect(g.node?.map((n) => n.opType)).toEqual(['Cast', 'Mul', 'Conv']);
    const input = new Float32Array(3 * 16 * 16).map(() => next());
    const [a, b] = [await run(fp32, input), await run(encodeModel(model), input)];
    let max = 0;
    for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
    // 27 products per output, each weight within half a step (≤ 0.3 / 127 / 2) of its fp32 value, inputs in [-1, 1).
    expect(max).toBeGreaterThan(0);
    expect(max).toBeLessThan((27 * 0.3) / 127 / 2);
  });

  it('keeps a known dequantization in the manifest and refuses an unknown one with a code', () => {
    const base = {
      id: 'm', file: 'm.onnx', bytes: 1, sha256: 'a'.repeat(64), precision: 'fp32', backends: ['cpu'],
      input: { name: 'input', shape: [1, 3, 8, 8], mean: [0, 0, 0], std: [1, 1, 1] },
      output: { name: 'output', shape: [1, 1, 8, 8] }, licence: 'x', source: 'x',
    };
    expect(parseModelManifest({ ...base, dequantize: 'in-graph' }).dequantize).toBe('in-graph');
    expect(parseModelManifest(base).dequantize).toBeUndefined();
    let error: unknown;
    try {
      parseModelManifest({ ...base, dequantize: 'int4-lut' }, 'models/m.json');
    } catch (e) {
      error = e;
    }
    expect(isCoreError(error) && error.code === 'model_unsupported').toBe(true);
    expect(String(error)).toMatch(/"int4-lut".*in-graph/);
  });
});
