/**
 * Pure ONNX graph transforms on onnx-proto (protobufjs) messages — never byte edits.
 *
 * - `pruneToOutputs`: keep only the named graph outputs and drop every node, initializer and
 *   value_info that no longer contributes to them (dead-code elimination walking back from the outputs).
 * - `setMaxPoolCeilMode`: rewrite the `ceil_mode` attribute of every MaxPool.
 * - `setSymbolicSpatialDims`: give the input/output H and W dims a `dim_param`.
 * - `resizesFollowTargets`: make hard-coded Resize target sizes follow the tensor they are
 *   concatenated with (what `_upsample_like(src, tar)` meant before tracing baked the sizes in).
 *
 * Transforms mutate the model they are given; decode a fresh copy per variant.
 */
import pkg from 'onnx-proto';
import type { onnx as OnnxTypes } from 'onnx-proto';

const { onnx } = pkg;

export type Model = OnnxTypes.IModelProto;
export type Graph = OnnxTypes.IGraphProto;
export type Node = OnnxTypes.INodeProto;
export type ValueInfo = OnnxTypes.IValueInfoProto;
export type Tensor = OnnxTypes.ITensorProto;
export type Attribute = OnnxTypes.IAttributeProto;

export const DataType = onnx.TensorProto.DataType;
export const AttrType = onnx.AttributeProto.AttributeType;

export function decodeModel(bytes: Uint8Array): Model {
  return onnx.ModelProto.decode(bytes);
}

export function encodeModel(model: Model): Uint8Array {
  return onnx.ModelProto.encode(model).finish();
}

/** protobufjs gives int64 fields as number or Long. */
export function toNumber(v: unknown): number {
  return typeof v === 'number' ? v : Number(String(v ?? 0));
}

export function graphOf(model: Model): Graph {
  if (!model.graph) throw new Error('ONNX model has no graph');
  return model.graph;
}

export function nodesOf(graph: Graph): Node[] {
  return (graph.node ??= []);
}

export function attr(node: Node, name: string): Attribute | undefined {
  return (node.attribute ?? []).find((a) => a.name === name);
}

/** Map tensor name → the node that produces it. */
export function producers(graph: Graph): Map<string, Node> {
  const map = new Map<string, Node>();
  for (const n of nodesOf(graph)) for (const o of n.output ?? []) if (o) map.set(o, n);
  return map;
}

/** Map tensor name → nodes that read it. */
export function consumers(graph: Graph): Map<string, Node[]> {
  const map = new Map<string, Node[]>();
  for (const n of nodesOf(graph)) {
    for (const i of n.input ?? []) {
      if (!i) continue;
      const list = map.get(i);
      if (list) list.push(n);
      else map.set(i, [n]);
    }
  }
  return map;
}

export interface PruneStats {
  nodes: [before: number, after: number];
  initializers: [before: number, after: number];
  outputs: [before: number, after: number];
}

/** Keeps only `keep` as graph outputs and removes everything that no longer feeds them. */
export function pruneToOutputs(model: Model, keep: readonly string[]): PruneStats {
  const g = graphOf(model);
  const outputsBefore = g.output ?? [];
  const missing = keep.filter((k) => !outputsBefore.some((o) => o.name === k));
  if (missing.length > 0) throw new Error(`graph has no output named ${missing.join(', ')}`);
  g.output = keep.map((k) => outputsBefore.find((o) => o.name === k) as ValueInfo);

  const prod = producers(g);
  const needed = new Set<string>();
  const liveNodes = new Set<Node>();
  const stack = [...keep];
  while (stack.length > 0) {
    const name = stack.pop() as string;
    if (needed.has(name)) continue;
    needed.add(name);
    const n = prod.get(name);
    if (!n || liveNodes.has(n)) continue;
    liveNodes.add(n);
    for (const i of n.input ?? []) if (i) stack.push(i);
    // Subgraph attributes (If/Loop) may capture outer names; keep it simple and refuse them.
    if ((n.attribute ?? []).some((a) => a.g || (a.graphs?.length ?? 0) > 0)) {
      throw new Error(`pruneToOutputs: node ${n.name ?? n.opType} has a subgraph; not supported`);
    }
  }
  const stats: PruneStats = {
    nodes: [nodesOf(g).length, 0],
    initializers: [(g.initializer ?? []).length, 0],
    outputs: [outputsBefore.length, keep.length],
  };
  const initNames = new Set((g.initializer ?? []).map((t) => t.name ?? ''));
  g.node = topoSort(nodesOf(g).filter((n) => liveNodes.has(n)), g); // the source graph is not always sorted
  g.initializer = (g.initializer ?? []).filter((t) => needed.has(t.name ?? ''));
  // Graph inputs that merely declare a removed initializer (IR < 4 style) go too; real inputs stay.
  g.input = (g.input ?? []).filter((i) => needed.has(i.name ?? '') || !initNames.has(i.name ?? ''));
  g.valueInfo = (g.valueInfo ?? []).filter((v) => needed.has(v.name ?? ''));
  stats.nodes[1] = g.node.length;
  stats.initializers[1] = g.initializer.length;
  return stats;
}

/** Sets `ceil_mode` on every MaxPool (adding the attribute if missing); returns how many changed. */
export function setMaxPoolCeilMode(model: Model, ceilMode: 0 | 1): number {
  let changed = 0;
  for (const n of nodesOf(graphOf(model))) {
    if (n.opType !== 'MaxPool') continue;
    const a = attr(n, 'ceil_mode');
    const current = a ? toNumber(a.i) : 0;
    if (current === ceilMode) continue;
    if (a) a.i = ceilMode;
    else (n.attribute ??= []).push(onnx.AttributeProto.create({ name: 'ceil_mode', type: AttrType.INT, i: ceilMode }));
    changed++;
  }
  return changed;
}

