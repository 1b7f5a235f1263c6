/**
 * Reading and rebuilding `fills`. Figma has no image layers: an image is an IMAGE paint in a node's
 * fills; `fills` is read-only and is replaced as a whole (FT L4807-4838, hosts.md §1.4). Paints are
 * found again by image hash at write time, never by the index seen before the run (F7).
 */
import { PluginError } from './errors.js';

export type HashedImagePaint = ImagePaint & { readonly imageHash: string };

/** Figma's createImage limit, px a side (FT L1735-1742). */
export const MAX_IMAGE_SIDE = 4096;

/** The node's fills as a list, or an error when they are mixed (text ranges) or absent. */
export function fillsOf(node: BaseNode): ReadonlyArray<Paint> {
  const fills = 'fills' in node ? (node as MinimalFillsMixin).fills : undefined;
  if (!Array.isArray(fills)) throw new PluginError('changed', 'has no image fill any more');
  return fills as ReadonlyArray<Paint>;
}

export const isImagePaint = (p: Paint): p is HashedImagePaint => p.type === 'IMAGE' && typeof p.imageHash === 'string' && p.imageHash !== '';

/** Index of the topmost visible image paint (later paints draw on top), or -1: the one the user sees. */
export function topImagePaint(fills: ReadonlyArray<Paint>): number {
  for (let i = fills.length - 1; i >= 0; i--) {
    const p = fills[i] as Paint;
    if (isImagePaint(p) && p.visible !== false) return i;
  }
  return -1;
}

/** Index of the topmost image paint with this hash (visible or not), or -1. */
export function findImagePaint(fills: ReadonlyArray<Paint>, hash: string): number {
  for (let i = fills.length - 1; i >= 0; i--) {
    const p = fills[i] as Paint;
    if (isImagePaint(p) && p.imageHash === hash) return i;
  }
  return -1;
}

/**
 * The paint with another image. TILE repeats the image at `scalingFactor` × its own pixels
 * (FT L4825), so an image that came back smaller (`ratio` = old width / new width > 1) needs a
 * larger factor for the tiles to line up (F14). FILL, FIT and CROP are unit-based and need nothing.
 */
export function withImage(paint: ImagePaint, hash: string, ratio: number): ImagePaint {
  const out: ImagePaint = { ...paint, imageHash: hash };
  if (paint.scaleMode !== 'TILE' || Math.abs(ratio - 1) < 1e-9) return out;
  // Figma reads paints back with scalingFactor set; 1 is only a fallback for a paint built without one.
  return { ...out, scalingFactor: (paint.scalingFactor ?? 1) * ratio };
}

/** A hidden paint that keeps an image referenced by the file (F10: nothing documents that unreferenced images survive a reload). */
export function hiddenPaint(paint: ImagePaint, hash: string): ImagePaint {
  return { ...paint, imageHash: hash, visible: false };
}

/** A hidden paint for the hints image (strokes), placed like a FILL image. */
export function hiddenHintsPaint(hash: string): ImagePaint {
  return { type: 'IMAGE', scaleMode: 'FILL', imageHash: hash, visible: false };
}

/** The size the frame returns for an image of this size (its fitSize: longer side ≤ maxSide, same rounding). */
export function fitSize(width: number, height: number, maxSide = MAX_IMAGE_SIDE): { width: number; height: number } {
  if (Math.max(width, height) <= maxSide) return { width, height };
  const s = maxSide / Math.max(width, height);
  return { width: Math.max(1, Math.round(width * s)), height: Math.max(1, Math.round(height * s)) };
}

/** GIF fills would lose their animation: refused (magic bytes "GIF8"). */
export function isGif(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x47 && bytes[1] === 0x49 && bytes[2] === 0x46 && bytes[3] === 0x38;
}
