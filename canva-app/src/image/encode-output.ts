/**
 * The cut-out as a data URL Canva's `upload` accepts: at most 10×1024×1024 characters (NA
 * L554-559). PNG first (exact alpha, encoded by the frame's codec, no canvas premultiplication);
 * if it is too long, lossless WebP from a canvas (checked to really be WebP: a browser without a
 * WebP encoder returns PNG); if that is too long too, the image is downscaled until it fits, and
 * the caller tells the user. Also the thumbnail, same aspect ratio (Canva's content guidelines).
 */
import { downscaleRgba, type RgbaImage } from '@cutout/core';
import { encodePng } from '@cutout/frame/image-codec';
import { encodeBase64 } from '@cutout/protocol';
import { MAX_DATA_URL_CHARS, THUMBNAIL_SIDE } from '../config.js';

type UploadMime = 'image/png' | 'image/webp';

export interface EncodedOutput {
  readonly dataUrl: string;
  readonly mimeType: UploadMime;
  readonly width: number;
  readonly height: number;
  /** The image had to be made smaller than the original to fit the limit. */
  readonly downscaled: boolean;
}

/** Encoders, injectable so the fallbacks can be tested without a browser. */
export interface OutputEncoders {
  png(image: RgbaImage): Promise<string>;
  /** A data URL from the browser's WebP encoder (quality 1: lossless in Chromium), whatever type it really gave. */
  webp(image: RgbaImage): Promise<string>;
}

async function pngDataUrl(image: RgbaImage): Promise<string> {
  return `data:image/png;base64,${encodeBase64(await encodePng(image))}`;
}

async function canvasWebp(image: RgbaImage): Promise<string> {
  const canvas = document.createElement('canvas');
  canvas.width = image.width;
  canvas.height = image.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return '';
  const data = new Uint8ClampedArray(image.data.buffer as ArrayBuffer, image.data.byteOffset, image.data.length);
  ctx.putImageData(new ImageData(data, image.width, image.height), 0, 0);
  const url = canvas.toDataURL('image/webp', 1);
  canvas.width = canvas.height = 0; // frees the backing store now
  return url;
}

const browserEncoders: OutputEncoders = { png: pngDataUrl, webp: canvasWebp };

export async function encodeForUpload(image: RgbaImage, encoders: OutputEncoders = browserEncoders, limit = MAX_DATA_URL_CHARS): Promise<EncodedOutput> {
  const png = await encoders.png(image);
  if (png.length <= limit) return { dataUrl: png, mimeType: 'image/png', width: image.width, height: image.height, downscaled: false };
  const webp = await encoders.webp(image);
  if (webp.startsWith('data:image/webp;base64,') && webp.length <= limit) {
    return { dataUrl: webp, mimeType: 'image/webp', width: image.width, height: image.height, downscaled: false };
  }
  // Data grows about with the pixel count: shrink by the square root of the overshoot, then 10 % a step.
  let scale = Math.sqrt(limit / png.length) * 0.95;
  for (let attempt = 0; attempt < 8; attempt++, scale *= 0.9) {
    const width = Math.max(1, Math.floor(image.width * scale));
    const height = Math.max(1, Math.floor(image.height * scale));
    const smaller = await encoders.png(downscaleRgba(image, width, height));
    if (smaller.length <= limit) return { dataUrl: smaller, mimeType: 'image/png', width, height, downscaled: true };
  }
  throw new OutputTooLargeError();
}

class OutputTooLargeError extends Error {
  readonly code = 'output_too_large';
  constructor() {
    super('The cut-out is too large to upload to Canva, even downscaled.');
  }
}

export async function thumbnailFor(image: RgbaImage, encoders: OutputEncoders = browserEncoders): Promise<string> {
  const side = Math.max(image.width, image.height);
  if (side <= THUMBNAIL_SIDE) return encoders.png(image);
  const s = THUMBNAIL_SIDE / side;
  return encoders.png(downscaleRgba(image, Math.max(1, Math.round(image.width * s)), Math.max(1, Math.round(image.height * s))));
}
