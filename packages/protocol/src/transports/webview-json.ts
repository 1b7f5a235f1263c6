/**
 * Photoshop UXP `<webview>` bridge: "the message is stringified & parsed by JSON", so binary
 * cannot cross as it is. Uint8Array values become `{ "$bytes": "<base64>" }`, and a message whose
 * JSON text is longer than the chunk limit travels as bounded `{ "$chunk": {mid, seq, count, text} }`
 * pieces that the receiver reassembles. The reassembler is written for hostile input: bounded
 * message size, bounded number of partial messages (the oldest is dropped), strict chunk checks.
 */
import { decodeBase64, encodeBase64 } from '../base64.js';
import { LIMITS } from '../messages.js';
import type { Endpoint, Logger } from './types.js';
import { silentLogger } from './types.js';

export const DEFAULT_CHUNK_CHARS = 512 * 1024;
/** Largest reassembled JSON text: an RGBA image at the protocol's pixel limit as base64, plus slack. */
export const MAX_MESSAGE_CHARS = Math.ceil((LIMITS.maxPixels * 4 * 4) / 3) + 16 * 1024 * 1024;
export const MAX_PARTIAL_MESSAGES = 4;

interface Chunk {
  readonly mid: string;
  readonly seq: number;
  readonly count: number;
  readonly text: string;
}

let sequence = 0;

/** JSON text with Uint8Array as {$bytes}. */
export function encodeJson(message: unknown): string {
  return JSON.stringify(message, (_key, value: unknown) => (value instanceof Uint8Array ? { $bytes: encodeBase64(value) } : value));
}

/** Splits an encoded message into what the bridge carries: the text itself or chunk envelopes. */
export function toWire(message: unknown, chunkChars = DEFAULT_CHUNK_CHARS): unknown[] {
  const text = encodeJson(message);
  if (text.length <= chunkChars) return [JSON.parse(text) as unknown];
  const mid = `m${Date.now().toString(36)}-${(sequence++).toString(36)}`;
  const count = Math.ceil(text.length / chunkChars);
  const out: unknown[] = [];
  for (let seq = 0; seq < count; seq++) out.push({ $chunk: { mid, seq, count, text: text.slice(seq * chunkChars, (seq + 1) * chunkChars) } });
  return out;
}

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

function asChunk(value: unknown): Chunk | null | 'invalid' {
  if (typeof value !== 'object' || value === null || !Object.prototype.hasOwnProperty.call(value, '$chunk')) return null;
  const c = (value as { $chunk: unknown }).$chunk;
  if (typeof c !== 'object' || c === null) return 'invalid';
  const { mid, seq, count, text } = c as Record<string, unknown>;
  const maxCount = Math.ceil(MAX_MESSAGE_CHARS / 1024);
  if (typeof mid !== 'string' || mid.length === 0 || mid.length > 64) return 'invalid';
  if (!Number.isInteger(count) || (count as number) < 1 || (count as number) > maxCount) return 'invalid';
  if (!Number.isInteger(seq) || (seq as number) < 0 || (seq as number) >= (count as number)) return 'invalid';
  if (typeof text !== 'string') return 'invalid';
  return { mid, seq: seq as number, count: count as number, text };
}

interface Partial {
  readonly count: number;
  readonly parts: (string | undefined)[];
  received: number;
  chars: number;
}

export class Reassembler {
  private readonly partial = new Map<string, Partial>();
  constructor(private readonly log: Logger = silentLogger) {}

  get pending(): number {
    return this.partial.size;
  }

  /** A whole decoded message, or null while chunks are missing or when the input was invalid. */
  accept(raw: unknown): unknown {
    try {
      let value = raw;
      if (typeof value === 'string') {
        if (value.length > MAX_MESSAGE_CHARS) return this.drop('message text too long');
        value = JSON.parse(value);
      }
      const chunk = asChunk(value);
      if (chunk === 'invalid') return this.drop('malformed chunk');
      if (chunk === null) return JSON.parse(JSON.stringify(value), revive);
      return this.addChunk(chunk);
    } catch (e) {
      return this.drop(`undecodable message (${e instanceof Error ? e.message : typeof e})`);
    }
  }

  private addChunk(chunk: Chunk): unknown {
    let entry = this.partial.get(chunk.mid);
    if (!entry) {
      if (this.partial.size >= MAX_PARTIAL_MESSAGES) {
        const oldest = this.partial.keys().next().value as string;
        this.partial.delete(oldest);
        this.log(`dropped partial message ${oldest}: too many at once`);
      }
      entry = { count: chunk.count, parts: new Array<string | undefined>(chunk.count), received: 0, chars: 0 };
      this.partial.set(chunk.mid, entry);
    }
    if (entry.count !== chunk.count) return this.drop(`chunk count changed for ${chunk.mid}`, chunk.mid);
    if (entry.parts[chunk.seq] !== undefined) return this.drop(`duplicate chunk ${chunk.seq} of ${chunk.mid}`, chunk.mid);
    entry.chars += chunk.text.length;
    if (entry.chars > MAX_MESSAGE_CHARS) return this.drop(`message ${chunk.mid} is too large`, chunk.mid);
    entry.parts[chunk.seq] = chunk.text;
    entry.received++;
    if (entry.received < entry.count) return null;
    this.partial.delete(chunk.mid);
    return JSON.parse(entry.parts.join(''), revive);
  }

  private drop(reason: string, mid?: string): null {
    if (mid !== undefined) this.partial.delete(mid);
    this.log(`ignored webview message: ${reason}`);
    return null;
  }
}

export interface WebviewPort {
  /** window.uxpHost.postMessage in the webview; webviewElement.postMessage in the UXP panel. */
  readonly send: (message: unknown) => void;
  /** Where 'message' events arrive (window on both sides). */
  readonly target: {
    addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
    removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  };
}

export function createWebviewEndpoint(port: WebviewPort, options: { chunkChars?: number; log?: Logger } = {}): Endpoint {
  const log = options.log ?? silentLogger;
  const reassembler = new Reassembler(log);
  return {
    send(message) {
      for (const piece of toWire(message, options.chunkChars)) port.send(piece);
    },
    listen(handler) {
      const listener = (event: { data: unknown }): void => {
        const whole = reassembler.accept(event.data);
        if (whole !== null) handler(whole);
      };
      port.target.addEventListener('message', listener);
      return () => port.target.removeEventListener('message', listener);
    },
  };
}
