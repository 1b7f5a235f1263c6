/**
 * Real image bytes for the Canva views under happy-dom. happy-dom has no canvas backend, so the
 * two browser calls the frame's `decodeImage` makes (`createImageBitmap` on a Blob, then an
 * OffscreenCanvas 2D `getImageData`) are provided here on top of sharp: the app's own decode path
 * runs on real PNG files. Test pictures are made and uploads read back with sharp too, never with
 * the code under test.
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import type { RgbaImage } from '@cutout/core';

interface Bitmap {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
  close(): void;
}

/** Decoded files by content: a file decoded once comes back at once (no thread-pool hop), as from a fast decoder. */
const decoded = new Map<string, Bitmap>();

async function decodeWithSharp(blob: Blob): Promise<Bitmap> {
  const bytes = Buffer.from(await blob.arrayBuffer());
  const key = createHash('sha1').update(bytes).digest('hex');
  const known = decoded.get(key);
  if (known) return known;
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const bitmap = { width: info.width, height: info.height, data: new Uint8Array(data), close: () => undefined };
  decoded.set(key, bitmap);
  return bitmap;
}

class SharpCanvas {
  constructor(
    readonly width: number,
    readonly height: number,
  ) {}
  getContext(): unknown {
    let drawn: Bitmap | null = null;
    return {
      drawImage: (bitmap: Bitmap) => (drawn = bitmap),
      getImageData: () => ({ data: new Uint8ClampedArray(drawn?.data ?? new Uint8Array(this.width * this.height * 4)) }),
    };
  }
}

/** Replaces happy-dom's non-decoding createImageBitmap / OffscreenCanvas for this test file. */
export function installImageDecoding(): void {
  Object.assign(globalThis, { createImageBitmap: decodeWithSharp, OffscreenCanvas: SharpCanvas });
}

/**
 * A photo-like test picture: a dark, slightly textured background on the left and a bright
 * subject on the right, split at `width / 2` (where the fake model puts its edge too).
 */
export function splitPicture(width: number, height: number): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const subject = x >= width / 2;
      const n = (x * 13 + y * 7) % 9;
      data.set(subject ? [230 - n, 190 + n, 120, 255] : [30 + n, 60, 90 - n, 255], (y * width + x) * 4);
    }
  }
  return { width, height, data };
}

/** The picture as a PNG file (decoded once here, so the app's decode of it does not wait on sharp). */
export async function pngOf(image: RgbaImage): Promise<Uint8Array> {
  const png = new Uint8Array(await sharp(Buffer.from(image.data), { raw: { width: image.width, height: image.height, channels: 4 } }).png().toBuffer());
  await decodeWithSharp(new Blob([png]));
  return png;
}

/** The pixel size and alpha channel of an uploaded `data:image/png;base64,…` URL. */
export async function alphaOfDataUrl(url: string): Promise<{ width: number; height: number; alpha: Uint8Array }> {
  const bytes = Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const alpha = new Uint8Array(info.width * info.height);
  for (let i = 0; i < alpha.length; i++) alpha[i] = data[i * 4 + 3]!;
  return { width: info.width, height: info.height, alpha };
}
