/**
 * `cutout models add | list | remove` end to end through the built CLI, with tiny ONNX models this
 * test writes itself (a 1×1 convolution with known weights, so the expected matte is a closed-form
 * function of the photo's bytes): a fixed 256×320 model with ImageNet mean/std and an in-graph
 * sigmoid, and a symbolic-size one given as scale/offset whose logits need the core's sigmoid.
 * The photo is resized to the model size first, so preprocessing and the bilinear refiner are the
 * identity and `--alpha` must equal round(255 · alpha) within one step. The bad cases must end
 * with a coded error and leave the models folder as it was. No ISNet, no download.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataType, encodeModel } from '@cutout/tools-models';
import { CLI, ROOT, SAMPLES_DIR } from './helpers/paths.js';
import { need } from './helpers/require.js';

const H = 256;
const W = 320;
const IMAGENET = { mean: [123.675, 116.28, 103.53], std: [58.395, 57.12, 57.375] };
const FIXED = { weights: [2, -1.5, 1], bias: 0.2 };
const DYNAMIC = { weights: [4, -3, 2], bias: 0.3 };

type Dim = number | string;

/** image [1, C, h, w] → Conv 1×1 (1 output channel) → optional Sigmoid → matte [1, 1, h, w]. */
function tinyModel(o: { channels: number; h: Dim; w: Dim; weights: number[]; bias: number; sigmoid: boolean }): Uint8Array {
  const dim = (d: Dim) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d });
  const shape = (c: number) => ({ dim: [dim(1), dim(c), dim(o.h), dim(o.w)] });
  const f32 = (v: number[]) => new Uint8Array(new Float32Array(v).buffer);
  const conv = { opType: 'Conv', input: ['image', 'w', 'b'], output: [o.sigmoid ? 'logits' : 'matte'] };
  return encodeModel({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 15 }],
    graph: {
      name: 'tiny',
      input: [{ name: 'image', type: { tensorType: { elemType: DataType.FLOAT, shape: shape(o.channels) } } }],
      output: [{ name: 'matte', type: { tensorType: { elemType: DataType.FLOAT, shape: shape(1) } } }],
      initializer: [
        { name: 'w', dataType: DataType.FLOAT, dims: [1, o.channels, 1, 1], rawData: f32(o.weights) },
        { name: 'b', dataType: DataType.FLOAT, dims: [1], rawData: f32([o.bias]) },
      ],
      node: o.sigmoid ? [conv, { opType: 'Sigmoid', input: ['logits'], output: ['matte'] }] : [conv],
    },
  });
}

async function cutout(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args]);
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

