/**
 * npx tsx scripts/bare-model-runs.ts [--runs N] [--model ID]
 * The bare model as a whole process: load the default model (or --model), then N session runs on one
 * ready tensor (a sample, preprocessed once). Time it next to the CLI on N images with the same
 * model, e.g. `/usr/bin/time -v npx tsx scripts/bare-model-runs.ts --runs 12` against
 * `/usr/bin/time -v node packages/cli/dist/main.js <folder of 12> --out <dir> -q --jobs 2`: both
 * processes load the model once, so the ratio of their wall (and CPU) times is the batch's
 * seconds per image ÷ a bare model run, model load included on both sides.
 */
import { join } from 'node:path';
import { preprocess } from '@cutout/core';
import { createOrtNodeRuntime, loadVerifiedModel, readManifest, readModelIndex } from '@cutout/core-node';
import { decodeImageFile } from '@cutout/cli/decode';
import { intArg, parseScriptArgs } from '@cutout/tools-eval';

const ROOT = join(import.meta.dirname, '..');
const MODELS = join(ROOT, 'models');
const USAGE = 'usage: npx tsx scripts/bare-model-runs.ts [--runs N] [--model ID]';
const { values } = parseScriptArgs(USAGE, { strict: true, options: { runs: { type: 'string', default: '12' }, model: { type: 'string' } } });
const runs = intArg(USAGE, '--runs', values.runs);

const id = values.model ?? (await readModelIndex(MODELS)).default;
const manifest = await readManifest(MODELS, id);
const session = await createOrtNodeRuntime().createSession(manifest, await loadVerifiedModel(MODELS, manifest));
const tensor = preprocess((await decodeImageFile(join(ROOT, 'samples', 'astronaut.png'))).image, manifest);
for (let i = 0; i < runs; i++) await session.run(tensor.slice());
await session.dispose();
