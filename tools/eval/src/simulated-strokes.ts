/**
 * A user's rough correction strokes, simulated from a trimap, to measure Refine edges (the core's
 * refineFromPainting) on ../shared/eval without a person at the brush. Deterministic.
 *
 * The user sees obvious mistakes in the clear regions and paints over them with a round brush:
 *  - errors: where the trimap says definite background (≤ 10) and the written mask is > 0.1, or
 *    definite foreground (≥ 245) and the written mask is < 0.9;
 *  - errors are grouped into 8-connected regions of one kind; regions smaller than `minSpeck` pixels
 *    are specks a user would not see, and get no stroke;
 *  - greedily, in raster order: the first error pixel of a seen region that no stroke of its kind
 *    covers yet gets a disk of radius r = max(minRadius, round(radiusFraction · long side)) centred on
 *    it, black on background errors and white on foreground errors; repeat;
 *  - each disk is clipped to the trimap's definite region of its own kind (a user does not paint
 *    black over the subject) but not to the error pixels: it also covers correct pixels around
 *    them, which is the roughness.
 * The unknown band is never painted, so u_SAD changes only through the re-solve.
 * The other simulation, a fixed number of seeded strokes near the band whatever the mask's errors
 * (`npm run eval -- --strokes`), is ./band-strokes.ts; it shares the brush (radius, disk) defined here.
 */
import { UNKNOWN_HIGH, UNKNOWN_LOW } from './metrics.js';

/** Stroke codes per pixel: the core's hint codes (0 remove, 255 keep); NOT_PAINTED elsewhere. */
export const PAINTED_BLACK = 0;
export const PAINTED_WHITE = 255;
export const NOT_PAINTED = 128;

export interface StrokeOptions {
  /** Brush radius as a fraction of the image's long side (default 0.015). */
  readonly radiusFraction?: number;
  /** Smallest brush radius in px (default 4). */
  readonly minRadius?: number;
  /** Error regions with fewer pixels than this are not seen (default 16, a 4 × 4 patch). */
  readonly minSpeck?: number;
  /** A definite-background pixel is wrong above this written value, 0..1 (default 0.1). */
  readonly backgroundAbove?: number;
  /** A definite-foreground pixel is wrong below this written value, 0..1 (default 0.9). */
  readonly foregroundBelow?: number;
}

export const DEFAULT_STROKE_OPTIONS: Required<StrokeOptions> = { radiusFraction: 0.015, minRadius: 4, minSpeck: 16, backgroundAbove: 0.1, foregroundBelow: 0.9 };

export interface SimulatedStrokes {
  /** One code per pixel: PAINTED_BLACK, PAINTED_WHITE or NOT_PAINTED. */
  readonly strokes: Uint8Array;
  readonly radius: number;
  readonly blackDisks: number;
  readonly whiteDisks: number;
  readonly blackPixels: number;
  readonly whitePixels: number;
  /** Error pixels in the definite regions, and how many of them were in specks (not seen). */
  readonly errorPixels: number;
  readonly speckPixels: number;
}

/** The brush radius for an image: `radiusFraction` of its long side, at least `minRadius` px. */
export function brushRadius(width: number, height: number, options: StrokeOptions = {}): number {
  const o = { ...DEFAULT_STROKE_OPTIONS, ...options };
  return Math.max(o.minRadius, Math.round(o.radiusFraction * Math.max(width, height)));
}

/** Whether a trimap value is in the definite region a stroke code may paint: background for black, foreground for white. */
export function inDefinite(trimapValue: number, code: number): boolean {
  return code === PAINTED_BLACK ? trimapValue <= UNKNOWN_LOW : trimapValue >= UNKNOWN_HIGH;
}

/**
 * Paints `code` over the disk of radius r (px) centred on (cx, cy), where `paintable(index)` and not
 * already `code`; returns how many pixels it changed. One dab of the round brush, clipped.
 */
export function stampDisk(strokes: Uint8Array, width: number, height: number, cx: number, cy: number, r: number, code: number, paintable: (i: number) => boolean): number {
  let painted = 0;
  for (let y = Math.max(0, cy - r); y <= Math.min(height - 1, cy + r); y++) {
    for (let x = Math.max(0, cx - r); x <= Math.min(width - 1, cx + r); x++) {
      if ((x - cx) ** 2 + (y - cy) ** 2 > r * r) continue;
      const i = y * width + x;
      if (strokes[i] === code || !paintable(i)) continue;
      strokes[i] = code;
      painted++;
    }
  }
  return painted;
}

