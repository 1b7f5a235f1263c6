/**
 * K nearest neighbours in a low-dimensional feature space (colour + scaled position, as KNN
 * matting, Chen, Li, Tang TPAMI 2013, and information-flow matting, Aksoy, Aydın, Pollefeys
 * CVPR 2017, search it): a k-d tree (Friedman, Bentley, Finkel, ACM TOMS 1977) over flat typed
 * arrays, split at the median of the widest dimension, buckets of LEAF points. A query may cap the
 * number of buckets it opens (`maxLeaves`): best-bin-first order is not kept, so the cap makes the
 * search approximate in the plain depth-first order — the nearest bucket is always opened first,
 * which is where almost all neighbours of a pixel in an image lie.
 */

const LEAF = 12;
const SAMPLE = 256;

export interface KnnIndex {
  /** Indices (into the point set given to buildKnnIndex) of the k nearest points to `q`, nearest first, written to `out`; returns how many were found. */
  query(q: ArrayLike<number>, k: number, out: Int32Array, dist: Float64Array, exclude?: number): number;
}

/**
 * `feat` holds `dim` values per point of the whole set; `points` the point ids to index (their
 * features are feat[id·dim …]). Query results are point ids.
 */
export function buildKnnIndex(feat: Float32Array, dim: number, points: Int32Array, maxLeaves = Infinity): KnnIndex {
  const n = points.length;
  const ids = points.slice();
  // Node arrays: internal nodes store split dim / value and children; leaves a range of ids.
  const cap = Math.max(1, 2 * Math.ceil(n / (LEAF / 2)) + 1);
  const splitDim = new Int8Array(cap);
  const splitVal = new Float64Array(cap);
  const lo = new Int32Array(cap);
  const hi = new Int32Array(cap);
  const left = new Int32Array(cap);
  const right = new Int32Array(cap);
  let nodes = 0;
  const stack: number[] = [];
  const make = (a: number, b: number): number => {
    const id = nodes++;
    lo[id] = a;
    hi[id] = b;
    splitDim[id] = -1;
    if (b - a > LEAF) stack.push(id);
    return id;
  };
  const root = make(0, n);
  while (stack.length > 0) {
    const node = stack.pop() as number;
    const a = lo[node] as number;
    const b = hi[node] as number;
    // Widest dimension, estimated from at most SAMPLE evenly spaced points (exact on small nodes).
    let best = 0;
    let spread = -1;
    const step = Math.max(1, Math.floor((b - a) / SAMPLE));
    for (let d = 0; d < dim; d++) {
      let mn = Infinity;
      let mx = -Infinity;
      for (let t = a; t < b; t += step) {
        const v = feat[(ids[t] as number) * dim + d] as number;
        if (v < mn) mn = v;
        if (v > mx) mx = v;
      }
      if (mx - mn > spread) {
        spread = mx - mn;
        best = d;
      }
    }
    if (!(spread > 0)) continue; // all points equal: stays a (large) leaf
    const mid = (a + b) >> 1;
    selectNth(ids, feat, dim, best, a, b - 1, mid);
    splitDim[node] = best;
    splitVal[node] = feat[(ids[mid] as number) * dim + best] as number;
    left[node] = make(a, mid);
    right[node] = make(mid, b);
  }

  // Features copied in the tree's order, so a bucket's points are contiguous in memory.
  const local = new Float32Array(n * dim);
  for (let t = 0; t < n; t++) for (let j = 0; j < dim; j++) local[t * dim + j] = feat[(ids[t] as number) * dim + j] as number;
  const nodeStack = new Int32Array(128);
  const boundStack = new Float64Array(128);
  return {
    query(q, k, out, dist, exclude = -1) {
      let found = 0;
      let worst = Infinity;
      let leaves = 0;
      let sp = 0;
      nodeStack[sp] = root;
      boundStack[sp++] = 0;
      while (sp > 0) {
        sp--;
        const node = nodeStack[sp] as number;
        if (found === k && (boundStack[sp] as number) >= worst) continue;
        const d = splitDim[node] as number;
        if (d < 0) {
          if (leaves++ >= maxLeaves && found === k) break;
          for (let t = lo[node] as number, e = hi[node] as number; t < e; t++) {
            const id = ids[t] as number;
            if (id === exclude) continue;
            let s = 0;
            const o = t * dim;
            for (let j = 0; j < dim; j++) {
              const v = (local[o + j] as number) - (q[j] as number);
              s += v * v;
            }
            if (found < k || s < worst) {
              // insertion into the sorted list
              let p = found < k ? found++ : k - 1;
              while (p > 0 && (dist[p - 1] as number) > s) {
                dist[p] = dist[p - 1] as number;
                out[p] = out[p - 1] as number;
                p--;
              }
              dist[p] = s;
              out[p] = id;
              if (found === k) worst = dist[k - 1] as number;
            }
          }
          continue;
        }
        const diff = (q[d] as number) - (splitVal[node] as number);
        const near = diff < 0 ? (left[node] as number) : (right[node] as number);
        const far = diff < 0 ? (right[node] as number) : (left[node] as number);
        if (sp + 2 > nodeStack.length) continue; // depth is ~log2(n / LEAF); never hit in practice
        nodeStack[sp] = far;
        boundStack[sp++] = diff * diff;
        nodeStack[sp] = near;
        boundStack[sp++] = 0;
      }
      return found;
    },
  };
}

/** Quickselect (Hoare): ids[a..b] partially ordered by feature `d` so that ids[nth] is in place. */
function selectNth(ids: Int32Array, feat: Float32Array, dim: number, d: number, a: number, b: number, nth: number): void {
  while (b > a) {
    const pivot = feat[(ids[(a + b) >> 1] as number) * dim + d] as number;
    let i = a;
    let j = b;
    while (i <= j) {
      while ((feat[(ids[i] as number) * dim + d] as number) < pivot) i++;
      while ((feat[(ids[j] as number) * dim + d] as number) > pivot) j--;
      if (i <= j) {
        const t = ids[i] as number;
        ids[i] = ids[j] as number;
        ids[j] = t;
        i++;
        j--;
      }
    }
    if (nth <= j) b = j;
    else if (nth >= i) a = i;
    else return;
  }
}
