/**
 * What the downloaded bytes are, from their signature (a temporary URL's content type is not
 * documented): raster formats the browser decodes go on; an SVG (vector: a raster cut-out would
 * replace it with pixels) and an animated GIF (the animation would be lost) are refused.
 */
export type ImageKind = 'png' | 'jpeg' | 'webp' | 'gif' | 'svg' | 'heic' | 'tiff' | 'unknown';

const startsWith = (bytes: Uint8Array, sig: readonly number[], at = 0): boolean => sig.every((b, i) => bytes[at + i] === b);
const ascii = (bytes: Uint8Array, from: number, to: number): string => String.fromCharCode(...bytes.subarray(from, to));

export function sniffImage(bytes: Uint8Array): ImageKind {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47])) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'webp';
  if (ascii(bytes, 0, 4) === 'GIF8') return 'gif';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (ascii(bytes, 4, 8) === 'ftyp' && /^(heic|heix|mif1|msf1|heim|heis|avif)$/.test(ascii(bytes, 8, 12))) return 'heic';
  const head = new TextDecoder().decode(bytes.subarray(0, 512)).trimStart().toLowerCase();
  if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg'))) return 'svg';
  return 'unknown';
}

/** Skips one GIF sub-block chain starting at `i`; returns the index after its terminator. */
function skipSubBlocks(bytes: Uint8Array, i: number): number {
  let p = i;
  while (p < bytes.length) {
    const size = bytes[p] as number;
    p += 1 + size;
    if (size === 0) return p;
  }
  return p;
}

/** Whether a GIF has more than one frame (walks the block structure; GIF89a spec). */
export function isAnimatedGif(bytes: Uint8Array): boolean {
  if (sniffImage(bytes) !== 'gif' || bytes.length < 13) return false;
  const flags = bytes[10] as number;
  let p = 13 + (flags & 0x80 ? 3 * 2 ** ((flags & 7) + 1) : 0);
  let frames = 0;
  while (p < bytes.length) {
    const block = bytes[p];
    if (block === 0x2c) {
      frames++;
      if (frames > 1) return true;
      const local = bytes[p + 9] as number;
      p += 10 + (local & 0x80 ? 3 * 2 ** ((local & 7) + 1) : 0);
      p = skipSubBlocks(bytes, p + 1); // LZW minimum code size, then the data
    } else if (block === 0x21) {
      p = skipSubBlocks(bytes, p + 2);
    } else {
      return false; // 0x3b trailer, or garbage
    }
  }
  return false;
}
