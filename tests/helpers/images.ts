import type { AlphaMatte } from '@cutout/core';

export { loadRgba } from '@cutout/tools-browser';

/** Mean alpha over a box given in fractions of the image size. */
export function meanIn(m: AlphaMatte, x0: number, y0: number, x1: number, y1: number): number {
  const ax = Math.floor(x0 * m.width);
  const bx = Math.max(ax + 1, Math.floor(x1 * m.width));
  const ay = Math.floor(y0 * m.height);
  const by = Math.max(ay + 1, Math.floor(y1 * m.height));
  let sum = 0;
  for (let y = ay; y < by; y++) for (let x = ax; x < bx; x++) sum += m.data[y * m.width + x] as number;
  return sum / ((bx - ax) * (by - ay));
}

export function stddev(a: Float32Array): number {
  let s = 0;
  let s2 = 0;
  for (const v of a) {
    s += v;
    s2 += v * v;
  }
  const mean = s / a.length;
  return Math.sqrt(Math.max(0, s2 / a.length - mean * mean));
}
