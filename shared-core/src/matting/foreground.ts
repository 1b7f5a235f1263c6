/**
 * Colour decontamination: multi-level foreground estimation (Germer, Uelwer, Conrad, Harmeling,
 * "Fast Multi-Level Foreground Estimation", ICPR 2020; same scheme as pymatting's
 * estimate_foreground_ml). Solves I ≈ αF + (1−α)B with a smoothness term whose weight grows
 * with |∇α|, coarse to fine: at each level (sizes w0^(l/L)) F and B are initialised by
 * nearest-neighbour upsampling of the previous level, then a few in-place sweeps solve, per pixel,
 * the 2×2 system of the data term plus 4-neighbour regularisation.
 *
 * Speed trick: pixels with α ≥ 1−δ take F = I (and α ≤ δ take B = I) directly; only mixed pixels
 * are iterated (all pixels on levels ≤ 32²). B under the subject (and F over the background) come
 * from the coarser levels, which is all the mixed pixels need. Output F is the photo where α = 1.
 */
import type { AlphaMatte, RgbaImage } from '../image.js';
import { ALPHA_DELTA, clamp01 } from '../clamp.js';
import { CoreError } from '../errors.js';
import { createYielder } from './yielder.js';

export interface ForegroundOptions {
  readonly regularization?: number;
  readonly gradientWeight?: number;
  readonly smallIterations?: number;
  readonly bigIterations?: number;
  readonly smallSize?: number;
  readonly signal?: AbortSignal | undefined;
}

/** Foreground and background colours as interleaved RGB floats in [0, 1], at the image's size. */
export interface ForegroundBackground {
  readonly width: number;
  readonly height: number;
  readonly foreground: Float32Array;
  readonly background: Float32Array;
}

/** Foreground colours (RGBA bytes; alpha copied from the photo) such that αF + (1−α)B ≈ I. */
export async function estimateForegroundMultiLevel(image: RgbaImage, matte: AlphaMatte, opts: ForegroundOptions = {}): Promise<RgbaImage> {
  const { width: W0, height: H0, data: src } = image;
  const { foreground: F } = await estimateForegroundBackground(image, matte, opts);
  const A0 = matte.data;
  const out = new Uint8ClampedArray(W0 * H0 * 4);
  for (let i = 0; i < W0 * H0; i++) {
    const a = A0[i] as number;
    for (let c = 0; c < 3; c++) out[i * 4 + c] = a >= 1 - ALPHA_DELTA ? (src[i * 4 + c] as number) : Math.round((F[i * 3 + c] as number) * 255);
    out[i * 4 + 3] = src[i * 4 + 3] as number;
  }
  return { width: W0, height: H0, data: out };
}

/** Both layers of I ≈ αF + (1−α)B (the multi-level scheme above); F = I where α ≈ 1, B = I where α ≈ 0. */
export async function estimateForegroundBackground(image: RgbaImage, matte: AlphaMatte, opts: ForegroundOptions = {}): Promise<ForegroundBackground> {
  const { width: W0, height: H0, data: src } = image;
  if (matte.width !== W0 || matte.height !== H0) {
    throw new CoreError('invalid_argument', `Matte is ${matte.width}×${matte.height} but the image is ${W0}×${H0}.`);
  }
  const reg = opts.regularization ?? 1e-5;
  const gw = opts.gradientWeight ?? 1;
  const nSmall = opts.smallIterations ?? 10;
  const nBig = opts.bigIterations ?? 2;
  const smallSize = opts.smallSize ?? 32;
  const yielder = createYielder(opts.signal);
  const A0 = matte.data;
  const levels = Math.max(1, Math.ceil(Math.log2(Math.max(W0, H0))));
  let F = new Float32Array(3);
  let B = new Float32Array(3);
  let pw = 1;
  let ph = 1;
  // level 0 initial value: mean colour
  for (let c = 0; c < 3; c++) F[c] = B[c] = channelMean(src, W0 * H0, c) / 255;
  for (let l = 0; l <= levels; l++) {
    const w = Math.max(1, Math.round(W0 ** (l / levels)));
    const h = Math.max(1, Math.round(H0 ** (l / levels)));
    const n = w * h;
    const I = new Float32Array(n * 3);
    const A = new Float32Array(n);
    const nF = new Float32Array(n * 3);
    const nB = new Float32Array(n * 3);
    sampleLevel(src, A0, W0, H0, F, B, pw, ph, I, A, nF, nB, w, h);
    F = nF;
    B = nB;
    const dense = w <= smallSize && h <= smallSize;
    const active = new Int32Array(n);
    const nActive = classifyLevel(I, A, F, B, active, dense);
    const iters = dense ? nSmall : nBig;
    for (let it = 0; it < iters; it++) {
      for (let k = 0; k < nActive; k += SWEEP_CHUNK) {
        sweep(F, B, I, A, active, k, Math.min(nActive, k + SWEEP_CHUNK), w, h, reg, gw);
        await yielder.tick();
      }
    }
    await yielder.tick();
    pw = w;
    ph = h;
  }
  return { width: W0, height: H0, foreground: F, background: B };
}

