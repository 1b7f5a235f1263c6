/**
 * Image → model input tensor (NCHW float32, value = (byte − mean) / std).
 *
 * Two resize modes:
 * - `antialias` (default): pixel-centre aligned, triangle filter widened when downscaling, so a
 *   24-megapixel photo is averaged down to the network size instead of point-sampled.
 * - `reference`: the exact numerics of @imgly/background-removal-node 1.4.5 (corner-aligned
 *   bilinear sampling at x·(W/1024), rounded to bytes, no antialiasing); kept to verify the
 *   pipeline against the reference and for A/B measurements.
 * Transparent pixels are composited over mid-grey first, so whatever colour hides under alpha 0
 * does not steer the network (opaque images are unaffected).
 */
import { throwIfAborted } from './errors.js';
import type { RgbaImage } from './image.js';
import type { ModelManifest } from './model-manifest.js';
import { areaBins, computeTaps, verticalPass, type Taps } from './resample.js';

export type ResizeMode = 'antialias' | 'reference';

export interface PreprocessOptions {
  readonly resize?: ResizeMode;
  readonly signal?: AbortSignal | undefined;
  /** Override of the manifest's input size (only for models with `dynamicSize`). */
  readonly size?: { readonly width: number; readonly height: number };
}

const GREY = 128;

/** Byte of channel c (0..2) at pixel index p, composited over grey by the pixel's alpha. */
function channel(data: RgbaImage['data'], p: number, c: number): number {
  const a = data[p * 4 + 3] as number;
  const v = data[p * 4 + c] as number;
  return a === 255 ? v : (v * a + GREY * (255 - a)) / 255;
}

export function preprocess(image: RgbaImage, manifest: ModelManifest, options: PreprocessOptions = {}): Float32Array {
  const dw = options.size?.width ?? manifest.input.shape[3];
  const dh = options.size?.height ?? manifest.input.shape[2];
  const interleaved =
    options.resize === 'reference'
      ? resizeReference(image, dw, dh, options.signal)
      : resizeAntialias(image, dw, dh, options.signal);
  const { mean, std } = manifest.input;
  const plane = dw * dh;
  const out = new Float32Array(3 * plane);
  for (let c = 0; c < 3; c++) {
    const m = mean[c] as number;
    const s = std[c] as number;
    const o = c * plane;
    for (let i = 0; i < plane; i++) out[o + i] = ((interleaved[i * 3 + c] as number) - m) / s;
  }
  return out;
}

/** Antialiased separable resize of RGB (alpha-composited) into interleaved floats, dh × dw × 3. */
function resizeAntialias(image: RgbaImage, dw: number, dh: number, signal: AbortSignal | undefined): Float32Array {
  const { width: sw, height: sh, data } = image;
  // Shrinking 3× or more on an axis: an integer area average of the bytes over whole cells of
  // k = round(scale / 2) pixels first (one pass over the photo, uniform cells, so the box only
  // widens the triangle slightly), then the triangle filter at the remaining scale (1.3–2.7).
  // The triangle over float taps at full resolution was the cost (bench --large, 24 MP). Network
  // alpha against the plain path: max 0.02–0.03, mean ≤ 3e-4 on 12 and 24 MP photos.
  const kx = Math.round(sw / dw / 2);
  const ky = Math.round(sh / dh / 2);
  const iw = kx >= 2 ? Math.floor(sw / kx) : sw;
  const ih = ky >= 2 ? Math.floor(sh / ky) : sh;
  if (LITTLE_ENDIAN && (iw !== sw || ih !== sh)) return resizeAreaThenTriangle(image, iw, ih, dw, dh, signal);
  const tx = computeTaps(sw, dw, true);
  const ty = computeTaps(sh, dh, true);
  const tmp = new Float32Array(sh * dw * 3);
  for (let y = 0; y < sh; y++) {
    if ((y & 255) === 0) throwIfAborted(signal);
    const row = y * sw;
    const out = y * dw * 3;
    for (let x = 0; x < dw; x++) {
      const s0 = (tx.start[x] as number) + row;
      const n = tx.count[x] as number;
      const wo = x * tx.stride;
      let r = 0;
      let g = 0;
      let b = 0;
      for (let k = 0; k < n; k++) {
        const w = tx.weights[wo + k] as number;
        const p = s0 + k;
        r += channel(data, p, 0) * w;
        g += channel(data, p, 1) * w;
        b += channel(data, p, 2) * w;
      }
      tmp[out + x * 3] = r;
      tmp[out + x * 3 + 1] = g;
      tmp[out + x * 3 + 2] = b;
    }
  }
  throwIfAborted(signal);
  const dst = new Float32Array(dh * dw * 3);
  verticalPass(tmp, dw, dst, dh, ty, 3);
  return dst;
}

/** Whether this platform stores a Uint32 little-endian, so R is the low byte of an RGBA word. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Adds one source row to the per-cell sums (units of byte × 255, composited over grey exactly).
 * A small monomorphic function: V8 optimises it far better than the same loop inlined in a
 * function with closures (profiled at 24 MP: the inlined loop was several times slower).
 */
