/** Output shaping for hosts with size limits (Figma's createImage: 4096 px a side). */
import type { AlphaMatte, RgbaImage } from '@cutout/core';

export function fitSize(width: number, height: number, maxSide: number | undefined): { width: number; height: number } {
  if (!maxSide || Math.max(width, height) <= maxSide) return { width, height };
  const s = maxSide / Math.max(width, height);
  return { width: Math.max(1, Math.round(width * s)), height: Math.max(1, Math.round(height * s)) };
}

/** The mask as an image: white, with the matte as alpha (Figma's ALPHA mask type, any host's layer mask). */
export function maskImage(matte: AlphaMatte): RgbaImage {
  const n = matte.width * matte.height;
  const out = new Uint8Array(n * 4).fill(255);
  for (let i = 0; i < n; i++) out[i * 4 + 3] = Math.round((matte.data[i] as number) * 255);
  return { width: matte.width, height: matte.height, data: out };
}

/** Hints from a decoded image: its red channel (0 remove, 255 keep, anything else decide). */
export function hintsFromImage(image: RgbaImage): { width: number; height: number; data: Uint8Array } {
  const n = image.width * image.height;
  const data = new Uint8Array(n);
  for (let i = 0; i < n; i++) data[i] = image.data[i * 4] as number;
  return { width: image.width, height: image.height, data };
}

/** Hints as an opaque grey image (for PNG encoding), or null when no pixel is hinted. */
export function hintsImage(hints: { width: number; height: number; data: Uint8Array }): RgbaImage | null {
  const n = hints.width * hints.height;
  let any = false;
  const data = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) {
    const v = hints.data[i] as number;
    if (v === 0 || v === 255) any = true;
    data[i * 4] = data[i * 4 + 1] = data[i * 4 + 2] = v;
    data[i * 4 + 3] = 255;
  }
  return any ? { width: hints.width, height: hints.height, data } : null;
}
