/**
 * Coarse-to-fine driver for the closed-form band solve (./closed-form.ts): a multi-resolution
 * scheme as in Levin, Lischinski, Weiss (TPAMI 2008, §6), so that CG at full resolution starts
 * close to the solution.
 */
import { BAND_UNKNOWN, type Band } from './trimap-band.js';
import type { GuidePlanes } from './guided-filter.js';
import { solveClosedForm, type SolveOptions, type SolveResult } from './closed-form.js';
import { resamplePlane } from '../resample.js';

/**
 * Coarse-to-fine solve (Levin et al. 2008, §6 use a multi-resolution scheme for speed): while the
 * band is larger than `opts.coarseBand` pixels, solve the 2×-downsampled problem first (guide, prior
 * averaged; a coarse pixel is known only when its children agree) and start CG at this level from
 * its bilinear upsampling. CG iteration counts grow with the band's width in pixels, so the fine
 * level then needs only a few dozen iterations.
 */
export async function solveCoarseToFine(guide: GuidePlanes, band: Band, prior: Float32Array, opts: SolveOptions = {}, finest = true): Promise<SolveResult> {
  const { width: w, height: h } = band;
  const coarseBand = opts.coarseBand ?? 16_000;
  if (band.unknown.length <= coarseBand || w < 32 || h < 32) return solveClosedForm(guide, band, prior, opts);
  const cw = (w + 1) >> 1;
  const ch = (h + 1) >> 1;
  const cn = cw * ch;
  const cr = new Float32Array(cn), cg = new Float32Array(cn), cb = new Float32Array(cn), cp = new Float32Array(cn);
  const cnt = new Float32Array(cn);
  const cstate = new Uint8Array(cn).fill(255);
  const cnear = band.nearHint ? new Uint8Array(cn) : null;
  for (let y = 0; y < h; y++) {
    const crow = (y >> 1) * cw;
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const c = crow + (x >> 1);
      cr[c] = (cr[c] as number) + (guide.r[i] as number);
      cg[c] = (cg[c] as number) + (guide.g[i] as number);
      cb[c] = (cb[c] as number) + (guide.b[i] as number);
      cp[c] = (cp[c] as number) + (prior[i] as number);
      cnt[c] = (cnt[c] as number) + 1;
      const s = band.state[i] as number;
      const cs = cstate[c] as number;
      cstate[c] = cs === 255 || cs === s ? s : BAND_UNKNOWN;
      if (cnear && band.nearHint?.[i]) cnear[c] = 1;
    }
  }
  let nu = 0;
  for (let c = 0; c < cn; c++) {
    const k = cnt[c] as number;
    cr[c] = (cr[c] as number) / k;
    cg[c] = (cg[c] as number) / k;
    cb[c] = (cb[c] as number) / k;
    cp[c] = (cp[c] as number) / k;
    if (cstate[c] === BAND_UNKNOWN) nu++;
  }
  const unknown = new Int32Array(nu);
  for (let c = 0, k = 0; c < cn; c++) if (cstate[c] === BAND_UNKNOWN) unknown[k++] = c;
  const coarse = await solveCoarseToFine(
    { width: cw, height: ch, r: cr, g: cg, b: cb },
    { width: cw, height: ch, state: cstate, unknown, nearHint: cnear },
    cp,
    opts,
    false,
  );
  const initial = new Float32Array(w * h);
  resamplePlane(coarse.alpha, cw, ch, initial, w, h, false);
  // Intermediate levels stop at fineIterations; the finest runs to the tolerance, cap or deadline.
  const maxIterations = finest && opts.finestIterations !== undefined ? opts.finestIterations : Math.min(opts.maxIterations ?? 300, opts.fineIterations ?? 30);
  const fine = await solveClosedForm(guide, band, prior, { ...opts, initial, maxIterations });
  return { ...fine, iterations: fine.iterations + coarse.iterations, timedOut: fine.timedOut || coarse.timedOut };
}

