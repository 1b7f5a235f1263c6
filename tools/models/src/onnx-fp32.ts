/**
 * fp16-compute ONNX graph → fp32-compute graph (onnx-proto messages, mutated in place).
 *
 * - FLOAT16 initializers and FLOAT16 tensors inside node attributes (Constant, ConstantOfShape, …)
 *   are decoded exactly (half-float.ts) and stored as FLOAT `raw_data`.
 * - Every Cast between float types (fp16↔fp32) becomes a no-op and is removed: its consumers read
 *   its input instead. A removed Cast that produced a graph output renames its source tensor to the
 *   output name (or leaves an Identity when the source is itself a graph input/output/initializer).
 * - Casts from non-float types to FLOAT16 cast to FLOAT instead; `dtype` attributes likewise.
 * - Graph inputs/outputs/value_info element types FLOAT16 → FLOAT.
 */
import pkg from 'onnx-proto';
import { decodeHalfBytes, decodeHalfWords, float32ToBytes } from './half-float.js';
import { AttrType, DataType, attr, graphOf, nodesOf, toNumber, type Model, type Node, type Tensor } from './onnx-graph.js';

const { onnx } = pkg;

export interface Fp32Stats {
  initializers: number;
  attributeTensors: number;
  castsRemoved: number;
  castsRetargeted: number;
  identities: number;
  valueInfos: number;
}

/** Rewrites one FLOAT16 tensor in place as FLOAT; returns false when it was not FLOAT16. */
export function tensorToFp32(t: Tensor): boolean {
  if (t.dataType !== DataType.FLOAT16) return false;
  if ((t.externalData?.length ?? 0) > 0) throw new Error(`${t.name}: external data is not supported`);
  const values = t.rawData && t.rawData.length > 0 ? decodeHalfBytes(t.rawData) : decodeHalfWords(t.int32Data ?? []);
  t.dataType = DataType.FLOAT;
  t.rawData = float32ToBytes(values);
  t.int32Data = [];
  t.floatData = [];
  return true;
}

const isFloat = (t: number | undefined): boolean => t === DataType.FLOAT || t === DataType.FLOAT16;

export function convertFp16ToFp32(model: Model): Fp32Stats {
  const g = graphOf(model);
  const stats: Fp32Stats = { initializers: 0, attributeTensors: 0, castsRemoved: 0, castsRetargeted: 0, identities: 0, valueInfos: 0 };

  // Element types of every tensor as declared in the original graph.
  const elem = new Map<string, number>();
  for (const vi of [...(g.input ?? []), ...(g.output ?? []), ...(g.valueInfo ?? [])]) {
    const t = vi.type?.tensorType?.elemType;
    if (vi.name && t != null) elem.set(vi.name, t);
  }
  for (const t of g.initializer ?? []) if (t.name && t.dataType != null) elem.set(t.name, t.dataType);
  for (const n of nodesOf(g)) {
    const t = n.opType === 'Constant' ? attr(n, 'value')?.t : undefined;
    if (t?.dataType != null && n.output?.[0]) elem.set(n.output[0], t.dataType);
    if (n.opType === 'Cast' && n.output?.[0]) elem.set(n.output[0], toNumber(attr(n, 'to')?.i));
  }

  for (const t of g.initializer ?? []) if (tensorToFp32(t)) stats.initializers++;

  const alias = new Map<string, string>();
  const kept: Node[] = [];
  for (const n of nodesOf(g)) {
    for (const a of n.attribute ?? []) {
      if (a.t && tensorToFp32(a.t)) stats.attributeTensors++;
      for (const t of a.tensors ?? []) if (tensorToFp32(t)) stats.attributeTensors++;
      if (a.name === 'dtype' && a.type === AttrType.INT && toNumber(a.i) === DataType.FLOAT16) a.i = DataType.FLOAT;
    }
    if (n.opType === 'Cast') {
      const to = attr(n, 'to');
      const src = n.input?.[0];
      const dst = n.output?.[0];
      if (!to || !src || !dst) throw new Error(`Cast ${n.name}: malformed`);
      const from = elem.get(src);
      if (isFloat(toNumber(to.i)) && isFloat(from)) {
        alias.set(dst, src);
        stats.castsRemoved++;
        continue;
      }
      if (toNumber(to.i) === DataType.FLOAT16) {
        if (from === undefined) throw new Error(`Cast ${n.name}: unknown input type, cannot decide`);
        to.i = DataType.FLOAT;
        stats.castsRetargeted++;
      }
    }
    kept.push(n);
  }

  const resolve = (name: string): string => {
    let cur = name;
    for (let next = alias.get(cur); next !== undefined; next = alias.get(cur)) cur = next;
    return cur;
  };
  for (const n of kept) n.input = (n.input ?? []).map((i) => (i ? resolve(i) : i));

  // Graph outputs that were produced by a removed Cast.
  const protectedNames = new Set([
    ...(g.input ?? []).map((i) => i.name ?? ''),
    ...(g.output ?? []).map((o) => o.name ?? ''),
    ...(g.initializer ?? []).map((t) => t.name ?? ''),
  ]);
  const renamed = new Set<string>();
  for (const out of g.output ?? []) {
    const name = out.name ?? '';
    if (!alias.has(name)) continue;
    const src = resolve(name);
    if (protectedNames.has(src)) {
      kept.push(onnx.NodeProto.create({ name: `${name}/Identity`, opType: 'Identity', input: [src], output: [name] }));
      stats.identities++;
      continue;
    }
    for (const n of kept) {
      n.input = (n.input ?? []).map((i) => (i === src ? name : i));
      n.output = (n.output ?? []).map((o) => (o === src ? name : o));
    }
    renamed.add(src); // its value_info entry is dropped below
  }
  g.node = kept;

  g.valueInfo = (g.valueInfo ?? []).filter((v) => !alias.has(v.name ?? '') && !renamed.has(v.name ?? ''));
  for (const vi of [...(g.input ?? []), ...(g.output ?? []), ...g.valueInfo]) {
    const tt = vi.type?.tensorType;
    if (tt && tt.elemType === DataType.FLOAT16) {
      tt.elemType = DataType.FLOAT;
      stats.valueInfos++;
    }
  }
  return stats;
}

/** Counts what still mentions FLOAT16 anywhere in the graph (0 after a successful conversion). */
export function countFp16(model: Model): number {
  const g = graphOf(model);
  let count = (g.initializer ?? []).filter((t) => t.dataType === DataType.FLOAT16).length;
  for (const vi of [...(g.input ?? []), ...(g.output ?? []), ...(g.valueInfo ?? [])]) {
    if (vi.type?.tensorType?.elemType === DataType.FLOAT16) count++;
  }
  for (const n of nodesOf(g)) {
    for (const a of n.attribute ?? []) {
      if (a.t?.dataType === DataType.FLOAT16) count++;
      if ((a.name === 'to' || a.name === 'dtype') && toNumber(a.i) === DataType.FLOAT16) count++;
    }
  }
  return count;
}
