// The automatic mode's 'high' quality (shared-core/src/mirror-average.ts): the network also runs on the
// mirror image of its input tensor and the two alphas are averaged. Fake models, no ORT: a model
// that is itself mirror-symmetric must give exactly the standard alpha, an asymmetric one exactly the
// average of its two runs, and the second input must be the exact mirror of the first.
import { describe, expect, it } from 'vitest';
import { BackgroundRemover, CoreError, type InferenceSession } from '@cutout/core';
import { fakeManifest, randomImage } from './helpers/fake-model.js';

// Not square, so a width / height mix-up shows.
const W = 8;
const H = 6;
const manifest = fakeManifest(H, W);

type Model = (input: Float32Array) => Float32Array;

/** Per pixel, from its own three channels only: mirroring the input mirrors the output. */
const symmetric: Model = (input) => Float32Array.from({ length: W * H }, (_, i) => 1 / (1 + Math.exp(-4 * ((input[i] as number) + (input[W * H + i] as number) - (input[2 * W * H + i] as number)))));
/** The same, weighted by the column: a model with a left / right bias. */
const asymmetric: Model = (input) => symmetric(input).map((v, i) => v * (((i % W) + 1) / W));

/** A session running `model`, keeping a copy of every input it was given. */
function session(model: Model): InferenceSession & { inputs: Float32Array[] } {
  const inputs: Float32Array[] = [];
  return { manifest, backend: 'test', inputs, run: async (input) => (inputs.push(input.slice()), model(input)), dispose: async () => undefined };
}

const image = randomImage(37, 23, 3);

describe("quality 'high' (mirror run averaged in)", () => {
  it('gives exactly the standard alpha with a mirror-symmetric model, in two runs whose inputs mirror each other', async () => {
    const s = session(symmetric);
    const remover = new BackgroundRemover(s);
    const standard = await remover.predict(image);
    const high = await remover.predict(image, { quality: 'high' });
    expect(s.inputs.length).toBe(3);
    const [first, second] = [s.inputs[1]!, s.inputs[2]!];
    expect(Array.from(first)).toEqual(Array.from(s.inputs[0]!));
    for (let c = 0; c < 3; c++) {
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) expect(second[c * W * H + y * W + (W - 1 - x)]).toBe(first[c * W * H + y * W + x]);
      }
    }
    expect(Array.from(high.lowRes.data)).toEqual(Array.from(standard.lowRes.data));
    expect([high.lowRes.width, high.lowRes.height]).toEqual([W, H]);
  });

  it('gives the average of the two runs, the second mirrored back, with an asymmetric model', async () => {
    const s = session(asymmetric);
    const remover = new BackgroundRemover(s);
    const { lowRes } = await remover.predict(image, { quality: 'high' });
    const a = asymmetric(s.inputs[0]!);
    const b = asymmetric(s.inputs[1]!);
    const expected = Array.from({ length: W * H }, (_, i) => Math.fround(((a[i] as number) + (b[i - (i % W) + (W - 1 - (i % W))] as number)) / 2));
    expect(Array.from(lowRes.data)).toEqual(expected);
    // Not the standard alpha: the bias is averaged out (each column gets the mean of its weight and its mirror's).
    const standard = await remover.predict(image);
    expect(Array.from(lowRes.data)).not.toEqual(Array.from(standard.lowRes.data));
  });

  it('reports inference in two halves and times both runs; standard in one', async () => {
    const events = (quality: 'standard' | 'high') => {
      const seen: string[] = [];
      let t = 0;
      const remover = new BackgroundRemover(session(symmetric), { now: () => (t += 10) });
      return remover.predict(image, { quality, onProgress: (e) => seen.push(`${e.stage} ${e.fraction}`) }).then((r) => ({ seen, r }));
    };
    const high = await events('high');
    expect(high.seen).toEqual(['preprocess 0', 'preprocess 1', 'inference 0', 'inference 0.5', 'inference 1']);
    const standard = await events('standard');
    expect(standard.seen).toEqual(['preprocess 0', 'preprocess 1', 'inference 0', 'inference 1']);
  });

  it('flows through matte and cutout (the refined matte comes from the averaged alpha)', async () => {
    const remover = new BackgroundRemover(session(asymmetric));
    const viaMatte = await remover.matte(image, { quality: 'high' });
    const { lowRes } = await remover.predict(image, { quality: 'high' });
    expect(Array.from(viaMatte.lowRes.data)).toEqual(Array.from(lowRes.data));
    expect(Array.from(viaMatte.matte.data)).toEqual(Array.from((await remover.refineFrom(image, lowRes)).matte.data));
    const cut = await remover.cutout(image, { quality: 'high' });
    expect(cut.image.width).toBe(37);
  });

  it('refuses an unknown quality with invalid_argument, and a cancel between the runs with cancelled', async () => {
    const remover = new BackgroundRemover(session(symmetric));
    const err = await remover.predict(image, { quality: 'best' as never }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CoreError);
    expect(err).toMatchObject({ code: 'invalid_argument', message: expect.stringMatching(/standard, high/) });
    const ac = new AbortController();
    const s = session((input) => (ac.abort(), symmetric(input)));
    await expect(new BackgroundRemover(s).predict(image, { quality: 'high', signal: ac.signal })).rejects.toMatchObject({ code: 'cancelled' });
    expect(s.inputs.length).toBe(1);
  });

  it('refuses a second run whose output is out of range, like the first', async () => {
    let calls = 0;
    const s = session((input) => (++calls === 2 ? new Float32Array(W * H).fill(Number.NaN) : symmetric(input)));
    await expect(new BackgroundRemover(s).predict(image, { quality: 'high' })).rejects.toMatchObject({ code: 'model_invalid_output' });
  });
});
