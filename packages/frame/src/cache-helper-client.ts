/**
 * The frame's side of the model host's cache helper page: embeds `<base>cache-helper.html` as a
 * hidden iframe, pings it, and accepts the pong only from that iframe's window and the model
 * base's origin. It then hands the helper a MessagePort, posted with the model origin as target
 * (so only a document of that origin can receive it), and asks for files over that port by path,
 * size and sha256. Nothing it returns is trusted: AssetLoader verifies every byte before use.
 */
import { CoreError } from '@cutout/core';
import type { FetchProgress } from './fetch-verified.js';
import { envelope, parseHelperReply, type HelperReply, type HelperRequestBody, type HelperStorage } from './cache-helper/messages.js';

/** Enough to load a few-kB page and open its storage on a slow machine; short enough not to delay a download much. */
const HELPER_PING_TIMEOUT_MS = 5000;
/** A get with no message for this long is given up (the helper reads a stored model in well under this). */
const HELPER_IDLE_TIMEOUT_MS = 15_000;

interface HelperGetResult {
  readonly bytes: Uint8Array;
  /** 'storage': the helper had it; 'network': it downloaded it now. */
  readonly from: 'storage' | 'network';
}

interface HelperGetOptions {
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((p: FetchProgress) => void) | undefined;
}

/** What AssetLoader needs of a helper (tests pass a fake). */
export interface CacheHelper {
  readonly storage: Exclude<HelperStorage, 'none'>;
  get(path: string, expected: { readonly bytes: number; readonly sha256: string }, options?: HelperGetOptions): Promise<HelperGetResult>;
  /** Asks the helper to drop its copy (it failed verification here); resolves when it has, or gave no answer in time. */
  evict(sha256: string): Promise<void>;
  close(): void;
}

export type ConnectHelper = (baseUrl: string, log: (message: string, detail?: unknown) => void) => Promise<CacheHelper>;

type Settle = (reply: HelperReply | CoreError) => void;

const fail = (message: string): CoreError => new CoreError('model_fetch_failed', `Model cache helper: ${message}`);

class CacheHelperClient implements CacheHelper {
  private readonly pending = new Map<number, { readonly onProgress?: ((p: FetchProgress) => void) | undefined; readonly settle: Settle }>();
  private readonly channel = new MessageChannel();
  private nextId = 1;
  private closed = false;
  storage: Exclude<HelperStorage, 'none'> = 'indexeddb';

  private constructor(
    private readonly iframe: HTMLIFrameElement,
    private readonly origin: string,
    private readonly log: (message: string, detail?: unknown) => void,
  ) {}

  /** A helper that answered its ping from the model origin with storage; rejects (and cleans up) otherwise. */
  static open(baseUrl: string, log: (message: string, detail?: unknown) => void, timeoutMs = HELPER_PING_TIMEOUT_MS): Promise<CacheHelper> {
    const iframe = document.createElement('iframe');
    const client = new CacheHelperClient(iframe, new URL(baseUrl).origin, log);
    iframe.src = `${baseUrl}cache-helper.html`;
    iframe.title = 'Model cache';
    iframe.tabIndex = -1;
    iframe.setAttribute('aria-hidden', 'true');
    iframe.referrerPolicy = 'no-referrer';
    iframe.style.cssText = 'position:absolute;width:0;height:0;border:0;visibility:hidden';
    return new Promise<CacheHelper>((resolve, reject) => {
      const pingId = client.nextId++;
      const timer = setTimeout(() => done(fail(`no answer from ${iframe.src} within ${timeoutMs} ms (not deployed, or blocked by a content security policy?)`)), timeoutMs);
      const onWindowMessage = (event: MessageEvent): void => {
        if (event.source === null || event.source !== iframe.contentWindow) return;
        const reply = parseHelperReply(event.data);
        if (reply?.kind !== 'pong' || reply.id !== pingId) return log('model cache helper: ignored a message before the handshake');
        // A helper inside a sandboxed frame inherits the sandbox: opaque origin, no storage.
        if (event.origin !== client.origin) return done(fail(`it has origin ${event.origin}, not ${client.origin} (this frame is sandboxed, and frames inside it inherit the sandbox)`));
        done(reply);
      };
      // '*' for the ping only: a helper with an opaque origin (above) must get it to say so at once.
      const ping = (): void => iframe.contentWindow?.postMessage(envelope({ kind: 'ping', id: pingId }), '*');
      const done = (reply: HelperReply | CoreError): void => {
        clearTimeout(timer);
        window.removeEventListener('message', onWindowMessage);
        iframe.removeEventListener('load', ping);
        if (reply instanceof CoreError || reply.kind !== 'pong' || reply.storage === 'none') {
          client.close();
          reject(reply instanceof CoreError ? reply : fail('it has no storage in this context (storage blocked for third-party frames?)'));
          return;
        }
        client.storage = reply.storage;
        client.connect();
        resolve(client);
      };
      window.addEventListener('message', onWindowMessage);
      iframe.addEventListener('load', ping);
      (document.body ?? document.documentElement).appendChild(iframe);
    });
  }

