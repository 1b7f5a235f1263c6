// The hinted solve (the default matting refiner's closed-form re-solve around hints) on the bad input
// issue 15 lists, through BackgroundRemover with a fake network: hints that mark everything one way,
// hints that contradict the network everywhere, a one-pixel unknown band, hints touching the border,
// and hints of another size. Sensible means: no crash, every value finite in [0, 1], every hinted
// pixel exactly at its hint, and a CoreError with a code for hints that do not fit the image.
import { describe, expect, it } from 'vitest';
import { BackgroundRemover, CoreError, type AlphaMatte, type HintMask, type InferenceSession, type RgbaImage } from '@cutout/core';
import { fakeManifest } from './helpers/fake-model.js';

const NET = 32;
const manifest = fakeManifest(NET, NET);

/** Inside the centred ellipse (x, y in pixel centres of a w × h grid), soft over about a pixel. */
const disc = (x: number, y: number, w: number, h: number): number => {
  const d = Math.hypot((x + 0.5) / w - 0.5, (y + 0.5) / h - 0.5) / 0.3;
  return Math.min(1, Math.max(0, (1 - d) * Math.min(w, h) * 0.3 + 0.5));
};

/** The network finds the ellipse; `runs` counts how often it ran. */
function netSession(): InferenceSession & { runs: number } {
  const s = {
    manifest,
    backend: 'test',
    runs: 0,
    run: async () => {
      s.runs++;
      return Float32Array.from({ length: NET * NET }, (_, i) => disc(i % NET, Math.floor(i / NET), NET, NET));
    },
    dispose: async () => undefined,
  };
  return s;
}

/** An orange ellipse on a blue-green gradient: the photo the network's alpha is about. */
function photo(w: number, h: number): RgbaImage {
  const data = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const a = disc(x, y, w, h);
      data.set([a * 230 + (1 - a) * (30 + (40 * x) / w), a * 150 + (1 - a) * 90, a * 40 + (1 - a) * 180, 255], (y * w + x) * 4);
    }
  }
  return { width: w, height: h, data };
}

const hintsOf = (w: number, h: number, at: (x: number, y: number) => number): HintMask => ({ width: w, height: h, data: Uint8Array.from({ length: w * h }, (_, i) => at(i % w, Math.floor(i / w))) });

/** The findings of a matte against its hints: indices of values outside [0, 1] (NaN included) and of hinted pixels off their hint. */
function check(matte: AlphaMatte, hints: HintMask): { bad: number[]; offHint: number[] } {
  const bad: number[] = [];
  const offHint: number[] = [];
  for (let i = 0; i < matte.data.length; i++) {
    const v = matte.data[i] as number;
    if (!(v >= 0 && v <= 1)) bad.push(i);
    const hint = hints.data[i];
    if ((hint === 255 && v !== 1) || (hint === 0 && v !== 0)) offHint.push(i);
  }
  return { bad: bad.slice(0, 5), offHint: offHint.slice(0, 5) };
}

const EDGE = { feather: 2, shift: 1, smooth: 1, hard: false };

/** matte() with and without edge controls, and refineFrom() from the same network alpha: all checked. */
async function expectSensible(image: RgbaImage, hints: HintMask): Promise<AlphaMatte[]> {
  const remover = new BackgroundRemover(netSession());
  const plain = await remover.matte(image, { hints });
  const edged = await remover.matte(image, { hints, edge: EDGE });
  const again = await remover.refineFrom(image, plain.lowRes, { hints });
  for (const [what, m] of [['matte', plain.matte], ['matte with edge controls', edged.matte], ['refineFrom', again.matte]] as const) {
    expect([m.width, m.height], what).toEqual([image.width, image.height]);
    expect(check(m, hints), what).toEqual({ bad: [], offHint: [] });
  }
  return [plain.matte, edged.matte, again.matte];
}

