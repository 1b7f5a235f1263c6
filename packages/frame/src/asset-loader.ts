/**
 * Model and ORT runtime bytes for the frame, from the first place that has a verified copy:
 *   1. the frame's own cache (Cache Storage, else IndexedDB; memory where the frame has neither),
 *   2. where the frame has no storage of its own (Figma's null-origin UI): the model host's cache
 *      helper page (cache-helper-client.ts), which has the model host's origin and so storage,
 *   3. a direct download from the model base URL.
 * Every byte is verified by size and sha256 whichever way it came. A failed load leaves nothing
 * behind, so a retry starts clean; a cached copy that no longer verifies is evicted and replaced.
 */
import { CoreError, isCoreError, parseModelManifest, type ModelManifest } from '@cutout/core';
import type { AssetCache, CacheKind } from './asset-cache.js';
import { defaultConnectHelper, type CacheHelper, type ConnectHelper } from './cache-helper-client.js';
import { fetchVerified, sha256Hex, type ExpectedAsset, type FetchProgress } from './fetch-verified.js';
import type { OrtBuild } from '@cutout/core-web';
import type { LocalFileReader } from './local-files.js';

/** Where bytes came from; 'helper-frame' only when the helper had them stored (a helper download is 'network'). */
export type AssetSource = 'network' | CacheKind | 'helper-frame';

type Pin = { readonly file: string; readonly bytes: number; readonly sha256: string };
/**
 * Written into the bundle at build time from the onnxruntime-web package it was built with: the
 * binary of the default build (WebGPU + WASM, "jsep") and of the WASM-only build, for a page that
 * will not try WebGPU (core-web's OrtBuild). A bundle with one build pins the same file twice.
 */
declare const __ORT_WASM__: Pin;
declare const __ORT_WASM_PLAIN__: Pin;

/** The ORT binaries by build; tests may pass one pin for both. */
export type OrtWasmPins = { readonly jsep: Pin; readonly wasm: Pin };
const ORT_WASM: OrtWasmPins = { jsep: __ORT_WASM__, wasm: __ORT_WASM_PLAIN__ };

/** A base like './' (the protocol allows only './'-relative paths): the files lie next to the page (Photoshop: plugin-data:). */
const isPageRelative = (base: string): boolean => base.startsWith('./');