describe.skipIf(!need({ built: [join(ROOT, 'packages', 'cli', 'dist', 'main.js')] }))('cutout models add', () => {
  let dir: string;
  let models: string;
  let photo: string;
  let rgb: Buffer;
  const files: Record<string, string> = {};
  const json = async (name: string): Promise<Record<string, unknown>> => JSON.parse(await readFile(join(models, name), 'utf8')) as Record<string, unknown>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cutout-models-add-'));
    models = join(dir, 'models');
    await mkdir(models);
    const write = async (name: string, bytes: Uint8Array | string): Promise<void> => {
      files[name] = join(dir, name);
      await writeFile(files[name], bytes);
    };
    await write('fixed.onnx', tinyModel({ channels: 3, h: H, w: W, ...FIXED, sigmoid: true }));
    await write('dynamic.onnx', tinyModel({ channels: 3, h: 'height', w: 'width', ...DYNAMIC, sigmoid: false }));
    await write('rgba.onnx', tinyModel({ channels: 4, h: H, w: W, weights: [1, 1, 1, 1], bias: 0, sigmoid: true }));
    await write('notes.onnx', 'this is a text file, not a model\n');
    // The folder as `npm run models` leaves it: one of our own models, the default.
    const own = tinyModel({ channels: 3, h: H, w: W, ...FIXED, sigmoid: true });
    await writeFile(join(models, 'ours.onnx'), own);
    const manifest = {
      id: 'ours', file: 'ours.onnx', bytes: own.byteLength, sha256: createHash('sha256').update(own).digest('hex'),
      input: { name: 'image', shape: [1, 3, H, W], mean: [128, 128, 128], std: [256, 256, 256] }, output: { name: 'matte', shape: [1, 1, H, W] },
      precision: 'fp32', backends: ['cpu'], requiresShaderF16: false, dynamicSize: false, licence: 'test', source: 'test', description: 'ours',
    };
    await writeFile(join(models, 'ours.json'), JSON.stringify(manifest));
    await writeFile(join(models, 'index.json'), JSON.stringify({ default: 'ours', models: ['ours'] }));
    // A committed sample at the model's size, opaque: the expected matte is per pixel.
    photo = join(dir, 'astronaut.png');
    await sharp(join(SAMPLES_DIR, 'astronaut.png')).removeAlpha().resize(W, H, { fit: 'fill' }).png().toFile(photo);
    rgb = (await sharp(photo).removeAlpha().raw().toBuffer({ resolveWithObject: true })).data;
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Runs `cutout --alpha` with the model and compares with alpha(r, g, b) per pixel. */
  async function expectMatte(id: string, alpha: (r: number, g: number, b: number) => number): Promise<void> {
    const out = join(dir, `out-${id}`);
    const r = await cutout([photo, '--out', out, '--alpha', '--refiner', 'bilinear', '--model', id, '--models-dir', models, '-q']);
    expect(r.stderr).toMatch(/1 of 1 image\(s\) done/);
    expect(r.code).toBe(0);
    const { data, info } = await sharp(join(out, 'astronaut.png')).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([W, H, 1]);
    let max = 0;
    let sum = 0;
    let lo = 255;
    let hi = 0;
    for (let i = 0; i < W * H; i++) {
      const want = Math.round(255 * alpha(rgb[i * 3]!, rgb[i * 3 + 1]!, rgb[i * 3 + 2]!));
      const d = Math.abs(data[i]! - want);
      max = Math.max(max, d);
      sum += d;
      lo = Math.min(lo, want);
      hi = Math.max(hi, want);
    }
    expect(hi - lo).toBeGreaterThan(100); // the expected matte is far from constant: a real check
    expect(max).toBeLessThanOrEqual(1); // float32 vs float64, rounded to 8 bits
    expect(sum / (W * H)).toBeLessThan(0.02);
  }

  it('registers a fixed-size model given as ImageNet mean/std (sigmoid in the graph), and cutout runs it', async () => {
    const r = await cutout(['models', 'add', files['fixed.onnx']!, '--id', 'tiny-fixed', '--mean', IMAGENET.mean.join(','), '--std', IMAGENET.std.join(','), '--activation', 'none', '--models-dir', models]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Registered "tiny-fixed"[\s\S]*input "image" 256x320,[\s\S]*--model tiny-fixed/);
    const m = await json('tiny-fixed.json');
    const bytes = await readFile(files['fixed.onnx']!);
    expect(m).toMatchObject({
      id: 'tiny-fixed', file: 'tiny-fixed.onnx', bytes: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex'),
      input: { name: 'image', shape: [1, 3, H, W], ...IMAGENET }, output: { name: 'matte', shape: [1, 1, H, W], activation: 'none' },
      precision: 'fp32', backends: ['cpu'], dynamicSize: false, registered: true,
    });
    expect(m['description']).toMatch(/mean 123.675,116.28,103.53 std 58.395,57.12,57.375/);
    expect(await readFile(join(models, 'tiny-fixed.onnx'))).toEqual(bytes);
    expect(await json('index.json')).toEqual({ default: 'ours', models: ['ours', 'tiny-fixed'] });
    const { weights: w, bias } = FIXED;
    const n = (v: number, c: number): number => (v - IMAGENET.mean[c]!) / IMAGENET.std[c]!;
    await expectMatte('tiny-fixed', (r, g, b) => sigmoid(w[0]! * n(r, 0) + w[1]! * n(g, 1) + w[2]! * n(b, 2) + bias));
  });

  it('registers a symbolic-size model given as scale/offset whose logits take the core sigmoid, and cutout runs it', async () => {
    const args = ['--size', `${H}x${W}`, '--scale', '1/255', '--offset', '-0.5', '--activation', 'sigmoid', '--backends', 'cpu,wasm', '--models-dir', models];
    const r = await cutout(['models', 'add', files['dynamic.onnx']!, '--id', 'tiny-dyn', ...args]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const m = await json('tiny-dyn.json');
    expect(m).toMatchObject({ input: { shape: [1, 3, H, W] }, output: { shape: [1, 1, H, W], activation: 'sigmoid' }, backends: ['cpu', 'wasm'], dynamicSize: true });
    const input = m['input'] as { mean: number[]; std: number[] };
    for (const c of [0, 1, 2]) {
      expect(input.mean[c]).toBeCloseTo(127.5, 9);
      expect(input.std[c]).toBeCloseTo(255, 9);
    }
    expect(m['description']).toMatch(/scale .* offset -0.5,-0.5,-0.5 \(value = byte × scale \+ offset\)/);
    const { weights: w, bias } = DYNAMIC;
    await expectMatte('tiny-dyn', (r, g, b) => sigmoid(w[0]! * (r / 255 - 0.5) + w[1]! * (g / 255 - 0.5) + w[2]! * (b / 255 - 0.5) + bias));
  });

  it('refuses a bad model or id with a coded error and writes nothing', async () => {
    const before = (await readdir(models)).sort();
    const index = await json('index.json');
    const imagenet = ['--mean', IMAGENET.mean.join(','), '--std', IMAGENET.std.join(',')];
    const cases: [string, string[], RegExp][] = [
      ['bad-size', [files['fixed.onnx']!, '--size', '512', ...imagenet, '--activation', 'none'], /\[model_mismatch\] fixed\.onnx's input "image" is \[1, 3, 256, 320\]: fixed at 256x320 \(height x width\), but --size is 512x512; use --size 256x320 or leave --size out\./],
      ['four', [files['rgba.onnx']!, ...imagenet, '--activation', 'none'], /\[model_mismatch\] rgba\.onnx's input "image" is \[1, 4, 256, 320\]: 4 channel\(s\), not 3; cutout feeds an RGB image as \[1, 3, H, W\]\./],
      ['logits', [files['dynamic.onnx']!, '--size', `${H}x${W}`, '--scale', '1/255', '--offset', '-0.5', '--activation', 'none'], /\[model_mismatch\] dynamic\.onnx's output has values outside \[0, 1\] \(-?[\d.]+ to [\d.]+\) on a test image: is the activation sigmoid\? If the model ends in logits, use --activation sigmoid\./],
      ['twice', [files['fixed.onnx']!, ...imagenet, '--activation', 'sigmoid'], /\[model_mismatch\] fixed\.onnx's output is already in \[0, 1\].*use --activation none\./],
      ['notes', [files['notes.onnx']!, ...imagenet, '--activation', 'none'], /\[model_mismatch\] notes\.onnx is not an ONNX model onnxruntime can load \(.+\)\./],
      ['ours', [files['fixed.onnx']!, ...imagenet, '--activation', 'none'], /\[invalid_argument\] --id "ours" is one of cutout's own models/],
      ['tiny-fixed', [files['fixed.onnx']!, ...imagenet, '--activation', 'none'], /\[invalid_argument\] --id "tiny-fixed": a model with this id is already registered .*cutout models remove tiny-fixed/],
      ['isnet-fp32', [files['fixed.onnx']!, ...imagenet, '--activation', 'none'], /\[invalid_argument\] --id "isnet-fp32": ids starting with isnet- are kept for cutout's own models/],
    ];
    const results = await Promise.all(cases.map(([id, args]) => cutout(['models', 'add', ...args, '--id', id, '--models-dir', models])));
    results.forEach((r, i) => {
      const [id, , message] = cases[i]!;
      expect(r.stderr, id).toMatch(/^cutout models add: \[/);
      expect(r.stderr, id).toMatch(message);
      expect(r.code, id).toBe(1);
    });
    expect((await readdir(models)).sort()).toEqual(before);
    expect(await json('index.json')).toEqual(index);
    expect(existsSync(join(models, 'bad-size.json'))).toBe(false);
  });

  it('names the flag of a bad flag and shows the usage (exit 2)', async () => {
    const r = await cutout(['models', 'add', files['fixed.onnx']!, '--id', 'x', '--mean', '0.485,0.456,0.406', '--std', '0.229,0.224,0.225', '--activation', 'none', '--models-dir', models]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--std 0\.229,0\.224,0\.225 looks like the 0-1 convention.*--mean 123\.675,116\.28,103\.53 --std 58\.395,57\.12,57\.375/);
    expect(r.stderr).toMatch(/Usage: cutout models add/);
  });

  it('lists the models, and removes only registered ones', async () => {
    const list = await cutout(['models', 'list', '--models-dir', models]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^id +size \(HxW\) +precision +backends +from$/m);
    expect(list.stdout).toMatch(/^ours \(default\) +256x320 +fp32 +cpu +test$/m);
    expect(list.stdout).toMatch(/^tiny-dyn \(added\) +256x320 \(any\) +fp32 +cpu,wasm +file:.*dynamic\.onnx$/m);
    const ours = await cutout(['models', 'remove', 'ours', '--models-dir', models]);
    expect(ours.code).toBe(1);
    expect(ours.stderr).toMatch(/\[invalid_argument\] "ours" is one of cutout's own models \(built by "npm run models"\); only models added with "cutout models add" can be removed\./);
    const removed = await cutout(['models', 'remove', 'tiny-dyn', '--models-dir', models]);
    expect(removed.code).toBe(0);
    expect(existsSync(join(models, 'tiny-dyn.json')) || existsSync(join(models, 'tiny-dyn.onnx'))).toBe(false);
    expect(await json('index.json')).toEqual({ default: 'ours', models: ['ours', 'tiny-fixed'] });
  });
});