/**
 * Replaces dims 2 and 3 of the named graph inputs/outputs with dim_params `height`/`width`, and
 * drops every value_info shape (they were inferred for one fixed size; ORT re-infers them).
 */
export function setSymbolicSpatialDims(model: Model, names: readonly string[]): void {
  const g = graphOf(model);
  for (const vi of [...(g.input ?? []), ...(g.output ?? [])]) {
    if (!names.includes(vi.name ?? '')) continue;
    const dims = vi.type?.tensorType?.shape?.dim;
    if (!dims || dims.length !== 4) throw new Error(`${vi.name}: expected a rank-4 shape`);
    dims[2] = onnx.TensorShapeProto.Dimension.create({ dimParam: 'height' });
    dims[3] = onnx.TensorShapeProto.Dimension.create({ dimParam: 'width' });
  }
  for (const vi of g.valueInfo ?? []) if (vi.type?.tensorType) vi.type.tensorType.shape = null;
}

function int64Values(t: Tensor): number[] {
  if (t.dataType !== DataType.INT64) throw new Error(`${t.name}: expected an int64 tensor`);
  const raw = t.rawData;
  if (raw && raw.length > 0) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    return Array.from({ length: raw.byteLength / 8 }, (_, i) => Number(view.getBigInt64(8 * i, true)));
  }
  return (t.int64Data ?? []).map(toNumber);
}

/** The value of a Constant node's `value` tensor as numbers (int64 only), or undefined. */
function constantInts(n: Node | undefined): number[] | undefined {
  if (!n || n.opType !== 'Constant') return undefined;
  const t = attr(n, 'value')?.t;
  return t && t.dataType === DataType.INT64 ? int64Values(t) : undefined;
}

/** Follows a tensor through Cast nodes to the first non-Cast consumers. */
function consumersThroughCasts(name: string, cons: Map<string, Node[]>): { tensor: string; nodes: Node[] } {
  const nodes = cons.get(name) ?? [];
  const only = nodes[0];
  if (nodes.length === 1 && only?.opType === 'Cast' && only.output?.[0]) return consumersThroughCasts(only.output[0], cons);
  return { tensor: name, nodes };
}

/**
 * For every `Resize(x, '', '', Concat(Slice(Shape(x), 0, 2), Constant[h, w]))`, replaces the
 * constant [h, w] with `Shape(target, start=2)`: target is the other input of the Concat that
 * consumes the resized tensor (the skip connection), or the graph input when the resize feeds a
 * head and [h, w] equals the input's fixed spatial size. Returns how many Resizes were rewritten.
 */
export function resizesFollowTargets(model: Model): number {
  const g = graphOf(model);
  const prod = producers(g);
  const cons = consumers(g);
  const input = g.input?.[0];
  const inputHW = (input?.type?.tensorType?.shape?.dim ?? []).slice(2).map((d) => toNumber(d.dimValue));
  const added: Node[] = [];
  let rewritten = 0;
  for (const r of nodesOf(g)) {
    if (r.opType !== 'Resize' || !r.input?.[3] || !r.output?.[0]) continue;
    const sizes = prod.get(r.input[3]);
    if (sizes?.opType !== 'Concat' || sizes.input?.length !== 2 || !sizes.input[1]) continue;
    const hw = constantInts(prod.get(sizes.input[1]));
    if (!hw || hw.length !== 2) continue;
    const { tensor, nodes } = consumersThroughCasts(r.output[0], cons);
    let target: string | undefined;
    const concat = nodes.length === 1 && nodes[0]?.opType === 'Concat' ? nodes[0] : undefined;
    if (concat) {
      const others = (concat.input ?? []).filter((i) => i && i !== tensor);
      if (others.length === 1) target = others[0] ?? undefined;
    } else if (input?.name && hw[0] === inputHW[0] && hw[1] === inputHW[1]) {
      target = input.name;
    }
    if (!target) throw new Error(`resizesFollowTargets: cannot find the target size of ${r.name ?? r.output[0]}`);
    const shapeOut = `${r.output[0]}/target_hw`;
    added.push(
      onnx.NodeProto.create({
        name: `${r.name ?? r.output[0]}/TargetShape`,
        opType: 'Shape',
        input: [target],
        output: [shapeOut],
        attribute: [onnx.AttributeProto.create({ name: 'start', type: AttrType.INT, i: 2 })],
      }),
    );
    sizes.input[1] = shapeOut;
    rewritten++;
  }
  g.node = topoSort([...nodesOf(g), ...added], g);
  return rewritten;
}

/** Topological order (depth-first on producers), as close to the given order as possible; throws on cycles. */
export function topoSort(nodes: Node[], graph: Graph): Node[] {
  const prod = new Map<string, Node>();
  for (const n of nodes) for (const o of n.output ?? []) if (o) prod.set(o, n);
  const external = new Set<string>(['', ...(graph.input ?? []).map((i) => i.name ?? ''), ...(graph.initializer ?? []).map((t) => t.name ?? '')]);
  const state = new Map<Node, 1 | 2>(); // 1 = visiting, 2 = done
  const out: Node[] = [];
  const visit = (n: Node): void => {
    const s = state.get(n);
    if (s === 2) return;
    if (s === 1) throw new Error(`topoSort: cycle through ${n.name ?? n.opType}`);
    state.set(n, 1);
    for (const i of n.input ?? []) {
      const p = prod.get(i);
      if (p) visit(p);
      else if (!external.has(i)) throw new Error(`topoSort: ${n.name ?? n.opType} reads ${i}, which nothing produces`);
    }
    state.set(n, 2);
    out.push(n);
  };
  for (const n of nodes) visit(n);
  return out;
}
