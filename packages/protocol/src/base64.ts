/**
 * Base64 for Uint8Array without Buffer, atob or btoa: the Figma sandbox has no atob, and the
 * Photoshop webview bridge needs binary as text. Standard alphabet with `=` padding; decoding
 * rejects anything else (whitespace, URL-safe characters, bad padding) with an Error.
 * Encoding writes ASCII codes into a byte buffer and turns that into a string in one go
 * (TextDecoder where the engine has one, String.fromCharCode in slices otherwise): string
 * concatenation per character is ~40× slower on multi-MB images.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const CODES = new Uint8Array(64);
const LOOKUP = new Int16Array(256).fill(-1);
for (let i = 0; i < 64; i++) {
  CODES[i] = ALPHABET.charCodeAt(i);
  LOOKUP[ALPHABET.charCodeAt(i)] = i;
}
const PAD = 61; // '='
/** Characters per String.fromCharCode call (well under engines' argument limits). */
const SLICE = 0x2000;

// Looked up on globalThis: the Figma sandbox's typings (and some bare VMs) have no TextDecoder.
type Decoder = { decode(bytes: Uint8Array): string };
const Utf8Decoder = (typeof globalThis === 'object' ? (globalThis as { TextDecoder?: new () => Decoder }).TextDecoder : undefined);
const decoder: Decoder | null = typeof Utf8Decoder === 'function' ? new Utf8Decoder() : null;

function asciiToString(codes: Uint8Array): string {
  // The output is pure ASCII, so UTF-8 decoding is exact (and has a fast path in every engine).
  if (decoder) return decoder.decode(codes);
  const parts: string[] = [];
  for (let i = 0; i < codes.length; i += SLICE) {
    parts.push(String.fromCharCode.apply(null, codes.subarray(i, i + SLICE) as unknown as number[]));
  }
  return parts.join('');
}

export function encodeBase64(bytes: Uint8Array): string {
  const n = bytes.length;
  const whole = n - (n % 3);
  const out = new Uint8Array(Math.ceil(n / 3) * 4);
  let o = 0;
  for (let i = 0; i < whole; i += 3) {
    const x = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out[o] = CODES[x >> 18] as number;
    out[o + 1] = CODES[(x >> 12) & 63] as number;
    out[o + 2] = CODES[(x >> 6) & 63] as number;
    out[o + 3] = CODES[x & 63] as number;
    o += 4;
  }
  if (n - whole === 1) {
    const x = (bytes[whole] as number) << 16;
    out[o] = CODES[x >> 18] as number;
    out[o + 1] = CODES[(x >> 12) & 63] as number;
    out[o + 2] = PAD;
    out[o + 3] = PAD;
  } else if (n - whole === 2) {
    const x = ((bytes[whole] as number) << 16) | ((bytes[whole + 1] as number) << 8);
    out[o] = CODES[x >> 18] as number;
    out[o + 1] = CODES[(x >> 12) & 63] as number;
    out[o + 2] = CODES[(x >> 6) & 63] as number;
    out[o + 3] = PAD;
  }
  return asciiToString(out);
}

/** Value of one base64 character, or -1 (characters beyond U+00FF included). */
function sextet(code: number): number {
  return code < 256 ? (LOOKUP[code] as number) : -1;
}

export function decodeBase64(text: string): Uint8Array {
  if (typeof text !== 'string') throw new Error('base64 input must be a string');
  if (text.length % 4 !== 0) throw new Error(`base64 length ${text.length} is not a multiple of 4`);
  let pad = 0;
  if (text.length > 0 && text.charCodeAt(text.length - 1) === PAD) pad = text.charCodeAt(text.length - 2) === PAD ? 2 : 1;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  const whole = pad > 0 ? text.length - 4 : text.length;
  let o = 0;
  for (let i = 0; i < whole; i += 4) {
    const a = sextet(text.charCodeAt(i));
    const b = sextet(text.charCodeAt(i + 1));
    const c = sextet(text.charCodeAt(i + 2));
    const d = sextet(text.charCodeAt(i + 3));
    if ((a | b | c | d) < 0) throw new Error(`invalid base64 near offset ${i}`);
    const x = (a << 18) | (b << 12) | (c << 6) | d;
    out[o] = x >> 16;
    out[o + 1] = (x >> 8) & 255;
    out[o + 2] = x & 255;
    o += 3;
  }
  if (pad > 0) {
    const i = whole;
    const a = sextet(text.charCodeAt(i));
    const b = sextet(text.charCodeAt(i + 1));
    const c = pad === 2 ? 0 : sextet(text.charCodeAt(i + 2));
    if ((a | b | c) < 0) throw new Error(`invalid base64 near offset ${i}`);
    const x = (a << 18) | (b << 12) | (c << 6);
    out[o] = x >> 16;
    if (pad === 1) out[o + 1] = (x >> 8) & 255;
  }
  return out;
}
