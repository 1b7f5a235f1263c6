// The Refine edges evaluation (tools/eval/bin/eval-refine-edges.ts): the simulated user strokes on
// small synthetic masks, and the real pipeline on two alphamatting images when ../shared/eval is here.
import { describe, expect, it } from 'vitest';
import { alphaToBytes } from '@cutout/core';
import { createNodeRemover } from '@cutout/core-node';
import { decodeImageFile } from '@cutout/cli/decode';
import {
  brushRadius,
  evaluateRefineEdgesCase,
  hasEvalData,
  listAlphaMatting,
  loadAlphaMattingGroundTruth,
  NOT_PAINTED,
  PAINTED_BLACK,
  PAINTED_WHITE,
  paintStrokes,
  parseEvalRefineEdgesArgs,
  simulateStrokes,
  UsageError,
} from '@cutout/tools-eval';
import { HAVE_MODELS, MODELS_DIR } from './helpers/paths.js';
import { need } from './helpers/require.js';

const W = 40;
const H = 20;
/** Background (0) for x < 15, unknown (128) for 15 ≤ x < 25, foreground (255) from x = 25. */
const trimap = new Uint8Array(W * H).map((_, i) => (i % W < 15 ? 0 : i % W < 25 ? 128 : 255));
/** A perfect mask: 0 in the background, 255 in the foreground, a ramp in the band. */
const perfect = (): Uint8Array => new Uint8Array(W * H).map((_, i) => (i % W < 15 ? 0 : i % W < 25 ? ((i % W) - 14) * 25 : 255));

/** Sets `value` in the rectangle [x0, x1) × [y0, y1). */
function fill(a: Uint8Array, x0: number, y0: number, x1: number, y1: number, value: number): Uint8Array {
  for (let y = y0; y < y1; y++) a.fill(value, y * W + x0, y * W + x1);
  return a;
}

const codesAt = (s: Uint8Array, pick: (i: number) => boolean): Set<number> => new Set(Array.from(s).filter((_, i) => pick(i)));

