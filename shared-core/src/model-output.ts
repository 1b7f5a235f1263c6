/**
 * The network's raw output → alpha at model resolution: the manifest's output activation first,
 * then the checks that keep a wrong model from giving a silent garbage matte (size, NaN/Inf,
 * values in [0, 1]). The pipeline runs this after every inference; `cutout models add` uses
 * `applyOutputActivation` on its test run so a registered model is judged as it will run.
 */
import { CoreError } from './errors.js';
import type { AlphaMatte } from './image.js';
import type { ModelManifest, OutputActivation } from './model-manifest.js';

/** Values within this much outside [0, 1] are rounding, not a wrong model (the refiner clamps them). */
const RANGE_SLACK = 1e-3;

/** Applies the activation in place and returns the same array. */
export function applyOutputActivation(values: Float32Array, activation: OutputActivation | undefined): Float32Array {
  if (activation === 'sigmoid') {
    for (let i = 0; i < values.length; i++) values[i] = 1 / (1 + Math.exp(-(values[i] as number)));
  }
  return values;
}

/** Whether v is a usable alpha: finite and within [0, 1] up to rounding. */
export function isAlphaValue(v: number): boolean {
  return v >= -RANGE_SLACK && v <= 1 + RANGE_SLACK;
}

/** The session's output (owned by the caller, changed in place) as the network alpha, or `model_invalid_output`. */
export function alphaFromOutput(output: Float32Array, manifest: ModelManifest): AlphaMatte {
  const [, , h, w] = manifest.output.shape;
  if (output.length !== w * h) {
    throw new CoreError('model_invalid_output', `Model output has ${output.length} values; expected ${w}×${h}.`);
  }
  const activation = manifest.output.activation ?? 'none';
  applyOutputActivation(output, activation);
  for (let i = 0; i < output.length; i++) {
    const v = output[i] as number;
    if (!isAlphaValue(v)) {
      const why = activation === 'none' ? 'NaN/Inf, a wrong model, or a model whose output needs a sigmoid: its manifest says output.activation none' : 'NaN/Inf or a wrong model';
      throw new CoreError('model_invalid_output', `Model ${manifest.id}: output value ${v} at index ${i} is outside [0, 1] (${why}).`);
    }
  }
  return { width: w, height: h, data: output };
}
