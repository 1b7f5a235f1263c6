/**
 * Weight-only int4 with group scales, for a variant smaller than int8: each output channel's weights
 * (a Conv weight's axis 0, the rest flattened) are cut into groups of `groupSize`, each group gets its
 * own symmetric scale, and the values are stored as 4-bit codes (−8…7), two per byte. Group scales
 * cost one byte each: a uint8 factor of the channel's fp32 scale (double quantization), chosen with
 * the codes to minimise the group's squared error.
 *
 * Opset 15 has no 4-bit type, so the graph unpacks in-graph with plain ops on initializers only
 * (Cast, Div, Mod, Concat, Sub, Reshape, Mul, Slice): onnxruntime's constant folding computes the fp32
 * weights once when the session is created, and inference runs the fp32 kernels, as with int8.
 * Byte j of the packed tensor holds code j in its low nibble and code j + n/2 in its high nibble,
 * so unpacking is a Concat of the two halves, without any interleave.
 */
import { AttrType, DataType, graphOf, type Node, type Model, type Tensor } from './onnx-graph.js';
import { floatValues } from './onnx-int8.js';

export interface Int4Group {
  /** Codes −8…7, per channel padded with zeros to a whole number of groups: channels × paddedK. */
  readonly codes: Int8Array;
  /** fp32 scale per channel: the largest group scale / 255. */
  readonly channelScales: Float32Array;
  /** Per group (channels × groups), the factor of its channel's scale; 0 for an all-zero group. */
  readonly groupScales: Uint8Array;
  readonly groups: number;
  readonly paddedK: number;
}

const clampCode = (v: number): number => Math.max(-8, Math.min(7, Math.round(v)));

/** Σ (w − ŵ)² over one group. */
function groupError(values: Float32Array, start: number, end: number, scale: number): number {
  let err = 0;
  for (let i = start; i < end; i++) {
    const d = values[i]! - (scale > 0 ? clampCode(values[i]! / scale) * scale : 0);
    err += d * d;
  }
  return err;
}

/** Quantizes `channels` rows of `values` in groups of `groupSize` along each row, each group's scale minimising its squared error. */
export function quantizeGroupsInt4(values: Float32Array, channels: number, groupSize: number): Int4Group {
  if (!(groupSize >= 1) || values.length % channels !== 0) throw new Error(`int4: ${values.length} values, ${channels} channels, groups of ${groupSize}`);
  const k = values.length / channels;
  const groups = Math.ceil(k / groupSize);
  const paddedK = groups * groupSize;
  const codes = new Int8Array(channels * paddedK);
  const channelScales = new Float32Array(channels);
  const groupScales = new Uint8Array(channels * groups);
  const best = new Float64Array(groups);
  for (let c = 0; c < channels; c++) {
    // 1. Each group's best fp32 scale: max|w|·r/8 for r in [0.5, 8/7] (8/7: +max maps to 7 exactly).
    for (let g = 0; g < groups; g++) {
      const [start, end] = [c * k + g * groupSize, c * k + Math.min(k, (g + 1) * groupSize)];
      let max = 0;
      for (let i = start; i < end; i++) max = Math.max(max, Math.abs(values[i]!));
      let [bestScale, bestErr] = [0, Number.POSITIVE_INFINITY];
      for (let r = 0.5; max > 0 && r <= 8 / 7 + 1e-9; r += 0.01) {
        const err = groupError(values, start, end, (max * r) / 8);
        if (err < bestErr) [bestScale, bestErr] = [(max * r) / 8, err];
      }
      best[g] = bestScale;
    }
    // 2. The channel scale, then each group's uint8 factor (the best of the neighbours of the ideal one).
    let top = 0;
    for (let g = 0; g < groups; g++) top = Math.max(top, best[g]!);
    const cs = top > 0 ? Math.fround(top / 255) : 1;
    channelScales[c] = cs;
    for (let g = 0; g < groups; g++) {
      const [start, end] = [c * k + g * groupSize, c * k + Math.min(k, (g + 1) * groupSize)];
      const ideal = Math.round(best[g]! / cs);
      let [f, fErr] = [0, Number.POSITIVE_INFINITY];
      for (let cand = Math.max(ideal > 0 ? 1 : 0, ideal - 2); cand <= Math.min(255, ideal + 2); cand++) {
        const err = groupError(values, start, end, Math.fround(cand * cs));
        if (err < fErr) [f, fErr] = [cand, err];
      }
      groupScales[c * groups + g] = f;
      const scale = Math.fround(f * cs);
      for (let i = start; i < end; i++) codes[c * paddedK + (i - c * k)] = scale > 0 ? clampCode(values[i]! / scale) : 0;
    }
  }
  return { codes, channelScales, groupScales, groups, paddedK };
}

