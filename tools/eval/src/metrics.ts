/**
 * Matte-quality metrics, exactly as defined in ../shared/eval/README.md.
 *
 * All alphas are Float32Array (row-major, width × height) with values in [0,1].
 * Trimaps and GrabCut masks are one-channel byte arrays (Uint8Array / Buffer).
 *
 * - SAD:  Σ|pred − gt| / 1000                         (whole image; `uSad` inside the unknown band)
 * - MSE:  mean (pred − gt)²                           (whole image; `uMse` inside the unknown band)
 * - Grad: Rhemann et al. gradient error: magnitudes of first-order Gaussian-derivative
 *         gradients (σ = 1.4) of pred and gt, Σ(|∇pred| − |∇gt|)² / 1000
 *         (whole image; `uGradError` inside the unknown band). See `GradKernelNorm` for the
 *         kernel normalisation: the default reproduces the README's reference figures.
 * - IoU / MAE (GrabCut): pred ≥ 0.5 vs gt = 255, pixels with gt = 128 ignored.
 *
 * The unknown band of a trimap is every pixel whose value is strictly between 10 and 245.
 */

/** Anything indexable by pixel that holds one byte per pixel (Uint8Array, Buffer, Uint8ClampedArray). */
export type ByteMap = ArrayLike<number>;

/** Default σ of the Gaussian-derivative filters used by the gradient error. */
export const GRAD_SIGMA = 1.4;
/** ε used to choose the Gaussian kernel's half-size (as in the MATLAB/Python matting evaluation code). */
export const GRAD_EPSILON = 1e-2;
/** Lower/upper exclusive bounds of a trimap's unknown band. */
export const UNKNOWN_LOW = 10;
export const UNKNOWN_HIGH = 245;

function checkSize(name: string, arr: ArrayLike<number>, width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(`${name}: invalid size ${width}×${height}`);
  }
  if (arr.length !== width * height) {
    throw new RangeError(`${name}: expected ${width * height} values (${width}×${height}), got ${arr.length}`);
  }
}

function checkPair(pred: Float32Array, gt: Float32Array, width: number, height: number, mask?: ByteMap): void {
  checkSize('pred', pred, width, height);
  checkSize('gt', gt, width, height);
  if (mask !== undefined) checkSize('trimap', mask, width, height);
}

/** True when a trimap value belongs to the unknown band (strictly between 10 and 245). */
export function isUnknown(trimapValue: number): boolean {
  return trimapValue > UNKNOWN_LOW && trimapValue < UNKNOWN_HIGH;
}

/** Number of unknown-band pixels in a trimap. */
export function unknownCount(trimap: ByteMap): number {
  let n = 0;
  for (let i = 0; i < trimap.length; i++) if (isUnknown(trimap[i] ?? 0)) n++;
  return n;
}

/** Sum of absolute differences / 1000 over the whole image. */
export function sad(pred: Float32Array, gt: Float32Array, width: number, height: number): number {
  checkPair(pred, gt, width, height);
  let s = 0;
  for (let i = 0; i < pred.length; i++) s += Math.abs((pred[i] ?? 0) - (gt[i] ?? 0));
  return s / 1000;
}

/** Sum of absolute differences / 1000 over the trimap's unknown band. */
export function uSad(pred: Float32Array, gt: Float32Array, trimap: ByteMap, width: number, height: number): number {
  checkPair(pred, gt, width, height, trimap);
  let s = 0;
  for (let i = 0; i < pred.length; i++) {
    if (isUnknown(trimap[i] ?? 0)) s += Math.abs((pred[i] ?? 0) - (gt[i] ?? 0));
  }
  return s / 1000;
}

/** Mean squared error over the whole image. */
export function mse(pred: Float32Array, gt: Float32Array, width: number, height: number): number {
  checkPair(pred, gt, width, height);
  let s = 0;
  for (let i = 0; i < pred.length; i++) {
    const d = (pred[i] ?? 0) - (gt[i] ?? 0);
    s += d * d;
  }
  return s / pred.length;
}

