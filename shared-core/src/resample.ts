/**
 * Separable resampling with precomputed filter taps. Downscaling uses a triangle filter widened by
 * the scale factor (antialiased, as Pillow's BILINEAR does); upscaling is plain bilinear with
 * pixel-centre alignment (align_corners = false). Weights for each output pixel sum to 1.
 */
export interface Taps {
  /** First source index for each output index. */
  readonly start: Int32Array;
  /** Number of taps per output index (≤ stride). */
  readonly count: Int32Array;
  readonly weights: Float32Array;
  readonly stride: number;
}

export function computeTaps(srcSize: number, dstSize: number, antialias = true): Taps {
  const scale = srcSize / dstSize;
  const support = antialias ? Math.max(scale, 1) : 1;
  const stride = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(dstSize);
  const count = new Int32Array(dstSize);
  const weights = new Float32Array(dstSize * stride);
  for (let i = 0; i < dstSize; i++) {
    const center = (i + 0.5) * scale - 0.5;
    const lo = Math.max(0, Math.ceil(center - support));
    const hi = Math.min(srcSize - 1, Math.floor(center + support));
    let sum = 0;
    let n = 0;
    for (let s = lo; s <= hi && n < stride; s++, n++) {
      const w = Math.max(0, 1 - Math.abs(s - center) / support);
      weights[i * stride + n] = w;
      sum += w;
    }
    if (sum <= 0) {
      // Only at the edge when the centre falls outside the source: clamp to the nearest pixel.
      const nearest = Math.min(srcSize - 1, Math.max(0, Math.round(center)));
      start[i] = nearest;
      count[i] = 1;
      weights[i * stride] = 1;
      continue;
    }
    start[i] = lo;
    count[i] = n;
    for (let k = 0; k < n; k++) weights[i * stride + k] = (weights[i * stride + k] as number) / sum;
  }
  return { start, count, weights, stride };
}

/** Resamples one float plane (sw × sh) into dst (dw × dh). */
export function resamplePlane(
  src: Float32Array,
  sw: number,
  sh: number,
  dst: Float32Array,
  dw: number,
  dh: number,
  antialias = true,
): void {
  const tx = computeTaps(sw, dw, antialias);
  const ty = computeTaps(sh, dh, antialias);
  const tmp = new Float32Array(sh * dw);
  for (let y = 0; y < sh; y++) {
    const row = y * sw;
    const out = y * dw;
    for (let x = 0; x < dw; x++) {
      const s0 = (tx.start[x] as number) + row;
      const n = tx.count[x] as number;
      const wo = x * tx.stride;
      let acc = 0;
      for (let k = 0; k < n; k++) acc += (src[s0 + k] as number) * (tx.weights[wo + k] as number);
      tmp[out + x] = acc;
    }
  }
  verticalPass(tmp, dw, dst, dh, ty, 1);
}

/** Vertical pass over `channels` interleaved float channels of width w. */
export function verticalPass(tmp: Float32Array, w: number, dst: Float32Array, dh: number, ty: Taps, channels: number): void {
  const rowLen = w * channels;
  for (let y = 0; y < dh; y++) {
    const s0 = ty.start[y] as number;
    const n = ty.count[y] as number;
    const wo = y * ty.stride;
    const out = y * rowLen;
    for (let i = 0; i < rowLen; i++) dst[out + i] = 0;
    for (let k = 0; k < n; k++) {
      const wk = ty.weights[wo + k] as number;
      const inRow = (s0 + k) * rowLen;
      for (let i = 0; i < rowLen; i++) dst[out + i] = (dst[out + i] as number) + (tmp[inRow + i] as number) * wk;
    }
  }
}

/** Cell of each source column/row when w × h cells tile a W × H image, and each cell's pixel count. */
export function areaBins(src: number, dst: number): { cell: Int32Array; count: Float32Array } {
  const cell = new Int32Array(src);
  const count = new Float32Array(dst);
  for (let i = 0; i < src; i++) {
    const c = Math.min(dst - 1, Math.floor((i * dst) / src));
    cell[i] = c;
    count[c] = (count[c] as number) + 1;
  }
  return { cell, count };
}

/** Whether this platform stores a Uint32 little-endian, so R is the low byte of an RGBA word. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Area average (box prefilter, one pass over the source) of the RGB bytes of an RGBA buffer and,
 * optionally, of a float plane of the same size, down to w × h (w ≤ W, h ≤ H). Each source pixel
 * falls in exactly one cell. Returns interleaved RGB in byte units and the averaged plane.
 */
