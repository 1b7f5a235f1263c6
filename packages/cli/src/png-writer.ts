/**
 * PNG encoder for the CLI's outputs: 8-bit greyscale, RGB or RGBA, non-interlaced.
 *
 * Every row gets the "Up" filter, four bytes at a time on 32-bit words (SWAR), with the Adler-32 taken
 * on the same words. Strips of filtered rows are deflated on libuv's thread pool (async zlib) while
 * this thread filters the next; non-final strips end with Z_SYNC_FLUSH (byte-aligned, no final
 * block), so they concatenate into one deflate stream (as pigz does), wrapped in a zlib header and
 * the Adler-32. Settings measured on a 24 MP CLI cut-out (npm run bench:png): at zlib level 1, Up
 * gave the smallest files of the single filters (Sub +17 %, Paeth +4 % and 3× slower in JS; a per-row
 * choice by least absolute sum did no better than Paeth); level 1 is the cheapest level (2: −4 % size,
 * +30 % CPU) and already a third smaller than sharp's level 6 without filtering, used before.
 */
import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

/** Rows of 8-bit pixels, `channels` bytes each, packed without padding. */
export interface RawPixels {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3 | 4;
}

export interface PngOptions {
  /** Write 4-channel input as RGB (colour type 2), dropping its alpha. */
  readonly dropAlpha?: boolean;
  /** zlib level (1–9). */
  readonly level?: number;
  /** Filtered bytes per deflate strip (one strip below twice this). */
  readonly stripBytes?: number;
}

const DEFAULT_LEVEL = 1;
const DEFAULT_STRIP_BYTES = 4 << 20;
const IDAT_BYTES = 1 << 20;
/** Strips compressing at once: libuv's default thread pool has 4 threads; more only queue and hold memory. */
const IN_FLIGHT = Math.max(2, Math.min(4, availableParallelism()));
/** Bytes per Adler-32 block: the sums stay below 2^31 (V8's small integers) between modulos. */
const ADLER_BLOCK = 3800;
const ADLER_MOD = 65521;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const deflateRaw = promisify(zlib.deflateRaw);

let crcTable: Uint32Array | undefined;

