/**
 * The PNG writer's per-row work on this thread (./png-writer.ts): rows loaded (RGBA → RGB when
 * dropping alpha), filtered with "Up", four bytes at a time on 32-bit words (SWAR), and the zlib
 * stream's Adler-32 taken on the same words as they are filtered.
 */
const ADLER_MOD = 65521;
/** Bytes per Adler-32 block: the sums stay below 2^31 (V8's small integers) between modulos. */
const ADLER_BLOCK = 3800;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

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

/** Consecutive input rows, `channels` bytes a pixel, packed; `stride`: the bytes a row written of them. */
export interface RowSource {
  readonly data: Uint8Array;
  readonly width: number;
  readonly channels: 1 | 3 | 4;
  readonly dropAlpha: boolean;
  readonly stride: number;
  /** `data` as 32-bit words where it is aligned (little-endian, dropping alpha only). */
  readonly words: Uint32Array | undefined;
}

export function rowSource(data: Uint8Array, width: number, channels: 1 | 3 | 4, dropAlpha: boolean): RowSource {
  const aligned = LITTLE_ENDIAN && dropAlpha && data.byteOffset % 4 === 0;
  const words = aligned ? new Uint32Array(data.buffer, data.byteOffset, data.byteLength >> 2) : undefined;
  return { data, width, channels, dropAlpha, stride: width * (dropAlpha ? 3 : channels), words };
}

/** Copies row `y` of the source into `row` (as RGB when dropping alpha). */
function loadRow(src: RowSource, y: number, row: Row): void {
  const { data, words, width } = src;
  const inStride = width * src.channels;
  const start = y * inStride;
  if (!src.dropAlpha) {
    row.bytes.set(data.subarray(start, start + inStride));
    return;
  }
  let done = 0;
  if (words) {
    // Four RGBA pixels (words) make three RGB words: r0g0b0r1, g1b1r2g2, b2r3g3b3 (little-endian).
    done = width & ~3;
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
  const bytes = row.bytes;
  for (let i = start + done * 4, o = done * 3, end = start + inStride; i < end; i += 4, o += 3) {
    bytes[o] = data[i] as number;
    bytes[o + 1] = data[i + 1] as number;
    bytes[o + 2] = data[i + 2] as number;
  }
}

/** Row buffers carried from row to row: `prev` holds the row above the next one (zeros at first). */
export interface RowState {
  prev: Row;
  cur: Row;
  readonly diff: Row;
}

export function newRowState(stride: number): RowState {
  return { prev: newRow(stride), cur: newRow(stride), diff: newRow(stride) };
}

/**
 * Filters source rows [y0, y1) with "Up" into `out` from byte `at` (per row: the filter-type byte,
 * then `stride` bytes) and returns the Adler-32 continued over them. On little-endian machines the
 * sums are taken on the words as they are filtered (4 bytes p1..p4 after sums a, b:
 * b += 4a + 4p1 + 3p2 + 2p3 + p4, a += p1 + .. + p4).
 */
export function filterRows(src: RowSource, y0: number, y1: number, rows: RowState, out: Uint8Array, at: number, adler: number): number {
  const stride = src.stride;
  const words = rows.diff.words.length;
  const summed = LITTLE_ENDIAN ? stride >> 2 : 0;
  const diff = rows.diff.words;
  const diffBytes = rows.diff.bytes.subarray(0, stride);
  for (let y = y0, o = at; y < y1; y++, o += stride + 1) {
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
