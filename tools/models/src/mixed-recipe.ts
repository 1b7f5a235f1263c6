/**
 * The mixed int4/int8 recipe for ISNet (`isnet-mixed4`, docs/models.md "Smaller than int8"), kept
 * apart from the generic quantizers because it names this model's tensors. Chosen by measurement,
 * not per image: each large Conv weight alone as int4 (groups of 32), everything else fp32, output
 * mean |Δ| vs fp32 on the four samples/ images; the layers with the largest change per extra byte
 * of int8 stay int8 until the file reaches 30 MB (38 of 68: mostly the 64/128-channel encoder and
 * decoder stages, 7.1 M of 43.5 M weights). The rest are int4 in groups of 16.
 */
import { readInputMeans, type InputMeans } from './conv-input-means.js';
import type { MixedOptions } from './onnx-mixed.js';

/** Weights under this stay fp32, as in the int8 recipe. */
export const MIXED_MIN_ELEMENTS = 30_000;

/** Written by tools/models/bin/measure-input-means.ts (isnet-fp32 on samples/). */
export const MIXED_INPUT_MEANS = new URL('../data/isnet-input-means.json', import.meta.url);

const INT8_LAYERS = [
  1896, 1935, 1938, 1941, 1971, 1974, 1977, 1980, 1983, 1986, 1989, 1998, 2001, 2004, 2010, 2013, 2016, 2058, 2061,
  2082, 2103, 2106, 2109, 2112, 2115, 2124, 2127, 2130, 2133, 2136, 2139, 2142, 2145, 2148, 2151, 2154, 2187, 2190,
].map((n) => `onnx::Conv_${n}`);

export interface MixedRecipe {
  readonly groupSize: number;
  readonly int8: ReadonlySet<string>;
}

export const MIXED: MixedRecipe = { groupSize: 16, int8: new Set(INT8_LAYERS) };

let means: InputMeans | undefined;

/** The recipe as quantizeWeightsMixed options, with the committed calibration (read once). */
export function mixedOptions(recipe: MixedRecipe): MixedOptions {
  means ??= readInputMeans(MIXED_INPUT_MEANS);
  return { minElements: MIXED_MIN_ELEMENTS, ...recipe, inputMeans: means };
}