const NONE = 0;
const BG = 1;
const FG = 2;

/** Per pixel: NONE, BG (background painted over by the mask) or FG (subject cut away). */
function errorKinds(trimap: Uint8Array, written: Uint8Array, o: Required<StrokeOptions>): Uint8Array {
  const kind = new Uint8Array(trimap.length);
  for (let i = 0; i < trimap.length; i++) {
    const t = trimap[i] as number;
    const w = (written[i] as number) / 255;
    if (t <= UNKNOWN_LOW && w > o.backgroundAbove) kind[i] = BG;
    else if (t >= UNKNOWN_HIGH && w < o.foregroundBelow) kind[i] = FG;
  }
  return kind;
}

/** Clears (to NONE) the 8-connected regions of one kind smaller than minSpeck; returns how many pixels were cleared. */
function dropSpecks(kind: Uint8Array, width: number, height: number, minSpeck: number): number {
  const seen = new Uint8Array(kind.length);
  const stack = new Int32Array(kind.length);
  const region: number[] = [];
  let dropped = 0;
  for (let start = 0; start < kind.length; start++) {
    const k = kind[start] as number;
    if (k === NONE || seen[start]) continue;
    region.length = 0;
    let top = 0;
    stack[top++] = start;
    seen[start] = 1;
    while (top > 0) {
      const i = stack[--top] as number;
      region.push(i);
      const x = i % width;
      const y = (i - x) / width;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          const j = yy * width + xx;
          if (xx < 0 || xx >= width || seen[j] || kind[j] !== k) continue;
          seen[j] = 1;
          stack[top++] = j;
        }
      }
    }
    if (region.length < minSpeck) {
      for (const i of region) kind[i] = NONE;
      dropped += region.length;
    }
  }
  return dropped;
}

/**
 * Simulated strokes for a written mask (0..255) against a trimap (0 bg, 128 unknown, 255 fg), both
 * width × height. See the header for the method.
 */
export function simulateStrokes(trimap: Uint8Array, written: Uint8Array, width: number, height: number, options: StrokeOptions = {}): SimulatedStrokes {
  const n = width * height;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || trimap.length !== n || written.length !== n) {
    throw new RangeError(`simulateStrokes: trimap (${trimap.length}) and written (${written.length}) must both hold ${width}×${height} values`);
  }
  const o = { ...DEFAULT_STROKE_OPTIONS, ...options };
  const kind = errorKinds(trimap, written, o);
  let errorPixels = 0;
  for (let i = 0; i < n; i++) if (kind[i] !== NONE) errorPixels++;
  const speckPixels = dropSpecks(kind, width, height, o.minSpeck);
  const r = brushRadius(width, height, o);
  const strokes = new Uint8Array(n).fill(NOT_PAINTED);
  const counts = { blackDisks: 0, whiteDisks: 0, blackPixels: 0, whitePixels: 0 };
  for (let c = 0; c < n; c++) {
    const k = kind[c] as number;
    if (k === NONE) continue;
    const code = k === BG ? PAINTED_BLACK : PAINTED_WHITE;
    if (strokes[c] === code) continue;
    const cx = c % width;
    const painted = stampDisk(strokes, width, height, cx, (c - cx) / width, r, code, (i) => inDefinite(trimap[i] as number, code));
    if (k === BG) {
      counts.blackDisks++;
      counts.blackPixels += painted;
    } else {
      counts.whiteDisks++;
      counts.whitePixels += painted;
    }
  }
  return { strokes, radius: r, ...counts, errorPixels, speckPixels };
}

/** The mask after the strokes: the written mask as 0..1, black / white where painted. */
export function paintStrokes(written: Uint8Array, strokes: Uint8Array): Float32Array {
  if (written.length !== strokes.length) throw new RangeError(`paintStrokes: ${written.length} written values, ${strokes.length} stroke codes`);
  const out = new Float32Array(written.length);
  for (let i = 0; i < out.length; i++) {
    const s = strokes[i] as number;
    out[i] = s === PAINTED_BLACK ? 0 : s === PAINTED_WHITE ? 1 : (written[i] as number) / 255;
  }
  return out;
}
