/**
 * The sampled estimates of ./sampling-data.ts as a data term λ·c(x)·(α − α̂(x))² (robust matting's
 * use of them: Wang & Cohen, CVPR 2007), on bands of any size. The rays' cost grows with the band's
 * width, so a band of more than `maxSampleBand` unknown pixels gathers its samples on an s×-coarser
 * grid (box-averaged colours; a cell is known only when all its pixels agree) and every pixel then
 * picks, with its own colour, the best pair among its cell's and the 8 neighbouring cells' (shared
 * matting's sharing step, Gastal & Oliveira, Eurographics 2010 §4.2): O(9) per pixel at full size.
 */
import type { DataTerm } from './closed-form.js';
import type { GuidePlanes } from './guided-filter.js';
import { samplePairs, SAMPLING_DEFAULTS, share, type SampledPairs, type SamplingOptions } from './sampling-data.js';
import { BAND_BG, BAND_FG, BAND_HINT_BG, BAND_HINT_FG, BAND_UNKNOWN, type Band } from './trimap-band.js';
import type { Yielder } from './yielder.js';

/** The data term of a band; samples gathered on a grid whose band has at most ~maxSampleBand pixels. */
export async function samplingDataTerm(guide: GuidePlanes, band: Band, o: SamplingOptions = SAMPLING_DEFAULTS, maxSampleBand = Number.POSITIVE_INFINITY, yielder?: Yielder): Promise<DataTerm> {
  const nu = band.unknown.length;
  const s = nu <= maxSampleBand ? 1 : Math.ceil(Math.sqrt(nu / maxSampleBand));
  const pairs: SampledPairs = s === 1 ? await samplePairs(guide, band, o, yielder) : { ...(await coarsePairs(guide, band, s, o, yielder)), scale: s, step: 1 };
  const est = share(guide, band, pairs, o);
  const weight = est.confidence;
  for (let i = 0; i < weight.length; i++) weight[i] = o.lambda * (weight[i] as number);
  return { weight, target: est.alpha };
}

const fgCode = (c: number): boolean => c === BAND_FG || c === BAND_HINT_FG;
const bgCode = (c: number): boolean => c === BAND_BG || c === BAND_HINT_BG;

/** Pairs sampled on the grid s× coarser than the band's. */
async function coarsePairs(guide: GuidePlanes, band: Band, s: number, o: SamplingOptions, yielder?: Yielder): Promise<SampledPairs> {
  const { width: w, height: h, state } = band;
  const cw = Math.ceil(w / s), ch = Math.ceil(h / s), cn = cw * ch;
  const r = new Float32Array(cn), g = new Float32Array(cn), b = new Float32Array(cn), cnt = new Float32Array(cn);
  // Bit 1: a child is (known) foreground; bit 2: background; bit 4: unknown.
  const kinds = new Uint8Array(cn);
  for (let y = 0; y < h; y++) {
    const row = Math.floor(y / s) * cw;
    for (let x = 0; x < w; x++) {
      const i = y * w + x, c = row + Math.floor(x / s);
      r[c] = (r[c] as number) + (guide.r[i] as number);
      g[c] = (g[c] as number) + (guide.g[i] as number);
      b[c] = (b[c] as number) + (guide.b[i] as number);
      cnt[c] = (cnt[c] as number) + 1;
      const st = state[i] as number;
      kinds[c] = (kinds[c] as number) | (fgCode(st) ? 1 : bgCode(st) ? 2 : 4);
    }
  }
  const cstate = new Uint8Array(cn);
  let nu = 0;
  for (let c = 0; c < cn; c++) {
    const k = cnt[c] as number;
    r[c] = (r[c] as number) / k;
    g[c] = (g[c] as number) / k;
    b[c] = (b[c] as number) / k;
    cstate[c] = kinds[c] === 1 ? BAND_FG : kinds[c] === 2 ? BAND_BG : BAND_UNKNOWN;
    if (cstate[c] === BAND_UNKNOWN) nu++;
  }
  const unknown = new Int32Array(nu);
  for (let c = 0, k = 0; c < cn; c++) if (cstate[c] === BAND_UNKNOWN) unknown[k++] = c;
  return samplePairs({ width: cw, height: ch, r, g, b }, { width: cw, height: ch, state: cstate, unknown, nearHint: null }, o, yielder);
}

/** Two data terms as one: Σ_a μ_a (α − t_a)² = M (α − Σ μ_a t_a / M)² + const, M = Σ μ_a. */
export function mergeDataTerms(a: DataTerm | undefined, b: DataTerm | undefined): DataTerm | undefined {
  if (!a || !b) return a ?? b;
  const n = a.weight.length;
  const weight = new Float32Array(n);
  const target = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const wa = a.weight[i] as number, wb = b.weight[i] as number;
    const m = wa + wb;
    weight[i] = m;
    target[i] = m > 0 ? (wa * (a.target[i] as number) + wb * (b.target[i] as number)) / m : 0;
  }
  return { weight, target };
}
