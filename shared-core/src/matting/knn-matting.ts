/**
 * KNN matting's nonlocal term (Chen, Li, Tang, "KNN Matting", TPAMI 2013): each unknown pixel is
 * tied to its K nearest pixels in the feature space X = (cos 2πh, sin 2πh, s, v, x/w, y/h) (HSV
 * colour and position, §3.1), with affinity k(i, j) = 1 − ‖X(i) − X(j)‖₁ / 6 (§3.2, the L1 form of
 * the kernel), symmetrised; its graph Laplacian D − A is added to the local matting Laplacian.
 * Deviation, for a band solve: only unknown pixels query (known ones do not), so known → unknown
 * edges found from the known side are missing; the symmetrisation keeps the ones found from U.
 */
import type { ExtraTerms } from './closed-form.js';
import type { GuidePlanes } from './guided-filter.js';
import { colourSimilarity } from './info-flow.js';
import { nearestNeighbours, pixelsWhere } from './nonlocal-neighbours.js';
import { graphLaplacianTerm } from './sparse-terms.js';
import type { Band } from './trimap-band.js';
import type { Yielder } from './yielder.js';

export interface KnnMattingOptions {
  /** Neighbours per pixel (the paper's K = 10). */
  readonly k: number;
  /** Weight of the KNN Laplacian relative to the local one. */
  readonly weight: number;
  /** Buckets a KNN query may open (./knn-search.ts). */
  readonly maxLeaves: number;
}

export const KNN_MATTING_DEFAULTS: KnnMattingOptions = { k: 10, weight: 1, maxLeaves: 3 };

/** The 6-D feature vectors of Chen et al. §3.1. */
function hsvxyFeatures(guide: GuidePlanes): Float32Array {
  const { width: w, height: h, r, g, b } = guide;
  const f = new Float32Array(w * h * 6);
  for (let y = 0, i = 0; y < h; y++) {
    for (let x = 0; x < w; x++, i++) {
      const R = r[i] as number, G = g[i] as number, B = b[i] as number;
      const v = Math.max(R, G, B);
      const c = v - Math.min(R, G, B);
      const s = v > 0 ? c / v : 0;
      let hue = 0;
      if (c > 0) hue = v === R ? ((G - B) / c + 6) % 6 : v === G ? (B - R) / c + 2 : (R - G) / c + 4;
      const angle = (hue / 6) * 2 * Math.PI;
      const o = i * 6;
      f[o] = Math.cos(angle);
      f[o + 1] = Math.sin(angle);
      f[o + 2] = s;
      f[o + 3] = v;
      f[o + 4] = x / w;
      f[o + 5] = y / h;
    }
  }
  return f;
}

export async function knnMattingTerms(guide: GuidePlanes, band: Band, o: KnnMattingOptions = KNN_MATTING_DEFAULTS, yielder?: Yielder): Promise<ExtraTerms> {
  const { width: w, height: h } = band;
  const f = hsvxyFeatures(guide);
  const rows = await nearestNeighbours(f, 6, band.unknown, pixelsWhere(w * h, () => true), o.k, o.maxLeaves, yielder);
  colourSimilarity(f, band.unknown, rows, 6);
  return { operators: [graphLaplacianTerm(band, rows, o.weight)] };
}
