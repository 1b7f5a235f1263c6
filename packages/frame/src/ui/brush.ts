/**
 * Brush strokes → trimap hints at image resolution. Strokes are kept as data (mode, radius,
 * points) so undo is "drop the last stroke and rasterise again"; rasterising stamps discs along
 * each segment, so fast pointer moves leave no gaps.
 */
import { HINT_KEEP, HINT_REMOVE, type HintMask } from '@cutout/core';

export type BrushMode = 'keep' | 'remove';

export interface Stroke {
  readonly mode: BrushMode;
  /** Radius in image pixels. */
  readonly radius: number;
  /** Points in image pixel coordinates. */
  readonly points: ReadonlyArray<readonly [number, number]>;
}

/** Unknown pixels: not 0 or 255, so the core decides them. */
const DECIDE = 128;

function stampDisc(data: Uint8Array, width: number, height: number, cx: number, cy: number, r: number, value: number): void {
  const r2 = r * r;
  const y0 = Math.max(0, Math.floor(cy - r));
  const y1 = Math.min(height - 1, Math.ceil(cy + r));
  for (let y = y0; y <= y1; y++) {
    const dy = y + 0.5 - cy;
    const span = r2 - dy * dy;
    if (span < 0) continue;
    const half = Math.sqrt(span);
    const x0 = Math.max(0, Math.ceil(cx - half - 0.5));
    const x1 = Math.min(width - 1, Math.floor(cx + half - 0.5));
    if (x1 >= x0) data.fill(value, y * width + x0, y * width + x1 + 1);
  }
}

/** Rasterises strokes in order (later strokes win) on top of the request's own hints, if any. */
export function rasteriseStrokes(width: number, height: number, strokes: readonly Stroke[], base?: HintMask): HintMask | undefined {
  if (strokes.length === 0) return base;
  const data = base ? base.data.slice() : new Uint8Array(width * height).fill(DECIDE);
  for (const stroke of strokes) {
    const value = stroke.mode === 'keep' ? HINT_KEEP : HINT_REMOVE;
    const r = Math.max(0.5, stroke.radius);
    const step = Math.max(0.5, r / 3);
    const pts = stroke.points;
    for (let i = 0; i < pts.length; i++) {
      const [x, y] = pts[i] as readonly [number, number];
      const prev = i > 0 ? (pts[i - 1] as readonly [number, number]) : null;
      if (!prev) {
        stampDisc(data, width, height, x, y, r, value);
        continue;
      }
      const dist = Math.hypot(x - prev[0], y - prev[1]);
      const n = Math.max(1, Math.ceil(dist / step));
      for (let k = 1; k <= n; k++) {
        const t = k / n;
        stampDisc(data, width, height, prev[0] + (x - prev[0]) * t, prev[1] + (y - prev[1]) * t, r, value);
      }
    }
  }
  return { width, height, data };
}