function normaliseBaseUrl(base: string): string {
  let url: URL;
  try {
    // A page-relative base resolves against the page, whatever its scheme (UXP converts plugin-data: to a URL of its own).
    if (isPageRelative(base)) return new URL(base, globalThis.location?.href).href;
    url = new URL(base);
  } catch {
    throw new CoreError('invalid_argument', `The model base URL "${base}" is not an absolute URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new CoreError('invalid_argument', `The model base URL must be http(s); got ${url.protocol}.`);
  }
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

async function digestHex(bytes: Uint8Array): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return sha256Hex(bytes);
  const digest = new Uint8Array(await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  let hex = '';
  for (const b of digest) hex += b.toString(16).padStart(2, '0');
  return hex;
}

export interface LoadOptions {
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((p: FetchProgress) => void) | undefined;
}

export class AssetLoader {
  readonly baseUrl: string;
  /** The files are local, next to the page: no copy is kept in the frame's storage and no helper frame is asked. */
  private readonly local: boolean;
  private readonly ortWasm: OrtWasmPins;
  private helper: Promise<CacheHelper | null> | null = null;
  /** null until the helper is first needed; false once it failed (not asked again by this loader). */
  private helperOk: boolean | null = null;
  private disposed = false;

  constructor(
    baseUrl: string,
    private readonly cache: AssetCache,
    private readonly log: (message: string, detail?: unknown) => void = () => undefined,
    private readonly fetchImpl: typeof fetch = (...args) => fetch(...args),
    ortWasm: OrtWasmPins | Pin = ORT_WASM,
    /** How to reach the model host's cache helper; null: never (default outside a DOM page). */
    private readonly connectHelper: ConnectHelper | null = defaultConnectHelper(),
    /** With a page-relative base: read the files this way instead of fetching them (local-files.ts). */
    private readonly reader: LocalFileReader | null = null,
  ) {
    this.baseUrl = normaliseBaseUrl(baseUrl);
    this.local = isPageRelative(baseUrl);
    this.ortWasm = 'jsep' in ortWasm ? ortWasm : { jsep: ortWasm, wasm: ortWasm };
  }

  get cacheKind(): CacheKind {
    return this.cache.kind;
  }

  /** The model host's cache helper answered with storage and has not failed (diagnostics). */
  get helperFrame(): boolean {
    return this.helperOk === true;
  }
  async manifest(id: string, signal?: AbortSignal): Promise<ModelManifest> {
    const url = `${this.baseUrl}models/${encodeURIComponent(id)}.json`;
    if (this.reader) return this.parseManifest(new TextDecoder().decode(await this.reader.read(url.slice(this.baseUrl.length), { signal })), url);
    let response: Response;
    try {
      response = await this.fetchImpl(url, { signal, mode: 'cors', credentials: 'omit', cache: 'no-cache' });
    } catch (e) {
      if (signal?.aborted) throw new CoreError('cancelled', 'Cancelled while fetching the model manifest.', { cause: e });
      throw new CoreError('model_fetch_failed', `Could not reach ${url} (${(e as Error).message}). Check the model base URL and your connection.`, { cause: e });
    }
    if (!response.ok) throw new CoreError('model_fetch_failed', `${url} answered HTTP ${response.status}.`);
    return this.parseManifest(await response.text(), url);
  }

  private parseManifest(text: string, url: string): ModelManifest {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      const hint = text.trimStart().startsWith('<') ? 'an HTML page' : 'not JSON';
      throw new CoreError('model_fetch_failed', `${url} returned ${hint}, not a model manifest: is the model base URL right?`);
    }
    return parseModelManifest(json, url);
  }

  modelAsset(manifest: ModelManifest): ExpectedAsset {
    return { url: `${this.baseUrl}models/${encodeURIComponent(manifest.file)}`, bytes: manifest.bytes, sha256: manifest.sha256 };
  }

  /** The ORT binary of a build (default the WebGPU + WASM one). */
  ortWasmAsset(build: OrtBuild = 'jsep'): ExpectedAsset {
    const pin = this.ortWasm[build];
    return { url: `${this.baseUrl}ort/${pin.file}`, bytes: pin.bytes, sha256: pin.sha256 };
  }

  /** Verified bytes of one asset and where they came from. */
  async load(asset: ExpectedAsset, options: LoadOptions = {}): Promise<{ bytes: Uint8Array; source: AssetSource }> {
    this.assertOpen();
    if (this.reader) return { bytes: await this.fromReader(this.reader, asset, options), source: 'network' };
    if (this.local) return { bytes: await fetchVerified(asset, { signal: options.signal, onProgress: options.onProgress, fetchImpl: this.fetchImpl }), source: 'network' };
    const cached = await this.fromCache(asset);
    if (cached) {
      options.onProgress?.({ loadedBytes: asset.bytes, totalBytes: asset.bytes });
      return { bytes: cached, source: this.cache.kind };
    }
    const helped = await this.fromHelper(asset, options);
    if (helped) {
      await this.keep(asset, helped.bytes);
      return helped;
    }
    this.assertOpen();
    const bytes = await fetchVerified(asset, { signal: options.signal, onProgress: options.onProgress, fetchImpl: this.fetchImpl });
    await this.keep(asset, bytes);
    return { bytes, source: 'network' };
  }

  /**
   * A session holds the model now: its bytes leave the memory cache (ORT has its own copy, in the
   * worker or the WASM heap; a worker transfer has detached ours anyway), and the helper frame is
   * closed (it is reopened if a later load needs it). Stored copies stay.
   */
  sessionCreated(model: ExpectedAsset): void {
    if (this.cache.kind === 'memory') void this.cache.delete(model.sha256);
    for (const asset of [model, this.ortWasmAsset('jsep'), this.ortWasmAsset('wasm')]) if (asset.url.startsWith(this.baseUrl)) this.reader?.release(asset.url.slice(this.baseUrl.length));
    this.closeHelper();
  }

  /** Closes the helper frame; later loads fail with 'disposed'. */
  dispose(): void {
    this.disposed = true;
    this.closeHelper();
  }

  private assertOpen(): void {
    if (this.disposed) throw new CoreError('disposed', 'The model loader has been disposed.');
  }

  private async verified(bytes: Uint8Array, asset: ExpectedAsset): Promise<boolean> {
    return bytes.length === asset.bytes && (await digestHex(bytes)) === asset.sha256;
  }

  /** A file beside the page, read the configured way and verified like a download. */
  private async fromReader(reader: LocalFileReader, asset: ExpectedAsset, options: LoadOptions): Promise<Uint8Array> {
    if (!asset.url.startsWith(this.baseUrl)) throw new CoreError('model_fetch_failed', `${asset.url} is not beside the page.`);
    const bytes = await reader.read(asset.url.slice(this.baseUrl.length), options);
    if (await this.verified(bytes, asset)) return bytes;
    throw new CoreError('model_integrity', `${asset.url} is not the expected file (${bytes.length} bytes; ${asset.bytes} expected, or a different sha256): reinstall the model.`);
  }

  private async fromCache(asset: ExpectedAsset): Promise<Uint8Array | null> {
    const cached = await this.cache.get(asset.sha256).catch((e: unknown) => {
      this.log(`cache read failed for ${asset.url}`, e);
      return null;
    });
    if (!cached) return null;
    // Empty: a memory entry whose buffer was transferred to the inference worker (detached).
    if (cached.length > 0 && (await this.verified(cached, asset))) return cached;
    if (cached.length > 0) this.log(`cached copy of ${asset.url} failed verification; loading it again`);
    await this.cache.delete(asset.sha256).catch((e: unknown) => this.log(`could not drop the cached copy of ${asset.url}`, e));
    return null;
  }

  private async keep(asset: ExpectedAsset, bytes: Uint8Array): Promise<void> {
    await this.cache.put(asset.sha256, bytes).catch((e: unknown) => this.log(`could not cache ${asset.url} (storage full?)`, e));
  }

  /** The asset through the model host's helper frame, verified; null to download directly. */
  private async fromHelper(asset: ExpectedAsset, options: LoadOptions): Promise<{ bytes: Uint8Array; source: AssetSource } | null> {
    // Only where the frame keeps nothing itself, and only for files under the base (the helper serves no others).
    if (this.cache.kind !== 'memory' || !this.connectHelper || this.helperOk === false || !asset.url.startsWith(this.baseUrl)) return null;
    const connect = this.connectHelper;
    this.helper ??= connect(this.baseUrl, this.log).then(
      (helper) => {
        this.helperOk = true;
        this.log(`model files are cached by the model host's helper frame (${helper.storage})`);
        return helper;
      },
      (e: unknown) => {
        this.helperOk = false;
        this.log(`no model cache helper frame: ${(e as Error).message}; downloading directly`);
        return null;
      },
    );
    const helper = await this.helper;
    if (!helper) return null;
    const path = asset.url.slice(this.baseUrl.length);
    try {
      const got = await helper.get(path, asset, options);
      if (await this.verified(got.bytes, asset)) {
        if (got.from === 'storage') options.onProgress?.({ loadedBytes: asset.bytes, totalBytes: asset.bytes });
        return { bytes: got.bytes, source: got.from === 'storage' ? 'helper-frame' : 'network' };
      }
      await helper.evict(asset.sha256);
      throw new CoreError('model_integrity', `the helper frame's copy of ${asset.url} failed verification (size or sha256)`);
    } catch (e) {
      if (isCoreError(e, 'cancelled') || options.signal?.aborted) throw isCoreError(e, 'cancelled') ? e : new CoreError('cancelled', `Loading ${asset.url} was cancelled.`, { cause: e });
      this.assertOpen();
      // A helper that failed or lied is not asked again by this loader.
      this.log(`model cache helper failed (${(e as Error).message}); downloading ${asset.url} directly`, e);
      this.helperOk = false;
      this.closeHelper();
      return null;
    }
  }

  private closeHelper(): void {
    const helper = this.helper;
    this.helper = null;
    void helper?.then((h) => h?.close());
  }
}
