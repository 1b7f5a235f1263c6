/**
 * Preview rendering: the photo sampled once to display size, then the matte as its alpha (the
 * checkerboard / colour behind it is CSS), so a new matte costs one pass over preview pixels.
 */
import type { AlphaMatte, RgbaImage } from '@cutout/core';

/** Longest side of the preview bitmap (crisp on 2× displays in a 400 px panel). */
const PREVIEW_MAX_SIDE = 800;

export interface PreviewGeometry {
  readonly width: number;
  readonly height: number;
  /** Preview pixel (x, y) samples image pixel (floor(x * scale), floor(y * scale)). */
  readonly scale: number;
}

export function previewGeometry(width: number, height: number): PreviewGeometry {
  const scale = Math.max(1, Math.max(width, height) / PREVIEW_MAX_SIDE);
  return { width: Math.max(1, Math.round(width / scale)), height: Math.max(1, Math.round(height / scale)), scale };
}

/** Index of the image pixel each preview pixel samples. */
export function sampleIndex(geometry: PreviewGeometry, imageWidth: number, imageHeight: number): Uint32Array {
  const { width, height, scale } = geometry;
  const out = new Uint32Array(width * height);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(imageHeight - 1, Math.floor((y + 0.5) * scale));
    for (let x = 0; x < width; x++) {
      const sx = Math.min(imageWidth - 1, Math.floor((x + 0.5) * scale));
      out[y * width + x] = sy * imageWidth + sx;
    }
  }
  return out;
}

/** RGBA preview pixels: photo colours, alpha from the matte (or opaque for "before"). */
export function renderPreview(image: RgbaImage, matte: AlphaMatte | null, index: Uint32Array, out: Uint8ClampedArray): void {
  const src = image.data;
  const a = matte?.data;
  for (let i = 0; i < index.length; i++) {
    const s = index[i] as number;
    const o = i * 4;
    out[o] = src[s * 4] as number;
    out[o + 1] = src[s * 4 + 1] as number;
    out[o + 2] = src[s * 4 + 2] as number;
    out[o + 3] = a ? Math.round((a[s] as number) * 255) : 255;
  }
}
