/**
 * Photoshop UXP `<webview>` bridge: "the message is stringified & parsed by JSON", so binary
 * cannot cross as it is. Uint8Array values become `{ "$bytes": "<base64>" }`, and a message whose
 * JSON text is longer than the chunk limit travels as bounded `{ "$chunk": {mid, seq, count, text} }`
 * pieces that the receiver reassembles. The reassembler is written for hostile input: bounded
 * message size, bounded number and total size of partial messages (the oldest is dropped), strict
 * chunk checks, and it never throws: invalid input is logged and dropped.
 *
 * Caveat: a plain object whose only key is "$bytes" with a string value is indistinguishable from
 * an encoded buffer; no protocol message has such an object.
 */
import { decodeBase64, encodeBase64 } from '../base64.js';
import { LIMITS } from '../messages.js';
import type { FrameMessage, HostMessage } from '../messages.js';
import type { Endpoint, Logger } from './types.js';
import { silentLogger } from './types.js';

export const DEFAULT_CHUNK_CHARS = 512 * 1024;
/** Smallest chunk a sender may use (keeps MAX_CHUNK_COUNT chunks enough for the largest message). */
export const MIN_CHUNK_CHARS = 1024;
/** Largest reassembled JSON text: an RGBA image at the protocol's pixel limit as base64, plus slack. */
export const MAX_MESSAGE_CHARS = Math.ceil((LIMITS.maxPixels * 4 * 4) / 3) + 16 * 1024 * 1024;
/** Most chunks one message may announce. */
export const MAX_CHUNK_COUNT = Math.ceil(MAX_MESSAGE_CHARS / MIN_CHUNK_CHARS);
/** Most messages being reassembled at once; a new one beyond this drops the oldest. */
export const MAX_PARTIAL_MESSAGES = 4;
/** Most characters held in partial messages altogether (one largest message plus small ones). */
export const MAX_PENDING_CHARS = MAX_MESSAGE_CHARS + 64 * 1024 * 1024;
const MAX_MID_LENGTH = 64;

interface Chunk {
  readonly mid: string;
  readonly seq: number;
  readonly count: number;
  readonly text: string;
}

let sequence = 0;
const hasOwn = Object.prototype.hasOwnProperty;

/** JSON text with every Uint8Array as {"$bytes": base64}. */
export function encodeJson(message: unknown): string {
  return JSON.stringify(message, (_key, value: unknown) => (value instanceof Uint8Array ? { $bytes: encodeBase64(value) } : value));
}

/** Splits an encoded message into what the bridge carries: the JSON value itself or chunk envelopes. */
export function toWire(message: unknown, chunkChars = DEFAULT_CHUNK_CHARS): unknown[] {
  if (!Number.isInteger(chunkChars) || chunkChars < MIN_CHUNK_CHARS) throw new RangeError(`chunkChars must be an integer ≥ ${MIN_CHUNK_CHARS}`);
  const text = encodeJson(message);
  if (text.length <= chunkChars) return [JSON.parse(text) as unknown];
  const mid = `m${Date.now().toString(36)}${Math.floor(Math.random() * 0x100000000).toString(36)}-${(sequence++).toString(36)}`;
  const texts: string[] = [];
  for (let start = 0; start < text.length; ) {
    let end = Math.min(text.length, start + chunkChars);
    // Never split a surrogate pair: a bridge that transcodes each piece to UTF-8 would mangle it.
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    texts.push(text.slice(start, end));
    start = end;
  }
  const count = texts.length;
  return texts.map((piece, seq) => ({ $chunk: { mid, seq, count, text: piece } }));
}

/** JSON.parse reviver: {"$bytes": string} (that key alone) back to a Uint8Array; bad base64 throws. */
function revive(_key: string, value: unknown): unknown {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === '$bytes') {
      const b = (value as { $bytes: unknown }).$bytes;
      if (typeof b === 'string') return decodeBase64(b);
    }
  }
  return value;
}

const own = (o: object, key: string): unknown => (hasOwn.call(o, key) ? (o as Record<string, unknown>)[key] : undefined);

/** null: not a chunk envelope; a reason string: a malformed one. */
function asChunk(value: unknown): Chunk | null | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !hasOwn.call(value, '$chunk')) return null;
  const c = own(value, '$chunk');
  if (typeof c !== 'object' || c === null || Array.isArray(c)) return 'chunk envelope is not an object';
  const mid = own(c, 'mid');
  const seq = own(c, 'seq');
  const count = own(c, 'count');
  const text = own(c, 'text');
  if (typeof mid !== 'string' || mid.length === 0 || mid.length > MAX_MID_LENGTH) return 'bad chunk mid';
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_CHUNK_COUNT) return 'bad chunk count';
  if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 0 || seq >= count) return 'chunk seq out of range';
  if (typeof text !== 'string') return 'chunk text is not a string';
  if (text.length > MAX_MESSAGE_CHARS) return 'chunk text too long';
  return { mid, seq, count, text };
}

/** What went wrong, without trusting the thrown value (`instanceof` would run a Proxy's traps). */
function describe(e: unknown): string {
  try {
    return e instanceof Error ? String(e.message) : typeof e;
  } catch {
    return typeof e;
  }
}

interface PartialMessage {
  readonly count: number;
  readonly parts: Map<number, string>;
  chars: number;
}

/** Turns what the bridge delivers back into messages. One instance per receiving endpoint. */
export class Reassembler {
  private readonly partial = new Map<string, PartialMessage>();
  private pendingChars = 0;
  constructor(private readonly log: Logger = silentLogger) {}

