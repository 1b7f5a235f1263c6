/**
 * Output-size downscales for hosts with a size limit (Figma's createImage: 4096 px a side): the
 * same box cells as `areaAverageRgb`, one pass over the source, accumulators for one output row
 * only. Nothing at full resolution is allocated (float planes of a 24 MP image would be 96 MB each).
 */
import type { AlphaMatte, RgbaImage } from './image.js';
import { areaBins } from './resample.js';

/** Where each output cell's source columns start: [start[cx], start[cx + 1]). */
function columnStarts(W: number, w: number): Int32Array {
  const { cell } = areaBins(W, w);
  const start = new Int32Array(w + 1);
  for (let cx = 0, x = 0; cx <= w; cx++) {
    while (x < W && (cell[x] as number) < cx) x++;
    start[cx] = x;
  }
  return start;
}

/**
 * Walks the H source rows in order: `row(y)` adds one source row to the accumulators, and
 * `flush(cy, rows)` writes output row cy once its `rows` source rows are in.
 */
function walkRows(H: number, h: number, row: (y: number) => void, flush: (cy: number, rows: number) => void): void {
  const bins = areaBins(H, h);
  let current = 0;
  for (let y = 0; y < H; y++) {
    const cy = bins.cell[y] as number;
    if (cy !== current) {
      flush(current, bins.count[current] as number);
      current = cy;
    }
    row(y);
  }
  flush(current, bins.count[current] as number);
}

/**
 * Straight-alpha RGBA → w × h straight-alpha RGBA, averaged premultiplied so colours at alpha 0
 * do not bleed into the edge. Returns the input itself when the size is unchanged.
 */
export function downscaleRgba(image: RgbaImage, w: number, h: number): RgbaImage {
  const { width: W, height: H, data } = image;
  if (w === W && h === H) return image;
  const cols = columnStarts(W, w);
  const out = new Uint8Array(w * h * 4);
  // Per output row: Σ c·a (c, a in 0..255) and Σ a. Float64 keeps the sums exact for any cell size.
  const acc = new Float64Array(w * 4);
  walkRows(
    H,
    h,
    (y) => {
      const row = y * W;
      for (let cx = 0; cx < w; cx++) {
        let r = 0;
        let g = 0;
        let b = 0;
        let a = 0;
        for (let x = row + (cols[cx] as number), end = row + (cols[cx + 1] as number); x < end; x++) {
          const i = x * 4;
          const al = data[i + 3] as number;
          r += (data[i] as number) * al;
          g += (data[i + 1] as number) * al;
          b += (data[i + 2] as number) * al;
          a += al;
        }
        const t = cx * 4;
        acc[t] = (acc[t] as number) + r;
        acc[t + 1] = (acc[t + 1] as number) + g;
        acc[t + 2] = (acc[t + 2] as number) + b;
        acc[t + 3] = (acc[t + 3] as number) + a;
      }
    },
    (cy, rows) => {
      for (let cx = 0; cx < w; cx++) {
        const n = rows * ((cols[cx + 1] as number) - (cols[cx] as number));
        const t = cx * 4;
        const sa = acc[t + 3] as number;
        const o = (cy * w + cx) * 4;
        if (sa > 0) {
          out[o] = Math.round((acc[t] as number) / sa);
          out[o + 1] = Math.round((acc[t + 1] as number) / sa);
          out[o + 2] = Math.round((acc[t + 2] as number) / sa);
        }
        out[o + 3] = Math.round(sa / Math.max(1, n));
      }
      acc.fill(0);
    },
  );
  return { width: w, height: h, data: out };
}

/** A matte in [0, 1] → w × h matte (area average). Returns the input itself when the size is unchanged. */
export function downscaleMatte(matte: AlphaMatte, w: number, h: number): AlphaMatte {
  const { width: W, height: H, data } = matte;
  if (w === W && h === H) return matte;
  const cols = columnStarts(W, w);
  const out = new Float32Array(w * h);
  const acc = new Float64Array(w);
  walkRows(
    H,
    h,
    (y) => {
      const row = y * W;
      for (let cx = 0; cx < w; cx++) {
        let s = 0;
        for (let x = row + (cols[cx] as number), end = row + (cols[cx + 1] as number); x < end; x++) s += data[x] as number;
        acc[cx] = (acc[cx] as number) + s;
      }
    },
    (cy, rows) => {
      for (let cx = 0; cx < w; cx++) out[cy * w + cx] = (acc[cx] as number) / Math.max(1, rows * ((cols[cx + 1] as number) - (cols[cx] as number)));
      acc.fill(0);
    },
  );
  return { width: w, height: h, data: out };
}
