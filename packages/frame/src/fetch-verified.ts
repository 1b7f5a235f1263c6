/**
 * Downloads one asset (model or ORT .wasm) with progress, hashing as bytes arrive (crypto.subtle
 * is missing in non-secure `data:` frames, so sha256 comes from @noble/hashes), and turns every
 * way a model host can fail into a CoreError a user can act on: unreachable, HTTP error, an HTML
 * page instead of the file, truncated or altered bytes, cancelled.
 */
import { CoreError } from '@cutout/core';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

export interface ExpectedAsset {
  readonly url: string;
  readonly bytes: number;
  readonly sha256: string;
}

export interface FetchProgress {
  readonly loadedBytes: number;
  readonly totalBytes: number;
}

export interface FetchOptions {
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((p: FetchProgress) => void) | undefined;
  readonly fetchImpl?: typeof fetch;
}

function isAbort(e: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true || (e instanceof DOMException && e.name === 'AbortError');
}

function looksLikeHtml(head: Uint8Array): boolean {
  const text = new TextDecoder().decode(head.subarray(0, 64)).trimStart().toLowerCase();
  return text.startsWith('<!doctype') || text.startsWith('<html') || text.startsWith('<head') || text.startsWith('<body');
}

export async function fetchVerified(asset: ExpectedAsset, options: FetchOptions = {}): Promise<Uint8Array> {
  const { signal, onProgress } = options;
  const doFetch = options.fetchImpl ?? fetch;
  let response: Response;
  try {
    response = await doFetch(asset.url, { signal, mode: 'cors', credentials: 'omit' });
  } catch (e) {
    if (isAbort(e, signal)) throw new CoreError('cancelled', `Download of ${asset.url} was cancelled.`, { cause: e });
    throw new CoreError('model_fetch_failed', `Could not reach ${asset.url} (${(e as Error).message}). Check the model base URL and your connection.`, { cause: e });
  }
  if (!response.ok) {
    throw new CoreError('model_fetch_failed', `${asset.url} answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`);
  }
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('text/html')) {
    throw new CoreError('model_fetch_failed', `${asset.url} returned an HTML page, not the model file: is the model base URL right?`);
  }
  const body = response.body;
  if (!body) throw new CoreError('model_fetch_failed', `${asset.url} returned no body.`);

  const out = new Uint8Array(asset.bytes);
  const hash = sha256.create();
  const reader = body.getReader();
  let loaded = 0;
  onProgress?.({ loadedBytes: 0, totalBytes: asset.bytes });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (loaded === 0 && looksLikeHtml(value)) {
        throw new CoreError('model_fetch_failed', `${asset.url} returned an HTML page, not the model file: is the model base URL right?`);
      }
      if (loaded + value.length > asset.bytes) {
        throw new CoreError('model_integrity', `${asset.url} is larger than the ${asset.bytes} bytes its manifest lists: the file on the host does not match.`);
      }
      out.set(value, loaded);
      hash.update(value);
      loaded += value.length;
      onProgress?.({ loadedBytes: loaded, totalBytes: asset.bytes });
    }
  } catch (e) {
    void reader.cancel().catch(() => undefined);
    if (e instanceof CoreError) throw e;
    if (isAbort(e, signal)) throw new CoreError('cancelled', `Download of ${asset.url} was cancelled.`, { cause: e });
    throw new CoreError('model_fetch_failed', `Download of ${asset.url} broke off after ${loaded} bytes (${(e as Error).message}).`, { cause: e });
  }
  if (loaded !== asset.bytes) {
    throw new CoreError('model_integrity', `${asset.url} is truncated: got ${loaded} of ${asset.bytes} bytes. Retry to download it again.`);
  }
  const digest = bytesToHex(hash.digest());
  if (digest !== asset.sha256) {
    throw new CoreError('model_integrity', `${asset.url} has sha256 ${digest.slice(0, 12)}…, expected ${asset.sha256.slice(0, 12)}…: the file was altered or is a different version.`);
  }
  return out;
}

/** sha256 of bytes already in memory (cache hits are re-checked before use). */
export function sha256Hex(bytes: Uint8Array): string {
  return bytesToHex(sha256(bytes));
}
