// The seeded strokes near the unknown band of `npm run eval -- --strokes` (tools/eval/src/band-strokes.ts),
// on synthetic trimaps: where they go, what they never paint, that they are nested and reproducible.
import { describe, expect, it } from 'vitest';
import { distanceToBand, NOT_PAINTED, PAINTED_BLACK, PAINTED_WHITE, seedOf, simulateBandStrokes } from '@cutout/tools-eval';

const W = 120;
const H = 80;
/** Background for x < 50, unknown for 50 ≤ x < 60, foreground from x = 60. */
const trimap = Uint8Array.from({ length: W * H }, (_, i) => (i % W < 50 ? 0 : i % W < 60 ? 128 : 255));

const painted = (s: Uint8Array, code: number): number[] => Array.from(s.keys()).filter((i) => s[i] === code);

describe('band strokes', () => {
  it('measures the distance to the band in chamfer steps', () => {
    const d = distanceToBand(trimap, W, H);
    expect([d[10 * W + 50], d[10 * W + 49], d[10 * W + 44], d[10 * W + 60], d[10 * W + 65]]).toEqual([0, 1, 6, 1, 6]);
    const dot = new Uint8Array(25);
    dot[12] = 128;
    expect(distanceToBand(dot, 5, 5)[0]).toBeCloseTo(2 * Math.SQRT2, 5);
    expect(distanceToBand(new Uint8Array(4), 2, 2).every((v) => v === Number.POSITIVE_INFINITY)).toBe(true);
  });

  it('alternates keep and remove, follows the band at 1.5 radii and never paints the band or the other side', () => {
    const s = simulateBandStrokes(trimap, W, H, 2, 7);
    // r = max(4, round(0.015 × 120)) = 4; centre lines at distance 6: x = 44 (background) and x = 65 (foreground).
    expect(s.radius).toBe(4);
    expect([s.placed, s.keep, s.remove]).toEqual([2, 1, 1]);
    const white = painted(s.strokes, PAINTED_WHITE);
    const black = painted(s.strokes, PAINTED_BLACK);
    expect(white.length + black.length).toBe(s.paintedPixels);
    expect(white.every((i) => i % W >= 61 && i % W <= 69)).toBe(true);
    expect(black.every((i) => i % W >= 40 && i % W <= 48)).toBe(true);
    // Along the line: at most 16 steps either way of the start, plus the brush.
    for (const px of [white, black]) {
      const rows = px.map((i) => Math.floor(i / W));
      expect(Math.max(...rows) - Math.min(...rows)).toBeLessThanOrEqual(2 * 16 + 2 * 4);
      expect(Math.max(...rows) - Math.min(...rows)).toBeGreaterThanOrEqual(16);
    }
  });

  it('is reproducible from its seed, and N strokes are the first N of the sequence', () => {
    const two = simulateBandStrokes(trimap, W, H, 2, 7).strokes;
    expect(simulateBandStrokes(trimap, W, H, 2, 7).strokes).toEqual(two);
    expect(simulateBandStrokes(trimap, W, H, 2, 8).strokes).not.toEqual(two);
    const five = simulateBandStrokes(trimap, W, H, 5, 7);
    expect(five.placed).toBe(5);
    for (let i = 0; i < two.length; i++) if (two[i] !== NOT_PAINTED) expect(five.strokes[i]).toBe(two[i]);
    expect(five.paintedPixels).toBeGreaterThan(painted(two, PAINTED_WHITE).length + painted(two, PAINTED_BLACK).length);
    expect(seedOf('GT01')).not.toBe(seedOf('GT02'));
    expect(seedOf('GT01')).toBe(seedOf('GT01'));
  });

  it('gives a missing kind its turn to the other, and stops when the centre lines are used up', () => {
    // Foreground only beyond the band's far side (no background centre line: the band starts at x = 0).
    const noBackground = Uint8Array.from({ length: W * H }, (_, i) => (i % W < 10 ? 128 : 255));
    const s = simulateBandStrokes(noBackground, W, H, 3, 1);
    expect([s.placed, s.keep, s.remove]).toEqual([3, 3, 0]);
    expect(painted(s.strokes, PAINTED_BLACK)).toEqual([]);
    const many = simulateBandStrokes(trimap, W, H, 200, 1);
    expect(many.placed).toBeLessThan(200);
    expect(many.placed).toBeGreaterThan(2);
  });

  it('places nothing without a band or when asked for none; refuses a trimap of the wrong size', () => {
    for (const [t, n] of [[new Uint8Array(W * H).fill(255), 5], [trimap, 0]] as const) {
      const s = simulateBandStrokes(t, W, H, n, 1);
      expect(s.placed).toBe(0);
      expect(s.strokes.every((v) => v === NOT_PAINTED)).toBe(true);
    }
    expect(() => simulateBandStrokes(trimap, W + 1, H, 2, 1)).toThrow(RangeError);
    expect(() => simulateBandStrokes(trimap, W, H, -1, 1)).toThrow(RangeError);
  });
});