function channelMean(src: Uint8Array | Uint8ClampedArray, n: number, c: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += src[i * 4 + c] as number;
  return s / n;
}

/**
 * One level's inputs, nearest-neighbour sampled: I (0–1) and A from the full-size image and matte,
 * F and B from the previous level (pw × ph). Separate small functions: V8 optimises them far
 * better than the same loops inside the long async caller.
 */
function sampleLevel(
  src: Uint8Array | Uint8ClampedArray,
  A0: Float32Array,
  W0: number,
  H0: number,
  F: Float32Array,
  B: Float32Array,
  pw: number,
  ph: number,
  I: Float32Array,
  A: Float32Array,
  nF: Float32Array,
  nB: Float32Array,
  w: number,
  h: number,
): void {
  const xs = new Int32Array(w);
  for (let x = 0; x < w; x++) xs[x] = Math.min(W0 - 1, Math.floor((x * W0) / w));
  const pxs = new Int32Array(w);
  for (let x = 0; x < w; x++) pxs[x] = Math.min(pw - 1, Math.floor((x * pw) / w));
  for (let y = 0; y < h; y++) {
    const sy = Math.min(H0 - 1, Math.floor((y * H0) / h));
    const py = Math.min(ph - 1, Math.floor((y * ph) / h));
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const s = sy * W0 + (xs[x] as number);
      const p = (py * pw + (pxs[x] as number)) * 3;
      A[i] = A0[s] as number;
      for (let c = 0; c < 3; c++) {
        I[i * 3 + c] = (src[s * 4 + c] as number) / 255;
        nF[i * 3 + c] = F[p + c] as number;
        nB[i * 3 + c] = B[p + c] as number;
      }
    }
  }
}

/** Lists the pixels to iterate (all when dense, else the mixed ones); F = I where opaque, B = I where transparent. Returns their count. */
function classifyLevel(I: Float32Array, A: Float32Array, F: Float32Array, B: Float32Array, active: Int32Array, dense: boolean): number {
  let nActive = 0;
  for (let i = 0; i < A.length; i++) {
    const a = A[i] as number;
    if (dense || (a > ALPHA_DELTA && a < 1 - ALPHA_DELTA)) active[nActive++] = i;
    else if (a >= 1 - ALPHA_DELTA) for (let c = 0; c < 3; c++) F[i * 3 + c] = I[i * 3 + c] as number;
    else for (let c = 0; c < 3; c++) B[i * 3 + c] = I[i * 3 + c] as number;
  }
  return nActive;
}

/** Pixels per synchronous sweep call (a yield point between calls). */
const SWEEP_CHUNK = 16384;

/** One in-place Gauss–Seidel sweep over active[from..to): per pixel the 2×2 system for (F, B) of each channel. */
function sweep(F: Float32Array, B: Float32Array, I: Float32Array, A: Float32Array, active: Int32Array, from: number, to: number, w: number, h: number, reg: number, gw: number): void {
  for (let k = from; k < to; k++) {
    const i = active[k] as number;
    const y = (i / w) | 0;
    const x = i - y * w;
    const a0 = A[i] as number;
    const a1 = 1 - a0;
    let a00 = a0 * a0, a11 = a1 * a1;
    const a01 = a0 * a1;
    let f0 = 0, f1 = 0, f2 = 0, b0 = 0, b1 = 0, b2 = 0;
    for (let d = 0; d < 4; d++) {
      const x2 = d === 0 ? Math.max(0, x - 1) : d === 1 ? Math.min(w - 1, x + 1) : x;
      const y2 = d === 2 ? Math.max(0, y - 1) : d === 3 ? Math.min(h - 1, y + 1) : y;
      const j = y2 * w + x2;
      const da = reg + gw * Math.abs(a0 - (A[j] as number));
      a00 += da;
      a11 += da;
      f0 += da * (F[j * 3] as number); f1 += da * (F[j * 3 + 1] as number); f2 += da * (F[j * 3 + 2] as number);
      b0 += da * (B[j * 3] as number); b1 += da * (B[j * 3 + 1] as number); b2 += da * (B[j * 3 + 2] as number);
    }
    const inv = 1 / (a00 * a11 - a01 * a01);
    const m00 = inv * a11, m01 = -inv * a01, m11 = inv * a00;
    const o = i * 3;
    const i0 = I[o] as number, i1 = I[o + 1] as number, i2 = I[o + 2] as number;
    F[o] = clamp01(m00 * (a0 * i0 + f0) + m01 * (a1 * i0 + b0));
    B[o] = clamp01(m01 * (a0 * i0 + f0) + m11 * (a1 * i0 + b0));
    F[o + 1] = clamp01(m00 * (a0 * i1 + f1) + m01 * (a1 * i1 + b1));
    B[o + 1] = clamp01(m01 * (a0 * i1 + f1) + m11 * (a1 * i1 + b1));
    F[o + 2] = clamp01(m00 * (a0 * i2 + f2) + m01 * (a1 * i2 + b2));
    B[o + 2] = clamp01(m01 * (a0 * i2 + f2) + m11 * (a1 * i2 + b2));
  }
}
