/**
 * A few brush strokes near the unknown band, simulated from a trimap, for `npm run eval -- --strokes`:
 * what a user gives the hinted solve instead of a trimap. Unlike ./simulated-strokes.ts (Refine
 * edges: disks on the mask's visible errors, as many as it takes) the strokes here do not look at
 * the model's output at all: a fixed number of them, placed by a fixed rule from a seed.
 *
 * The rule, per image and trimap (0 bg, 128 unknown, 255 fg; unknown = 10 < t < 245):
 *  - the brush is the Refine-edges one: radius r = max(4, round(1.5 % of the long side)) px;
 *  - d = distance of each pixel to the nearest unknown pixel (two-pass chamfer, steps 1 and √2);
 *  - a stroke's centre line runs through the definite pixels of its kind with gap·r ≤ d < gap·r + 1
 *    (gap 1.5): a contour of the band, half a radius clear of it once the brush is applied;
 *  - strokes alternate keep (foreground, white) and remove (background, black), keep first; a kind
 *    with no centre line left gives its turn to the other;
 *  - each stroke starts at a centre-line pixel of its kind that no earlier stroke painted, picked
 *    uniformly by a seeded generator (mulberry32), and follows the centre line (8-connected steps)
 *    up to length·r / 2 steps either way (length 8);
 *  - the brush (a disk of radius r) is stamped on every pixel of that path, clipped to the definite
 *    region of the stroke's kind: a stroke never paints the band or the other side.
 * The first N strokes of one seed are the same whatever N is asked: 5 strokes are the 2 and 3 more.
 * The band is never painted, so u_SAD changes only through the solve.
 */
import { isUnknown } from './metrics.js';
import { brushRadius, inDefinite, NOT_PAINTED, PAINTED_BLACK, PAINTED_WHITE, stampDisk, type StrokeOptions } from './simulated-strokes.js';

export interface BandStrokeOptions extends Pick<StrokeOptions, 'radiusFraction' | 'minRadius'> {
  /** Distance of the strokes' centre line from the band, in brush radii (default 1.5). */
  readonly gap?: number;
  /** Longest stroke along its centre line, in brush radii (default 8). */
  readonly length?: number;
}

export const DEFAULT_BAND_STROKE_OPTIONS = { gap: 1.5, length: 8 } as const;

export interface BandStrokes {
  /** One code per pixel: PAINTED_WHITE (keep), PAINTED_BLACK (remove) or NOT_PAINTED: hints as the core reads them. */
  readonly strokes: Uint8Array;
  readonly radius: number;
  /** Strokes placed (fewer than asked when the centre lines run out), keep and remove among them. */
  readonly placed: number;
  readonly keep: number;
  readonly remove: number;
  readonly paintedPixels: number;
}

/** A 32-bit seed from a string (FNV-1a): the eval seeds each image by its name, so --only picks the same strokes. */
export function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** mulberry32: a small, fast, well-mixed 32-bit generator; values in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Chamfer distance (steps 1 and √2) of every pixel to the nearest unknown one; Infinity when there is none. */
export function distanceToBand(trimap: Uint8Array, width: number, height: number): Float32Array {
  const d = new Float32Array(width * height);
  for (let i = 0; i < d.length; i++) d[i] = isUnknown(trimap[i] as number) ? 0 : Number.POSITIVE_INFINITY;
  const D = Math.SQRT2;
  const relax = (i: number, j: number, step: number): void => {
    const v = (d[j] as number) + step;
    if (v < (d[i] as number)) d[i] = v;
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (x > 0) relax(i, i - 1, 1);
      if (y > 0) {
        relax(i, i - width, 1);
        if (x > 0) relax(i, i - width - 1, D);
        if (x < width - 1) relax(i, i - width + 1, D);
      }
    }
  }
  for (let y = height - 1; y >= 0; y--) {
    for (let x = width - 1; x >= 0; x--) {
      const i = y * width + x;
      if (x < width - 1) relax(i, i + 1, 1);
      if (y < height - 1) {
        relax(i, i + width, 1);
        if (x < width - 1) relax(i, i + width + 1, D);
        if (x > 0) relax(i, i + width - 1, D);
      }
    }
  }
  return d;
}