/** The fp32 weights the graph rebuilds (same roundings as Cast → Sub → Mul in fp32), in the original layout. */
export function dequantizeInt4(q: Int4Group, channels: number, k: number, groupSize: number): Float32Array {
  const out = new Float32Array(channels * k);
  for (let c = 0; c < channels; c++) {
    for (let i = 0; i < k; i++) {
      const scale = Math.fround(q.groupScales[c * q.groups + Math.floor(i / groupSize)]! * q.channelScales[c]!);
      out[c * k + i] = Math.fround(q.codes[c * q.paddedK + i]! * scale);
    }
  }
  return out;
}

/** Two codes per byte: byte j = (code j + 8) | (code j + n/2 + 8) << 4. n must be even. */
export function packNibbles(codes: Int8Array): Uint8Array {
  if (codes.length % 2 !== 0) throw new Error(`int4: cannot pack ${codes.length} codes`);
  const half = codes.length / 2;
  const out = new Uint8Array(half);
  for (let j = 0; j < half; j++) out[j] = (codes[j]! + 8) | ((codes[j + half]! + 8) << 4);
  return out;
}

export function unpackNibbles(packed: Uint8Array): Int8Array {
  const half = packed.length;
  const out = new Int8Array(2 * half);
  for (let j = 0; j < half; j++) [out[j], out[j + half]] = [(packed[j]! & 15) - 8, (packed[j]! >> 4) - 8];
  return out;
}

export interface Int4Options {
  /** Initializers to store as int4 (FLOAT, at least 2 dims); everything else is left alone. */
  readonly names: ReadonlySet<string>;
  /** Values per group along each output channel's flattened weights. Default 32. */
  readonly groupSize?: number;
  /** Told each weight's original and rebuilt values (for bias correction). */
  readonly onQuantized?: (name: string, original: Float32Array, dequantized: Float32Array) => void;
}

export interface Int4Stats {
  quantized: number;
  bytesBefore: number;
  bytesAfter: number;
}

const i64 = (name: string, values: readonly number[], dims = [values.length]): Tensor => ({
  name,
  dataType: DataType.INT64,
  dims,
  rawData: new Uint8Array(BigInt64Array.from(values.map(BigInt)).buffer),
});

