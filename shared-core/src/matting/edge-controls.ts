/**
 * User edge controls, applied to the full-resolution matte in this order: shift, smooth, hard,
 * feather. All default to off (0 / false).
 *
 * - shift (px, − contracts, + expands): exact Euclidean distance transform (Felzenszwalb &
 *   Huttenlocher, "Distance Transforms of Sampled Functions", ToC 2012) of the α ≥ 0.5 region gives a
 *   signed distance d to the 0.5 contour, refined to sub-pixel by the soft alpha in the two pixels
 *   straddling it. Expansion takes max(α, ramp(d + n)), contraction min(α, ramp(d + n)), with
 *   ramp(t) = clamp(t + 0.5): the contour moves by n px while soft detail away from it (hair) is kept.
 * - smooth (px): box blur of that radius then a contrast restore around 0.5, rounding jaggies.
 * - hard: for products / logos: threshold at 0.5 with a 1-px ramp on the signed distance.
 * - feather (px): Gaussian-like blur (three box passes, σ ≈ feather).
 */
import type { AlphaMatte } from '../image.js';
import { clamp01 } from '../clamp.js';
import { boxMean } from './box.js';
import type { Yielder } from './yielder.js';

export interface EdgeControls {
  /** Blur σ in px (default 0). */
  readonly feather?: number;
  /** Move the edge out (+) or in (−) by this many px (default 0). */
  readonly shift?: number;
  /** Smoothing radius in px (default 0). */
  readonly smooth?: number;
  /** Hard edge with 1-px anti-aliasing (default false). */
  readonly hard?: boolean;
}

const INF = 1e20;

/** 1-D squared distance transform (lower envelope of parabolas), in place on f[0..n). */
function dt1d(f: Float64Array, n: number, d: Float64Array, v: Int32Array, z: Float64Array): void {
  let k = 0;
  v[0] = 0;
  z[0] = -INF;
  z[1] = INF;
  for (let q = 1; q < n; q++) {
    let s: number;
    for (;;) {
      const vk = v[k] as number;
      s = ((f[q] as number) + q * q - ((f[vk] as number) + vk * vk)) / (2 * q - 2 * vk);
      if (s <= (z[k] as number) && k > 0) k--;
      else break;
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = INF;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while ((z[k + 1] as number) < q) k++;
    const vk = v[k] as number;
    d[q] = (q - vk) * (q - vk) + (f[vk] as number);
  }
  for (let q = 0; q < n; q++) f[q] = d[q] as number;
}

/** Euclidean distance of every pixel to the nearest pixel where `seed` is 1. */
function edt(seed: Uint8Array, w: number, h: number): Float64Array {
  const g = new Float64Array(w * h);
  for (let i = 0; i < g.length; i++) g[i] = seed[i] ? 0 : INF;
  const m = Math.max(w, h);
  const f = new Float64Array(m), d = new Float64Array(m), z = new Float64Array(m + 1);
  const v = new Int32Array(m);
  for (let x = 0; x < w; x++) {
    for (let y = 0; y < h; y++) f[y] = g[y * w + x] as number;
    dt1d(f, h, d, v, z);
    for (let y = 0; y < h; y++) g[y * w + x] = f[y] as number;
  }
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) f[x] = g[row + x] as number;
    dt1d(f, w, d, v, z);
    for (let x = 0; x < w; x++) g[row + x] = Math.sqrt(f[x] as number);
  }
  return g;
}

/**
 * Signed distance (px) to the α = 0.5 contour, positive inside. Pixel-centre distances are offset
 * by half a pixel, and pixels next to the contour use the soft alpha for the sub-pixel position.
 */
export function signedEdgeDistance(alpha: Float32Array, w: number, h: number): Float32Array {
  const n = w * h;
  const inside = new Uint8Array(n);
  const outside = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if ((alpha[i] as number) >= 0.5) inside[i] = 1;
    else outside[i] = 1;
  }
  const toOut = edt(outside, w, h);
  const toIn = edt(inside, w, h);
  const d = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const a = alpha[i] as number;
    const base = inside[i] ? Math.min(INF, toOut[i] as number) - 0.5 : 0.5 - Math.min(INF, toIn[i] as number);
    // Next to the contour the soft value says where inside the pixel the 0.5 crossing lies.
    d[i] = Math.abs(base) <= 0.5 + 1e-9 ? a - 0.5 : base;
  }
  return d;
}

function boxBlur(a: Float32Array, w: number, h: number, r: number, passes: number): void {
  const tmp = new Float32Array(a.length);
  for (let p = 0; p < passes; p++) {
    boxMean(a, w, h, r, tmp);
    a.set(tmp);
  }
}

export async function applyEdgeControls(matte: AlphaMatte, c: EdgeControls, yielder?: Yielder): Promise<void> {
  const { width: w, height: h, data: a } = matte;
  const shift = c.shift ?? 0;
  if (shift !== 0 && Number.isFinite(shift)) {
    const d = signedEdgeDistance(a, w, h);
    for (let i = 0; i < a.length; i++) {
      const t = (d[i] as number) + shift + 0.5;
      const ramp = clamp01(t);
      const v = a[i] as number;
      a[i] = shift > 0 ? Math.max(v, ramp) : Math.min(v, ramp);
    }
    await yielder?.tick();
  }
  const smooth = Math.round(c.smooth ?? 0);
  if (smooth > 0) {
    boxBlur(a, w, h, smooth, 1);
    const k = 1 + smooth / 2;
    for (let i = 0; i < a.length; i++) {
      const t = ((a[i] as number) - 0.5) * k + 0.5;
      a[i] = clamp01(t);
    }
    await yielder?.tick();
  }
  if (c.hard) {
    const d = signedEdgeDistance(a, w, h);
    for (let i = 0; i < a.length; i++) {
      const t = (d[i] as number) + 0.5;
      a[i] = clamp01(t);
    }
    await yielder?.tick();
  }
  const feather = c.feather ?? 0;
  if (feather > 0 && Number.isFinite(feather)) {
    // three box passes of radius r have σ² = ((2r+1)² − 1) / 4
    const r = Math.max(1, Math.round((Math.sqrt(4 * feather * feather + 1) - 1) / 2));
    boxBlur(a, w, h, r, 3);
    await yielder?.tick();
  }
}
