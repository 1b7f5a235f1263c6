// The real default model on the bundled sample photos, through the Node core.
import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCoreError, type BackgroundRemover } from '@cutout/core';
import { createNodeRemover, readManifest, readModelIndex } from '@cutout/core-node';
import { loadRgba, meanIn, stddev } from './helpers/images.js';
import { HAVE_MODELS, MODELS_DIR, SAMPLES_DIR } from './helpers/paths.js';
import { need } from './helpers/require.js';

type Box = readonly [number, number, number, number];
/** Boxes (fractions of width/height) that are clearly subject or clearly background in each photo. */
const EXPECT: Record<string, { subject: Box[]; background: Box[] }> = {
  'astronaut.png': { subject: [[0.375, 0.5, 0.625, 0.75], [0.4, 0.15, 0.5, 0.3]], background: [[0.75, 0, 1, 0.25], [0, 0, 0.125, 0.25]] },
  'chelsea.png': { subject: [[0.25, 0.25, 0.625, 0.75]], background: [[0.875, 0, 1, 0.125]] },
  'coffee.png': { subject: [[0.25, 0.375, 0.75, 0.625]], background: [[0, 0, 0.125, 0.125], [0.875, 0, 1, 0.125], [0, 0.875, 0.125, 1], [0.875, 0.875, 1, 1]] },
  'rocket.jpg': { subject: [], background: [[0.5, 0, 1, 0.25], [0.125, 0, 0.375, 0.25]] },
};

describe.skipIf(!need({ models: HAVE_MODELS }))('default model on the samples', () => {
  let remover: BackgroundRemover;
  beforeAll(async () => {
    remover = await createNodeRemover({ modelsDir: MODELS_DIR });
  });
  afterAll(async () => remover?.dispose());

  for (const [file, boxes] of Object.entries(EXPECT)) {
    it(`produces a sensible matte for ${file}`, async () => {
      const image = await loadRgba(join(SAMPLES_DIR, file));
      const { matte, lowRes, backend } = await remover.matte(image);
      expect(backend).toBe('cpu');
      expect([matte.width, matte.height]).toEqual([image.width, image.height]);
      expect([lowRes.width, lowRes.height]).toEqual([1024, 1024]);
      for (const b of boxes.subject) expect(meanIn(matte, ...b), `subject ${b.join(',')}`).toBeGreaterThan(0.9);
      for (const b of boxes.background) expect(meanIn(matte, ...b), `background ${b.join(',')}`).toBeLessThan(0.05);
      expect(stddev(matte.data)).toBeGreaterThan(0.2);
      const opaque = matte.data.filter((v) => v > 0.95).length / matte.data.length;
      expect(opaque).toBeGreaterThan(0.02);
    });
  }

  it('gives the same matte for the same input', async () => {
    const image = await loadRgba(join(SAMPLES_DIR, 'coffee.png'));
    const a = await remover.matte(image);
    const b = await remover.matte(image);
    expect(Buffer.from(a.matte.data.buffer).equals(Buffer.from(b.matte.data.buffer))).toBe(true);
  });

  it('refuses a model file whose sha256 does not match its manifest', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cutout-model-'));
    const id = (await readModelIndex(MODELS_DIR)).default;
    const manifest = await readManifest(MODELS_DIR, id);
    await copyFile(join(MODELS_DIR, `${id}.json`), join(dir, `${id}.json`));
    const bytes = await readFile(join(MODELS_DIR, manifest.file));
    bytes[bytes.length >> 1] = (bytes[bytes.length >> 1] as number) ^ 0xff; // same size, one byte flipped
    await writeFile(join(dir, manifest.file), bytes);
    const err = await createNodeRemover({ modelsDir: dir, modelId: id }).catch((e: unknown) => e);
    expect(isCoreError(err, 'model_integrity')).toBe(true);
    expect((err as Error).message).toMatch(/sha256.*npm run models -- --force/);
    const missing = await createNodeRemover({ modelsDir: join(dir, 'nope'), modelId: id }).catch((e: unknown) => e);
    expect(isCoreError(missing, 'model_missing')).toBe(true);
  });
});
