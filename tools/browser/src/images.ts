import sharp from 'sharp';
import type { RgbaImage } from '@cutout/core';

/** Decodes a photo to 8-bit sRGB RGBA, EXIF orientation applied (what the host pages are handed). */
export async function loadRgba(path: string): Promise<RgbaImage> {
  const { data, info } = await sharp(path).rotate().toColourspace('srgb').ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}
