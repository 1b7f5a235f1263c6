/**
 * Mixed weight-only int4/int8, for a variant under 30 MB: the large Conv weights are int4 with group
 * scales (onnx-int4.ts), except the layers named in `int8` (the most sensitive ones, measured), which
 * use the int8 recipe (onnx-int8.ts); small weights stay fp32. With `inputMeans` (each Conv input
 * channel's mean over calibration images) every quantized Conv's bias absorbs the mean shift its
 * weight error causes, b −= (Ŵ − W)·E[x] (bias correction, Nagel et al. 2019): at 4 bits a large
 * part of the output error is that shift.
 */
import { DataType, graphOf, nodesOf, type Model, type Tensor } from './onnx-graph.js';
import { quantizeWeightsInt4 } from './onnx-int4.js';
import { floatValues, quantizePerChannel, quantizeWeightsInt8 } from './onnx-int8.js';

export interface MixedOptions {
  /** Weights with fewer elements stay fp32. */
  readonly minElements: number;
  /** int4 group size along each output channel's flattened weights. */
  readonly groupSize: number;
  /** Large weights stored int8 instead of int4. */
  readonly int8: ReadonlySet<string>;
  /** Per Conv weight name, the mean of each of its input channels: enables bias correction. */
  readonly inputMeans?: Readonly<Record<string, readonly number[]>>;
}

export interface MixedStats {
  int4: number;
  int8: number;
  biasesCorrected: number;
  bytesBefore: number;
  bytesAfter: number;
}

const elements = (t: Tensor): number => (t.dims ?? []).reduce<number>((a, d) => a * Number(d), 1);

export function quantizeWeightsMixed(model: Model, options: MixedOptions): MixedStats {
  const g = graphOf(model);
  const large = (g.initializer ?? []).filter((t) => t.dataType === DataType.FLOAT && elements(t) >= options.minElements && (t.dims ?? []).length >= 2);
  const missing = [...options.int8].filter((name) => !large.some((t) => t.name === name));
  if (missing.length > 0) throw new Error(`mixed: int8 layers not among the large weights: ${missing.join(', ')}`);
  const int4Names = new Set(large.map((t) => t.name ?? '').filter((name) => !options.int8.has(name)));
  const corrections = new Map<string, { original: Float32Array; dequantized: Float32Array }>();
  if (options.inputMeans) {
    for (const t of large.filter((u) => options.int8.has(u.name ?? ''))) {
      const values = floatValues(t);
      const channels = Number(t.dims![0]);
      const { q, scales } = quantizePerChannel(values, channels, 'mse'); // what quantizeWeightsInt8 stores
      const per = values.length / channels;
      corrections.set(t.name ?? '', { original: values, dequantized: Float32Array.from(q, (v, i) => Math.fround(v * scales[Math.floor(i / per)]!)) });
    }
  }
  const s4 = quantizeWeightsInt4(model, {
    names: int4Names,
    groupSize: options.groupSize,
    ...(options.inputMeans ? { onQuantized: (name: string, original: Float32Array, dequantized: Float32Array) => corrections.set(name, { original, dequantized }) } : {}),
  });
  const biasesCorrected = options.inputMeans ? correctBiases(model, corrections, options.inputMeans) : 0;
  const s8 = quantizeWeightsInt8(model, { minElements: options.minElements, scales: 'mse' });
  return { int4: s4.quantized, int8: s8.quantized, biasesCorrected, bytesBefore: s4.bytesBefore + s8.bytesBefore, bytesAfter: s4.bytesAfter + s8.bytesAfter };
}

/** b[o] −= Σ_i (Ŵ − W)[o, i] · mean[input channel of i], for each Conv reading a corrected weight. */
function correctBiases(
  model: Model,
  corrections: ReadonlyMap<string, { original: Float32Array; dequantized: Float32Array }>,
  inputMeans: Readonly<Record<string, readonly number[]>>,
): number {
  const g = graphOf(model);
  const byName = new Map((g.initializer ?? []).map((t) => [t.name ?? '', t]));
  const done = new Set<string>();
  for (const node of nodesOf(g)) {
    const [, weight, biasName] = node.input ?? [];
    const c = weight === undefined ? undefined : corrections.get(weight);
    if (node.opType !== 'Conv' || c === undefined) continue;
    const means = inputMeans[weight!];
    const bias = biasName ? byName.get(biasName) : undefined;
    if (!means || !bias || bias.dataType !== DataType.FLOAT || done.has(biasName!)) throw new Error(`mixed: ${node.name}: no input means, or no fp32 bias of its own, for ${weight}`);
    const b = floatValues(bias);
    const k = c.original.length / b.length;
    const per = k / means.length;
    if (!Number.isInteger(per)) throw new Error(`mixed: ${weight}: ${means.length} input means for rows of ${k}`);
    for (let o = 0; o < b.length; o++) {
      let shift = 0;
      for (let i = 0; i < k; i++) shift += (c.dequantized[o * k + i]! - c.original[o * k + i]!) * means[Math.floor(i / per)]!;
      b[o] = b[o]! - shift;
    }
    bias.rawData = new Uint8Array(b.buffer);
    bias.floatData = [];
    done.add(biasName!);
  }
  return done.size;
}