/** CRC-32 (ISO 3309, as PNG chunks use) with a lookup table: the fallback where Node lacks zlib.crc32 (before 20.15). */
export function tableCrc32(data: Uint8Array, value = 0): number {
  const table = (crcTable ??= new Uint32Array(256).map((_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c;
  }));
  let c = ~value;
  for (let i = 0; i < data.length; i++) c = (table[(c ^ (data[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return ~c >>> 0;
}

const crc32: (data: Uint8Array, value?: number) => number = typeof zlib.crc32 === 'function' ? zlib.crc32 : tableCrc32;

/** Adler-32 `adler` continued over data[start, end). */
function adler32(adler: number, data: Uint8Array, start: number, end: number): number {
  let a = adler & 0xffff;
  let b = adler >>> 16;
  for (let i = start; i < end; ) {
    const stop = Math.min(end, i + ADLER_BLOCK);
    for (; i < stop; i++) {
      a += data[i] as number;
      b += a;
    }
    a %= ADLER_MOD;
    b %= ADLER_MOD;
  }
  return ((b << 16) | a) >>> 0;
}

/** A row buffer, word-aligned, seen as bytes and as 32-bit words. */
interface Row {
  readonly bytes: Uint8Array;
  readonly words: Uint32Array;
}

function newRow(stride: number): Row {
  const words = new Uint32Array((stride + 3) >> 2);
  return { bytes: new Uint8Array(words.buffer), words };
}

/** The input, `stride` bytes a row written of it; `words`: the input as 32-bit words where aligned (little-endian only). */
interface Source {
  readonly px: RawPixels;
  readonly dropAlpha: boolean;
  readonly stride: number;
  readonly words: Uint32Array | undefined;
}

/** Copies row `y` of the input into `row` (as RGB when dropping alpha). */
function loadRow(src: Source, y: number, row: Row): void {
  const { px, words } = src;
  const inStride = px.width * px.channels;
  const start = y * inStride;
  if (!src.dropAlpha) {
    row.bytes.set(px.data.subarray(start, start + inStride));
    return;
  }
  let done = 0;
  if (words) {
    // Four RGBA pixels (words) make three RGB words: r0g0b0r1, g1b1r2g2, b2r3g3b3 (little-endian).
    done = px.width & ~3;
    const out = row.words;
    for (let i = start >> 2, o = 0, end = (start >> 2) + done; i < end; i += 4, o += 3) {
      const p0 = words[i] as number;
      const p1 = words[i + 1] as number;
      const p2 = words[i + 2] as number;
      const p3 = words[i + 3] as number;
      out[o] = (p0 & 0xffffff) | (p1 << 24);
      out[o + 1] = ((p1 >>> 8) & 0xffff) | (p2 << 16);
      out[o + 2] = ((p2 >>> 16) & 0xff) | (p3 << 8);
    }
  }
  const [data, bytes] = [px.data, row.bytes];
  for (let i = start + done * 4, o = done * 3, end = start + inStride; i < end; i += 4, o += 3) {
    bytes[o] = data[i] as number;
    bytes[o + 1] = data[i + 1] as number;
    bytes[o + 2] = data[i + 2] as number;
  }
}

/** Row buffers carried from strip to strip: `prev` holds the row above the next one (zeros at first). */
interface RowState {
  prev: Row;
  cur: Row;
  readonly diff: Row;
}

/**
 * Filters rows [y0, y1) with "Up" into `out` (per row: the filter-type byte, then `stride` bytes) and
 * returns the Adler-32 continued over them. On little-endian machines the sums are taken on the words
 * as they are filtered (4 bytes p1..p4 after sums a, b: b += 4a + 4p1 + 3p2 + 2p3 + p4, a += p1 + .. + p4).
 */
function filterStrip(src: Source, y0: number, y1: number, rows: RowState, out: Uint8Array, adler: number): number {
  const stride = src.stride;
  const words = rows.diff.words.length;
  const summed = LITTLE_ENDIAN ? stride >> 2 : 0;
  const diff = rows.diff.words;
  const diffBytes = rows.diff.bytes.subarray(0, stride);
  for (let y = y0, o = 0; y < y1; y++, o += stride + 1) {
    const { prev, cur } = rows;
    loadRow(src, y, cur);
    const c = cur.words;
    const p = prev.words;
    let a = (adler & 0xffff) + 2; // the filter-type byte
    let b = ((adler >>> 16) + a) % ADLER_MOD;
    // Byte-wise c − p (mod 256), four bytes at once, with no borrow crossing a byte.
    for (let i = 0; i < summed; ) {
      const stop = Math.min(summed, i + (ADLER_BLOCK >> 2));
      for (; i < stop; i++) {
        const x = c[i] as number;
        const q = p[i] as number;
        const d = ((x | 0x80808080) - (q & 0x7f7f7f7f)) ^ ((x ^ ~q) & 0x80808080);
        diff[i] = d;
        const p1 = d & 0xff;
        const p2 = p1 + ((d >>> 8) & 0xff);
        const p3 = p2 + ((d >>> 16) & 0xff);
        const p4 = p3 + (d >>> 24);
        b += 4 * a + p1 + p2 + p3 + p4;
        a += p4;
      }
      a %= ADLER_MOD;
      b %= ADLER_MOD;
    }
    for (let i = summed; i < words; i++) {
      const x = c[i] as number;
      const q = p[i] as number;
      diff[i] = ((x | 0x80808080) - (q & 0x7f7f7f7f)) ^ ((x ^ ~q) & 0x80808080);
    }
    adler = adler32((((b % ADLER_MOD) << 16) | (a % ADLER_MOD)) >>> 0, diffBytes, summed << 2, stride);
    out[o] = 2;
    out.set(diffBytes, o + 1);
    rows.prev = cur;
    rows.cur = prev;
  }
  return adler;
}

/** Writes chunk `type` with `data` into `out` at `pos`; returns the position after it. */
function putChunk(out: Buffer, pos: number, type: string, data: Uint8Array): number {
  out.writeUInt32BE(data.length, pos);
  out.write(type, pos + 4, 'latin1');
  out.set(data, pos + 8);
  out.writeUInt32BE(crc32(out.subarray(pos + 4, pos + 8 + data.length)), pos + 8 + data.length);
  return pos + 12 + data.length;
}

/** The PNG file's bytes for `px`. */
export async function encodePng(px: RawPixels, options: PngOptions = {}): Promise<Buffer> {
  const { width, height, channels } = px;
  const dropAlpha = options.dropAlpha === true && channels === 4;
  const level = options.level ?? DEFAULT_LEVEL;
  const valid = (n: number): boolean => Number.isInteger(n) && n >= 1 && n <= 0x7fffffff;
  if (!valid(width) || !valid(height)) throw new RangeError(`PNG size ${width}×${height} is not valid.`);
  if (px.data.length < width * height * channels) throw new RangeError(`${px.data.length} bytes are too few for ${width}×${height}×${channels}.`);
  const outChannels = dropAlpha ? 3 : channels;
  const stride = width * outChannels;
  const rowsPerStrip = Math.max(1, Math.floor((options.stripBytes ?? DEFAULT_STRIP_BYTES) / (stride + 1)));
  const strips = Math.max(1, Math.floor(height / rowsPerStrip));
  const rows: RowState = { prev: newRow(stride), cur: newRow(stride), diff: newRow(stride) };
  const aligned = LITTLE_ENDIAN && dropAlpha && px.data.byteOffset % 4 === 0;
  const words = aligned ? new Uint32Array(px.data.buffer, px.data.byteOffset, px.data.byteLength >> 2) : undefined;
  const src: Source = { px, dropAlpha, stride, words };

  const pending: Promise<Buffer>[] = [];
  let adler = 1;
  for (let s = 0; s < strips; s++) {
    if (s >= IN_FLIGHT) await pending[s - IN_FLIGHT];
    // Rows split as evenly as whole rows allow; the last strip takes what is left.
    const y0 = Math.floor((s * height) / strips);
    const y1 = Math.floor(((s + 1) * height) / strips);
    const filtered = new Uint8Array((y1 - y0) * (stride + 1));
    adler = filterStrip(src, y0, y1, rows, filtered, adler);
    const finishFlush = s === strips - 1 ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH;
    // One output buffer above deflate's worst case: with the default 16 KiB, each piece of output is a
    // round trip through this (busy) thread, and the pool threads wait on it.
    const job = deflateRaw(filtered, { level, finishFlush, chunkSize: filtered.length + (filtered.length >> 8) + 1024 });
    job.catch(() => undefined); // awaited below; not an unhandled rejection if an earlier one fails first
    pending.push(job);
  }
  const deflated = await Promise.all(pending);

  // zlib header: deflate with a 32 KiB window, FLEVEL 0 (fastest), check bits so that it is a multiple of 31.
  const trailer = Buffer.alloc(4);
  trailer.writeUInt32BE(adler);
  const stream = Buffer.concat([Buffer.from([0x78, 0x01]), ...deflated, trailer]);
  const idats = Math.ceil(stream.length / IDAT_BYTES);
  const out = Buffer.allocUnsafe(SIGNATURE.length + 25 + stream.length + 12 * idats + 12);
  out.set(SIGNATURE, 0);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth; then compression, filter method and interlace are all 0
  ihdr[9] = outChannels === 1 ? 0 : outChannels === 3 ? 2 : 6;
  let pos = putChunk(out, SIGNATURE.length, 'IHDR', ihdr);
  for (let i = 0; i < idats; i++) pos = putChunk(out, pos, 'IDAT', stream.subarray(i * IDAT_BYTES, (i + 1) * IDAT_BYTES));
  putChunk(out, pos, 'IEND', new Uint8Array(0));
  return out;
}
