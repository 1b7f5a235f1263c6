import { CoreError } from './errors.js';

/** 8-bit RGBA, row-major, no padding, straight (not premultiplied) alpha. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray | Uint8Array;
}

/** Single-channel matte in [0, 1], row-major. */
export interface AlphaMatte {
  readonly width: number;
  readonly height: number;
  readonly data: Float32Array;
}

/** Largest image the core accepts (pixels); beyond this callers must downscale first. */
export const MAX_PIXELS = 100_000_000;

export function assertRgbaImage(image: RgbaImage, what = 'image'): void {
  const { width, height, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) {
    throw new CoreError('invalid_argument', `${what} has an invalid size ${width}×${height}.`);
  }
  if (width === 0 || height === 0) throw new CoreError('empty_image', `${what} is empty (${width}×${height}).`);
  if (width * height > MAX_PIXELS) {
    throw new CoreError('image_too_large', `${what} is ${width}×${height}; the limit is ${MAX_PIXELS / 1e6} megapixels.`);
  }
  if (data.length !== width * height * 4) {
    throw new CoreError('invalid_argument', `${what} data has ${data.length} bytes; ${width}×${height} RGBA needs ${width * height * 4}.`);
  }
}

export function alphaToBytes(matte: AlphaMatte): Uint8Array {
  const out = new Uint8Array(matte.width * matte.height);
  const a = matte.data;
  for (let i = 0; i < a.length; i++) out[i] = Math.round((a[i] as number) * 255);
  return out;
}
