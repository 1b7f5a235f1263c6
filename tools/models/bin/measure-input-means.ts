/**
 * Measures the calibration that the mixed int4/int8 variant's bias correction reads: each large
 * Conv's input-channel means in isnet-fp32 over the images in samples/ (not the eval data), at 1024²
 * with the preprocessing of model-measure.ts. Run again only if the source model or the samples change:
 *   npx tsx tools/models/bin/measure-input-means.ts
 * Writes tools/models/data/isnet-input-means.json (committed; the build reads it, runs nothing).
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureInputMeans } from '../src/conv-input-means.js';
import { assembleResource, openDataPackage } from '../src/model-data.js';
import { preprocess } from '../src/model-measure.js';
import { MIXED_INPUT_MEANS, MIXED_MIN_ELEMENTS } from '../src/mixed-recipe.js';
import { VARIANTS, buildVariant } from '../src/model-variants.js';

const PKG = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SAMPLES = join(PKG, '..', '..', 'samples');

const spec = VARIANTS.find((v) => v.id === 'isnet-fp32');
if (!spec) throw new Error('no isnet-fp32 variant');
const { bytes } = buildVariant(assembleResource(openDataPackage(PKG), spec.source), spec);
const files = readdirSync(SAMPLES).filter((f) => /\.(png|jpe?g)$/i.test(f)).sort();
const inputs = await Promise.all(files.map((f) => preprocess(join(SAMPLES, f))));
const means = await measureInputMeans(bytes, inputs, MIXED_MIN_ELEMENTS);
mkdirSync(new URL('.', MIXED_INPUT_MEANS), { recursive: true });
writeFileSync(MIXED_INPUT_MEANS, `${JSON.stringify(means)}\n`);
console.log(`${Object.keys(means).length} Convs, ${files.join(', ')}: wrote ${fileURLToPath(MIXED_INPUT_MEANS)}`);
