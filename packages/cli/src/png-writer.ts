/**
 * PNG encoder for the CLI's outputs: 8-bit greyscale, RGB or RGBA, non-interlaced; whole images
 * (`encodePng`) or rows as they are produced (`createPngEncoder`), with the same bytes for the same pixels.
 *
 * Every row gets the "Up" filter, with the Adler-32 taken as it is filtered (./png-filter.ts). Strips
 * of filtered rows are deflated on libuv's thread pool (async zlib) while this thread filters the next
 * (or, streaming, computes the next rows); non-final strips end with Z_SYNC_FLUSH (byte-aligned, no
 * final block), so they concatenate into one deflate stream (as pigz does), wrapped in a zlib header
 * and the Adler-32. The strips depend only on the image's size, never on how its rows arrive. Settings
 * measured on a 24 MP CLI cut-out (npm run bench:png): at zlib level 1, Up gave the smallest files of
 * the single filters (Sub +17 %, Paeth +4 % and 3× slower in JS; a per-row choice by least absolute
 * sum did no better than Paeth); level 1 is the cheapest level (2: −4 % size, +30 % CPU) and already
 * a third smaller than sharp's level 6 without filtering, used before.
 */
import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { CoreError } from '@cutout/core';
import { filterRows, newRowState, rowSource, type RowSource } from './png-filter.js';

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

/** A PNG being encoded from its rows, top to bottom. */
export interface PngEncoder {
  /**
   * Takes the next `rowCount` rows (packed pixels of the input's channels; default: all `rows` holds).
   * Await each push before the next (a push while one is pending fails with 'busy'): it resolves once
   * the rows are filtered, later when too many strips are still being deflated (back-pressure).
   * `rows` must stay unchanged until then. More rows than the image has: 'invalid_argument'.
   */
  push(rows: Uint8Array, rowCount?: number): Promise<void>;
  /** The PNG file's bytes, once every row is pushed ('invalid_argument' if some are missing). */
  finish(): Promise<Buffer>;
}

const DEFAULT_LEVEL = 1;
const DEFAULT_STRIP_BYTES = 4 << 20;
const IDAT_BYTES = 1 << 20;
/** Strips compressing at once: libuv's default thread pool has 4 threads; more only queue and hold memory. */
const IN_FLIGHT = Math.max(2, Math.min(4, availableParallelism()));
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

/** Writes chunk `type` with `data` into `out` at `pos`; returns the position after it. */
function putChunk(out: Buffer, pos: number, type: string, data: Uint8Array): number {
  out.writeUInt32BE(data.length, pos);
  out.write(type, pos + 4, 'latin1');
  out.set(data, pos + 8);
  out.writeUInt32BE(crc32(out.subarray(pos + 4, pos + 8 + data.length)), pos + 8 + data.length);
  return pos + 12 + data.length;
}

/** The file around the deflated strips: signature, IHDR, the zlib stream in IDAT chunks, IEND. */
function assemble(width: number, height: number, channels: number, deflated: Buffer[], adler: number): Buffer {
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
  ihdr[9] = channels === 1 ? 0 : channels === 3 ? 2 : 6;
  let pos = putChunk(out, SIGNATURE.length, 'IHDR', ihdr);
  for (let i = 0; i < idats; i++) pos = putChunk(out, pos, 'IDAT', stream.subarray(i * IDAT_BYTES, (i + 1) * IDAT_BYTES));
  putChunk(out, pos, 'IEND', new Uint8Array(0));
  return out;
}

/** An encoder for a `width`×`height` image of `channels` bytes a pixel, fed row by row. */
export function createPngEncoder(size: { width: number; height: number; channels: 1 | 3 | 4 }, options: PngOptions = {}): PngEncoder {
  const { width, height, channels } = size;
  const valid = (n: number): boolean => Number.isInteger(n) && n >= 1 && n <= 0x7fffffff;
  if (!valid(width) || !valid(height)) throw new RangeError(`PNG size ${width}×${height} is not valid.`);
  const dropAlpha = options.dropAlpha === true && channels === 4;
  const level = options.level ?? DEFAULT_LEVEL;
  const inStride = width * channels;
  const stride = width * (dropAlpha ? 3 : channels);
  const rowsPerStrip = Math.max(1, Math.floor((options.stripBytes ?? DEFAULT_STRIP_BYTES) / (stride + 1)));
  const strips = Math.max(1, Math.floor(height / rowsPerStrip));
  // Rows split as evenly as whole rows allow; the last strip takes what is left.
  const stripStart = (s: number): number => Math.floor((s * height) / strips);
  const rowState = newRowState(stride);
  const pending: Promise<Buffer>[] = [];
  let adler = 1;
  let y = 0; // rows taken
  let filtered: Uint8Array | undefined; // the current strip's filtered rows, from stripStart(pending.length)
  let busy = false;

  /** Filters rows [from, to) of `rows` (image rows y.., all within the current strip), deflating the strip once full. */
  function take(src: RowSource, from: number, to: number): void {
    const s = pending.length;
    const y0 = stripStart(s);
    const y1 = stripStart(s + 1);
    const strip = (filtered ??= new Uint8Array((y1 - y0) * (stride + 1)));
    adler = filterRows(src, from, to, rowState, strip, (y - y0) * (stride + 1), adler);
    y += to - from;
    if (y < y1) return;
    filtered = undefined;
    const finishFlush = s === strips - 1 ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH;
    // One output buffer above deflate's worst case: with the default 16 KiB, each piece of output is a
    // round trip through this (busy) thread, and the pool threads wait on it.
    const job = deflateRaw(strip, { level, finishFlush, chunkSize: strip.length + (strip.length >> 8) + 1024 });
    job.catch(() => undefined); // awaited later; not an unhandled rejection if an earlier one fails first
    pending.push(job);
  }

  return {
    async push(rows, rowCount = Math.floor(rows.length / inStride)) {
      if (busy) throw new CoreError('busy', 'PNG rows were pushed before the previous push finished.');
      if (!Number.isInteger(rowCount) || rowCount < 0 || y + rowCount > height) {
        throw new CoreError('invalid_argument', `${rowCount} more rows do not fit a PNG ${height} rows high with ${y} taken.`);
      }
      if (rows.length < rowCount * inStride) throw new CoreError('invalid_argument', `${rows.length} bytes are too few for ${rowCount} rows of ${inStride}.`);
      const src = rowSource(rows, width, channels, dropAlpha);
      busy = true;
      try {
        for (let done = 0; done < rowCount; ) {
          const s = pending.length;
          // Back-pressure: a new strip waits for the one IN_FLIGHT strips before it.
          if (filtered === undefined && s >= IN_FLIGHT) await pending[s - IN_FLIGHT];
          const n = Math.min(rowCount - done, stripStart(s + 1) - y);
          take(src, done, done + n);
          done += n;
        }
      } finally {
        busy = false;
      }
    },
    async finish() {
      if (busy) throw new CoreError('busy', 'The PNG was finished before its last push did.');
      if (y !== height) throw new CoreError('invalid_argument', `The PNG has ${y} of its ${height} rows; it cannot be finished.`);
      return assemble(width, height, stride / width, await Promise.all(pending), adler);
    },
  };
}

/** The PNG file's bytes for `px`. */
export async function encodePng(px: RawPixels, options: PngOptions = {}): Promise<Buffer> {
  const { width, height, channels } = px;
  const encoder = createPngEncoder(px, options);
  if (px.data.length < width * height * channels) throw new RangeError(`${px.data.length} bytes are too few for ${width}×${height}×${channels}.`);
  await encoder.push(px.data, height);
  return encoder.finish();
}