  /** Messages being reassembled now (never more than MAX_PARTIAL_MESSAGES). */
  get pending(): number {
    return this.partial.size;
  }

  /** Characters held in partial messages now (never more than MAX_PENDING_CHARS). */
  get pendingCharacters(): number {
    return this.pendingChars;
  }

  /**
   * A whole decoded message, or null while chunks are missing or when the input was invalid
   * (logged). `raw` is a JSON-parsed value or a JSON string. Never throws.
   */
  accept(raw: unknown): unknown {
    try {
      let value = raw;
      let revived = false;
      if (typeof value === 'string') {
        if (value.length > MAX_MESSAGE_CHARS) return this.drop('message text too long');
        value = JSON.parse(value, revive); // a fresh tree; {$bytes} inside a chunk envelope makes it malformed
        revived = true;
      }
      const chunk = asChunk(value);
      if (typeof chunk === 'string') return this.drop(chunk);
      if (chunk !== null) return this.addChunk(chunk);
      if (revived) return value;
      // Already parsed by the bridge: re-serialise to revive {$bytes} (and to shed getters,
      // prototypes and anything JSON cannot carry; cycles and BigInt throw and are dropped).
      const text = JSON.stringify(value);
      if (typeof text !== 'string') return this.drop('not a JSON value');
      if (text.length > MAX_MESSAGE_CHARS) return this.drop('message too long');
      return JSON.parse(text, revive);
    } catch (e) {
      return this.drop(`undecodable message (${describe(e)})`);
    }
  }

  private addChunk(chunk: Chunk): unknown {
    let entry = this.partial.get(chunk.mid);
    if (!entry) {
      while (this.partial.size >= MAX_PARTIAL_MESSAGES) this.evictOldest('too many partial messages at once');
      entry = { count: chunk.count, parts: new Map(), chars: 0 };
      this.partial.set(chunk.mid, entry);
    }
    if (entry.count !== chunk.count) return this.drop(`chunk count changed for ${chunk.mid}`, chunk.mid);
    if (entry.parts.has(chunk.seq)) return this.drop(`duplicate chunk ${chunk.seq} of ${chunk.mid}`, chunk.mid);
    if (entry.chars + chunk.text.length > MAX_MESSAGE_CHARS) return this.drop(`message ${chunk.mid} is too large`, chunk.mid);
    while (this.pendingChars + chunk.text.length > MAX_PENDING_CHARS && this.partial.size > 1) {
      this.evictOldest('too many characters pending', chunk.mid);
    }
    entry.parts.set(chunk.seq, chunk.text);
    entry.chars += chunk.text.length;
    this.pendingChars += chunk.text.length;
    if (entry.parts.size < entry.count) return null;
    this.remove(chunk.mid);
    const texts: string[] = [];
    for (let seq = 0; seq < entry.count; seq++) texts.push(entry.parts.get(seq) as string);
    return JSON.parse(texts.join(''), revive);
  }

  private remove(mid: string): void {
    const entry = this.partial.get(mid);
    if (!entry) return;
    this.pendingChars -= entry.chars;
    this.partial.delete(mid);
  }

  private evictOldest(reason: string, keep?: string): void {
    for (const mid of this.partial.keys()) {
      if (mid === keep) continue;
      this.remove(mid);
      this.log(`dropped partial webview message ${mid}: ${reason}`);
      return;
    }
  }

  private drop(reason: string, mid?: string): null {
    if (mid !== undefined) this.remove(mid);
    this.log(`ignored webview message: ${reason}`);
    return null;
  }
}

export interface WebviewPort {
  /** window.uxpHost.postMessage in the webview; the `<webview>` element's postMessage in the UXP panel. */
  readonly send: (message: unknown) => void;
  /** Where 'message' events arrive (window on both sides). */
  readonly target: {
    addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
    removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  };
}

export interface WebviewOptions {
  /** Longest JSON text sent as one message; longer ones are chunked. Default DEFAULT_CHUNK_CHARS. */
  readonly chunkChars?: number;
  readonly log?: Logger;
}

/**
 * An endpoint over the JSON-only bridge, for either side. Malformed input is logged and dropped
 * inside the listener; an exception thrown by `handler` itself propagates as from any listener.
 */
/** Used on both sides of the bridge: `Out` is what this side sends (HostMessage in the panel, FrameMessage in the webview). */
export function createWebviewEndpoint<Out extends HostMessage | FrameMessage>(port: WebviewPort, options: WebviewOptions = {}): Endpoint<Out> {
  const log = options.log ?? silentLogger;
  const chunkChars = options.chunkChars ?? DEFAULT_CHUNK_CHARS;
  if (!Number.isInteger(chunkChars) || chunkChars < MIN_CHUNK_CHARS) throw new RangeError(`chunkChars must be an integer ≥ ${MIN_CHUNK_CHARS}`);
  const reassembler = new Reassembler(log);
  return {
    send(message) {
      for (const piece of toWire(message, chunkChars)) port.send(piece);
    },
    listen(handler) {
      const listener = (event: { data: unknown }): void => {
        let data: unknown;
        try {
          data = event.data;
        } catch {
          return log('ignored webview message: unreadable event');
        }
        const whole = reassembler.accept(data);
        if (whole !== null) handler(whole);
      };
      port.target.addEventListener('message', listener);
      return () => port.target.removeEventListener('message', listener);
    },
  };
}
