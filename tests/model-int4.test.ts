/**
 * Weight-only int4 with group scales (tools/models/src/onnx-int4.ts): the nibble packing round trip,
 * the group quantizer's error bound (a 1-element last group and an all-zero group included), and a
 * tiny convolution model this test builds itself, quantized and run by onnxruntime-node: its output
 * must equal the same model with the host-dequantized weights exactly (the graph unpacks the same
 * numbers), stay near the fp32 original, and fold when the session is created (the optimised graph
 * has the fp32 original's nodes). Mixed int4/int8 (onnx-mixed.ts): on an input equal to the
 * calibration means, the bias-corrected model gives the fp32 output away from the padded border.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import {
  decodeModel,
  dequantizeInt4,
  encodeModel,
  graphOf,
  packNibbles,
  quantizeGroupsInt4,
  quantizeWeightsInt4,
  quantizeWeightsMixed,
  unpackNibbles,
} from '@cutout/tools-models';
import { convModel, random } from './helpers/tiny-conv.js';

async function run(bytes: Uint8Array, input: Float32Array, optimizedModelFilePath?: string): Promise<Float32Array> {
  // Level 'extended': constant folding (a basic-level pass) done, without the CPU-specific NCHWc layout
  // of 'all', so the optimised graph written out is portable and every run uses the same Conv kernel.
  const options: ort.InferenceSession.SessionOptions = { graphOptimizationLevel: 'extended' };
  const session = await ort.InferenceSession.create(bytes, optimizedModelFilePath ? { ...options, optimizedModelFilePath } : options);
  try {
    const out = await session.run({ input: new ort.Tensor('float32', input, [1, 3, 16, 16]) });
    return out['output']!.data as Float32Array;
  } finally {
    await session.release();
  }
}

describe('weight-only int4', () => {
  it('packs two codes per byte and unpacks them unchanged', () => {
    const next = random(5);
    const codes = Int8Array.from({ length: 64 }, () => Math.floor((next() + 1) * 8) - 8);
    codes[0] = -8;
    codes[63] = 7;
    const packed = packNibbles(codes);
    expect(packed.length).toBe(32);
    expect(packed[0]! & 15).toBe(0); // −8 + 8
    expect(packed[31]! >> 4).toBe(15); // code 63 is the high nibble of the last byte
    expect(Array.from(unpackNibbles(packed))).toEqual(Array.from(codes));
    expect(() => packNibbles(new Int8Array(3))).toThrow(/cannot pack/);
  });

  it('keeps each unclipped value within half a step of its group scale; a 1-element group and an all-zero group', () => {
    const next = random(9);
    // 3 channels of 33 values in groups of 32: each channel's last group has 1 element.
    const values = new Float32Array(3 * 33).map((_, i) => next() * (i < 33 ? 0.01 : 2));
    values.fill(0, 66, 98); // channel 2: first group all zero, last element not
    values[98] = -0.7;
    const q = quantizeGroupsInt4(values, 3, 32);
    expect([q.groups, q.paddedK]).toEqual([2, 64]);
    expect(q.groupScales[4]).toBe(0);
    const back = dequantizeInt4(q, 3, 33, 32);
    for (let c = 0; c < 3; c++) {
      for (let i = 0; i < 33; i++) {
        const code = q.codes[c * 64 + i]!;
        const scale = Math.fround(q.groupScales[c * 2 + Math.floor(i / 32)]! * q.channelScales[c]!);
        expect(back[c * 33 + i]).toBe(Math.fround(code * scale));
        if (code > -8 && code < 7) expect(Math.abs(values[c * 33 + i]! - back[c * 33 + i]!)).toBeLessThanOrEqual(scale / 2 + 1e-7);
      }
      for (let i = 33; i < 64; i++) expect(q.codes[c * 64 + i]).toBe(0); // padding
    }
    expect(Array.from(back.subarray(66, 98))).toEqual(new Array(32).fill(0));
    expect(Math.abs(back[98]! + 0.7)).toBeLessThan(0.7 / 255); // alone in its group: only the factor's rounding
  });

  it('runs a quantized Conv in onnxruntime-node exactly as the host dequantizes it, folded to the fp32 graph', async () => {
    const next = random(11);
    const weights = new Float32Array(8 * 27).map(() => next() * 0.3);
    const fp32 = encodeModel(convModel(weights, 8));
    const input = new Float32Array(3 * 16 * 16).map(() => next());
    for (const groupSize of [8, 26]) {
      // 27 = 3·8 + 3 and 26 + 1: padded last groups, so the graph's Slice path too.
      const model = decodeModel(fp32);
      const stats = quantizeWeightsInt4(model, { names: new Set(['w']), groupSize });
      expect(stats.quantized).toBe(1);
      const groups = Math.ceil(27 / groupSize);
      expect(stats.bytesAfter).toBe((8 * groups * groupSize) / 2 + 8 * groups + 8 * 4);
      const g = graphOf(model);
      expect(g.initializer?.some((t) => t.name === 'w')).toBe(false);
      const dir = mkdtempSync(join(tmpdir(), 'int4-'));
      try {
        const opTypes = (file: string): string[] => (graphOf(decodeModel(readFileSync(join(dir, file)))).node ?? []).map((n) => n.opType ?? '');
        const quantized = await run(encodeModel(model), input, join(dir, 'int4.onnx'));
        const original = await run(fp32, input, join(dir, 'fp32.onnx'));
        expect(opTypes('fp32.onnx')).toEqual(['Conv']);
        expect(opTypes('int4.onnx')).toEqual(['Conv']); // the unpacking folded away
        const q = quantizeGroupsInt4(weights, 8, groupSize);
        const hostDequantized = await run(encodeModel(convModel(dequantizeInt4(q, 8, 27, groupSize), 8)), input);
        expect(Array.from(quantized)).toEqual(Array.from(hostDequantized));
        let max = 0;
        for (let i = 0; i < original.length; i++) max = Math.max(max, Math.abs(original[i]! - quantized[i]!));
        // 27 products per output, inputs in [-1, 1), each weight within about half a step (0.3 / 7 / 2) of its fp32 value.
        expect(max).toBeGreaterThan(0);
        expect(max).toBeLessThan((27 * 0.3) / 7 / 2);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it('mixed: corrects each quantized Conv bias so an input at the calibration means gives the fp32 output', async () => {
    const next = random(13);
    const weights = new Float32Array(8 * 27).map(() => next() * 0.3);
    const fp32 = encodeModel(convModel(weights, 8));
    const means = [0.5, -0.25, 1];
    const input = new Float32Array(3 * 256).map((_, i) => means[Math.floor(i / 256)]!);
    const interior = (out: Float32Array): number[] => Array.from(out).filter((_, i) => i % 256 >= 16 && i % 256 < 240 && i % 16 !== 0 && i % 16 !== 15);
    const original = interior(await run(fp32, input));
    const maxDiff = (a: number[]): number => Math.max(...a.map((v, i) => Math.abs(v - original[i]!)));
    const diffs: number[] = [];
    for (const [int8, inputMeans] of [[[], undefined], [[], { w: means }], [['w'], { w: means }]] as const) {
      const model = decodeModel(fp32);
      const stats = quantizeWeightsMixed(model, { minElements: 100, groupSize: 4, int8: new Set(int8), ...(inputMeans ? { inputMeans } : {}) });
      expect([stats.int4, stats.int8, stats.biasesCorrected]).toEqual([1 - int8.length, int8.length, inputMeans ? 1 : 0]);
      diffs.push(maxDiff(interior(await run(encodeModel(model), input))));
    }
    expect(diffs[0]).toBeGreaterThan(1e-3); // int4 without correction: the weight error shifts the output
    expect(diffs[1]).toBeLessThan(1e-5); // corrected: the shift is gone (float rounding only)
    expect(diffs[2]).toBeLessThan(1e-5); // likewise for an int8 layer
    expect(() => quantizeWeightsMixed(decodeModel(fp32), { minElements: 100, groupSize: 4, int8: new Set(['b']) })).toThrow(/not among the large weights/);
  });
});
