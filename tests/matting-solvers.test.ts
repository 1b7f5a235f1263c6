// The hinted solvers of issue 15 (shared-core/src/matting/hint-solvers.ts) and their parts: the
// band operators against brute-force energies (Levin's matting Laplacian from its least-squares
// definition, the colour-mixture and graph terms), the k-d tree against a linear scan, LLE weights,
// and every solver on the bad input the issue lists: no NaN, hints honoured exactly, a coded error
// for hints of another size or an unknown solver name.
import { describe, expect, it } from 'vitest';
import { CoreError } from '../shared-core/src/errors.js';
import type { AlphaMatte, RgbaImage } from '../shared-core/src/image.js';
import type { HintMask } from '../shared-core/src/hints.js';
import { createMattingRefiner } from '../shared-core/src/matting/index.js';
import { bandLaplacian } from '../shared-core/src/matting/band-laplacian.js';
import type { BandOperator } from '../shared-core/src/matting/band-cg.js';
import { HINT_SOLVER_NAMES, type HintSolverName } from '../shared-core/src/matting/hint-solvers.js';
import { buildKnnIndex } from '../shared-core/src/matting/knn-search.js';
import { lleWeights } from '../shared-core/src/matting/nonlocal-neighbours.js';
import { graphLaplacianTerm, mixtureTerm } from '../shared-core/src/matting/sparse-terms.js';
import { BAND_UNKNOWN, computeBand, knownValue } from '../shared-core/src/matting/trimap-band.js';