/** Replaces the named FLOAT initializers by packed int4 + scales and the nodes that rebuild them. */
export function quantizeWeightsInt4(model: Model, options: Int4Options): Int4Stats {
  const g = graphOf(model);
  const groupSize = options.groupSize ?? 32;
  if (groupSize % 2 !== 0) throw new Error(`int4: group size ${groupSize} must be even (two codes per byte)`);
  const stats: Int4Stats = { quantized: 0, bytesBefore: 0, bytesAfter: 0 };
  const kept: Tensor[] = [];
  const added: Tensor[] = [];
  const nodes: Node[] = [];
  const node = (name: string, opType: string, input: string[], extra: Partial<Node> = {}): void => {
    nodes.push({ name, opType, input, output: [name], ...extra });
  };
  let padded = false;
  for (const t of g.initializer ?? []) {
    const name = t.name ?? '';
    const dims = (t.dims ?? []).map(Number);
    if (!options.names.has(name) || t.dataType !== DataType.FLOAT || dims.length < 2) {
      kept.push(t);
      continue;
    }
    const values = floatValues(t);
    const channels = dims[0]!;
    const k = values.length / channels;
    const q = quantizeGroupsInt4(values, channels, groupSize);
    const packed = packNibbles(q.codes);
    options.onQuantized?.(name, values, dequantizeInt4(q, channels, k, groupSize));
    stats.quantized++;
    stats.bytesBefore += values.byteLength;
    stats.bytesAfter += packed.byteLength + q.groupScales.byteLength + q.channelScales.byteLength;
    const p = `${name}__int4`;
    added.push(
      { name: `${p}_codes`, dataType: DataType.UINT8, dims: [packed.length], rawData: packed },
      { name: `${p}_gscale`, dataType: DataType.UINT8, dims: [channels, q.groups, 1], rawData: q.groupScales },
      { name: `${p}_cscale`, dataType: DataType.FLOAT, dims: [channels, 1, 1], rawData: new Uint8Array(q.channelScales.buffer) },
      i64(`${p}_grouped`, [channels, q.groups, groupSize]),
      i64(`${p}_dims`, dims),
    );
    node(`${p}_i32`, 'Cast', [`${p}_codes`], { attribute: [{ name: 'to', type: AttrType.INT, i: DataType.INT32 }] });
    node(`${p}_lo`, 'Mod', [`${p}_i32`, 'int4__16']);
    node(`${p}_hi`, 'Div', [`${p}_i32`, 'int4__16']);
    node(`${p}_all`, 'Concat', [`${p}_lo`, `${p}_hi`], { attribute: [{ name: 'axis', type: AttrType.INT, i: 0 }] });
    node(`${p}_f32`, 'Cast', [`${p}_all`], { attribute: [{ name: 'to', type: AttrType.INT, i: DataType.FLOAT }] });
    node(`${p}_centred`, 'Sub', [`${p}_f32`, 'int4__8']);
    node(`${p}_groups`, 'Reshape', [`${p}_centred`, `${p}_grouped`]);
    node(`${p}_gscale_f32`, 'Cast', [`${p}_gscale`], { attribute: [{ name: 'to', type: AttrType.INT, i: DataType.FLOAT }] });
    node(`${p}_scales`, 'Mul', [`${p}_gscale_f32`, `${p}_cscale`]);
    node(`${p}_scaled`, 'Mul', [`${p}_groups`, `${p}_scales`]);
    if (q.paddedK === k) {
      nodes.push({ name: `${p}_reshape`, opType: 'Reshape', input: [`${p}_scaled`, `${p}_dims`], output: [name] });
    } else {
      padded = true;
      added.push(i64(`${p}_rowshape`, [channels, q.paddedK]), i64(`${p}_k`, [k]));
      node(`${p}_rows`, 'Reshape', [`${p}_scaled`, `${p}_rowshape`]);
      node(`${p}_unpadded`, 'Slice', [`${p}_rows`, 'int4__0', `${p}_k`, 'int4__1']);
      nodes.push({ name: `${p}_reshape`, opType: 'Reshape', input: [`${p}_unpadded`, `${p}_dims`], output: [name] });
    }
  }
  if (stats.quantized > 0) {
    added.push(
      { name: 'int4__16', dataType: DataType.INT32, dims: [], rawData: new Uint8Array(Int32Array.of(16).buffer) },
      { name: 'int4__8', dataType: DataType.FLOAT, dims: [], rawData: new Uint8Array(Float32Array.of(8).buffer) },
    );
  }
  if (padded) added.push(i64('int4__0', [0]), i64('int4__1', [1]));
  g.initializer = [...kept, ...added];
  // The rebuilding nodes read only initializers: first, the node list stays topologically sorted.
  g.node = [...nodes, ...(g.node ?? [])];
  return stats;
}