  /**
   * Gives the helper its end of the channel, with the model origin as target: a document of any
   * other origin in that iframe never receives it, so every message on the port is the helper's
   * (port messages carry no origin to check).
   */
  private connect(): void {
    const port = this.channel.port1;
    port.onmessage = (event) => this.receive(event.data);
    port.onmessageerror = () => {
      // A reply that could not be deserialised (e.g. no memory for a transferred buffer).
      for (const entry of [...this.pending.values()]) entry.settle(fail('a reply could not be received (messageerror)'));
    };
    this.iframe.contentWindow?.postMessage(envelope({ kind: 'connect', id: this.nextId++ }), this.origin, [this.channel.port2]);
  }

  private receive(raw: unknown): void {
    const reply = parseHelperReply(raw);
    if (!reply) return this.log('model cache helper: ignored a malformed reply');
    const entry = this.pending.get(reply.id);
    if (!entry) return;
    if (reply.kind === 'progress') return entry.onProgress?.({ loadedBytes: reply.loadedBytes, totalBytes: reply.totalBytes });
    entry.settle(reply);
  }

  private send(body: HelperRequestBody): void {
    this.channel.port1.postMessage(envelope(body));
  }

  get(path: string, expected: { readonly bytes: number; readonly sha256: string }, options: HelperGetOptions = {}): Promise<HelperGetResult> {
    const { signal, onProgress } = options;
    if (this.closed) return Promise.reject(new CoreError('disposed', 'The model cache helper is closed.'));
    if (signal?.aborted) return Promise.reject(new CoreError('cancelled', `Loading ${path} was cancelled.`));
    const id = this.nextId++;
    return new Promise<HelperGetResult>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const idle = (): void => {
        clearTimeout(timer);
        timer = setTimeout(() => settle(fail(`no message about ${path} for ${HELPER_IDLE_TIMEOUT_MS / 1000} s`)), HELPER_IDLE_TIMEOUT_MS);
      };
      const abort = (): void => {
        this.send({ kind: 'cancel', id });
        settle(new CoreError('cancelled', `Loading ${path} was cancelled.`));
      };
      const settle: Settle = (reply) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', abort);
        this.pending.delete(id);
        if (reply instanceof CoreError) return reject(reply);
        if (reply.kind === 'failed') return reject(new CoreError(reply.code, `Model cache helper: ${reply.message}`));
        if (reply.kind !== 'bytes') return reject(fail(`unexpected reply '${reply.kind}' to a get`));
        if (reply.data.byteLength !== expected.bytes) return reject(new CoreError('model_integrity', `Model cache helper sent ${reply.data.byteLength} bytes for ${path}, expected ${expected.bytes}.`));
        resolve({ bytes: new Uint8Array(reply.data), from: reply.from });
      };
      const progress = (p: FetchProgress): void => {
        idle();
        onProgress?.(p);
      };
      this.pending.set(id, { onProgress: progress, settle });
      signal?.addEventListener('abort', abort, { once: true });
      idle();
      this.send({ kind: 'get', id, path, bytes: expected.bytes, sha256: expected.sha256 });
    });
  }

  evict(sha256: string): Promise<void> {
    if (this.closed) return Promise.resolve();
    const id = this.nextId++;
    // Awaited before the helper is closed: removing the iframe at once could drop the message.
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => settle(), HELPER_PING_TIMEOUT_MS);
      const settle = (): void => {
        clearTimeout(timer);
        this.pending.delete(id);
        resolve();
      };
      this.pending.set(id, { settle });
      this.send({ kind: 'evict', id, sha256 });
    });
  }

  /** Removes the iframe and closes the channel; whatever is waiting fails with 'disposed'. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const entry of waiting) entry.settle(new CoreError('disposed', 'The model cache helper was closed.'));
    this.channel.port1.onmessage = null;
    this.channel.port1.close();
    this.iframe.remove();
  }
}

/** Connects where the frame is a DOM page; null elsewhere (Node tests, workers). */
export function defaultConnectHelper(): ConnectHelper | null {
  if (typeof document === 'undefined' || typeof window === 'undefined' || typeof MessageChannel === 'undefined') return null;
  return (baseUrl, log) => CacheHelperClient.open(baseUrl, log);
}
