/**
 * The installed files the inference page reads beside it (model-install.ts puts them in
 * plugin-data:/webview/), for the two ways that do not need the page's own fetch of local files
 * (photoshop-notes.md, "Design consequences" 2, fallbacks b and c):
 *   - script parts: each file also written as `<path>.part-<n>.js` (protocol MODEL_PART_CALLBACK), made
 *     once, on the first start where fetch failed, and recorded in parts.json;
 *   - host pieces: each file read here and sent to the page in `asset` requests over the bridge.
 * Pieces are 4 MiB (LIMITS.maxAssetChunkBytes), the notes' bridge chunk size.
 */
import { LIMITS, MODEL_PART_CALLBACK, encodeBase64, modelPartPath, type FrameClient } from '@cutout/protocol';
import { PluginError } from './errors.js';
import { findFile, type StorageApi, type UxpFile, type UxpFolder } from './storage-types.js';

const PIECE = LIMITS.maxAssetChunkBytes;
const PARTS_STAMP = 'parts.json';

interface PageFile {
  /** Relative to the page's folder: 'models/<id>.json', 'models/<file>', 'ort/<file>'. */
  readonly path: string;
  readonly file: UxpFile;
  /** The folder holding it (UXP creates files by name in a folder, not by path). */
  readonly dir: UxpFolder;
}

export interface PageFiles {
  readonly folder: UxpFolder;
  readonly files: ReadonlyArray<PageFile>;
  /** Identifies this install (the model's and the runtime's sha256), so old parts are not reused. */
  readonly key: string;
}

async function readBytes(storage: StorageApi, file: UxpFile): Promise<Uint8Array> {
  const data = await file.read({ format: storage.formats.binary });
  if (typeof data === 'string') throw new PluginError('page_failed', `${file.name} was read as text, not bytes.`);
  return new Uint8Array(data);
}

type Progress = ((fraction: number) => void) | undefined;

/** Writes every file as script parts, unless parts.json says this install's parts are there. */
export async function writeScriptParts(storage: StorageApi, page: PageFiles, onProgress?: Progress): Promise<void> {
  const stamp = await findFile(page.folder, PARTS_STAMP);
  if (stamp && String(await stamp.read()) === page.key) return;
  for (const [n, { path, file, dir }] of page.files.entries()) {
    const bytes = await readBytes(storage, file);
    const count = Math.max(1, Math.ceil(bytes.length / PIECE));
    for (let index = 0; index < count; index++) {
      const piece = bytes.subarray(index * PIECE, Math.min(bytes.length, (index + 1) * PIECE));
      const script = `globalThis.${MODEL_PART_CALLBACK}(${JSON.stringify(path)},${index},${count},${bytes.length},"${encodeBase64(piece)}");\n`;
      const target = await dir.createFile(modelPartPath(file.name, index), { overwrite: true });
      await target.write(script);
      onProgress?.((n + (index + 1) / count) / page.files.length);
    }
  }
  await (await page.folder.createFile(PARTS_STAMP, { overwrite: true })).write(page.key);
}

/** Sends every file to the page in `asset` pieces, one request at a time (the bridge's own pace). */
export async function sendFiles(client: FrameClient, storage: StorageApi, page: PageFiles, onProgress?: Progress): Promise<void> {
  const all = [];
  for (const f of page.files) all.push({ path: f.path, bytes: await readBytes(storage, f.file) });
  const total = all.reduce((sum, f) => sum + f.bytes.length, 0);
  let sent = 0;
  for (const { path, bytes } of all) {
    for (let offset = 0; offset < bytes.length; offset += PIECE) {
      const data = bytes.subarray(offset, Math.min(bytes.length, offset + PIECE));
      await client.request('asset', { path, offset, total: bytes.length, data });
      sent += data.length;
      onProgress?.(sent / total);
    }
  }
}
