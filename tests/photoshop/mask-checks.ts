/**
 * Reading results back out of the fake document for assertions: a layer's alpha (the masked-layer
 * output), the largest difference between two planes, a block of a mask where the user would paint
 * (inside the subject, or in the background), and which pixels lie far from the user's strokes.
 * Planes are 0..1 floats over a rectangle, row-major (FakePhotoshop.maskValues / selectionValues).
 */
import type { FakeDocument } from './fake-ps-document.js';
import type { Rect } from './fake-ps-types.js';

export const widthOf = (r: Rect): number => r.right - r.left;
export const heightOf = (r: Rect): number => r.bottom - r.top;

/** The layer's alpha over `rect` (the last native component of its pixels), or null when it has none. */
export function layerAlpha(doc: FakeDocument, layerID: number, rect: Rect): Float32Array | null {
  const pixels = doc.model.find(layerID)?.layer.pixels;
  if (!pixels) return null;
  const out = new Float32Array(widthOf(rect) * heightOf(rect));
  const a = doc.model.native;
  for (let y = rect.top; y < rect.bottom; y++) for (let x = rect.left; x < rect.right; x++) out[(y - rect.top) * widthOf(rect) + (x - rect.left)] = pixels.at(x, y, a);
  return out;
}

export function maxDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`planes of ${a.length} and ${b.length} values`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return max;
}

/** A `size`² block of `plane` (width `w`) whose every value passes `ok`, scanning from the centre out; local coordinates. */
export function findBlock(plane: Float32Array, w: number, h: number, size: number, ok: (v: number) => boolean): Rect {
  const candidates: Array<{ x: number; y: number; d: number }> = [];
  for (let y = 0; y + size <= h; y += size / 2) for (let x = 0; x + size <= w; x += size / 2) candidates.push({ x, y, d: Math.abs(x + size / 2 - w / 2) + Math.abs(y + size / 2 - h / 2) });
  candidates.sort((p, q) => p.d - q.d);
  for (const { x, y } of candidates) {
    let all = true;
    for (let yy = y; yy < y + size && all; yy++) for (let xx = x; xx < x + size && all; xx++) all = ok(plane[yy * w + xx] as number);
    if (all) return { left: x, top: y, right: x + size, bottom: y + size };
  }
  throw new Error(`no ${size}² block passes`);
}

/** Moves a local rectangle into document coordinates of a plane read over `rect`. */
export const toDocument = (local: Rect, rect: Rect): Rect => ({ left: local.left + rect.left, top: local.top + rect.top, right: local.right + rect.left, bottom: local.bottom + rect.top });

/** Per pixel of a `w`×`h` plane: 1 where it lies more than `reach` px (Chebyshev) from every rectangle (local coordinates). */
export function farFrom(w: number, h: number, rects: readonly Rect[], reach: number): Uint8Array {
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      out[y * w + x] = rects.every((r) => x < r.left - reach || x >= r.right + reach || y < r.top - reach || y >= r.bottom + reach) ? 1 : 0;
    }
  }
  return out;
}

/** Whether every value of `plane` inside the local rectangle `r` equals `value`. */
export function allEqual(plane: Float32Array, w: number, r: Rect, value: number): boolean {
  for (let y = r.top; y < r.bottom; y++) for (let x = r.left; x < r.right; x++) if (plane[y * w + x] !== value) return false;
  return true;
}
