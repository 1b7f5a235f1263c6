/**
 * The inference page's folder in plugin-data: (notes, "Design consequences" 2): the page itself
 * (copied from the plugin's own webview/frame.html at every start, so a plugin update brings its page),
 * and beside it what the frame fetches by relative URL from a model base of './' — models/<id>.json,
 * models/<file> and ort/<ORT .wasm> (packages/frame/src/asset-loader.ts). The model and the runtime are
 * downloaded once from the model host, verified by size and sha256, and recorded in installed.json
 * only after both verified; a later start finds the record and touches no network.
 */
import { parseModelManifest } from '@cutout/core';
import { downloadTo, type FetchLike } from './download.js';
import { PluginError, messageOf } from './errors.js';
import type { PageFiles } from './page-files.js';
import { ensureFolder, findFile, type StorageApi, type UxpFolder } from './storage-types.js';

/**
 * One model for both backends: the frame would pick fp16 for WebGPU adapters with shader-f16
 * (engine.ts WEB_MODELS); configuring this id makes both use the one file downloaded here (int8
 * weights, 45.7 MB, fp32 compute; docs/models.md).
 */
export const PANEL_MODEL = 'isnet-int8-web';

interface AssetPin {
  readonly file: string;
  readonly bytes: number;
  readonly sha256: string;
}

export interface InstallConfig {
  /** The model host, ending in '/': <base>models/<id>.json, <base>models/<file>, <base>ort/<file>. */
  readonly modelBase: string;
  readonly modelId: string;
  /**
   * The ORT binaries the page may load: the WebGPU + WASM build's and the WASM-only build's (the
   * page takes the second when it will not try WebGPU; which one depends on its WebView, known only
   * once it runs, so both are installed: 2.7 MB more on the wire with brotli).
   */
  readonly ortWasm: ReadonlyArray<AssetPin>;
}

type InstallPhase = 'page' | 'manifest' | 'model' | 'runtime';

export interface InstallOptions {
  readonly storage: StorageApi;
  readonly fetch: FetchLike;
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((phase: InstallPhase, loaded: number, total: number) => void) | undefined;
  readonly log?: ((message: string) => void) | undefined;
}

interface Stamp {
  readonly modelId: string;
  readonly model: AssetPin;
  readonly ort: ReadonlyArray<AssetPin>;
}

const PAGE = 'frame.html';
const STAMP = 'installed.json';

async function webviewFolder(storage: StorageApi): Promise<UxpFolder> {
  return ensureFolder(await storage.localFileSystem.getDataFolder(), 'webview');
}

/** Copies the plugin's webview/frame.html into plugin-data:/webview/ and returns the copy's URL. */
export async function installPage(storage: StorageApi): Promise<string> {
  const source = await findFile(await storage.localFileSystem.getPluginFolder(), `webview/${PAGE}`);
  if (!source) throw new PluginError('page_failed', `The plugin's webview/${PAGE} is missing: reinstall the plugin.`);
  const bytes = await source.read({ format: storage.formats.binary });
  const target = await (await webviewFolder(storage)).createFile(PAGE, { overwrite: true });
  await target.write(bytes, { format: storage.formats.binary });
  return target.url;
}

async function readStamp(folder: UxpFolder): Promise<Stamp | null> {
  const file = await findFile(folder, STAMP);
  if (!file) return null;
  try {
    return JSON.parse(String(await file.read())) as Stamp;
  } catch {
    return null; // an unreadable stamp means "not installed": everything is fetched again
  }
}

/** The stamp's runtimes are the ones this build pins (an older stamp's single object is not). */
function sameRuntimes(installed: unknown, pins: ReadonlyArray<AssetPin>): boolean {
  return Array.isArray(installed) && installed.length === pins.length && pins.every((p, i) => (installed[i] as AssetPin | undefined)?.sha256 === p.sha256);
}