/** Mean squared error over the trimap's unknown band (0 when the band is empty). */
export function uMse(pred: Float32Array, gt: Float32Array, trimap: ByteMap, width: number, height: number): number {
  checkPair(pred, gt, width, height, trimap);
  let s = 0;
  let n = 0;
  for (let i = 0; i < pred.length; i++) {
    if (!isUnknown(trimap[i] ?? 0)) continue;
    const d = (pred[i] ?? 0) - (gt[i] ?? 0);
    s += d * d;
    n++;
  }
  return n === 0 ? 0 : s / n;
}

// ---------------------------------------------------------------------------------------------
// Gradient error
// ---------------------------------------------------------------------------------------------

/**
 * How the 2-D Gaussian-derivative kernel hx[i][j] = gauss(i − h)·dgauss(j − h) is normalised.
 *
 * - `'step'` (default): hx ← hx / (½·Σ|hx|), i.e. the kernel's positive lobe sums to 1, so an ideal
 *   unit step edge has gradient magnitude 1. This is the convention the figures in
 *   ../shared/eval/README.md were computed with (reference Grad 4.02 on alphamatting; we measure
 *   4.0276 with the same predictions — the README truncates to three digits).
 * - `'l2'`: hx ← hx / sqrt(Σ hx²), as in `gaussgradient.m` (Guanglei Xiong) used by the Deep Image
 *   Matting MATLAB evaluation and its Python ports (GCA, MatteFormer, mmediting …). Gives values
 *   about 7× larger on this data (28.5 for the reference); use it to compare with published
 *   Composition-1k style figures.
 *
 * Both are exact rescalings of the same filter, so they rank predictions identically up to the
 * (constant) factor: Grad_l2 / Grad_step = (½Σ|hx|)² / Σhx² (≈ 7.09 for σ = 1.4).
 */
export type GradKernelNorm = 'step' | 'l2';

export interface GradOptions {
  /** σ of the Gaussian (default 1.4). */
  sigma?: number;
  /** Kernel normalisation (default 'step', matching the README's figures). */
  norm?: GradKernelNorm;
}

export interface GaussDerivKernels {
  halfSize: number;
  /** Smoothing factor, u = −halfSize … halfSize. */
  smooth: Float64Array;
  /** Derivative factor, u = −halfSize … halfSize (odd: deriv[h − k] = −deriv[h + k]). */
  deriv: Float64Array;
}

const kernelCache = new Map<string, GaussDerivKernels>();

/**
 * Separable factors of the 2-D first-order Gaussian-derivative filter of the matting evaluation
 * code: halfsize = ceil(σ·sqrt(−2·ln(sqrt(2π)·σ·ε))) with ε = 1e-2 (→ 4, a 9×9 kernel, for σ = 1.4),
 * hx[i][j] = gauss(i − h)·dgauss(j − h), hy = hxᵀ.
 *
 * hx is an outer product, so any norm of it that factorises (L2: ‖g‖₂‖d‖₂; L1: ‖g‖₁‖d‖₁) can be
 * applied to the factors separately; `smooth ⊗ deriv` equals the normalised 2-D hx exactly.
 */