/** Centre-line pixels within `maxSteps` 8-connected steps of `start` along the line (breadth first). */
function pathAlong(line: Uint8Array, width: number, height: number, start: number, maxSteps: number): number[] {
  const steps = new Map<number, number>([[start, 0]]);
  const queue = [start];
  for (let q = 0; q < queue.length; q++) {
    const i = queue[q] as number;
    const s = steps.get(i) as number;
    if (s === maxSteps) continue;
    const x = i % width;
    const y = (i - x) / width;
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const xx = x + dx;
        const yy = y + dy;
        if (xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
        const j = yy * width + xx;
        if (!line[j] || steps.has(j)) continue;
        steps.set(j, s + 1);
        queue.push(j);
      }
    }
  }
  return queue;
}

/** `count` strokes near the trimap's unknown band by the rule in the header, from `seed`. */
export function simulateBandStrokes(trimap: Uint8Array, width: number, height: number, count: number, seed: number, options: BandStrokeOptions = {}): BandStrokes {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || trimap.length !== width * height) {
    throw new RangeError(`simulateBandStrokes: the trimap has ${trimap.length} values, not ${width}×${height}`);
  }
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`simulateBandStrokes: count must be a whole number ≥ 0, not ${count}`);
  const { gap, length } = { ...DEFAULT_BAND_STROKE_OPTIONS, ...options };
  const r = brushRadius(width, height, options);
  const d = distanceToBand(trimap, width, height);
  const lines = { [PAINTED_WHITE]: new Uint8Array(width * height), [PAINTED_BLACK]: new Uint8Array(width * height) };
  for (let i = 0; i < d.length; i++) {
    const di = d[i] as number;
    if (di < gap * r || di >= gap * r + 1) continue;
    const t = trimap[i] as number;
    if (inDefinite(t, PAINTED_WHITE)) lines[PAINTED_WHITE][i] = 1;
    else if (inDefinite(t, PAINTED_BLACK)) lines[PAINTED_BLACK][i] = 1;
  }
  const strokes = new Uint8Array(width * height).fill(NOT_PAINTED);
  const random = mulberry32(seed);
  const tally = { placed: 0, keep: 0, remove: 0, paintedPixels: 0 };
  for (let k = 0; k < count; k++) {
    const preferred = k % 2 === 0 ? PAINTED_WHITE : PAINTED_BLACK;
    const starts = (code: typeof PAINTED_WHITE | typeof PAINTED_BLACK): number[] => {
      const out: number[] = [];
      const line = lines[code];
      for (let i = 0; i < line.length; i++) if (line[i] && strokes[i] === NOT_PAINTED) out.push(i);
      return out;
    };
    let code: typeof PAINTED_WHITE | typeof PAINTED_BLACK = preferred;
    let candidates = starts(code);
    if (candidates.length === 0) {
      code = preferred === PAINTED_WHITE ? PAINTED_BLACK : PAINTED_WHITE;
      candidates = starts(code);
    }
    if (candidates.length === 0) break;
    const start = candidates[Math.floor(random() * candidates.length)] as number;
    for (const p of pathAlong(lines[code], width, height, start, Math.round((length * r) / 2))) {
      const px = p % width;
      tally.paintedPixels += stampDisk(strokes, width, height, px, (p - px) / width, r, code, (i) => inDefinite(trimap[i] as number, code));
    }
    tally.placed++;
    if (code === PAINTED_WHITE) tally.keep++;
    else tally.remove++;
  }
  return { strokes, radius: r, ...tally };
}

/** The stroke rule in words, printed with the results and kept in the JSON. */
export function bandStrokeMethod(options: BandStrokeOptions = {}): string {
  const { gap, length } = { ...DEFAULT_BAND_STROKE_OPTIONS, ...options };
  return (
    `Brush radius r = max(4, round(0.015 x long side)) px. Centre lines: definite pixels (trimap <= 10 or >= 245) at a chamfer distance d from the unknown band ` +
    `with ${gap}r <= d < ${gap}r + 1. Strokes alternate keep (foreground) and remove (background), keep first; each starts at an unpainted centre-line pixel ` +
    `of its kind picked by mulberry32 seeded with FNV-1a(image name), follows the line up to ${length / 2}r steps either way, and stamps the brush on every ` +
    `path pixel, clipped to the definite region of its kind. N strokes are the first N of the sequence; the band is never painted.`
  );
}
