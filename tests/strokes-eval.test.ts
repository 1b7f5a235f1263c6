// The stroke eval (`npm run eval -- --strokes`, tools/eval/src/strokes-eval.ts) on one synthetic
// alphamatting-style item written to a temp folder, with a fake network: the model runs once per
// image, 0 strokes comes first, every solver gets every count and trimap, and a solver that only
// pastes the strokes leaves u_SAD where it was (the strokes never touch the band).
import { mkdtemp, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { BackgroundRemover, parseModelManifest, type InferenceSession, type RgbaImage } from '@cutout/core';
import { evaluateStrokes, formatStrokesReport, hintedSolverByName, type AlphaMattingItem } from '@cutout/tools-eval';

const W = 96;
const H = 64;
const NET = 32;
/** Soft-edged disc, centred, radius 0.3 of the height (in a w × h grid). */
const alphaAt = (x: number, y: number, w: number, h: number): number => Math.min(1, Math.max(0, (0.3 * h - Math.hypot(x + 0.5 - w / 2, y + 0.5 - h / 2)) / 2 + 0.5));

const image: RgbaImage = { width: W, height: H, data: new Uint8Array(W * H * 4) };
for (let i = 0; i < W * H; i++) {
  const a = alphaAt(i % W, Math.floor(i / W), W, H);
  image.data.set([200 * a + 40 * (1 - a), 120 * a + 90 * (1 - a), 40 * a + 170 * (1 - a), 255], i * 4);
}

const manifest = parseModelManifest({
  id: 'test', file: 'test.onnx', bytes: 1, sha256: '0'.repeat(64),
  input: { name: 'input', shape: [1, 3, NET, NET], mean: [128, 128, 128], std: [256, 256, 256] },
  output: { name: 'output', shape: [1, 1, NET, NET] },
  precision: 'fp32', backends: ['cpu'], licence: 'test', source: 'test',
});

let item: AlphaMattingItem;
beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cutout-strokes-'));
  const grey = async (name: string, value: (i: number) => number): Promise<string> => {
    await mkdir(join(dir, name), { recursive: true });
    const file = join(dir, name, 'T1.png');
    await sharp(Buffer.from(Uint8Array.from({ length: W * H }, (_, i) => value(i))), { raw: { width: W, height: H, channels: 1 } }).png().toFile(file);
    return file;
  };
  const a = (i: number): number => alphaAt(i % W, Math.floor(i / W), W, H);
  item = {
    set: 'alphamatting',
    name: 'T1',
    imagePath: 'in memory',
    alphaPath: await grey('alpha', (i) => Math.round(a(i) * 255)),
    // A narrow band (trimap1) and a wide one (trimap2) around the edge.
    trimap1Path: await grey('trimap1', (i) => (nearEdge(i, 3) ? 128 : a(i) > 0.5 ? 255 : 0)),
    trimap2Path: await grey('trimap2', (i) => (nearEdge(i, 8) ? 128 : a(i) > 0.5 ? 255 : 0)),
  };
});

/** Within `px` of the disc's edge. */
function nearEdge(i: number, px: number): boolean {
  return Math.abs(0.3 * H - Math.hypot((i % W) + 0.5 - W / 2, Math.floor(i / W) + 0.5 - H / 2)) < px;
}

function remover(): { remover: BackgroundRemover; runs: () => number } {
  let runs = 0;
  const session: InferenceSession = {
    manifest,
    backend: 'test',
    // The network's disc is a little too big: something for the strokes and the solve to fix.
    run: async () => (runs++, Float32Array.from({ length: NET * NET }, (_, i) => Math.min(1, Math.max(0, (0.36 * NET - Math.hypot((i % NET) + 0.5 - NET / 2, Math.floor(i / NET) + 0.5 - NET / 2)) / 2 + 0.5)))),
    dispose: async () => undefined,
  };
  return { remover: new BackgroundRemover(session), runs: () => runs };
}

describe('stroke eval', () => {
  it('runs the model once per image and every solver on 0 and each stroke count, for both trimaps', async () => {
    const r = remover();
    const solvers = (['default', 'paste'] as const).map((name) => ({ name, refiner: hintedSolverByName(name) }));
    const report = await evaluateStrokes({ remover: r.remover, items: [item], counts: [5, 2], solvers, quality: 'standard', decode: async () => image });
    expect(r.runs()).toBe(1);
    expect(report.counts).toEqual([0, 2, 5]);
    const rows = report.images['T1']!;
    expect(rows[0]!['strokes_trimap1']).toBe(0);
    expect(rows[2]!['strokes_trimap1']).toBe(2);
    expect(rows[5]!['painted_trimap2']!).toBeGreaterThan(rows[2]!['painted_trimap2']!);
    for (const n of [0, 2, 5]) {
      for (const key of ['default.u_SAD_trimap1', 'default.u_SAD_trimap2', 'default.SAD_trimap1', 'paste.u_SAD_trimap2', 'default.ms_trimap1']) {
        expect(Number.isFinite(rows[n]![key]), `${n} ${key}`).toBe(true);
      }
      // Pasting the strokes changes nothing in the band: u_SAD stays at the automatic matte's.
      expect(rows[n]!['paste.u_SAD_trimap1']).toBe(rows[0]!['paste.u_SAD_trimap1']);
    }
    expect(report.mean[2]).toEqual(rows[2]);
    const table = formatStrokesReport(report);
    expect(table).toMatch(/default/);
    expect(table.split('\n').filter((l) => /^(0|2|5) /.test(l))).toHaveLength(3);
  });

  it("with quality 'high' the model runs twice per image", async () => {
    const r = remover();
    await evaluateStrokes({ remover: r.remover, items: [item], counts: [2], solvers: [{ name: 'paste', refiner: hintedSolverByName('paste') }], quality: 'high', decode: async () => image });
    expect(r.runs()).toBe(2);
  });
});