export function gaussDerivKernels(
  sigma: number = GRAD_SIGMA,
  norm: GradKernelNorm = 'step',
  epsilon: number = GRAD_EPSILON,
): GaussDerivKernels {
  const key = `${sigma}|${norm}|${epsilon}`;
  const cached = kernelCache.get(key);
  if (cached) return cached;
  const halfSize = Math.ceil(sigma * Math.sqrt(-2 * Math.log(Math.sqrt(2 * Math.PI) * sigma * epsilon)));
  const size = 2 * halfSize + 1;
  const smooth = new Float64Array(size);
  const deriv = new Float64Array(size);
  const gauss = (x: number): number => Math.exp(-(x * x) / (2 * sigma * sigma)) / (sigma * Math.sqrt(2 * Math.PI));
  for (let k = 0; k < size; k++) {
    const u = k - halfSize;
    const g = gauss(u);
    smooth[k] = g;
    deriv[k] = (-u * g) / (sigma * sigma);
  }
  let sn = 0;
  let dn = 0;
  if (norm === 'l2') {
    for (let k = 0; k < size; k++) {
      sn += (smooth[k] ?? 0) ** 2;
      dn += (deriv[k] ?? 0) ** 2;
    }
    sn = Math.sqrt(sn);
    dn = Math.sqrt(dn);
  } else {
    // ½·Σ|hx| = Σ|g| · ½Σ|d|
    for (let k = 0; k < size; k++) {
      sn += Math.abs(smooth[k] ?? 0);
      dn += Math.abs(deriv[k] ?? 0);
    }
    dn /= 2;
  }
  for (let k = 0; k < size; k++) {
    smooth[k] = (smooth[k] ?? 0) / sn;
    deriv[k] = (deriv[k] ?? 0) / dn;
  }
  const kernels: GaussDerivKernels = { halfSize, smooth, deriv };
  kernelCache.set(key, kernels);
  return kernels;
}

/**
 * 1-D convolution along rows (horizontal) or columns (vertical) with edge replication
 * (scipy.ndimage `mode='nearest'`, MATLAB `imfilter(..., 'replicate', 'conv')`).
 * True convolution (kernel flipped); for the gradient magnitude the flip only changes the sign.
 */
function convolve1d(
  src: Float64Array,
  width: number,
  height: number,
  kernel: Float64Array,
  horizontal: boolean,
): Float64Array {
  const out = new Float64Array(width * height);
  const h = (kernel.length - 1) >> 1;
  if (horizontal) {
    for (let y = 0; y < height; y++) {
      const row = y * width;
      for (let x = 0; x < width; x++) {
        let acc = 0;
        for (let k = -h; k <= h; k++) {
          let xx = x - k;
          if (xx < 0) xx = 0;
          else if (xx >= width) xx = width - 1;
          acc += (kernel[k + h] ?? 0) * (src[row + xx] ?? 0);
        }
        out[row + x] = acc;
      }
    }
  } else {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let acc = 0;
        for (let k = -h; k <= h; k++) {
          let yy = y - k;
          if (yy < 0) yy = 0;
          else if (yy >= height) yy = height - 1;
          acc += (kernel[k + h] ?? 0) * (src[yy * width + x] ?? 0);
        }
        out[y * width + x] = acc;
      }
    }
  }
  return out;
}

/** Gradient magnitude sqrt(gx² + gy²) of an alpha map with Gaussian-derivative filters. */
export function gradientMagnitude(alpha: ArrayLike<number>, width: number, height: number, opts: GradOptions = {}): Float64Array {
  checkSize('alpha', alpha, width, height);
  const { smooth, deriv } = gaussDerivKernels(opts.sigma ?? GRAD_SIGMA, opts.norm ?? 'step');
  const src = Float64Array.from(alpha);
  // gx: derivative along x, smoothing along y; gy: the transpose.
  const gx = convolve1d(convolve1d(src, width, height, deriv, true), width, height, smooth, false);
  const gy = convolve1d(convolve1d(src, width, height, smooth, true), width, height, deriv, false);
  const mag = new Float64Array(width * height);
  for (let i = 0; i < mag.length; i++) {
    const a = gx[i] ?? 0;
    const b = gy[i] ?? 0;
    mag[i] = Math.sqrt(a * a + b * b);
  }
  return mag;
}

/**
 * Σ(|∇pred| − |∇gt|)² / 1000 from precomputed magnitudes (see `gradientMagnitude`), over the whole
 * image or, with a trimap, over its unknown band. Lets callers compute the magnitudes once and
 * score several bands.
 */
