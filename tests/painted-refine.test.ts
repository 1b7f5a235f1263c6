// The core's refine from painting (shared-core/src/painted-refine.ts): a real sample through the
// default model, the mask as a host writes it, strokes painted into it, and the re-solve from them.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alphaToBytes, isCoreError, refineFromPainting, type AlphaMatte, type BackgroundRemover, type RgbaImage } from '@cutout/core';
import { createMattingRefiner } from '@cutout/core/matting';
import { createNodeRemover } from '@cutout/core-node';
import { loadRgba } from './helpers/images.js';
import { HAVE_MODELS, MODELS_DIR, SAMPLES_DIR } from './helpers/paths.js';
import { need } from './helpers/require.js';

/** Pixels within `r` (Chebyshev) of any marked pixel. */
function near(marked: (i: number) => boolean, w: number, h: number, r: number): Uint8Array {
  const out = new Uint8Array(w * h);
  for (let i = 0; i < w * h; i++) {
    if (!marked(i)) continue;
    const x = i % w;
    const y = (i - x) / w;
    for (let yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++) out.fill(1, yy * w + Math.max(0, x - r), yy * w + Math.min(w - 1, x + r) + 1);
  }
  return out;
}

/** Paints `value` into a disk of the plane (in place). */
function disk(plane: Float32Array, w: number, cx: number, cy: number, r: number, value: number): void {
  for (let y = cy - r; y <= cy + r; y++) for (let x = cx - r; x <= cx + r; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) plane[y * w + x] = value;
}

describe.skipIf(!need({ models: HAVE_MODELS }))('refineFromPainting on a sample with the default model', () => {
  let remover: BackgroundRemover;
  let image: RgbaImage;
  let lowRes: AlphaMatte;
  let written: Uint8Array;
  beforeAll(async () => {
    remover = await createNodeRemover({ modelsDir: MODELS_DIR });
    image = await loadRgba(join(SAMPLES_DIR, 'coffee.png'));
    const result = await remover.matte(image);
    lowRes = result.lowRes;
    written = alphaToBytes(result.matte);
  });
  afterAll(async () => remover?.dispose());

  it('honours the strokes exactly, keeps painted greys, and leaves pixels far from the strokes as unrefined', async () => {
    const { width: w, height: h } = image;
    const current = Float32Array.from(written, (v) => v / 255);
    // Black over the cup (clearly subject), white in the top-left background, a grey patch bottom right.
    const black = [Math.round(0.5 * w), Math.round(0.5 * h)] as const;
    const white = [Math.round(0.06 * w), Math.round(0.08 * h)] as const;
    expect(written[black[1] * w + black[0]]).toBeGreaterThan(0.9 * 255);
    expect(written[white[1] * w + white[0]]).toBeLessThan(0.05 * 255);
    disk(current, w, black[0], black[1], 12, 0);
    disk(current, w, white[0], white[1], 8, 1);
    const grey = (i: number): boolean => i % w >= w - 40 && i % w < w - 20 && Math.floor(i / w) >= h - 40 && Math.floor(i / w) < h - 20;
    for (let i = 0; i < current.length; i++) if (grey(i)) current[i] = 0.5;

    const out = await refineFromPainting({ image, lowRes, written, current });
    expect(out.matte.length).toBe(w * h);
    expect(out.allBlack).toBe(false);
    expect(out.removed).toBeGreaterThan(400);
    expect(out.kept).toBeGreaterThan(150);
    expect(out.greys).toBe(400);

    const changed = (i: number): boolean => Math.abs((current[i] as number) - (written[i] as number) / 255) > 3 / 255;
    let removed = 0;
    let kept = 0;
    for (let i = 0; i < current.length; i++) {
      if (!changed(i)) continue;
      if (current[i] === 0) {
        expect(out.matte[i]).toBe(0);
        removed++;
      } else if (current[i] === 1) {
        expect(out.matte[i]).toBe(1);
        kept++;
      } else expect(out.matte[i]).toBe(current[i]);
    }
    expect([removed, kept]).toEqual([out.removed, out.kept]);

    // Far from every stroke the hinted solve is blended out: the refiner without hints, which is what was written.
    const plain = await createMattingRefiner().refine({ lowRes, image });
    const reach = near((i) => changed(i) && (current[i] === 0 || current[i] === 1), w, h, 40);
    let far = 0;
    let moved = 0;
    for (let i = 0; i < current.length; i++) {
      if (reach[i] || grey(i)) {
        if (!changed(i) && Math.abs((out.matte[i] as number) - (plain.data[i] as number)) > 0.05) moved++;
        continue;
      }
      far++;
      expect(Math.abs((out.matte[i] as number) - (plain.data[i] as number))).toBeLessThan(1e-6);
      expect(Math.abs((out.matte[i] as number) - (written[i] as number) / 255)).toBeLessThanOrEqual(0.5 / 255 + 1e-6);
    }
    expect(far).toBeGreaterThan(0.8 * w * h);
    // Near the strokes the solve did move the edge (not only the painted pixels).
    expect(moved).toBeGreaterThan(0);
  });

  it('solves nothing new when nothing was painted: the unrefined matte, no strokes', async () => {
    const current = Float32Array.from(written, (v) => v / 255);
    const out = await refineFromPainting({ image, lowRes, written, current });
    expect([out.removed, out.kept, out.greys, out.allBlack]).toEqual([0, 0, 0, false]);
    let max = 0;
    for (let i = 0; i < current.length; i++) max = Math.max(max, Math.abs((out.matte[i] as number) - (current[i] as number)));
    expect(max).toBeLessThanOrEqual(0.5 / 255 + 1e-6);
  });
});

describe('refineFromPainting without a model', () => {
  const w = 24;
  const h = 16;
  const image: RgbaImage = { width: w, height: h, data: new Uint8Array(w * h * 4).map((_, i) => (i % 4 === 3 ? 255 : (i * 37) % 251)) };
  const lowRes: AlphaMatte = { width: 8, height: 8, data: new Float32Array(64).map((_, i) => (i % 8 < 4 ? 0 : 1)) };
  const written = new Uint8Array(w * h).map((_, i) => (i % w < w / 2 ? 0 : 255));

  it('sees a mask painted entirely black (the host refuses it), strokes still exact', async () => {
    // The left half was written black and stays so (no stroke); the right half is painted to 5 %.
    const current = Float32Array.from(written, (v) => (v / 255) * 0.05);
    const out = await refineFromPainting({ image, lowRes, written, current });
    expect(out.allBlack).toBe(true);
    expect([out.removed, out.kept, out.greys]).toEqual([(w * h) / 2, 0, 0]);
    for (let i = 0; i < w * h; i++) if (written[i] === 255) expect(out.matte[i]).toBe(0);
  });

  it('refuses masks that do not fit the image, with a code', async () => {
    const err = await refineFromPainting({ image, lowRes, written: written.subarray(1), current: new Float32Array(w * h - 1) }).catch((e: unknown) => e);
    expect(isCoreError(err, 'invalid_argument')).toBe(true);
    const err2 = await refineFromPainting({ image, lowRes, written, current: new Float32Array(3) }).catch((e: unknown) => e);
    expect(isCoreError(err2, 'invalid_argument')).toBe(true);
  });
});