function accumulateRow(words: Uint32Array, base: number, colStart: Int32Array, cells: number, acc: Float64Array): void {
  for (let cx = 0; cx < cells; cx++) {
    // Opaque pixels sum plainly (× 255 once per cell); the others composite over grey.
    let r = 0;
    let g = 0;
    let b = 0;
    let rt = 0;
    let gt = 0;
    let bt = 0;
    for (let p = base + (colStart[cx] as number), end = base + (colStart[cx + 1] as number); p < end; p++) {
      const v = words[p] as number;
      const a = v >>> 24;
      if (a === 255) {
        r += v & 255;
        g += (v >>> 8) & 255;
        b += (v >>> 16) & 255;
      } else {
        const grey = GREY * (255 - a);
        rt += (v & 255) * a + grey;
        gt += ((v >>> 8) & 255) * a + grey;
        bt += ((v >>> 16) & 255) * a + grey;
      }
    }
    const t = cx * 3;
    acc[t] = (acc[t] as number) + r * 255 + rt;
    acc[t + 1] = (acc[t + 1] as number) + g * 255 + gt;
    acc[t + 2] = (acc[t + 2] as number) + b * 255 + bt;
  }
}

/** One intermediate row: cell sums → averages in byte units → triangle filter to dw, into out[o..]. */
function flushRow(acc: Float64Array, scale: Float32Array, row: Float32Array, tx: Taps, dw: number, out: Float32Array, o: number): void {
  for (let i = 0; i < row.length; i++) row[i] = (acc[i] as number) * (scale[(i / 3) | 0] as number);
  acc.fill(0);
  for (let x = 0; x < dw; x++) {
    const s0 = (tx.start[x] as number) * 3;
    const n = tx.count[x] as number;
    const wo = x * tx.stride;
    let r = 0;
    let g = 0;
    let b = 0;
    for (let k = 0; k < n; k++) {
      const w = tx.weights[wo + k] as number;
      r += (row[s0 + k * 3] as number) * w;
      g += (row[s0 + k * 3 + 1] as number) * w;
      b += (row[s0 + k * 3 + 2] as number) * w;
    }
    out[o + x * 3] = r;
    out[o + x * 3 + 1] = g;
    out[o + x * 3 + 2] = b;
  }
}

/**
 * Area average (exact sums) to iw × ih, one intermediate row at a time, each row filtered
 * horizontally to dw at once; then the vertical pass. Nothing at full resolution is allocated.
 */
function resizeAreaThenTriangle(image: RgbaImage, iw: number, ih: number, dw: number, dh: number, signal: AbortSignal | undefined): Float32Array {
  const { width: sw, height: sh, data } = image;
  const bx = areaBins(sw, iw);
  const by = areaBins(sh, ih);
  const colStart = new Int32Array(iw + 1);
  for (let cx = 0, x = 0; cx <= iw; cx++) {
    while (x < sw && (bx.cell[x] as number) < cx) x++;
    colStart[cx] = x;
  }
  // Float64 keeps the sums exact for any cell size (a 1 × 40000 strip has 20-px cells).
  const acc = new Float64Array(iw * 3);
  const row = new Float32Array(iw * 3);
  const colScale = new Float32Array(iw);
  const tx = computeTaps(iw, dw, true);
  const tmp = new Float32Array(ih * dw * 3);
  // An unaligned view cannot be read as words; a copy is cheap next to the pass itself.
  const bytes = (data.byteOffset & 3) === 0 ? data : data.slice();
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, sw * sh);
  let current = 0;
  const flush = (cy: number): void => {
    const k = 1 / (255 * (by.count[cy] as number));
    for (let cx = 0; cx < iw; cx++) colScale[cx] = k / ((colStart[cx + 1] as number) - (colStart[cx] as number));
    flushRow(acc, colScale, row, tx, dw, tmp, cy * dw * 3);
  };
  for (let y = 0; y < sh; y++) {
    if ((y & 255) === 0) throwIfAborted(signal);
    const cy = by.cell[y] as number;
    if (cy !== current) {
      flush(current);
      current = cy;
    }
    accumulateRow(words, y * sw, colStart, iw, acc);
  }
  flush(current);
  throwIfAborted(signal);
  const dst = new Float32Array(dh * dw * 3);
  verticalPass(tmp, dw, dst, dh, computeTaps(ih, dh, true), 3);
  return dst;
}

/** The reference pipeline's resize, reproduced exactly (see file comment). */
function resizeReference(image: RgbaImage, dw: number, dh: number, signal: AbortSignal | undefined): Float32Array {
  const { width: sw, height: sh, data } = image;
  const scaleX = sw / dw;
  const scaleY = sh / dh;
  const dst = new Float32Array(dh * dw * 3);
  for (let y = 0; y < dh; y++) {
    if ((y & 127) === 0) throwIfAborted(signal);
    const srcY = y * scaleY;
    const y1 = Math.max(Math.floor(srcY), 0);
    const y2 = Math.min(Math.ceil(srcY), sh - 1);
    const dy = srcY - y1;
    for (let x = 0; x < dw; x++) {
      const srcX = x * scaleX;
      const x1 = Math.max(Math.floor(srcX), 0);
      const x2 = Math.min(Math.ceil(srcX), sw - 1);
      const dx = srcX - x1;
      for (let c = 0; c < 3; c++) {
        const p1 = channel(data, y1 * sw + x1, c);
        const p2 = channel(data, y1 * sw + x2, c);
        const p3 = channel(data, y2 * sw + x1, c);
        const p4 = channel(data, y2 * sw + x2, c);
        const v = (1 - dx) * (1 - dy) * p1 + dx * (1 - dy) * p2 + (1 - dx) * dy * p3 + dx * dy * p4;
        dst[(y * dw + x) * 3 + c] = Math.round(v);
      }
    }
  }
  return dst;
}