export function gradErrorFromMagnitudes(predMag: ArrayLike<number>, gtMag: ArrayLike<number>, trimap?: ByteMap): number {
  if (predMag.length !== gtMag.length || (trimap !== undefined && trimap.length !== predMag.length)) {
    throw new RangeError(`gradient magnitudes / trimap differ in length (${predMag.length}, ${gtMag.length}, ${trimap?.length})`);
  }
  let s = 0;
  for (let i = 0; i < predMag.length; i++) {
    if (trimap !== undefined && !isUnknown(trimap[i] ?? 0)) continue;
    const d = (predMag[i] ?? 0) - (gtMag[i] ?? 0);
    s += d * d;
  }
  return s / 1000;
}

/** Gradient error (Rhemann et al.) over the whole image, / 1000. */
export function gradError(pred: Float32Array, gt: Float32Array, width: number, height: number, opts: GradOptions = {}): number {
  checkPair(pred, gt, width, height);
  return gradErrorFromMagnitudes(gradientMagnitude(pred, width, height, opts), gradientMagnitude(gt, width, height, opts));
}

/** Gradient error over the trimap's unknown band, / 1000 (gradients are computed on the whole image). */
export function uGradError(
  pred: Float32Array,
  gt: Float32Array,
  trimap: ByteMap,
  width: number,
  height: number,
  opts: GradOptions = {},
): number {
  checkPair(pred, gt, width, height, trimap);
  return gradErrorFromMagnitudes(gradientMagnitude(pred, width, height, opts), gradientMagnitude(gt, width, height, opts), trimap);
}

// ---------------------------------------------------------------------------------------------
// GrabCut metrics
// ---------------------------------------------------------------------------------------------

/** GrabCut mask value marking the unlabelled boundary band (ignored). */
export const GRABCUT_IGNORE = 128;
export const GRABCUT_FG = 255;

function checkMask(pred: Float32Array, gtMask: ByteMap, width: number, height: number): void {
  checkSize('pred', pred, width, height);
  checkSize('mask', gtMask, width, height);
}

/**
 * Intersection over union of the foreground: pred ≥ 0.5 vs gt = 255, pixels with gt = 128 ignored.
 * Returns 1 when both foregrounds are empty.
 */
export function iou(pred: Float32Array, gtMask: ByteMap, width: number, height: number): number {
  checkMask(pred, gtMask, width, height);
  let inter = 0;
  let union = 0;
  for (let i = 0; i < pred.length; i++) {
    const g = gtMask[i] ?? 0;
    if (g === GRABCUT_IGNORE) continue;
    const p = (pred[i] ?? 0) >= 0.5;
    const t = g === GRABCUT_FG;
    if (p && t) inter++;
    if (p || t) union++;
  }
  return union === 0 ? 1 : inter / union;
}

/**
 * Mean absolute error against the GrabCut mask (gt = 255 → 1, anything else → 0), pixels with
 * gt = 128 ignored. By default the soft prediction is compared (salient-object-detection
 * convention); pass `binarize = true` to threshold pred at 0.5 first.
 */
export function mae(pred: Float32Array, gtMask: ByteMap, width: number, height: number, binarize = false): number {
  checkMask(pred, gtMask, width, height);
  let s = 0;
  let n = 0;
  for (let i = 0; i < pred.length; i++) {
    const g = gtMask[i] ?? 0;
    if (g === GRABCUT_IGNORE) continue;
    const pv = pred[i] ?? 0;
    const p = binarize ? (pv >= 0.5 ? 1 : 0) : pv;
    s += Math.abs(p - (g === GRABCUT_FG ? 1 : 0));
    n++;
  }
  return n === 0 ? 0 : s / n;
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/** Converts 8-bit values to a [0,1] Float32Array. */
export function bytesToAlpha(bytes: ByteMap): Float32Array {
  const out = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = (bytes[i] ?? 0) / 255;
  return out;
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/** The median; for an even count, the mean of the two middle values. NaN when empty. The one median of scripts/. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] ?? Number.NaN) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
}