/** Park–Miller: the same pseudo-random numbers on every run. */
function random(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

describe('band operators: L_UU α_U + L_UK α_K is half the gradient of the energy they stand for', () => {
  const w = 13, h = 11, n = w * h;
  const rnd = random(7);
  const guide = { width: w, height: h, r: Float32Array.from({ length: n }, rnd), g: Float32Array.from({ length: n }, rnd), b: Float32Array.from({ length: n }, rnd) };
  const hints = Uint8Array.from({ length: n }, () => { const r = rnd(); return r < 0.25 ? 0 : r < 0.5 ? 255 : 128; });
  const band = computeBand(new Float32Array(n), w, h, hints, { radius: 1, hintRadius: Number.POSITIVE_INFINITY });
  const nu = band.unknown.length;
  const alpha = Float64Array.from({ length: n }, (_, i) => (band.state[i] === BAND_UNKNOWN ? rnd() : knownValue(band.state[i] as number)));
  const K = 4;
  const ids = Int32Array.from({ length: nu * K }, (_, e) => { const j = Math.floor(rnd() * n); return j === band.unknown[Math.floor(e / K)] ? -1 : j; });
  const rows = { k: K, ids, weights: Float64Array.from({ length: nu * K }, () => rnd() - 0.3) };

  function expectGradient(op: BandOperator, energy: (a: Float64Array) => number, tol: number): void {
    const v = Float64Array.from(band.unknown, (i) => alpha[i] as number);
    const full = new Float64Array(n);
    band.unknown.forEach((i, k) => (full[i] = v[k] as number));
    const out = new Float64Array(nu);
    op.apply(v, full, out);
    for (let k = 0; k < nu; k++) {
      const i = band.unknown[k] as number;
      const up = alpha.slice(); up[i] = (up[i] as number) + 1e-6;
      const down = alpha.slice(); down[i] = (down[i] as number) - 1e-6;
      const half = (energy(up) - energy(down)) / 4e-6;
      expect(Math.abs((out[k] as number) + (op.known[k] as number) - half)).toBeLessThan(tol);
    }
  }

  it("Levin's Laplacian (3×3 windows, ε 1e-6) matches min over (a, b) of Σ_w (α − aᵀI − b)² + ε‖a‖²", () => {
    const levin = (a: Float64Array): number => {
      let e = 0;
      for (let cy = 1; cy < h - 1; cy++) {
        for (let cx = 1; cx < w - 1; cx++) {
          // Least squares for (a_r, a_g, a_b, b) over the window's 9 pixels and 3 regulariser rows.
          const rowsA: number[][] = [];
          const y: number[] = [];
          for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
            const i = (cy + dy) * w + cx + dx;
            rowsA.push([guide.r[i] as number, guide.g[i] as number, guide.b[i] as number, 1]);
            y.push(a[i] as number);
          }
          for (let d = 0; d < 3; d++) { const r = [0, 0, 0, 0]; r[d] = Math.sqrt(1e-6); rowsA.push(r); y.push(0); }
          const M = [0, 1, 2, 3].map((p) => [0, 1, 2, 3].map((q) => rowsA.reduce((t, r) => t + (r[p] as number) * (r[q] as number), 0)));
          const rhs = [0, 1, 2, 3].map((p) => rowsA.reduce((t, r, ri) => t + (r[p] as number) * (y[ri] as number), 0));
          for (let p = 0; p < 4; p++) for (let q = p + 1; q < 4; q++) {
            const f = (M[q]![p] as number) / (M[p]![p] as number);
            for (let c = p; c < 4; c++) M[q]![c] = (M[q]![c] as number) - f * (M[p]![c] as number);
            rhs[q] = (rhs[q] as number) - f * (rhs[p] as number);
          }
          const x = [0, 0, 0, 0];
          for (let p = 3; p >= 0; p--) {
            let t = rhs[p] as number;
            for (let q = p + 1; q < 4; q++) t -= (M[p]![q] as number) * (x[q] as number);
            x[p] = t / (M[p]![p] as number);
          }
          rowsA.forEach((r, ri) => { const d = r.reduce((t, c, ci) => t + c * (x[ci] as number), 0) - (y[ri] as number); e += d * d; });
        }
      }
      return e;
    };
    expectGradient(bandLaplacian(guide, band, 1e-6), levin, 1e-5); // Float32 entries
  });

  it('colour mixture (I − W)ᵀ(I − W) and the symmetrised graph Laplacian', () => {
    const at = (e: number): number => rows.ids[e] as number;
    const mixture = (a: Float64Array): number => {
      let s = 0;
      for (let k = 0; k < nu; k++) {
        let r = a[band.unknown[k] as number] as number;
        for (let t = 0; t < K; t++) if (at(k * K + t) >= 0) r -= (rows.weights[k * K + t] as number) * (a[at(k * K + t)] as number);
        s += 0.7 * r * r;
      }
      return s;
    };
    const graph = (a: Float64Array): number => {
      let s = 0;
      for (let k = 0; k < nu; k++) for (let t = 0; t < K; t++) {
        if (at(k * K + t) < 0) continue;
        const d = (a[band.unknown[k] as number] as number) - (a[at(k * K + t)] as number);
        s += ((0.7 * (rows.weights[k * K + t] as number)) / 2) * d * d;
      }
      return s;
    };
    expectGradient(mixtureTerm(band, rows, 0.7), mixture, 1e-7);
    expectGradient(graphLaplacianTerm(band, rows, 0.7), graph, 1e-7);
  });
});

