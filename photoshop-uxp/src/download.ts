/**
 * One verified download into a plugin-data: file, by the panel (UXP `fetch`, gated by the manifest's
 * network.domains, hosts.md §2.1). Bytes are hashed as they arrive with @noble/hashes (UXP's JS has no
 * guaranteed WebCrypto) and appended to the file in blocks of at most BLOCK bytes (File.write with
 * `append`, UXP File reference), so the model is never held whole in the panel when the response can
 * be streamed. Whether UXP's fetch gives `response.body` as a stream is not documented: without one the
 * body is read whole (progress then jumps from 0 to done). A wrong size or sha256 deletes the file.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { PluginError, messageOf } from './errors.js';
import type { UxpFile } from './storage-types.js';

const BLOCK = 8 * 1024 * 1024;

export interface Expected {
  readonly url: string;
  readonly bytes: number;
  readonly sha256: string;
}

export type FetchLike = (url: string) => Promise<{
  readonly ok: boolean;
  readonly status: number;
  readonly body?: { getReader(): { read(): Promise<{ done: boolean; value?: Uint8Array }>; cancel(): Promise<void> } } | null;
  arrayBuffer(): Promise<ArrayBuffer>;
  text(): Promise<string>;
}>;

export interface DownloadOptions {
  readonly fetch: FetchLike;
  readonly binary: symbol;
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((loaded: number, total: number) => void) | undefined;
  readonly log?: ((message: string) => void) | undefined;
}

const cancelled = (): PluginError => new PluginError('model_install', 'The model download was cancelled.');

/** Writes the verified bytes of `expected.url` into `file`; throws PluginError('model_install') otherwise. */
export async function downloadTo(file: UxpFile, expected: Expected, o: DownloadOptions): Promise<void> {
  let response: Awaited<ReturnType<FetchLike>>;
  try {
    response = await o.fetch(expected.url);
  } catch (e) {
    throw new PluginError('model_install', `Could not reach ${expected.url} (${messageOf(e)}). Check your connection.`);
  }
  if (!response.ok) throw new PluginError('model_install', `${expected.url} answered HTTP ${response.status}.`);
  const hash = sha256.create();
  let loaded = 0;
  let started = false;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const flush = async (): Promise<void> => {
    if (!pendingBytes && started) return;
    const block = new Uint8Array(pendingBytes);
    let at = 0;
    for (const p of pending) {
      block.set(p, at);
      at += p.length;
    }
    await file.write(block.buffer, { format: o.binary, append: started });
    started = true;
    pending = [];
    pendingBytes = 0;
  };
  const take = async (chunk: Uint8Array): Promise<void> => {
    loaded += chunk.length;
    if (loaded > expected.bytes) throw new PluginError('model_install', `${expected.url} is larger than the expected ${expected.bytes} bytes.`);
    hash.update(chunk);
    pending.push(chunk);
    pendingBytes += chunk.length;
    if (pendingBytes >= BLOCK) await flush();
    o.onProgress?.(loaded, expected.bytes);
  };
  try {
    o.onProgress?.(0, expected.bytes);
    const reader = response.body?.getReader();
    if (reader) {
      for (;;) {
        if (o.signal?.aborted) {
          await reader.cancel();
          throw cancelled();
        }
        const { done, value } = await reader.read();
        if (done) break;
        if (value?.length) await take(value);
      }
    } else {
      await take(new Uint8Array(await response.arrayBuffer()));
    }
    if (o.signal?.aborted) throw cancelled();
    await flush();
    const digest = bytesToHex(hash.digest());
    if (loaded !== expected.bytes || digest !== expected.sha256) {
      throw new PluginError('model_install', `${expected.url} did not verify: ${loaded} bytes with sha256 ${digest.slice(0, 12)}…, expected ${expected.bytes} bytes with ${expected.sha256.slice(0, 12)}….`);
    }
  } catch (e) {
    // A partial or wrong file must not stay; the stamp is written only after this succeeds, so a file left over is never trusted.
    await file.delete().catch((d: unknown) => o.log?.(`could not delete ${file.name}: ${messageOf(d)}`));
    throw e instanceof PluginError ? e : new PluginError('model_install', `Downloading ${expected.url} failed (${messageOf(e)}).`);
  }
}
