/**
 * Prepared model variants (tools/models/bin/prepare-models.ts): half-float decoding, pruning to one output,
 * and numerical agreement of the web/fp32/dynamic variants with the default isnet-fp16 on a real
 * sample. Tolerances come from `npm run models -- --measure` (docs/models.md).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseModelManifest } from '@cutout/core';
import { decodeHalfBytes, decodeModel, diff, halfToFloat, preprocess, resampleArea, runOutput } from '@cutout/tools-models';
import { HAVE_MODELS, MODELS_DIR, SAMPLES_DIR } from './helpers/paths.js';
import { need } from './helpers/require.js';

describe('half-float decoding', () => {
  it('decodes known bit patterns exactly', () => {
    expect(halfToFloat(0x3c00)).toBe(1);
    expect(halfToFloat(0xc000)).toBe(-2);
    expect(halfToFloat(0x7bff)).toBe(65504); // largest finite half
    expect(halfToFloat(0x0001)).toBe(2 ** -24); // smallest subnormal, 5.96e-8
    expect(halfToFloat(0x03ff)).toBe(1023 * 2 ** -24); // largest subnormal
    expect(halfToFloat(0x0400)).toBe(2 ** -14); // smallest normal
    expect(halfToFloat(0x3555)).toBe(0.333251953125);
    expect(halfToFloat(0x7c00)).toBe(Infinity);
    expect(halfToFloat(0xfc00)).toBe(-Infinity);
    expect(halfToFloat(0x7e00)).toBeNaN();
    expect(halfToFloat(0xfc01)).toBeNaN();
    expect(Object.is(halfToFloat(0x8000), -0)).toBe(true);
  });

  it('decodes little-endian raw bytes through the table', () => {
    const bytes = Uint8Array.from([0x00, 0x3c, 0x00, 0xc0, 0xff, 0x7b, 0x01, 0x00, 0x00, 0x7c, 0x00, 0x7e]);
    const out = decodeHalfBytes(bytes);
    expect(Array.from(out.subarray(0, 5))).toEqual([1, -2, 65504, Math.fround(2 ** -24), Infinity]);
    expect(out[5]).toBeNaN();
  });
});

describe.skipIf(!need({ models: HAVE_MODELS }))('prepared model variants', () => {
  const SAMPLE = join(SAMPLES_DIR, 'coffee.png');
  const OPTS = { graphOptimizationLevel: 'all' } as const;
  let input: ort.Tensor;
  let reference: Float32Array; // isnet-fp16 at 1024²

  async function run(id: string, x: ort.Tensor = input): Promise<{ out: Float32Array; outputs: readonly string[] }> {
    const session = await ort.InferenceSession.create(join(MODELS_DIR, `${id}.onnx`), OPTS);
    try {
      return { out: await runOutput(session, x), outputs: session.outputNames };
    } finally {
      await session.release();
    }
  }

  beforeAll(async () => {
    input = await preprocess(SAMPLE);
    reference = (await run('isnet-fp16')).out;
  });

  it('lists valid manifests, and every pruned graph has exactly one output', () => {
    const index = JSON.parse(readFileSync(join(MODELS_DIR, 'index.json'), 'utf8')) as { default: string; models: string[] };
    expect(index.default).toBe('isnet-fp32');
    for (const id of index.models) {
      const m = parseModelManifest(JSON.parse(readFileSync(join(MODELS_DIR, `${id}.json`), 'utf8')), id);
      expect(m.id).toBe(id);
      if (m.registered) continue; // the user's own (`cutout models add`), not built here
      expect(m.output.name).toBe('output');
    }
    for (const id of ['isnet-fp16', 'isnet-uint8']) {
      const g = decodeModel(readFileSync(join(MODELS_DIR, `${id}.onnx`))).graph;
      expect((g?.output ?? []).map((o) => o.name)).toEqual(['output']); // the originals have 12
    }
  });

  it('isnet-fp16-web (MaxPool ceil_mode 0) equals isnet-fp16 at 1024²', async () => {
    const { out, outputs } = await run('isnet-fp16-web');
    expect(outputs).toEqual(['output']);
    // Measured: 0 on all four samples. Every pooled size is even at 1024², so ceil_mode cannot matter.
    expect(diff(out, reference).max).toBeLessThanOrEqual(1e-6);
  });

  it('isnet-fp32-web matches isnet-fp16 within the measured fp16 rounding', async () => {
    const { out, outputs } = await run('isnet-fp32-web');
    expect(outputs).toEqual(['output']);
    const d = diff(out, reference);
    // Measured max |Δ| ≤ 1e-3 over the samples; 5e-3 is ~5 fp16 ulps at 1.0.
    expect(d.max).toBeLessThanOrEqual(5e-3);
    expect(d.mean).toBeLessThanOrEqual(1e-4);
  });

  it('isnet-mixed4-web (int4/int8 weights, under 30 MB) stays close to the fp16 original on a real sample', async () => {
    const bytes = readFileSync(join(MODELS_DIR, 'isnet-mixed4-web.onnx')).length;
    expect(bytes).toBeLessThan(30_000_000);
    const manifest = parseModelManifest(JSON.parse(readFileSync(join(MODELS_DIR, 'isnet-mixed4-web.json'), 'utf8')), 'isnet-mixed4-web');
    expect(manifest.dequantize).toBe('in-graph');
    const { out } = await run('isnet-mixed4-web');
    const d = diff(out, reference);
    // Measured on coffee.png: mean |Δ| 3.4e-4, max 0.069, IoU@0.5 0.9996 (over the four samples mean
    // |Δ| 2.1e-3 against isnet-fp32, docs/models.md). A broken unpacking or scale moves whole regions.
    expect(d.mean).toBeLessThan(2e-3);
    expect(d.iou).toBeGreaterThan(0.995);
  });

  it('isnet-fp32-web-dynamic runs at 320² and gives a matte close to the 1024² one', async () => {
    const small = await preprocess(SAMPLE, 320, 320);
    const { out } = await run('isnet-fp32-web-dynamic', small);
    expect(out.length).toBe(320 * 320);
    expect(out.every((v) => v >= 0 && v <= 1)).toBe(true);
    // Measured on coffee.png: IoU@0.5 0.98, mean |Δ| 0.025 against the 1024² matte area-downscaled.
    const d = diff(out, resampleArea(reference, 1024, 1024, 320, 320));
    expect(d.iou).toBeGreaterThan(0.9);
    expect(d.mean).toBeLessThan(0.06);
  });
});