export function areaAverageRgb(
  data: Uint8Array | Uint8ClampedArray,
  W: number,
  H: number,
  w: number,
  h: number,
  plane?: Float32Array,
): { rgb: Float32Array; plane: Float32Array | undefined } {
  const bx = areaBins(W, w);
  const by = areaBins(H, h);
  const rgb = new Float32Array(w * h * 3);
  const avg = plane ? new Float32Array(w * h) : undefined;
  // One output row of cells at a time: exact integer sums of the bytes (a cell of a 24 MP photo
  // shrunk to 1024² holds ~25 pixels, far from overflowing 32 bits), then one scaled write per cell.
  const acc = new Uint32Array(w * 3);
  const accP = plane ? new Float64Array(w) : undefined;
  const cellX = bx.cell;
  const words = LITTLE_ENDIAN && (data.byteOffset & 3) === 0 ? new Uint32Array(data.buffer, data.byteOffset, W * H) : null;
  const flush = (cy: number): void => {
    const rowCount = by.count[cy] as number;
    for (let cx = 0; cx < w; cx++) {
      const k = 1 / Math.max(1, rowCount * (bx.count[cx] as number));
      const t = cy * w + cx;
      rgb[t * 3] = (acc[cx * 3] as number) * k;
      rgb[t * 3 + 1] = (acc[cx * 3 + 1] as number) * k;
      rgb[t * 3 + 2] = (acc[cx * 3 + 2] as number) * k;
      if (avg && accP) avg[t] = (accP[cx] as number) * k;
    }
    acc.fill(0);
    accP?.fill(0);
  };
  // Source columns of each cell: [colStart[cx], colStart[cx + 1]). Sums run per cell in locals.
  const colStart = new Int32Array(w + 1);
  for (let cx = 0, x = 0; cx <= w; cx++) {
    while (x < W && (cellX[x] as number) < cx) x++;
    colStart[cx] = x;
  }
  // Packed sums (R and B in 16-bit lanes of one integer) need at most 64 pixels per cell row to
  // stay small integers; larger cells take the byte path.
  let widest = 0;
  for (let cx = 0; cx < w; cx++) widest = Math.max(widest, (colStart[cx + 1] as number) - (colStart[cx] as number));
  const packed = words !== null && widest <= 64 ? words : null;
  let current = 0;
  for (let y = 0; y < H; y++) {
    const cy = by.cell[y] as number;
    if (cy !== current) {
      flush(current);
      current = cy;
    }
    if (packed && accP && plane) accumulateWordsPlaneRow(packed, plane, y * W, colStart, w, acc, accP);
    else {
      if (packed) accumulateWordsRow(packed, y * W, colStart, w, acc);
      else accumulateBytesRow(data, y * W, colStart, w, acc);
      if (accP && plane) accumulatePlaneRow(plane, y * W, colStart, w, accP);
    }
  }
  flush(current);
  return { rgb, plane: avg };
}

/**
 * Adds one source row's RGB to the per-cell sums, one 32-bit load per pixel (RGBA little-endian):
 * R and B summed together in 16-bit lanes (v & 0xff00ff), G alone; exact for up to 64 pixels per
 * cell. Small monomorphic functions: V8 optimises them far better than loops next to a closure.
 */
function accumulateWordsRow(words: Uint32Array, base: number, colStart: Int32Array, cells: number, acc: Uint32Array): void {
  for (let cx = 0; cx < cells; cx++) {
    let rb = 0;
    let g = 0;
    for (let x = base + (colStart[cx] as number), end = base + (colStart[cx + 1] as number); x < end; x++) {
      const v = words[x] as number;
      rb += v & 0xff00ff;
      g += (v >>> 8) & 255;
    }
    const t = cx * 3;
    acc[t] = (acc[t] as number) + (rb & 0xffff);
    acc[t + 1] = (acc[t + 1] as number) + g;
    acc[t + 2] = (acc[t + 2] as number) + (rb >>> 16);
  }
}

/** accumulateWordsRow and accumulatePlaneRow in one pass. */
function accumulateWordsPlaneRow(words: Uint32Array, plane: Float32Array, base: number, colStart: Int32Array, cells: number, acc: Uint32Array, accP: Float64Array): void {
  for (let cx = 0; cx < cells; cx++) {
    let rb = 0;
    let g = 0;
    let sp = 0;
    for (let x = base + (colStart[cx] as number), end = base + (colStart[cx + 1] as number); x < end; x++) {
      const v = words[x] as number;
      rb += v & 0xff00ff;
      g += (v >>> 8) & 255;
      sp += plane[x] as number;
    }
    const t = cx * 3;
    acc[t] = (acc[t] as number) + (rb & 0xffff);
    acc[t + 1] = (acc[t + 1] as number) + g;
    acc[t + 2] = (acc[t + 2] as number) + (rb >>> 16);
    accP[cx] = (accP[cx] as number) + sp;
  }
}

function accumulateBytesRow(data: Uint8Array | Uint8ClampedArray, base: number, colStart: Int32Array, cells: number, acc: Uint32Array): void {
  for (let cx = 0; cx < cells; cx++) {
    let r = 0;
    let g = 0;
    let b = 0;
    for (let x = base + (colStart[cx] as number), end = base + (colStart[cx + 1] as number); x < end; x++) {
      r += data[x * 4] as number;
      g += data[x * 4 + 1] as number;
      b += data[x * 4 + 2] as number;
    }
    const t = cx * 3;
    acc[t] = (acc[t] as number) + r;
    acc[t + 1] = (acc[t + 1] as number) + g;
    acc[t + 2] = (acc[t + 2] as number) + b;
  }
}

function accumulatePlaneRow(plane: Float32Array, base: number, colStart: Int32Array, cells: number, acc: Float64Array): void {
  for (let cx = 0; cx < cells; cx++) {
    let sp = 0;
    for (let x = base + (colStart[cx] as number), end = base + (colStart[cx + 1] as number); x < end; x++) sp += plane[x] as number;
    acc[cx] = (acc[cx] as number) + sp;
  }
}