describe('simulated strokes', () => {
  it('paints nothing where the mask has no visible error', () => {
    const written = perfect();
    // Greys in the unknown band and small deviations (≤ 10 % in the background, ≥ 90 % in the foreground) are no errors.
    fill(written, 2, 2, 10, 10, 25);
    fill(written, 30, 2, 38, 10, 230);
    const s = simulateStrokes(trimap, written, W, H);
    expect(s.strokes.every((v) => v === NOT_PAINTED)).toBe(true);
    expect([s.blackDisks, s.whiteDisks, s.blackPixels, s.whitePixels, s.errorPixels]).toEqual([0, 0, 0, 0, 0]);
  });

  it('paints background errors black with disks clipped to the background, rougher than the errors', () => {
    const written = fill(perfect(), 10, 8, 14, 12, 201); // 16 px of background kept, next to the band
    const s = simulateStrokes(trimap, written, W, H, { minRadius: 4 });
    expect(s.radius).toBe(4);
    expect(s.errorPixels).toBe(16);
    expect(s.blackDisks).toBeGreaterThan(0);
    expect(s.whiteDisks).toBe(0);
    for (let i = 0; i < W * H; i++) {
      if (written[i] === 201) expect(s.strokes[i]).toBe(PAINTED_BLACK);
      if (trimap[i] !== 0) expect(s.strokes[i]).toBe(NOT_PAINTED);
    }
    // The brush also covers correct background around the error.
    expect(s.blackPixels).toBeGreaterThan(s.errorPixels);
    expect(s.blackPixels).toBe(s.strokes.filter((v) => v === PAINTED_BLACK).length);
  });

  it('paints foreground errors white, clipped to the foreground', () => {
    const written = fill(perfect(), 25, 0, 31, 6, 40); // a hole in the subject at the band's edge
    const s = simulateStrokes(trimap, written, W, H);
    expect(s.whiteDisks).toBeGreaterThan(0);
    expect(s.blackDisks).toBe(0);
    expect(codesAt(s.strokes, (i) => i % W < 25)).toEqual(new Set([NOT_PAINTED]));
    expect(codesAt(s.strokes, (i) => written[i] === 40)).toEqual(new Set([PAINTED_WHITE]));
  });

  it('ignores specks a user would not see', () => {
    const written = fill(perfect(), 4, 4, 6, 6, 255); // 4 px
    const s = simulateStrokes(trimap, written, W, H);
    expect([s.errorPixels, s.speckPixels, s.blackDisks]).toEqual([4, 4, 0]);
    expect(simulateStrokes(trimap, written, W, H, { minSpeck: 4 }).blackDisks).toBe(1);
  });

  it('is deterministic', () => {
    const written = fill(fill(perfect(), 1, 1, 12, 19, 180), 26, 3, 39, 17, 20);
    const a = simulateStrokes(trimap, written, W, H);
    const b = simulateStrokes(trimap, written.slice(), W, H);
    expect(Buffer.from(a.strokes).equals(Buffer.from(b.strokes))).toBe(true);
    expect({ ...a, strokes: null }).toEqual({ ...b, strokes: null });
    expect(a.blackDisks).toBeGreaterThan(1);
    expect(a.whiteDisks).toBeGreaterThan(1);
  });

  it('sizes the brush by the long side, and paints the strokes into the written mask', () => {
    expect(brushRadius(800, 600)).toBe(12);
    expect(brushRadius(100, 50)).toBe(4);
    const current = paintStrokes(new Uint8Array([51, 51, 51]), new Uint8Array([PAINTED_BLACK, NOT_PAINTED, PAINTED_WHITE]));
    expect(Array.from(current)).toEqual([0, new Float32Array([0.2])[0], 1]);
    expect(() => simulateStrokes(trimap, new Uint8Array(3), W, H)).toThrow(RangeError);
  });

  it('parses the command line strictly', () => {
    expect(parseEvalRefineEdgesArgs([])).toEqual({ data: undefined, model: 'isnet-int8', out: 'out/eval-refine-edges.json', limit: undefined, only: undefined });
    expect(parseEvalRefineEdgesArgs(['--limit', '2', '--only', 'GT01,GT03']).only).toEqual(['GT01', 'GT03']);
    expect(() => parseEvalRefineEdgesArgs(['--limit', '0'])).toThrow(UsageError);
    expect(() => parseEvalRefineEdgesArgs(['--trimap', '1'])).toThrow(UsageError);
  });
});

describe.skipIf(!hasEvalData() || !need({ models: HAVE_MODELS }))('Refine edges on two alphamatting images (../shared/eval)', () => {
  it('lowers u_SAD in the unknown band from strokes painted only outside it', async () => {
    const remover = await createNodeRemover({ modelsDir: MODELS_DIR });
    try {
      const before: number[] = [];
      const after: number[] = [];
      for (const item of listAlphaMatting().slice(0, 2)) {
        const { image } = await decodeImageFile(item.imagePath);
        const gt = await loadAlphaMattingGroundTruth(item);
        const { matte, lowRes } = await remover.matte(image);
        const c = await evaluateRefineEdgesCase({ image, lowRes, written: alphaToBytes(matte), trimap: gt.trimap1, gt: gt.alpha });
        expect(c.disks, item.name).toBeGreaterThan(0);
        // The band is never painted: the strokes alone leave u_SAD as it was; the whole image gains.
        expect(c.strokesOnly.uSad, item.name).toBe(c.before.uSad);
        expect(c.strokesOnly.sad, item.name).toBeLessThan(c.before.sad);
        expect(c.after.sad, item.name).toBeLessThan(c.before.sad);
        // The solve is time-bounded: per image, no worse than noise; on the two together, better.
        expect(c.after.uSad, item.name).toBeLessThan(c.before.uSad * 1.02);
        before.push(c.before.uSad);
        after.push(c.after.uSad);
      }
      expect(after.reduce((a, b) => a + b)).toBeLessThan(before.reduce((a, b) => a + b));
    } finally {
      await remover.dispose();
    }
  });
});
