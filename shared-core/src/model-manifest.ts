/**
 * Model manifest: what `tools/models/bin/prepare-models.ts` writes beside each prepared ONNX file
 * (`models/<id>.json`) and what every runtime checks before it trusts the file.
 */
import { CoreError } from './errors.js';

export type ModelPrecision = 'fp16' | 'fp32' | 'uint8';

/**
 * How stored weights become the compute precision's, when they differ. 'in-graph': int8 weights
 * with per-channel scales, rebuilt by Cast and Mul nodes that onnxruntime folds into fp32 constants
 * when the session is created (nothing for the runtime to do; a runtime that does not know a
 * value must refuse the model rather than run it).
 */
const DEQUANTIZATIONS = ['in-graph'] as const;
type Dequantization = (typeof DEQUANTIZATIONS)[number];

/**
 * What the core applies to the raw output before it is an alpha in [0, 1]: 'none' (ISNet ends in
 * a sigmoid already; the default when the field is absent, as in every manifest `npm run models`
 * writes) or 'sigmoid' (exports that end in logits, e.g. many BiRefNet exports). A value this
 * version does not know is refused like an unknown dequantization.
 */
export const OUTPUT_ACTIVATIONS = ['none', 'sigmoid'] as const;
export type OutputActivation = (typeof OUTPUT_ACTIVATIONS)[number];

export interface ModelManifest {
  readonly id: string;
  /** File name relative to the manifest's folder (or the model base URL in browsers). */
  readonly file: string;
  readonly bytes: number;
  /** Lower-case hex sha256 of the file. */
  readonly sha256: string;
  readonly input: {
    readonly name: string;
    /** [1, 3, H, W]; H and W are the fixed inference size. */
    readonly shape: readonly [number, number, number, number];
    /** value = (byte − mean) / std, per RGB channel. */
    readonly mean: readonly [number, number, number];
    readonly std: readonly [number, number, number];
  };
  readonly output: {
    readonly name: string;
    /** [1, 1, H', W']: one matte (a model whose output is [1, H', W'] is recorded so). */
    readonly shape: readonly [number, number, number, number];
    /** Absent means 'none' (see OUTPUT_ACTIVATIONS). */
    readonly activation?: OutputActivation;
  };
  /** Compute precision. */
  readonly precision: ModelPrecision;
  /** Set when the weights are stored in another form than `precision` (see DEQUANTIZATIONS). */
  readonly dequantize?: Dequantization;
  /** Backends this file is meant for, e.g. ['cpu'] or ['wasm', 'webgpu']. */
  readonly backends: readonly string[];
  /** True when the graph needs the WebGPU `shader-f16` feature. */
  readonly requiresShaderF16: boolean;
  /** True when the graph accepts other input sizes than `input.shape` (symbolic H and W). */
  readonly dynamicSize: boolean;
  readonly licence: string;
  readonly source: string;
  readonly description: string;
  /**
   * True for a model the user added with `cutout models add` (their own file): `cutout models
   * remove` deletes only these, and `npm run models` keeps them in the index when it rebuilds.
   */
  readonly registered?: boolean;
}

function fail(where: string, what: string): never {
  throw new CoreError('model_integrity', `Model manifest ${where}: ${what}.`);
}

function num(v: unknown, where: string, key: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(where, `"${key}" must be a finite number`);
  return v;
}

function str(v: unknown, where: string, key: string): string {
  if (typeof v !== 'string' || v.length === 0) fail(where, `"${key}" must be a non-empty string`);
  return v;
}

const isSide = (n: number): boolean => Number.isInteger(n) && n >= 1;

function tuple<N extends 3 | 4>(v: unknown, n: N, where: string, key: string): number[] {
  if (!Array.isArray(v) || v.length !== n) fail(where, `"${key}" must be an array of ${n} numbers`);
  return v.map((x, i) => num(x, where, `${key}[${i}]`));
}

function unknownValue(where: string, key: string, value: unknown, known: readonly string[]): never {
  throw new CoreError(
    'model_unsupported',
    `Model manifest ${where}: "${key}" is ${JSON.stringify(value)}, which this version does not know (it knows ${known.join(', ')}); update cutout or choose another model.`,
  );
}

/** Parses untrusted JSON into a manifest, or throws `model_integrity` naming the bad field. */
export function parseModelManifest(json: unknown, where = '(inline)'): ModelManifest {
  if (typeof json !== 'object' || json === null) fail(where, 'not an object');
  const o = json as Record<string, unknown>;
  const input = (o['input'] ?? {}) as Record<string, unknown>;
  const output = (o['output'] ?? {}) as Record<string, unknown>;
  const sha256 = str(o['sha256'], where, 'sha256');
  if (!/^[0-9a-f]{64}$/.test(sha256)) fail(where, '"sha256" must be 64 lower-case hex digits');
  const precision = o['precision'];
  if (precision !== 'fp16' && precision !== 'fp32' && precision !== 'uint8') fail(where, '"precision" must be fp16, fp32 or uint8');
  const dequantize = o['dequantize'];
  if (dequantize !== undefined && !(DEQUANTIZATIONS as readonly unknown[]).includes(dequantize)) unknownValue(where, 'dequantize', dequantize, DEQUANTIZATIONS);
  const activation = output['activation'];
  if (activation !== undefined && !(OUTPUT_ACTIVATIONS as readonly unknown[]).includes(activation)) unknownValue(where, 'output.activation', activation, OUTPUT_ACTIVATIONS);
  const backends = o['backends'];
  if (!Array.isArray(backends) || !backends.every((b) => typeof b === 'string')) fail(where, '"backends" must be a string array');
  const bytes = num(o['bytes'], where, 'bytes');
  if (!Number.isInteger(bytes) || bytes <= 0) fail(where, '"bytes" must be a positive integer');
  const shape = tuple(input['shape'], 4, where, 'input.shape') as [number, number, number, number];
  if (shape[0] !== 1 || shape[1] !== 3 || !isSide(shape[2]) || !isSide(shape[3])) fail(where, '"input.shape" must be [1, 3, H, W]');
  const outShape = tuple(output['shape'], 4, where, 'output.shape') as [number, number, number, number];
  if (outShape[0] !== 1 || outShape[1] !== 1 || !isSide(outShape[2]) || !isSide(outShape[3])) fail(where, '"output.shape" must be [1, 1, H, W]');
  const std = tuple(input['std'], 3, where, 'input.std') as [number, number, number];
  if (std.some((s) => s === 0)) fail(where, '"input.std" must not contain 0');
  return {
    id: str(o['id'], where, 'id'),
    file: str(o['file'], where, 'file'),
    bytes,
    sha256,
    input: {
      name: str(input['name'], where, 'input.name'),
      shape,
      mean: tuple(input['mean'], 3, where, 'input.mean') as [number, number, number],
      std,
    },
    output: {
      name: str(output['name'], where, 'output.name'),
      shape: outShape,
      ...(activation !== undefined ? { activation: activation as OutputActivation } : {}),
    },
    precision,
    ...(dequantize !== undefined ? { dequantize: dequantize as Dequantization } : {}),
    backends: backends as string[],
    requiresShaderF16: o['requiresShaderF16'] === true,
    dynamicSize: o['dynamicSize'] === true,
    licence: str(o['licence'], where, 'licence'),
    source: str(o['source'], where, 'source'),
    description: typeof o['description'] === 'string' ? o['description'] : '',
    ...(o['registered'] === true ? { registered: true } : {}),
  };
}
