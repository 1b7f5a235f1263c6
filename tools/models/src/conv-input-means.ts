/**
 * Calibration for the mixed int4/int8 variant's bias correction (onnx-mixed.ts): the mean of each
 * input channel of each large Conv, over a few images, from the fp32 model. Measured once by
 * `tools/models/bin/measure-input-means.ts` and committed (tools/models/data/), so that building the
 * variant needs no inference and gives the same bytes on every machine.
 */
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { AttrType, DataType, decodeModel, encodeModel, graphOf, nodesOf, type Model } from './onnx-graph.js';

export type InputMeans = Readonly<Record<string, readonly number[]>>;

/** Per Conv weight of at least `minElements`, the mean over `inputs` of each channel of the Conv's input. */
export async function measureInputMeans(fp32: Uint8Array, inputs: readonly ort.Tensor[], minElements: number): Promise<Record<string, number[]>> {
  const model: Model = decodeModel(fp32);
  const g = graphOf(model);
  const large = new Set((g.initializer ?? []).filter((t) => (t.dims ?? []).reduce<number>((a, d) => a * Number(d), 1) >= minElements).map((t) => t.name ?? ''));
  const probes = new Map<string, string>();
  for (const n of [...nodesOf(g)]) {
    const [x, w] = n.input ?? [];
    if (n.opType !== 'Conv' || !x || !w || !large.has(w)) continue;
    const out = `${w}__input_mean`;
    probes.set(w, out);
    const attribute = [{ name: 'axes', type: AttrType.INTS, ints: [0, 2, 3] }, { name: 'keepdims', type: AttrType.INT, i: 0 }];
    nodesOf(g).push({ name: out, opType: 'ReduceMean', input: [x], output: [out], attribute });
    (g.output ??= []).push({ name: out, type: { tensorType: { elemType: DataType.FLOAT } } });
  }
  const session = await ort.InferenceSession.create(encodeModel(model), { graphOptimizationLevel: 'all' });
  const sums = new Map<string, Float64Array>();
  try {
    for (const input of inputs) {
      const result = await session.run({ input }, [...probes.values()]);
      for (const [w, out] of probes) {
        const data = result[out]!.data as Float32Array;
        const sum = sums.get(w) ?? new Float64Array(data.length);
        data.forEach((v, i) => (sum[i] = sum[i]! + v / inputs.length));
        sums.set(w, sum);
      }
    }
  } finally {
    await session.release();
  }
  // Four significant digits: plenty for a bias correction, and short in the committed file.
  return Object.fromEntries([...sums].map(([w, s]) => [w, Array.from(s, (v) => Number(v.toPrecision(4)))]));
}

export function readInputMeans(path: string | URL): InputMeans {
  const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null) throw new Error(`${String(path)}: not an object`);
  for (const [name, means] of Object.entries(parsed)) {
    if (!Array.isArray(means) || !means.every((v) => typeof v === 'number' && Number.isFinite(v))) throw new Error(`${String(path)}: ${name} is not a list of numbers`);
  }
  return parsed as InputMeans;
}