describe('k-d tree and LLE weights', () => {
  it('exact search equals a linear scan; a capped search still returns k distinct points', () => {
    const rnd = random(3);
    const dim = 5, count = 1000;
    const feat = Float32Array.from({ length: count * dim }, rnd);
    const all = Int32Array.from({ length: count }, (_, i) => i);
    const exact = buildKnnIndex(feat, dim, all);
    const capped = buildKnnIndex(feat, dim, all, 2);
    const out = new Int32Array(8), dist = new Float64Array(8);
    for (let q = 0; q < 25; q++) {
      const query = feat.subarray(q * dim, q * dim + dim);
      const d2 = (j: number): number => Array.from({ length: dim }, (_, d) => ((feat[j * dim + d] as number) - (query[d] as number)) ** 2).reduce((s, v) => s + v, 0);
      const scan = [...all].filter((j) => j !== q).sort((a, b) => d2(a) - d2(b)).slice(0, 8);
      expect(exact.query(query, 8, out, dist, q)).toBe(8);
      expect([...out].map(d2)).toEqual(scan.map(d2));
      expect(capped.query(query, 8, out, dist, q)).toBe(8);
      expect(new Set(out).size).toBe(8);
      expect([...out]).not.toContain(q);
    }
  });

  it('LLE weights sum to 1 and rebuild a colour that is a mix of the neighbours', () => {
    const guide = { width: 4, height: 1, r: Float32Array.of(0.3, 0, 1, 0), g: Float32Array.of(0.4, 0, 0, 1), b: Float32Array.of(0.3, 1, 0, 0) };
    const rows = { k: 3, ids: Int32Array.of(1, 2, 3), weights: new Float64Array(3) };
    lleWeights(guide, Int32Array.of(0), rows, 1e-10);
    expect([...rows.weights].reduce((s, v) => s + v, 0)).toBeCloseTo(1, 9);
    expect([...rows.weights].map((v) => Number(v.toFixed(6)))).toEqual([0.3, 0.3, 0.4]);
  });
});

/** An orange disc on a blue-green gradient, the network's soft disc, and hint helpers. */
function scene(w: number, h: number): { image: RgbaImage; lowRes: AlphaMatte } {
  const disc = (x: number, y: number): number => Math.min(1, Math.max(0, (0.3 - Math.hypot((x + 0.5) / w - 0.5, (y + 0.5) / h - 0.5)) * Math.min(w, h) + 0.5));
  const data = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const a = disc(x, y);
    data.set([a * 230 + (1 - a) * (30 + (40 * x) / w), a * 150 + (1 - a) * 90, a * 40 + (1 - a) * 180, 255], (y * w + x) * 4);
  }
  return { image: { width: w, height: h, data }, lowRes: { width: w, height: h, data: Float32Array.from({ length: w * h }, (_, i) => disc(i % w, Math.floor(i / w))) } };
}
const hintsOf = (w: number, h: number, f: (x: number, y: number) => number): HintMask => ({ width: w, height: h, data: Uint8Array.from({ length: w * h }, (_, i) => f(i % w, Math.floor(i / w))) });
const inside = (x: number, y: number, w: number, h: number): number => Math.hypot((x + 0.5) / w - 0.5, (y + 0.5) / h - 0.5) / 0.3;

async function expectSensible(solver: HintSolverName, w: number, h: number, hints: HintMask): Promise<Float32Array> {
  const { image, lowRes } = scene(w, h);
  const matte = await createMattingRefiner({ hintSolver: solver }).refine({ image, lowRes, hints });
  expect([matte.width, matte.height]).toEqual([w, h]);
  for (let i = 0; i < matte.data.length; i++) {
    const v = matte.data[i] as number;
    if (!(v >= 0 && v <= 1)) throw new Error(`${solver}: alpha ${v} at ${i}`);
    const hint = hints.data[i];
    if ((hint === 255 && v !== 1) || (hint === 0 && v !== 0)) throw new Error(`${solver}: hint ${hint} not honoured at ${i} (${v})`);
  }
  return matte.data;
}

