/**
 * Unknown band ("trimap") from a soft alpha, for the band-restricted matting solve.
 *
 * Uncertain pixels (lo < α < hi) are dilated by a radius scaled to the image size; pixels in the
 * middle of wide transitions (0.1 < α < 0.9, where the network hedges, e.g. hair) get twice that
 * radius — the band grows with the uncertainty. Everything else is known, snapped to 0 or 1.
 *
 * User hints (trimap form: 0 = remove, 255 = keep, other = decide) are hard constraints in their own
 * pixels, and every undecided pixel within `hintRadius` of a hint pixel joins the band, so the
 * solve re-flows around a stroke (a keep stroke over net-background becomes fg and the edge around
 * it is re-solved) and a trimap's whole unknown region is solved.
 */
import { HINT_KEEP, HINT_REMOVE } from '../hints.js';
import { dilateMask } from './box.js';

export interface BandOptions {
  /** α strictly between lo and hi is uncertain. Default 0.02 / 0.98. */
  readonly lo?: number;
  readonly hi?: number;
  /** Dilation radius of uncertain pixels, px on this grid. */
  readonly radius: number;
  /** Undecided pixels within this distance of a hint pixel are solved (Infinity: all of them). Default 2 × radius. */
  readonly hintRadius?: number;
  /** Where given, only pixels marked 1 here can be in the band (a brush stroke's neighbourhood). */
  readonly within?: Uint8Array;
}

/** Per-pixel state codes. */
export const BAND_BG = 0;
export const BAND_FG = 1;
export const BAND_UNKNOWN = 2;
export const BAND_HINT_BG = 3;
export const BAND_HINT_FG = 4;

export interface Band {
  readonly width: number;
  readonly height: number;
  /** BAND_* code per pixel. */
  readonly state: Uint8Array;
  /** Indices of BAND_UNKNOWN pixels, ascending. */
  readonly unknown: Int32Array;
  /** 1 where an unknown pixel joined the band because a hint is near (the solve drops the prior there). */
  readonly nearHint: Uint8Array | null;
}

/** True when the code is a known pixel whose value is 1. */
export function knownValue(code: number): number {
  return code === BAND_FG || code === BAND_HINT_FG ? 1 : 0;
}

export function computeBand(alpha: Float32Array, width: number, height: number, hints: Uint8Array | undefined, opts: BandOptions): Band {
  const n = width * height;
  const lo = opts.lo ?? 0.02;
  const hi = opts.hi ?? 0.98;
  const r = Math.max(1, Math.round(opts.radius));
  const uncertain = new Uint8Array(n);
  const wide = new Uint8Array(n);
  let anyWide = false;
  for (let i = 0; i < n; i++) {
    const a = alpha[i] as number;
    if (a > lo && a < hi) uncertain[i] = 1;
    if (a > 0.1 && a < 0.9) {
      wide[i] = 1;
      anyWide = true;
    }
  }
  const band = dilateMask(uncertain, width, height, r);
  if (anyWide) {
    const w2 = dilateMask(wide, width, height, 2 * r);
    for (let i = 0; i < n; i++) band[i] = (band[i] as number) | (w2[i] as number);
  }
  const state = new Uint8Array(n);
  let nearHint: Uint8Array | null = null;
  if (hints) {
    const hinted = new Uint8Array(n);
    let any = false;
    for (let i = 0; i < n; i++) {
      const v = hints[i] as number;
      if (v === HINT_KEEP || v === HINT_REMOVE) {
        hinted[i] = 1;
        any = true;
      }
    }
    if (any) {
      const hr = opts.hintRadius ?? 2 * r;
      const near = hr === Number.POSITIVE_INFINITY ? new Uint8Array(n).fill(1) : dilateMask(hinted, width, height, Math.max(1, Math.round(hr)));
      for (let i = 0; i < n; i++) band[i] = (band[i] as number) | (near[i] as number);
      nearHint = near;
    }
  }
  let count = 0;
  for (let i = 0; i < n; i++) {
    const h = hints ? (hints[i] as number) : -1;
    let s: number;
    if (h === HINT_KEEP) s = BAND_HINT_FG;
    else if (h === HINT_REMOVE) s = BAND_HINT_BG;
    else if (band[i] && (!opts.within || opts.within[i])) s = BAND_UNKNOWN;
    else s = (alpha[i] as number) >= 0.5 ? BAND_FG : BAND_BG;
    state[i] = s;
    if (s === BAND_UNKNOWN) count++;
  }
  const unknown = new Int32Array(count);
  for (let i = 0, k = 0; i < n; i++) if (state[i] === BAND_UNKNOWN) unknown[k++] = i;
  return { width, height, state, unknown, nearHint };
}

/**
 * Hints resampled to a smaller grid by majority: a cell is keep (remove) when more than half of the
 * full-resolution pixels it covers are keep (remove), otherwise undecided (128).
 */
export function downsampleHints(hints: Uint8Array, W: number, H: number, w: number, h: number): Uint8Array {
  if (W === w && H === h) return hints;
  const keep = new Uint32Array(w * h);
  const remove = new Uint32Array(w * h);
  const total = new Uint32Array(w * h);
  const cx = new Int32Array(W);
  for (let x = 0; x < W; x++) cx[x] = Math.min(w - 1, Math.floor((x * w) / W));
  for (let y = 0; y < H; y++) {
    const cy = Math.min(h - 1, Math.floor((y * h) / H)) * w;
    const row = y * W;
    for (let x = 0; x < W; x++) {
      const c = cy + (cx[x] as number);
      const v = hints[row + x] as number;
      total[c] = (total[c] as number) + 1;
      if (v === HINT_KEEP) keep[c] = (keep[c] as number) + 1;
      else if (v === HINT_REMOVE) remove[c] = (remove[c] as number) + 1;
    }
  }
  const out = new Uint8Array(w * h);
  for (let i = 0; i < out.length; i++) {
    const t = total[i] as number;
    out[i] = 2 * (keep[i] as number) > t ? HINT_KEEP : 2 * (remove[i] as number) > t ? HINT_REMOVE : 128;
  }
  return out;
}