/** Whether the model and runtime are in plugin-data: already (no network). */
export async function isInstalled(storage: StorageApi, config: InstallConfig): Promise<boolean> {
  const folder = await webviewFolder(storage);
  const stamp = await readStamp(folder);
  if (!stamp || stamp.modelId !== config.modelId || !sameRuntimes(stamp.ort, config.ortWasm)) return false;
  const files = [`models/${config.modelId}.json`, `models/${stamp.model.file}`, ...stamp.ort.map((p) => `ort/${p.file}`)];
  for (const f of files) if (!(await findFile(folder, f))) return false;
  return true;
}

/** The installed files beside the page, for the deliveries that do not fetch them (page-files.ts). */
export async function installedFiles(storage: StorageApi, config: InstallConfig): Promise<PageFiles> {
  const folder = await webviewFolder(storage);
  const stamp = await readStamp(folder);
  if (!stamp || !(await isInstalled(storage, config))) throw new PluginError('model_install', 'The model is not installed: run Remove Background to download it.');
  const files = [];
  const names: ReadonlyArray<readonly [string, string]> = [['models', `${config.modelId}.json`], ['models', stamp.model.file], ...stamp.ort.map((p) => ['ort', p.file] as const)];
  for (const [dirName, name] of names) {
    const dir = await ensureFolder(folder, dirName);
    const file = await findFile(dir, name);
    if (!file) throw new PluginError('model_install', `plugin-data:/webview/${dirName}/${name} is missing: run Remove Background to download it again.`);
    files.push({ path: `${dirName}/${name}`, file, dir });
  }
  return { folder, files, key: [stamp.model.sha256, ...stamp.ort.map((p) => p.sha256)].join(':') };
}

/** Downloads (once) the model and the runtime next to the page; resolves when they are in place. */
export async function installModel(config: InstallConfig, o: InstallOptions): Promise<{ downloaded: boolean }> {
  if (await isInstalled(o.storage, config)) return { downloaded: false };
  const folder = await webviewFolder(o.storage);
  const models = await ensureFolder(folder, 'models');
  const ort = await ensureFolder(folder, 'ort');
  const manifestUrl = `${config.modelBase}models/${encodeURIComponent(config.modelId)}.json`;
  o.onProgress?.('manifest', 0, 1);
  let manifestText: string;
  try {
    const response = await o.fetch(manifestUrl);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    manifestText = await response.text();
  } catch (e) {
    throw new PluginError('model_install', `Could not read ${manifestUrl} (${messageOf(e)}). Check your connection.`);
  }
  let manifest;
  try {
    manifest = parseModelManifest(JSON.parse(manifestText), manifestUrl);
  } catch (e) {
    throw new PluginError('model_install', `${manifestUrl} is not a model manifest (${messageOf(e)}).`);
  }
  const model: AssetPin = { file: manifest.file, bytes: manifest.bytes, sha256: manifest.sha256 };
  const common = { fetch: o.fetch, binary: o.storage.formats.binary, signal: o.signal, log: o.log };
  await downloadTo(await models.createFile(model.file, { overwrite: true }), { url: `${config.modelBase}models/${encodeURIComponent(model.file)}`, bytes: model.bytes, sha256: model.sha256 }, {
    ...common,
    onProgress: (loaded, total) => o.onProgress?.('model', loaded, total),
  });
  for (const pin of config.ortWasm) {
    await downloadTo(await ort.createFile(pin.file, { overwrite: true }), { url: `${config.modelBase}ort/${pin.file}`, bytes: pin.bytes, sha256: pin.sha256 }, {
      ...common,
      onProgress: (loaded, total) => o.onProgress?.('runtime', loaded, total),
    });
  }
  await (await models.createFile(`${config.modelId}.json`, { overwrite: true })).write(manifestText);
  const stamp: Stamp = { modelId: config.modelId, model, ort: config.ortWasm };
  await (await folder.createFile(STAMP, { overwrite: true })).write(JSON.stringify(stamp));
  return { downloaded: true };
}
