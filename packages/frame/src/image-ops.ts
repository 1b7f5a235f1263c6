/** Output shaping for hosts with size limits (Figma's createImage: 4096 px a side). */
import { resamplePlane, type AlphaMatte, type RgbaImage } from '@cutout/core';

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

/** Area-averaged downscale of straight-alpha RGBA (premultiplied while resampling, so edges keep their colour). */
export function downscaleRgba(image: RgbaImage, width: number, height: number): RgbaImage {
  if (width === image.width && height === image.height) return image;
  const n = image.width * image.height;
  const planes = [0, 1, 2, 3].map(() => new Float32Array(n));
  const [r, g, b, a] = planes as [Float32Array, Float32Array, Float32Array, Float32Array];
  const d = image.data;
  for (let i = 0; i < n; i++) {
    const al = (d[i * 4 + 3] as number) / 255;
    r[i] = (d[i * 4] as number) * al;
    g[i] = (d[i * 4 + 1] as number) * al;
    b[i] = (d[i * 4 + 2] as number) * al;
    a[i] = al;
  }
  const m = width * height;
  const out = planes.map((p) => {
    const dst = new Float32Array(m);
    resamplePlane(p, image.width, image.height, dst, width, height, true);
    return dst;
  }) as [Float32Array, Float32Array, Float32Array, Float32Array];
  const data = new Uint8Array(m * 4);
  for (let i = 0; i < m; i++) {
    const al = Math.min(1, Math.max(0, out[3][i] as number));
    const inv = al > 1e-6 ? 1 / al : 0;
    data[i * 4] = Math.min(255, Math.max(0, Math.round((out[0][i] as number) * inv)));
    data[i * 4 + 1] = Math.min(255, Math.max(0, Math.round((out[1][i] as number) * inv)));
    data[i * 4 + 2] = Math.min(255, Math.max(0, Math.round((out[2][i] as number) * inv)));
    data[i * 4 + 3] = Math.round(al * 255);
  }
  return { width, height, data };
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
