/**
 * Whether an ONNX graph fits cutout as the user declares it (`cutout models add`): pure checks on
 * what onnx-probe.ts read and on one test run. Each failure is a `model_mismatch` saying what the
 * model has and which flag to change, so a wrong size, layout, normalisation or activation is
 * refused at registration instead of giving a garbage matte later. No files, no runtime here.
 */
import { applyOutputActivation, CoreError, isAlphaValue, type OutputActivation, type RgbaImage } from '@cutout/core';
import type { RawOutput, TensorInfo } from './onnx-probe.js';

export interface InputSize {
  readonly height: number;
  readonly width: number;
}

export type Triple = readonly [number, number, number];

/** As the user gave it: value = (byte − mean) / std, or value = byte × scale + offset (per channel). */
export type Normalisation =
  | { readonly kind: 'mean-std'; readonly mean: Triple; readonly std: Triple }
  | { readonly kind: 'scale-offset'; readonly scale: Triple; readonly offset: Triple };

export interface FittedInput extends InputSize {
  readonly name: string;
  /** Both H and W are symbolic in the graph. */
  readonly dynamic: boolean;
}

/** A matte that varies less than one 8-bit step is taken as constant. */
const CONSTANT_RANGE = 1 / 255;

function mismatch(message: string): never {
  throw new CoreError('model_mismatch', message);
}
const dims = (shape: readonly (number | string)[]): string => `[${shape.map((d) => (typeof d === 'number' ? d : JSON.stringify(d))).join(', ')}]`;
const sizeText = (s: InputSize): string => `${s.height}x${s.width}`;
const list = (infos: readonly TensorInfo[]): string => infos.map((t) => `"${t.name}" ${t.type} ${dims(t.shape)}`).join(', ');

/** The one image input, [1, 3, H, W] float32, at the declared size (or the graph's fixed one). */
export function fitInput(inputs: readonly TensorInfo[], size: InputSize | undefined, where: string): FittedInput {
  if (inputs.length !== 1) mismatch(`${where} has ${inputs.length} inputs (${list(inputs) || 'none'}); cutout feeds one image tensor [1, 3, H, W].`);
  const input = inputs[0] as TensorInfo;
  const what = `${where}'s input "${input.name}"`;
  if (input.type !== 'float32') mismatch(`${what} is ${input.type}; cutout feeds float32 [1, 3, H, W] (re-export the model with a float32 input).`);
  const [n, c, h, w] = input.shape;
  if (input.shape.length !== 4) mismatch(`${what} is ${dims(input.shape)}; cutout feeds one RGB image as [1, 3, H, W] (NCHW).`);
  if (typeof n === 'number' && n !== 1) mismatch(`${what} is ${dims(input.shape)}, a batch of ${n}; cutout feeds one image (batch 1 or symbolic).`);
  if (typeof c === 'number' && c !== 3) {
    const nhwc = w === 3 ? ' It looks channels-last (NHWC); cutout feeds channels-first (NCHW).' : '';
    mismatch(`${what} is ${dims(input.shape)}: ${c} channel(s), not 3; cutout feeds an RGB image as [1, 3, H, W].${nhwc}`);
  }
  const fixed = { height: typeof h === 'number' ? h : undefined, width: typeof w === 'number' ? w : undefined };
  if (size === undefined) {
    if (fixed.height === undefined || fixed.width === undefined) {
      mismatch(`${what} is ${dims(input.shape)}, with a symbolic size: give the size the model was trained at with --size H or --size HxW.`);
    }
    return { name: input.name, height: fixed.height as number, width: fixed.width as number, dynamic: false };
  }
  if ((fixed.height ?? size.height) !== size.height || (fixed.width ?? size.width) !== size.width) {
    const graph = { height: fixed.height ?? size.height, width: fixed.width ?? size.width };
    mismatch(`${what} is ${dims(input.shape)}: fixed at ${sizeText(graph)} (height x width), but --size is ${sizeText(size)}; use --size ${sizeText(graph)} or leave --size out.`);
  }
  return { name: input.name, ...size, dynamic: fixed.height === undefined && fixed.width === undefined };
}

