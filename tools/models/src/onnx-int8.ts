/**
 * Weight-only int8: every large FLOAT initializer (the convolution weights) is stored as int8,
 * symmetric, one scale per slice along axis 0 (a Conv weight's output channel), and rebuilt in the
 * graph by `Cast(to=FLOAT)` then `Mul` by its scales. Both nodes read only initializers, so
 * onnxruntime's constant folding (on by default, Node and web) computes the fp32 weights once when
 * the session is created: inference then runs the same fp32 kernels as the fp32 variant, on
 * weights that differ by at most half a quantization step. Cast and Mul keep the graph's opset
 * (per-axis DequantizeLinear needs opset 13).
 */
import { AttrType, DataType, graphOf, type Model, type Node, type Tensor } from './onnx-graph.js';

export interface Int8Options {
  /** Initializers with fewer elements stay fp32 (biases, norms, small heads). Default 1024. */
  readonly minElements?: number;
  /** Initializers kept fp32 by name (the most sensitive layers). */
  readonly keep?: ReadonlySet<string>;
  /**
   * 'max': scale = max|w| / 127 per channel. 'mse': the clip ratio in [0.5, 1] (step 0.01) that
   * minimises each channel's squared rounding error (outliers clipped when that pays). Default 'max'.
   */
  readonly scales?: 'max' | 'mse';
}

export interface Int8Stats {
  quantized: number;
  /** FLOAT initializers of 1024 or more elements left fp32 (under minElements, or named in keep). */
  kept: number;
  /** Bytes of FLOAT initializer data before, and of int8 + scale data after. */
  bytesBefore: number;
  bytesAfter: number;
  /** Largest |w − ŵ| over all quantized weights, relative to its channel's max |w|. */
  maxRelativeError: number;
}

export function floatValues(t: Tensor): Float32Array {
  if ((t.externalData?.length ?? 0) > 0) throw new Error(`${t.name}: external data is not supported`);
  if (t.rawData && t.rawData.length > 0) {
    const raw = t.rawData;
    return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  }
  return Float32Array.from(t.floatData ?? []);
}

const elements = (t: Tensor): number => (t.dims ?? []).reduce<number>((a, d) => a * Number(d), 1);

/** Quantizes one tensor per axis-0 slice; returns the int8 values, the scales and the worst relative error. */
export function quantizePerChannel(values: Float32Array, channels: number, mode: 'max' | 'mse' = 'max'): { q: Int8Array; scales: Float32Array; maxRelativeError: number } {
  const per = values.length / channels;
  const q = new Int8Array(values.length);
  const scales = new Float32Array(channels);
  let worst = 0;
  for (let c = 0; c < channels; c++) {
    const start = c * per;
    let max = 0;
    for (let i = start; i < start + per; i++) max = Math.max(max, Math.abs(values[i]!));
    // Math.fround: the scale as stored (fp32), so the error measured is the error the graph sees.
    const scale = max > 0 ? Math.fround((max * (mode === 'mse' ? bestClip(values, start, start + per, max) : 1)) / 127) : 1;
    scales[c] = scale;
    for (let i = start; i < start + per; i++) {
      const v = Math.max(-127, Math.min(127, Math.round(values[i]! / scale)));
      q[i] = v;
      if (max > 0) worst = Math.max(worst, Math.abs(values[i]! - Math.fround(v * scale)) / max);
    }
  }
  return { q, scales, maxRelativeError: worst };
}

/** The clip ratio r (max|w|·r maps to 127) with the least squared rounding + clipping error. */
function bestClip(values: Float32Array, start: number, end: number, max: number): number {
  let best = 1;
  let bestErr = Number.POSITIVE_INFINITY;
  for (let r = 1; r >= 0.5 - 1e-9; r -= 0.01) {
    const scale = (max * r) / 127;
    let err = 0;
    for (let i = start; i < end; i++) {
      const v = values[i]!;
      const d = v - Math.max(-127, Math.min(127, Math.round(v / scale))) * scale;
      err += d * d;
    }
    if (err < bestErr) [best, bestErr] = [r, err];
  }
  return best;
}

export function quantizeWeightsInt8(model: Model, options: Int8Options = {}): Int8Stats {
  const g = graphOf(model);
  const minElements = options.minElements ?? 1024;
  const stats: Int8Stats = { quantized: 0, kept: 0, bytesBefore: 0, bytesAfter: 0, maxRelativeError: 0 };
  const kept: Tensor[] = [];
  const added: Tensor[] = [];
  const dequant: Node[] = [];
  for (const t of g.initializer ?? []) {
    const name = t.name ?? '';
    const dims = (t.dims ?? []).map(Number);
    if (t.dataType !== DataType.FLOAT || elements(t) < minElements || dims.length < 2 || options.keep?.has(name)) {
      if (t.dataType === DataType.FLOAT && elements(t) >= 1024) stats.kept++;
      kept.push(t);
      continue;
    }
    const values = floatValues(t);
    const channels = dims[0]!;
    const { q, scales, maxRelativeError } = quantizePerChannel(values, channels, options.scales ?? 'max');
    stats.maxRelativeError = Math.max(stats.maxRelativeError, maxRelativeError);
    stats.quantized++;
    stats.bytesBefore += values.byteLength;
    stats.bytesAfter += q.byteLength + scales.byteLength;
    added.push(
      { name: `${name}__int8`, dataType: DataType.INT8, dims, rawData: new Uint8Array(q.buffer) },
      { name: `${name}__scale`, dataType: DataType.FLOAT, dims: [channels, ...dims.slice(1).map(() => 1)], rawData: new Uint8Array(scales.buffer) },
    );
    dequant.push(
      { name: `${name}__cast`, opType: 'Cast', input: [`${name}__int8`], output: [`${name}__f32`], attribute: [{ name: 'to', type: AttrType.INT, i: DataType.FLOAT }] },
      { name: `${name}__dequant`, opType: 'Mul', input: [`${name}__f32`, `${name}__scale`], output: [name] },
    );
  }
  g.initializer = [...kept, ...added];
  // Dequantization first: it reads only initializers, so the node list stays topologically sorted.
  g.node = [...dequant, ...(g.node ?? [])];
  return stats;
}
