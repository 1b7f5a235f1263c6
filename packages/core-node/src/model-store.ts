/** Loads a prepared model and its manifest from a folder and verifies size and sha256. */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CoreError, parseModelManifest, type ModelManifest } from '@cutout/core';

export const REBUILD_HINT = 'run "npm run models -- --force" in the project folder to rebuild the models';

export interface ModelIndex {
  readonly default: string;
  readonly models: readonly string[];
}

async function readJson(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new CoreError('model_missing', `${what} not found at ${path}; ${REBUILD_HINT}.`, { cause: e });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new CoreError('model_integrity', `${what} at ${path} is not valid JSON; ${REBUILD_HINT}.`, { cause: e });
  }
}

export async function readModelIndex(modelsDir: string): Promise<ModelIndex> {
  const json = (await readJson(join(modelsDir, 'index.json'), 'Model index')) as Partial<ModelIndex>;
  if (typeof json.default !== 'string' || !Array.isArray(json.models)) {
    throw new CoreError('model_integrity', `Model index in ${modelsDir} is malformed; ${REBUILD_HINT}.`);
  }
  return { default: json.default, models: json.models.filter((m): m is string => typeof m === 'string') };
}

export async function readManifest(modelsDir: string, id: string): Promise<ModelManifest> {
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(id)) throw new CoreError('invalid_argument', `"${id}" is not a model id.`);
  const path = join(modelsDir, `${id}.json`);
  try {
    return parseModelManifest(await readJson(path, `Manifest of model "${id}"`), path);
  } catch (e) {
    if (e instanceof CoreError && e.code === 'model_integrity') {
      throw new CoreError('model_integrity', `${e.message} (${REBUILD_HINT})`, { cause: e });
    }
    throw e;
  }
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Reads the model file and refuses it unless its size and sha256 match the manifest. */
export async function loadVerifiedModel(modelsDir: string, manifest: ModelManifest): Promise<Uint8Array> {
  const path = join(modelsDir, manifest.file);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new CoreError('model_missing', `Model file ${path} is missing; ${REBUILD_HINT}.`, { cause: e });
  }
  if (bytes.byteLength !== manifest.bytes) {
    throw new CoreError('model_integrity', `Model file ${path} has ${bytes.byteLength} bytes, the manifest says ${manifest.bytes}; ${REBUILD_HINT}.`);
  }
  const actual = sha256Hex(bytes);
  if (actual !== manifest.sha256) {
    throw new CoreError('model_integrity', `Model file ${path} has sha256 ${actual}, the manifest says ${manifest.sha256}; ${REBUILD_HINT}.`);
  }
  return bytes;
}
