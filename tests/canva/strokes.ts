/**
 * Brush strokes as geometry, to check the overlay against what a user painted, independently of
 * the app's rasteriser: a stroke is a segment with a radius in image pixels; a pixel's distance is
 * from its centre. Used by tests/canva-overlay.test.ts.
 */
import { expect } from 'vitest';
import { HINT_KEEP, HINT_REMOVE, type AlphaMatte, type HintMask } from '@cutout/core';

/** Distance from a pixel's centre to a stroke segment, in image pixels. */
function distance(x: number, y: number, [ax, ay]: readonly [number, number], [bx, by]: readonly [number, number]): number {
  const px = x + 0.5;
  const py = y + 0.5;
  const len2 = (bx - ax) ** 2 + (by - ay) ** 2;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / len2));
  return Math.hypot(px - (ax + t * (bx - ax)), py - (ay + t * (by - ay)));
}

export interface Segment {
  readonly from: readonly [number, number];
  readonly to: readonly [number, number];
  /** Radius in image pixels. */
  readonly r: number;
}

/** Every pixel well inside a stroke has its code; every pixel clearly outside all strokes is left to the solve. */
export function expectHints(hints: HintMask, strokes: ReadonlyArray<Segment & { code: number }>): void {
  const { width: W, height: H } = hints;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const v = hints.data[y * W + x]!;
      const inside = strokes.filter((s) => distance(x, y, s.from, s.to) <= s.r - 1);
      const outside = strokes.every((s) => distance(x, y, s.from, s.to) >= s.r + 1);
      if (inside.length) expect(v, `hint at ${x},${y}`).toBe(inside[inside.length - 1]!.code);
      if (outside) expect(v === HINT_KEEP || v === HINT_REMOVE, `hint at ${x},${y} outside the strokes`).toBe(false);
    }
  }
}

/** For each pixel whose matte changed by more than 1e-6: its distance to the nearest stroke's edge. */
export function changes(before: AlphaMatte, after: AlphaMatte, strokes: readonly Segment[]): number[] {
  const { width: W, height: H } = after;
  const far: number[] = [];
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      if (Math.abs(after.data[y * W + x]! - before.data[y * W + x]!) > 1e-6) far.push(Math.min(...strokes.map((s) => distance(x, y, s.from, s.to) - s.r)));
    }
  }
  return far;
}