/** The output that holds the matte: the only one, or the one named with --output-name; float32, one channel as far as the graph says. */
export function fitOutput(outputs: readonly TensorInfo[], wanted: string | undefined, where: string): string {
  let output: TensorInfo | undefined;
  if (wanted !== undefined) {
    output = outputs.find((o) => o.name === wanted);
    if (!output) mismatch(`${where} has no output "${wanted}" (--output-name); its outputs: ${list(outputs)}.`);
  } else if (outputs.length === 1) {
    output = outputs[0];
  } else {
    mismatch(`${where} has ${outputs.length} outputs (${list(outputs)}); name the one with the matte with --output-name <name>.`);
  }
  const o = output as TensorInfo;
  const what = `${where}'s output "${o.name}"`;
  if (o.type !== 'float32') mismatch(`${what} is ${o.type}; cutout reads a float32 matte (re-export the model with a float32 output).`);
  const s = o.shape;
  const channels = s.length === 4 ? s[1] : undefined;
  if (s.length !== 0 && s.length !== 3 && s.length !== 4) mismatch(`${what} is ${dims(s)}; cutout reads one matte, [1, 1, H, W] or [1, H, W].`);
  if (typeof channels === 'number' && channels !== 1) mismatch(`${what} is ${dims(s)}: ${channels} channels; cutout reads one matte, [1, 1, H, W] or [1, H, W].`);
  return o.name;
}

/** Per-channel mean and std in byte units, the one form the core knows: value = (byte − mean) / std. */
export function toMeanStd(n: Normalisation): { mean: Triple; std: Triple } {
  if (n.kind === 'mean-std') return { mean: n.mean, std: n.std };
  // byte × scale + offset = (byte − (−offset / scale)) / (1 / scale)
  const ch = (f: (c: 0 | 1 | 2) => number): Triple => [f(0), f(1), f(2)];
  return { mean: ch((c) => -n.offset[c] / n.scale[c]), std: ch((c) => 1 / n.scale[c]) };
}

/** What the user gave, for the manifest's description. */
export function describeNormalisation(n: Normalisation): string {
  const t = (v: Triple): string => v.join(',');
  return n.kind === 'mean-std' ? `mean ${t(n.mean)} std ${t(n.std)} (byte units)` : `scale ${t(n.scale)} offset ${t(n.offset)} (value = byte × scale + offset)`;
}

/**
 * The registration's test picture: a warm, shaded disc (a subject) on a cool vertical gradient
 * (a plain background), so a segmentation model at the right normalisation gives a matte that varies.
 */
export function testImage(width: number, height: number): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  const r2 = (0.3 * Math.min(width, height)) ** 2;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 4;
      const inside = (x - width / 2) ** 2 + (y - height / 2) ** 2 <= r2;
      const t = inside ? x / width : y / height;
      data.set(inside ? [200 + 40 * t, 120 + 60 * t, 60, 255] : [40 + 40 * t, 90 + 50 * t, 150 + 60 * t, 255], p);
    }
  }
  return { width, height, data };
}

function range(values: Float32Array): { min: number; max: number; finite: boolean } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) return { min, max, finite: false };
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max, finite: true };
}

const fmt = (v: number): string => String(Number(v.toPrecision(4)));

/** The test run's matte size, after checking its layout and values (see the messages). */
export function checkTestRun(raw: RawOutput, activation: OutputActivation, where: string): InputSize {
  const d = raw.dims;
  const plane = d.length === 4 && d[0] === 1 && d[1] === 1 ? { height: d[2], width: d[3] } : d.length === 3 && d[0] === 1 ? { height: d[1], width: d[2] } : undefined;
  if (!plane || plane.height === undefined || plane.width === undefined || raw.data.length !== plane.height * plane.width) {
    return mismatch(`${where}'s test run gave an output of ${dims(d)}; cutout reads one matte, [1, 1, H, W] or [1, H, W].`);
  }
  const before = range(raw.data);
  if (!before.finite) mismatch(`${where}'s test run gave NaN or Inf values: check --mean/--std (or --scale/--offset) against how the model was trained.`);
  if (activation === 'sigmoid' && before.min >= 0 && before.max <= 1) {
    mismatch(`${where}'s output is already in [0, 1] (${fmt(before.min)} to ${fmt(before.max)}) on a test image, so a sigmoid would squeeze it into [0.5, 0.73]: the model ends in a sigmoid already; use --activation none.`);
  }
  const after = range(applyOutputActivation(raw.data.slice(), activation));
  if (activation === 'none' && !(isAlphaValue(after.min) && isAlphaValue(after.max))) {
    mismatch(`${where}'s output has values outside [0, 1] (${fmt(after.min)} to ${fmt(after.max)}) on a test image: is the activation sigmoid? If the model ends in logits, use --activation sigmoid.`);
  }
  if (after.max - after.min < CONSTANT_RANGE) {
    mismatch(
      `${where}'s matte is the same everywhere (${fmt(after.min)}) on a test image of a disc on a plain background: check --mean/--std (byte units, 0–255) or --scale/--offset, and --activation, against how the model was trained.`,
    );
  }
  return { height: plane.height, width: plane.width };
}
