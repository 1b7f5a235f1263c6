/**
 * The prepared ISNet variants: which source resource each comes from, which graph transforms
 * make it, and what its manifest says. Used by tools/models/bin/prepare-models.ts.
 */
import type { ModelManifest, ModelPrecision } from '@cutout/core';
import { convertFp16ToFp32, countFp16 } from './onnx-fp32.js';
import { quantizeWeightsInt8, type Int8Options } from './onnx-int8.js';
import { quantizeWeightsMixed } from './onnx-mixed.js';
import { MIXED, mixedOptions, type MixedRecipe } from './mixed-recipe.js';
import {
  attr,
  decodeModel,
  encodeModel,
  graphOf,
  nodesOf,
  pruneToOutputs,
  resizesFollowTargets,
  setMaxPoolCeilMode,
  setSymbolicSpatialDims,
  toNumber,
  type Model,
} from './onnx-graph.js';

export const INPUT_NAME = 'input';
export const OUTPUT_NAME = 'output';
export const SIZE = 1024;
/** Default for onnxruntime-node: the medium ISNet weights upcast exactly to fp32; on CPU it is faster than the fp16 graph and uses less memory (docs/models.md). */
export const DEFAULT_MODEL = 'isnet-fp32';
export const licenceText = (dataVersion: string): string =>
  `ISNet weights: MIT (xuebinqin/DIS, as listed in the package's ThirdPartyLicenses.json); distributed in @imgly/background-removal-data ${dataVersion}, AGPL-3.0`;

/**
 * The int8 recipe (measured on the dev half of ../shared/eval, docs/models.md): layers under 30k
 * weights (the full-resolution first and last stages and the side outputs) stay fp32, and each
 * channel's scale minimises its rounding error.
 */
const INT8: Int8Options = { minElements: 30_000, scales: 'mse' };

export type SourceResource = '/models/medium' | '/models/small';

export interface VariantSpec {
  readonly id: string;
  readonly source: SourceResource;
  readonly precision: ModelPrecision;
  readonly backends: readonly string[];
  readonly requiresShaderF16: boolean;
  readonly fp32?: boolean;
  /** Weight-only int8 (onnx-int8.ts) after the fp32 conversion: about a quarter of the size, fp32 compute. */
  readonly int8?: Int8Options;
  /** Mixed int4/int8 weights (onnx-mixed.ts, mixed-recipe.ts) after the fp32 conversion: under 30 MB, fp32 compute. */
  readonly mixed?: MixedRecipe;
  /** MaxPool ceil_mode to force; undefined keeps the original (1). */
  readonly ceilMode?: 0 | 1;
  readonly dynamicSize?: boolean;
  readonly description: string;
}