describe('the hinted solve on bad input', () => {
  const image = photo(96, 72);

  it('hints that mark everything foreground, or everything background: the matte is the hint', async () => {
    for (const v of [255, 0]) {
      for (const m of await expectSensible(image, hintsOf(96, 72, () => v))) expect(m.data.every((a) => a === v / 255)).toBe(true);
    }
  });

  it('hints that contradict the network everywhere, with and without an unknown band between them', async () => {
    // Inverted trimap: remove inside the ellipse, keep outside, a band of 4 px around the edge left to the solve.
    const inverted = hintsOf(96, 72, (x, y) => {
      const a = disc(x, y, 96, 72);
      const d = Math.hypot((x + 0.5) / 96 - 0.5, (y + 0.5) / 72 - 0.5) / 0.3;
      return Math.abs(d - 1) * 0.3 * 72 < 4 ? 128 : a > 0.5 ? 0 : 255;
    });
    const [m] = await expectSensible(image, inverted);
    // The band follows the hints, not the network: on average it sits between them, not at the network's values.
    let sum = 0;
    let n = 0;
    for (let i = 0; i < inverted.data.length; i++) {
      if (inverted.data[i] !== 128) continue;
      sum += m!.data[i] as number;
      n++;
    }
    expect(n).toBeGreaterThan(100);
    expect(sum / n).toBeGreaterThan(0.05);
    expect(sum / n).toBeLessThan(0.95);
    // Every pixel hinted, each against the network.
    const opposite = hintsOf(96, 72, (x, y) => (disc(x, y, 96, 72) > 0.5 ? 0 : 255));
    const [full] = await expectSensible(image, opposite);
    expect(full!.data.every((a, i) => a === (opposite.data[i] as number) / 255)).toBe(true);
  });

  it('a one-pixel unknown band, also on an image larger than the solve grid (the band is thinner than a grid cell there)', async () => {
    for (const [w, h] of [[96, 72], [1200, 60]] as const) {
      const edge = Math.floor(w / 2);
      const hints = hintsOf(w, h, (x) => (x < edge ? 0 : x > edge ? 255 : 128));
      const [m] = await expectSensible(photo(w, h), hints);
      for (let y = 0; y < h; y++) expect(Number.isFinite(m!.data[y * w + edge])).toBe(true);
    }
  });

  it('hints touching the border: strokes along the edges, single pixels in the corners', async () => {
    const hints = hintsOf(96, 72, (x, y) => {
      if (y === 0 || x === 0) return 0; // the top row and the left column: background
      if (x >= 90 && y >= 66) return 255; // a block in the bottom-right corner: keep (against the network)
      if ((x === 95 && y === 0) || (x === 0 && y === 71)) return 255;
      return 128;
    });
    await expectSensible(image, hints);
    await expectSensible(photo(1200, 60), hintsOf(1200, 60, (x, y) => (x === 0 || y === 59 ? 255 : x === 1199 ? 0 : 128)));
  });

  it('hints of another size: hint_size_mismatch naming both sizes, before the model runs; wrong data length: invalid_argument', async () => {
    const session = netSession();
    const remover = new BackgroundRemover(session);
    for (const [w, h] of [[95, 72], [72, 96], [192, 144]] as const) {
      const hints = hintsOf(w, h, () => 255);
      const err = await remover.matte(image, { hints }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CoreError);
      expect(err).toMatchObject({ code: 'hint_size_mismatch', message: expect.stringContaining(`${w}×${h} but the image is 96×72`) });
    }
    expect(session.runs).toBe(0);
    const { lowRes } = await remover.predict(image);
    await expect(remover.refineFrom(image, lowRes, { hints: hintsOf(95, 72, () => 0) })).rejects.toMatchObject({ code: 'hint_size_mismatch' });
    const short = { width: 96, height: 72, data: new Uint8Array(96 * 72 - 1) };
    await expect(remover.matte(image, { hints: short })).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(remover.refineFrom(image, lowRes, { hints: short })).rejects.toMatchObject({ code: 'invalid_argument' });
  });
});
