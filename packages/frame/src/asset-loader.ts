/**
 * Model and ORT runtime bytes for the frame: from the asset cache when a verified copy is there,
 * else downloaded from the model base URL and verified. A failed load leaves nothing behind, so a
 * retry starts clean; a cached copy that no longer verifies is evicted and downloaded again.
 */
import { CoreError, parseModelManifest, type ModelManifest } from '@cutout/core';
import type { AssetCache, CacheKind } from './asset-cache.js';
import { fetchVerified, sha256Hex, type ExpectedAsset, type FetchProgress } from './fetch-verified.js';

export type AssetSource = 'network' | CacheKind;

/** Written into the bundle at build time from the onnxruntime-web package it was built with. */
declare const __ORT_WASM__: { readonly file: string; readonly bytes: number; readonly sha256: string };

export const ORT_WASM = __ORT_WASM__;

export function normaliseBaseUrl(base: string): string {
  let url: URL;
  try {
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
  constructor(
    baseUrl: string,
    private readonly cache: AssetCache,
    private readonly log: (message: string, detail?: unknown) => void = () => undefined,
    private readonly fetchImpl: typeof fetch = (...args) => fetch(...args),
    private readonly ortWasm: { readonly file: string; readonly bytes: number; readonly sha256: string } = ORT_WASM,
  ) {
    this.baseUrl = normaliseBaseUrl(baseUrl);
  }

  get cacheKind(): CacheKind {
    return this.cache.kind;
  }

  async manifest(id: string, signal?: AbortSignal): Promise<ModelManifest> {
    const url = `${this.baseUrl}models/${encodeURIComponent(id)}.json`;
    let response: Response;
    try {
      response = await this.fetchImpl(url, { signal, mode: 'cors', credentials: 'omit', cache: 'no-cache' });
    } catch (e) {
      if (signal?.aborted) throw new CoreError('cancelled', 'Cancelled while fetching the model manifest.', { cause: e });
      throw new CoreError('model_fetch_failed', `Could not reach ${url} (${(e as Error).message}). Check the model base URL and your connection.`, { cause: e });
    }
    if (!response.ok) throw new CoreError('model_fetch_failed', `${url} answered HTTP ${response.status}.`);
    const text = await response.text();
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

  ortWasmAsset(): ExpectedAsset {
    return { url: `${this.baseUrl}ort/${this.ortWasm.file}`, bytes: this.ortWasm.bytes, sha256: this.ortWasm.sha256 };
  }

  /** Verified bytes of one asset and where they came from. */
  async load(asset: ExpectedAsset, options: LoadOptions = {}): Promise<{ bytes: Uint8Array; source: AssetSource }> {
    const cached = await this.cache.get(asset.sha256).catch((e: unknown) => {
      this.log(`cache read failed for ${asset.url}`, e);
      return null;
    });
    if (cached) {
      if (cached.length === asset.bytes && (await digestHex(cached)) === asset.sha256) {
        options.onProgress?.({ loadedBytes: asset.bytes, totalBytes: asset.bytes });
        return { bytes: cached, source: this.cache.kind };
      }
      this.log(`cached copy of ${asset.url} failed verification; downloading again`);
      await this.cache.delete(asset.sha256).catch(() => undefined);
    }
    const bytes = await fetchVerified(asset, { signal: options.signal, onProgress: options.onProgress, fetchImpl: this.fetchImpl });
    await this.cache.put(asset.sha256, bytes).catch((e: unknown) => this.log(`could not cache ${asset.url} (storage full?)`, e));
    return { bytes, source: 'network' };
  }
}
