/**
 * File → RgbaImage with sharp: EXIF orientation applied, CMYK / greyscale / 16-bit / palette
 * converted to 8-bit sRGB RGBA, existing alpha kept. Images above `maxPixels` are downscaled on
 * load (aspect kept) and the caller is told; above `HARD_PIXEL_LIMIT` they are refused.
 */
import { stat } from 'node:fs/promises';
import sharp from 'sharp';
import { CoreError, type RgbaImage } from '@cutout/core';

/** Decoding beyond this many pixels is refused outright (decompression-bomb guard). */
export const HARD_PIXEL_LIMIT = 1_200_000_000;
/** Default downscale threshold: keeps peak RSS under 1.5 GB (measured 1.52 GB at 40 MP, see README). */
export const DEFAULT_MAX_PIXELS = 32_000_000;

export interface DecodedImage {
  readonly image: RgbaImage;
  readonly format: string;
  /** Size after orientation, before any downscale. */
  readonly originalWidth: number;
  readonly originalHeight: number;
  readonly downscaled: boolean;
}

function fitInside(w: number, h: number, maxPixels: number): { width: number; height: number } {
  const s = Math.sqrt(maxPixels / (w * h));
  return { width: Math.max(1, Math.floor(w * s)), height: Math.max(1, Math.floor(h * s)) };
}

export async function decodeImageFile(path: string, maxPixels = DEFAULT_MAX_PIXELS): Promise<DecodedImage> {
  let size: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new CoreError('io_error', `${path} is not a file.`);
    size = st.size;
  } catch (e) {
    if (e instanceof CoreError) throw e;
    throw new CoreError('io_error', `Cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`, { cause: e });
  }
  if (size === 0) throw new CoreError('empty_image', `${path} is an empty file (0 bytes).`);
  const options = { failOn: 'warning', limitInputPixels: HARD_PIXEL_LIMIT, sequentialRead: true } as const;
  try {
    const meta = await sharp(path, options).metadata();
    if (!meta.width || !meta.height) throw new CoreError('empty_image', `${path} has no pixels.`);
    const swap = (meta.orientation ?? 1) >= 5;
    const ow = swap ? meta.height : meta.width;
    const oh = swap ? meta.width : meta.height;
    let pipeline = sharp(path, options).rotate();
    const downscaled = ow * oh > maxPixels;
    if (downscaled) pipeline = pipeline.resize({ ...fitInside(ow, oh, maxPixels), fit: 'fill', kernel: 'lanczos3' });
    const { data, info } = await pipeline.toColourspace('srgb').ensureAlpha().raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    if (info.channels !== 4) throw new CoreError('unsupported_image', `${path} decoded to ${info.channels} channels; expected RGBA.`);
    const image: RgbaImage = { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
    return { image, format: meta.format ?? 'unknown', originalWidth: ow, originalHeight: oh, downscaled };
  } catch (e) {
    if (e instanceof CoreError) throw e;
    const msg = (e as Error).message;
    if (/pixel limit/i.test(msg)) {
      throw new CoreError('image_too_large', `${path} is larger than ${HARD_PIXEL_LIMIT / 1e6} megapixels; refusing to decode it.`, { cause: e });
    }
    throw new CoreError('unsupported_image', `${path} is not a readable image (${msg.split('\n')[0]}).`, { cause: e });
  }
}

/**
 * Hint mask file (trimap PNG) → one byte per pixel (first channel), oriented like its image.
 * It must have the image's size; a hint at the original size of an image that was downscaled on
 * load is downscaled with it (nearest neighbour, so 0 / 128 / 255 stay exact).
 */
export async function decodeHintFile(path: string, decoded: DecodedImage): Promise<Uint8Array> {
  const { width, height } = decoded.image;
  try {
    const meta = await sharp(path, { failOn: 'warning' }).metadata();
    const swap = (meta.orientation ?? 1) >= 5;
    const hw = (swap ? meta.height : meta.width) ?? 0;
    const hh = (swap ? meta.width : meta.height) ?? 0;
    let pipeline = sharp(path, { failOn: 'warning' }).rotate();
    if (decoded.downscaled && hw === decoded.originalWidth && hh === decoded.originalHeight) {
      pipeline = pipeline.resize({ width, height, fit: 'fill', kernel: 'nearest' });
    } else if (hw !== width || hh !== height) {
      throw new CoreError('hint_size_mismatch', `Hint mask ${path} is ${hw}×${hh} but the image is ${width}×${height}; they must match.`);
    }
    const { data } = await pipeline.extractChannel(0).raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  } catch (e) {
    if (e instanceof CoreError) throw e;
    throw new CoreError('unsupported_image', `Hint mask ${path} is not a readable image (${(e as Error).message.split('\n')[0]}).`, { cause: e });
  }
}
