/**
 * The models folder as a registry: `index.json` (the default and the ids) plus one manifest per
 * model, the same files `npm run models` writes (and which it keeps registered entries in when it
 * rebuilds). Only models whose manifest says `registered` are the user's to remove. Every write is
 * a temporary file renamed into place, so a reader never sees half a file; the index is written
 * after the model's files on add and before they go on remove, so it never lists a missing model.
 */
import { existsSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { CoreError, isCoreError, type ModelManifest } from '@cutout/core';
import { readManifest, readModelIndex, type ModelIndex } from './model-store.js';

/** Ids our own models use; a registered model may not take one, even before `npm run models` ran. */
const OWN_PREFIX = 'isnet-';

export interface ModelListing {
  readonly index: ModelIndex;
  /** Per id in the index: its manifest, or why it could not be read. */
  readonly entries: readonly { readonly id: string; readonly manifest?: ModelManifest; readonly problem?: string }[];
}

export async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** The index, or null when the folder has none yet. */
async function indexOrNull(modelsDir: string): Promise<ModelIndex | null> {
  try {
    return await readModelIndex(modelsDir);
  } catch (e) {
    if (isCoreError(e, 'model_missing')) return null;
    throw e;
  }
}

const writeIndex = (modelsDir: string, index: ModelIndex): Promise<void> => writeAtomic(join(modelsDir, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);

/** Refuses an id that is ours, already registered, or whose files are already in the folder. */
export async function assertIdFree(modelsDir: string, id: string): Promise<void> {
  if (id.startsWith(OWN_PREFIX)) throw new CoreError('invalid_argument', `--id "${id}": ids starting with ${OWN_PREFIX} are kept for cutout's own models; choose another --id.`);
  const index = await indexOrNull(modelsDir);
  if (index?.models.includes(id)) {
    const manifest = await readManifest(modelsDir, id).catch(() => undefined);
    throw new CoreError(
      'invalid_argument',
      manifest?.registered
        ? `--id "${id}": a model with this id is already registered in ${modelsDir}; remove it first with "cutout models remove ${id}" or choose another --id.`
        : `--id "${id}" is one of cutout's own models (models/index.json); choose another --id.`,
    );
  }
  for (const file of [`${id}.json`, `${id}.onnx`]) {
    if (existsSync(join(modelsDir, file))) throw new CoreError('invalid_argument', `--id "${id}": ${join(modelsDir, file)} already exists (not listed in index.json); choose another --id or remove that file.`);
  }
}

/** Adds a registered id to the index; a folder without one gets an index with this model as its default. */
export async function addToIndex(modelsDir: string, id: string): Promise<void> {
  const index = await indexOrNull(modelsDir);
  await writeIndex(modelsDir, index ? { default: index.default, models: [...index.models.filter((m) => m !== id), id] } : { default: id, models: [id] });
}

export async function listModels(modelsDir: string): Promise<ModelListing> {
  const index = await readModelIndex(modelsDir);
  const entries = await Promise.all(
    index.models.map(async (id) => {
      try {
        return { id, manifest: await readManifest(modelsDir, id) };
      } catch (e) {
        return { id, problem: (e as Error).message };
      }
    }),
  );
  return { index, entries };
}

/** Removes a registered model (index entry, manifest, file); refuses our own and unknown ids. Returns its manifest. */
export async function removeModel(modelsDir: string, id: string): Promise<ModelManifest> {
  const index = await indexOrNull(modelsDir);
  if (!index?.models.includes(id) && !existsSync(join(modelsDir, `${id}.json`))) {
    throw new CoreError('invalid_argument', `There is no model "${id}" in ${modelsDir}; "cutout models list" shows the models there.`);
  }
  const manifest = await readManifest(modelsDir, id);
  if (manifest.registered !== true) {
    throw new CoreError('invalid_argument', `"${id}" is one of cutout's own models (built by "npm run models"); only models added with "cutout models add" can be removed.`);
  }
  if (index) {
    const models = index.models.filter((m) => m !== id);
    if (models.length === 0) await rm(join(modelsDir, 'index.json'), { force: true });
    else await writeIndex(modelsDir, { default: index.default === id ? (models[0] as string) : index.default, models });
  }
  await rm(join(modelsDir, `${id}.json`), { force: true });
  // Registration writes <id>.onnx; never follow a manifest's file name out of the folder.
  if (basename(manifest.file) === manifest.file) await rm(join(modelsDir, manifest.file), { force: true });
  return manifest;
}