export const VARIANTS: readonly VariantSpec[] = [
  {
    id: 'isnet-fp16',
    source: '/models/medium',
    precision: 'fp16',
    backends: ['cpu'],
    requiresShaderF16: true,
    description: 'ISNet with fp16 weights and compute as distributed, pruned to the single `output` (onnxruntime-node CPU).',
  },
  {
    id: 'isnet-uint8',
    source: '/models/small',
    precision: 'uint8',
    backends: ['cpu'],
    requiresShaderF16: false,
    description: 'ISNet dynamically quantized to uint8 (ConvInteger), pruned to `output`; half the size, lower quality.',
  },
  {
    id: 'isnet-fp32',
    source: '/models/medium',
    precision: 'fp32',
    backends: ['cpu'],
    requiresShaderF16: false,
    fp32: true,
    description: 'Default for CPU. isnet-fp16 with weights and compute converted to fp32 (exact half→float), MaxPool ceil_mode unchanged.',
  },
  {
    id: 'isnet-int8',
    source: '/models/medium',
    precision: 'fp32',
    backends: ['cpu'],
    requiresShaderF16: false,
    fp32: true,
    int8: INT8,
    description:
      'isnet-fp32 with weight-only int8 (symmetric, per output channel): 44 MB; onnxruntime folds the weights back to fp32 when the session is created, so it runs as fast as isnet-fp32.',
  },
  {
    id: 'isnet-fp16-web',
    source: '/models/medium',
    precision: 'fp16',
    backends: ['wasm', 'webgpu'],
    requiresShaderF16: true,
    ceilMode: 0,
    description: 'isnet-fp16 with MaxPool ceil_mode=0 (onnxruntime-web WebGPU rejects ceil_mode=1; identical at 1024²).',
  },
  {
    id: 'isnet-fp32-web',
    source: '/models/medium',
    precision: 'fp32',
    backends: ['wasm', 'webgpu'],
    requiresShaderF16: false,
    fp32: true,
    ceilMode: 0,
    description: 'fp32 compute and MaxPool ceil_mode=0, for WebGPU adapters without shader-f16 and for WASM.',
  },
  {
    id: 'isnet-int8-web',
    source: '/models/medium',
    precision: 'fp32',
    backends: ['wasm', 'webgpu'],
    requiresShaderF16: false,
    fp32: true,
    int8: INT8,
    ceilMode: 0,
    description: 'isnet-fp32-web with weight-only int8 (44 MB download, fp32 compute after the session folds the weights).',
  },
  {
    id: 'isnet-mixed4',
    source: '/models/medium',
    precision: 'fp32',
    backends: ['cpu'],
    requiresShaderF16: false,
    fp32: true,
    mixed: MIXED,
    description:
      'isnet-fp32 with weight-only int4 (groups of 16) and int8 for the most sensitive layers, biases corrected: 29.8 MB; folded back to fp32 when the session is created.',
  },
  {
    id: 'isnet-mixed4-web',
    source: '/models/medium',
    precision: 'fp32',
    backends: ['wasm', 'webgpu'],
    requiresShaderF16: false,
    fp32: true,
    mixed: MIXED,
    ceilMode: 0,
    description: 'isnet-mixed4 with MaxPool ceil_mode=0: a 29.8 MB download, fp32 compute after the session folds the weights.',
  },
  {
    id: 'isnet-fp32-web-dynamic',
    source: '/models/medium',
    precision: 'fp32',
    backends: ['wasm', 'webgpu'],
    requiresShaderF16: false,
    fp32: true,
    ceilMode: 0,
    dynamicSize: true,
    description:
      'isnet-fp32-web with symbolic height/width and Resize sizes taken from the skip tensors; use multiples of 64 (e.g. 256², 320²) for reduced-size tests.',
  },
];

/** Applies a variant's transforms to a freshly decoded source model. */
export function transformVariant(model: Model, spec: VariantSpec): string[] {
  const notes: string[] = [];
  const p = pruneToOutputs(model, [OUTPUT_NAME]);
  notes.push(`pruned outputs ${p.outputs[0]}→${p.outputs[1]}, nodes ${p.nodes[0]}→${p.nodes[1]}, initializers ${p.initializers[0]}→${p.initializers[1]}`);
  if (spec.fp32) {
    const s = convertFp16ToFp32(model);
    notes.push(`fp32: ${s.initializers} initializers, ${s.castsRemoved} Casts removed, ${s.identities} Identity, ${s.valueInfos} value_info retyped`);
  }
  if (spec.int8) {
    const q = quantizeWeightsInt8(model, spec.int8);
    notes.push(
      `int8: ${q.quantized} initializers (${q.kept} large ones kept fp32), ${(q.bytesBefore / 1e6).toFixed(1)} → ${(q.bytesAfter / 1e6).toFixed(1)} MB, worst error ${(q.maxRelativeError * 100).toFixed(2)} % of a channel's max`,
    );
  }
  if (spec.mixed) {
    const q = quantizeWeightsMixed(model, mixedOptions(spec.mixed));
    notes.push(`mixed: ${q.int4} int4 + ${q.int8} int8 initializers, ${q.biasesCorrected} biases corrected, ${(q.bytesBefore / 1e6).toFixed(1)} → ${(q.bytesAfter / 1e6).toFixed(1)} MB`);
  }
  if (spec.ceilMode !== undefined) notes.push(`MaxPool ceil_mode→${spec.ceilMode}: ${setMaxPoolCeilMode(model, spec.ceilMode)} changed`);
  if (spec.dynamicSize) {
    const rewritten = resizesFollowTargets(model);
    const dead = pruneToOutputs(model, [OUTPUT_NAME]).nodes; // the [h, w] Constants are now dead
    notes.push(`Resize sizes follow their targets: ${rewritten} rewritten, nodes ${dead[0]}→${dead[1]}`);
    setSymbolicSpatialDims(model, [INPUT_NAME, OUTPUT_NAME]);
    notes.push('input/output dims 2,3 → height,width');
  }
  checkVariant(model, spec);
  return notes;
}

