/**
 * `cutout models add`: makes the user's own ONNX segmentation or matting model (a BiRefNet- or
 * RMBG-style export) a model like ours. The graph's inputs and outputs are read by onnxruntime,
 * checked against what the user declares (size, normalisation, activation; model-fit.ts), and one
 * test run through the core's own preprocessing must give a plausible matte; only then are the
 * file, its manifest (the same ModelManifest `npm run models` writes) and the index entry written.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { CoreError, parseModelManifest, preprocess, type ModelManifest, type OutputActivation } from '@cutout/core';
import { checkTestRun, describeNormalisation, fitInput, fitOutput, testImage, toMeanStd, type InputSize, type Normalisation } from './model-fit.js';
import { addToIndex, assertIdFree, writeAtomic } from './model-registry.js';
import { sha256Hex } from './model-store.js';
import { probeOnnx, type OnnxProbe } from './onnx-probe.js';

export interface RegisterOptions {
  readonly modelsDir: string;
  /** The user's .onnx file; it is copied into the folder as `<id>.onnx`. */
  readonly file: string;
  readonly id: string;
  /** Inference size; optional when the graph's input size is fixed (then it is the graph's). */
  readonly size: InputSize | undefined;
  readonly normalisation: Normalisation;
  readonly activation: OutputActivation;
  readonly backends: readonly string[];
  /** Which graph output is the matte, when there are several. */
  readonly outputName?: string | undefined;
  readonly licence?: string | undefined;
}

const DEFAULT_LICENCE = "not stated: the user's own model; check the licence of its weights before you share results or the file";

async function readModelFile(file: string): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new CoreError('io_error', `Cannot read ${file}: ${(e as Error).message}`, { cause: e });
  }
  if (bytes.byteLength === 0) throw new CoreError('model_mismatch', `${file} is empty, not an ONNX model.`);
  return bytes;
}

/** Fits the graph to the declaration and test-runs it; the manifest it would be registered with. */
async function fitAndTest(probe: OnnxProbe, o: RegisterOptions, bytes: Uint8Array): Promise<ModelManifest> {
  const where = basename(o.file);
  const input = fitInput(probe.inputs, o.size, where);
  const outputName = fitOutput(probe.outputs, o.outputName, where);
  const { mean, std } = toMeanStd(o.normalisation);
  const shape = [1, 3, input.height, input.width] as const;
  const base = {
    id: o.id,
    file: `${o.id}.onnx`,
    bytes: bytes.byteLength,
    sha256: sha256Hex(bytes),
    input: { name: input.name, shape, mean, std },
    precision: 'fp32',
    backends: o.backends,
    requiresShaderF16: false,
    licence: o.licence ?? DEFAULT_LICENCE,
    source: `file:${resolve(o.file)}`,
    registered: true,
  };
  // The core's own preprocessing of the test picture: exactly what the pipeline will feed.
  const draft = parseModelManifest({ ...base, output: { name: outputName, shape: [1, 1, input.height, input.width] }, dynamicSize: false }, where);
  let raw;
  try {
    raw = await probe.run(input.name, preprocess(testImage(input.width, input.height), draft), shape, outputName);
  } catch (e) {
    const why = (e as Error).message.trim();
    throw new CoreError('model_mismatch', `${where}: a test run on a [${shape.join(', ')}] input failed (${why}). Check that the model takes one RGB image at --size ${input.height}x${input.width}.`, { cause: e });
  }
  const out = checkTestRun(raw, o.activation, where);
  // A symbolic size is kept only for a matte at the input's size: the frame sizes both alike.
  const dynamicSize = input.dynamic && out.height === input.height && out.width === input.width;
  const description =
    `Registered with "cutout models add" from ${where}: input "${input.name}" ${input.height}x${input.width} (height x width${input.dynamic ? ', symbolic in the graph' : ''}), ` +
    `normalisation ${describeNormalisation(o.normalisation)}, output "${outputName}" ${out.height}x${out.width}, activation ${o.activation}.`;
  return parseModelManifest(
    { ...base, output: { name: outputName, shape: [1, 1, out.height, out.width], activation: o.activation }, dynamicSize, description },
    `${o.id}.json`,
  );
}

/** Registers the model or throws (`invalid_argument`, `io_error`, `model_mismatch`) having written nothing. */
export async function registerModel(o: RegisterOptions): Promise<ModelManifest> {
  await assertIdFree(o.modelsDir, o.id);
  const bytes = await readModelFile(o.file);
  const probe = await probeOnnx(bytes, basename(o.file));
  let manifest: ModelManifest;
  try {
    manifest = await fitAndTest(probe, o, bytes);
  } finally {
    await probe.dispose();
  }
  await mkdir(o.modelsDir, { recursive: true });
  await writeAtomic(join(o.modelsDir, manifest.file), bytes);
  await writeAtomic(join(o.modelsDir, `${o.id}.json`), `${JSON.stringify(manifest, null, 2)}\n`);
  await addToIndex(o.modelsDir, o.id);
  return manifest;
}