describe.each(HINT_SOLVER_NAMES)('hinted solver %s on bad input', (solver) => {
  const W = 64, H = 48;

  it('everything foreground or everything background: the matte is the hint', async () => {
    for (const v of [255, 0]) expect((await expectSensible(solver, W, H, hintsOf(W, H, () => v))).every((a) => a === v / 255)).toBe(true);
  });

  it('hints that contradict the network everywhere, around a 4-px unknown band', async () => {
    const inverted = hintsOf(W, H, (x, y) => (Math.abs(inside(x, y, W, H) - 1) * 0.3 * H < 2 ? 128 : inside(x, y, W, H) < 1 ? 0 : 255));
    const m = await expectSensible(solver, W, H, inverted);
    let sum = 0, count = 0;
    inverted.data.forEach((v, i) => { if (v === 128) { sum += m[i] as number; count++; } });
    expect(count).toBeGreaterThan(50);
    expect(sum / count).toBeGreaterThan(0.05);
    expect(sum / count).toBeLessThan(0.95);
  });

  it('a one-pixel unknown band, and hints touching the border', async () => {
    await expectSensible(solver, W, H, hintsOf(W, H, (x) => (x < 32 ? 0 : x > 32 ? 255 : 128)));
    await expectSensible(solver, W, H, hintsOf(W, H, (x, y) => (y === 0 || x === 0 ? 0 : x >= 58 && y >= 42 ? 255 : 128)));
    await expectSensible(solver, W, H, hintsOf(W, H, (x, y) => (x < 2 || y < 2 || x > W - 3 || y > H - 3 ? 255 : inside(x, y, W, H) < 0.5 ? 0 : 128)));
  });

  it('hints of another size: hint_size_mismatch; wrong data length: invalid_argument', async () => {
    const { image, lowRes } = scene(W, H);
    const refiner = createMattingRefiner({ hintSolver: solver });
    await expect(refiner.refine({ image, lowRes, hints: hintsOf(W - 1, H, () => 255) })).rejects.toMatchObject({ code: 'hint_size_mismatch' });
    await expect(refiner.refine({ image, lowRes, hints: { width: W, height: H, data: new Uint8Array(W * H - 1) } })).rejects.toMatchObject({ code: 'invalid_argument' });
  });
});

describe('hinted solve options', () => {
  it('an unknown solver name is a CoreError invalid_argument when the refiner is made', () => {
    expect(() => createMattingRefiner({ hintSolver: 'magic' as HintSolverName })).toThrow(CoreError);
    expect(() => createMattingRefiner({ hintSolver: 'toString' as HintSolverName })).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
  });

  it("with a trimap the whole unknown region is solved (trimapBand 'all'), not only pixels near a hint", async () => {
    // A 20-px-wide unknown ring (a third of the image: the hints count as a trimap): its middle is
    // further than twice the band radius (4 px here) from any hint.
    const W = 160, H = 120;
    const ring = hintsOf(W, H, (x, y) => (Math.abs(inside(x, y, W, H) - 1) * 0.3 * H < 10 ? 128 : inside(x, y, W, H) < 1 ? 255 : 0));
    const count = async (trimapBand: 'all' | 'near'): Promise<number> => {
      let band = 0;
      const { image, lowRes } = scene(W, H);
      await createMattingRefiner({ trimapBand, onSolveStats: (s) => (band = s.band) }).refine({ image, lowRes, hints: ring });
      return band;
    };
    const undecided = ring.data.filter((v) => v === 128).length;
    expect(await count('all')).toBe(undecided);
    expect(await count('near')).toBeLessThan(undecided);
  });

  it('reads its time budget on the clock it is given (solveClock), not on the wall', async () => {
    const W = 160, H = 120;
    const ring = hintsOf(W, H, (x, y) => (Math.abs(inside(x, y, W, H) - 1) * 0.3 * H < 10 ? 128 : inside(x, y, W, H) < 1 ? 255 : 0));
    const { image, lowRes } = scene(W, H);
    const solve = async (solveClock: () => number): Promise<{ iterations: number; timedOut: boolean }> => {
      let stats = { iterations: -1, timedOut: false };
      await createMattingRefiner({ solveClock, onSolveStats: (s) => (stats = s) }).refine({ image, lowRes, hints: ring });
      return stats;
    };
    // A clock that never moves: the budget never runs out, the solve converges.
    const frozen = await solve(() => 0);
    expect(frozen.timedOut).toBe(false);
    expect(frozen.iterations).toBeGreaterThan(0);
    // A clock that jumps a second per reading: the 1.5 s budget is gone after the first readings.
    let t = 0;
    const racing = await solve(() => (t += 1000));
    expect(racing.timedOut).toBe(true);
    expect(racing.iterations).toBeLessThan(frozen.iterations);
  });
});
