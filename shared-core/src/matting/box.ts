/**
 * O(1)-per-pixel box means with running sums (separable; rows then a rolling accumulator row, so
 * both passes walk memory in order). Windows are clipped at the image border and normalised by the
 * number of pixels actually inside, which is what the guided filter (He et al. 2013, §3.5) expects.
 */

/**
 * Mean of `src` over the (2r+1)² window around each pixel, clipped to the image; `dst` may not
 * alias `src`. With `sums` (a scratch plane of at least w·h, aliasing neither), the vertical pass
 * reads the horizontal sums from there in one fused loop per row instead of keeping a ring of the
 * rows it overwrites; the result is the same to the bit.
 */
export function boxMean(src: Float32Array, w: number, h: number, r: number, dst: Float32Array, rowTmp?: Float64Array, sums?: Float32Array): void {
  if (r <= 0) {
    dst.set(src.subarray(0, w * h));
    return;
  }
  const acc = rowTmp && rowTmp.length >= w ? rowTmp : new Float64Array(w);
  const colInv = new Float64Array(w);
  for (let x = 0; x < w; x++) colInv[x] = 1 / (Math.min(w - 1, x + r) - Math.max(0, x - r) + 1);
  if (sums && sums.length >= w * h && sums !== src && sums !== dst) {
    horizontalSums(src, w, h, r, sums);
    verticalMeans(sums, w, h, r, dst, acc, colInv);
    return;
  }
  horizontalSums(src, w, h, r, dst);
  verticalMeansInPlace(dst, w, h, r, acc, colInv);
}

/** Horizontal pass (sums, not means): left border, interior, right border, no branches inside. */
function horizontalSums(src: Float32Array, w: number, h: number, r: number, dst: Float32Array): void {
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let acc = 0;
    const lim = Math.min(r, w - 1);
    for (let x = 0; x <= lim; x++) acc += src[row + x] as number;
    const leftEnd = Math.min(w, r); // x < leftEnd: nothing leaves the window yet (x − r < 0)
    const rightStart = Math.max(leftEnd, w - r - 1); // x ≥ rightStart: nothing enters any more (x + r + 1 ≥ w)
    let x = 0;
    for (; x < leftEnd; x++) {
      dst[row + x] = acc;
      if (x + r + 1 < w) acc += src[row + x + r + 1] as number;
    }
    for (; x < rightStart; x++) {
      dst[row + x] = acc;
      acc += (src[row + x + r + 1] as number) - (src[row + x - r] as number);
    }
    for (; x < w; x++) {
      dst[row + x] = acc;
      if (x + r + 1 < w) acc += src[row + x + r + 1] as number;
      acc -= src[row + x - r] as number;
    }
  }
}

/** Vertical pass over the horizontal sums in `dst`, in place, with a rolling accumulator row; normalised by the clipped window area. */
function verticalMeansInPlace(dst: Float32Array, w: number, h: number, r: number, acc: Float64Array, colInv: Float64Array): void {
  acc.fill(0, 0, w);
  const limY = Math.min(r, h - 1);
  for (let y = 0; y <= limY; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) acc[x] = (acc[x] as number) + (dst[row + x] as number);
  }
  // The rows still needed after being overwritten: keep a copy of the row that leaves the window.
  const ring = new Float32Array((r + 1) * w);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    const rowInv = 1 / (Math.min(h - 1, y + r) - Math.max(0, y - r) + 1);
    // Save the horizontal sums of row y before overwriting it (needed when it leaves the window).
    ring.set(dst.subarray(row, row + w), (y % (r + 1)) * w);
    for (let x = 0; x < w; x++) dst[row + x] = (acc[x] as number) * rowInv * (colInv[x] as number);
    const add = y + r + 1;
    const sub = y - r;
    if (add < h) {
      const ar = add * w;
      for (let x = 0; x < w; x++) acc[x] = (acc[x] as number) + (dst[ar + x] as number);
    }
    if (sub >= 0) {
      const sr = (sub % (r + 1)) * w;
      for (let x = 0; x < w; x++) acc[x] = (acc[x] as number) - (ring[sr + x] as number);
    }
  }
}

/** Vertical pass from the horizontal sums `hs` into `dst`: per row one loop writes the means and moves the window. */
function verticalMeans(hs: Float32Array, w: number, h: number, r: number, dst: Float32Array, acc: Float64Array, colInv: Float64Array): void {
  acc.fill(0, 0, w);
  for (let y = 0; y <= Math.min(r, h - 1); y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) acc[x] = (acc[x] as number) + (hs[row + x] as number);
  }
  for (let y = 0; y < h; y++) {
    const row = y * w;
    const rowInv = 1 / (Math.min(h - 1, y + r) - Math.max(0, y - r) + 1);
    const ar = (y + r + 1) * w;
    const sr = (y - r) * w;
    // The same two roundings as adding row y + r + 1, then subtracting row y − r.
    if (y + r + 1 < h && y - r >= 0) {
      for (let x = 0; x < w; x++) {
        const s = acc[x] as number;
        dst[row + x] = s * rowInv * (colInv[x] as number);
        acc[x] = s + (hs[ar + x] as number) - (hs[sr + x] as number);
      }
    } else if (y + r + 1 < h) {
      for (let x = 0; x < w; x++) {
        const s = acc[x] as number;
        dst[row + x] = s * rowInv * (colInv[x] as number);
        acc[x] = s + (hs[ar + x] as number);
      }
    } else if (y - r >= 0) {
      for (let x = 0; x < w; x++) {
        const s = acc[x] as number;
        dst[row + x] = s * rowInv * (colInv[x] as number);
        acc[x] = s - (hs[sr + x] as number);
      }
    } else {
      for (let x = 0; x < w; x++) dst[row + x] = (acc[x] as number) * rowInv * (colInv[x] as number);
    }
  }
}

/** Max filter of a 0/1 mask over the (2r+1)² square (binary dilation), via box sums. */
export function dilateMask(mask: Uint8Array, w: number, h: number, r: number): Uint8Array {
  if (r <= 0) return mask.slice();
  const f = new Float32Array(w * h);
  for (let i = 0; i < f.length; i++) f[i] = mask[i] ? 1 : 0;
  const m = new Float32Array(w * h);
  boxMean(f, w, h, r, m);
  const out = new Uint8Array(w * h);
  for (let i = 0; i < out.length; i++) out[i] = (m[i] as number) > 1e-6 ? 1 : 0;
  return out;
}