/** Structural checks of a transformed model; throws on any surprise. */
export function checkVariant(model: Model, spec: VariantSpec): void {
  const g = graphOf(model);
  const outs = (g.output ?? []).map((o) => o.name);
  if (outs.length !== 1 || outs[0] !== OUTPUT_NAME) throw new Error(`${spec.id}: outputs are [${outs.join(', ')}], expected [output]`);
  const ins = (g.input ?? []).map((i) => i.name);
  if (ins.length !== 1 || ins[0] !== INPUT_NAME) throw new Error(`${spec.id}: inputs are [${ins.join(', ')}], expected [input]`);
  if (spec.fp32 && countFp16(model) !== 0) throw new Error(`${spec.id}: FLOAT16 left in the fp32 graph`);
  if (spec.ceilMode !== undefined) {
    const bad = nodesOf(g).filter((n) => n.opType === 'MaxPool' && toNumber(attr(n, 'ceil_mode')?.i) !== spec.ceilMode);
    if (bad.length > 0) throw new Error(`${spec.id}: ${bad.length} MaxPool nodes with the wrong ceil_mode`);
  }
  // Every node input must be produced by a node, an initializer or the graph input (dead code gone, nothing dangling).
  const known = new Set<string>(['', INPUT_NAME, ...(g.initializer ?? []).map((t) => t.name ?? '')]);
  const used = new Set<string>([OUTPUT_NAME]);
  for (const n of nodesOf(g)) {
    for (const i of n.input ?? []) {
      if (!known.has(i)) throw new Error(`${spec.id}: node ${n.name} reads ${i} before it is produced`);
      used.add(i);
    }
    for (const o of n.output ?? []) known.add(o);
  }
  const deadNodes = nodesOf(g).filter((n) => !(n.output ?? []).some((o) => used.has(o)));
  const deadInits = (g.initializer ?? []).filter((t) => !used.has(t.name ?? ''));
  if (deadNodes.length + deadInits.length > 0) {
    throw new Error(`${spec.id}: ${deadNodes.length} dead nodes and ${deadInits.length} unused initializers left`);
  }
}

export function buildVariant(source: Uint8Array, spec: VariantSpec): { bytes: Uint8Array; notes: string[] } {
  const model = decodeModel(source);
  const notes = transformVariant(model, spec);
  return { bytes: encodeModel(model), notes };
}

export function manifestFor(spec: VariantSpec, bytes: number, sha256: string, dataVersion: string): ModelManifest {
  return {
    id: spec.id,
    file: `${spec.id}.onnx`,
    bytes,
    sha256,
    input: { name: INPUT_NAME, shape: [1, 3, SIZE, SIZE], mean: [128, 128, 128], std: [256, 256, 256] },
    output: { name: OUTPUT_NAME, shape: [1, 1, SIZE, SIZE] },
    precision: spec.precision,
    ...(spec.int8 || spec.mixed ? { dequantize: 'in-graph' as const } : {}),
    backends: spec.backends,
    requiresShaderF16: spec.requiresShaderF16,
    dynamicSize: spec.dynamicSize === true,
    licence: licenceText(dataVersion),
    source: `npm:@imgly/background-removal-data@${dataVersion} ${spec.source}`,
    description: spec.description,
  };
}
