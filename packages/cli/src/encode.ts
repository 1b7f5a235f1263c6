/** RgbaImage / alpha bytes → PNG file, written atomically (temp file + rename). */
import { rename, unlink, writeFile } from 'node:fs/promises';
import { CoreError, type CutoutRows, type RgbaImage } from '@cutout/core';
import { createPngEncoder, encodePng, type PngEncoder } from './png-writer.js';

/**
 * The PNG comes from ./png-writer.ts ("Up" filter, zlib level 1, strips deflated in parallel), not
 * sharp's level 6 without adaptive filtering used before: on a 24 MP cut-out (npm run bench:png)
 * about 0.75× the CPU time, spread over the cores, and files a third smaller (RGB 40 %).
 */
async function writeAtomic(png: Buffer, path: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, png);
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}

export async function writeRgbaPng(image: RgbaImage, path: string, opaque = false): Promise<void> {
  const data = new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  await writeAtomic(await encodePng({ data, width: image.width, height: image.height, channels: 4 }, { dropAlpha: opaque }), path);
}

export async function writeAlphaPng(alpha: Uint8Array, width: number, height: number, path: string): Promise<void> {
  await writeAtomic(await encodePng({ data: alpha, width, height, channels: 1 }), path);
}

/** A cut-out's PNG file, encoded from its strips as they are composed. */
export interface CutoutPngSink {
  /** For `CutoutOptions.onRows`. */
  readonly onRows: (strip: CutoutRows) => Promise<void>;
  /** Finishes the PNG and writes it (atomically), once the cut-out is done. */
  close(): Promise<void>;
}

/**
 * `remover.cutoutFrom(image, result, { ...options, onRows: sink.onRows })`, then `sink.close()`: the
 * same file as writeRgbaPng of the cut-out, but its strips are deflated (on the thread pool) while
 * the next ones are composed. Nothing is written unless `close` is reached.
 */
export function createCutoutPngSink(path: string, opaque = false): CutoutPngSink {
  let encoder: PngEncoder | undefined;
  return {
    async onRows(strip) {
      encoder ??= createPngEncoder({ width: strip.width, height: strip.height, channels: 4 }, { dropAlpha: opaque });
      await encoder.push(new Uint8Array(strip.data.buffer, strip.data.byteOffset, strip.data.byteLength), strip.rows);
    },
    async close() {
      if (!encoder) throw new CoreError('invalid_argument', `No rows of ${path} were composed; nothing to write.`);
      await writeAtomic(await encoder.finish(), path);
    },
  };
}
