/**
 * Units of "any compatible model" (`cutout models add`), no model file and no process: the flags
 * (each error names its flag), the manifest's new fields (output.activation, registered) parsed
 * strictly and backwards-compatibly, the core applying a sigmoid before its [0, 1] check, the
 * graph checks' messages, and the frame engine taking a registered model by id, or refusing one
 * registered for cpu only before it downloads anything.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BackgroundRemover, CoreError, isCoreError, parseModelManifest, type InferenceRuntime, type ModelManifest } from '@cutout/core';
import { parseModelsArgs } from '../packages/cli/src/models-args.js';
import { fitInput, fitOutput, toMeanStd } from '../packages/core-node/src/model-fit.js';
import { memoryCache } from '../packages/frame/src/asset-cache.js';
import { AssetLoader } from '../packages/frame/src/asset-loader.js';
import { Engine } from '../packages/frame/src/engine.js';

const BYTES = new Uint8Array([8, 1, 2, 3]);
const SHA = createHash('sha256').update(BYTES).digest('hex');

/** A manifest as JSON; `extra` overrides top-level fields, `output` the output's. */
function manifestJson(id: string, extra: Record<string, unknown> = {}, output: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id, file: `${id}.onnx`, bytes: BYTES.length, sha256: SHA,
    input: { name: 'image', shape: [1, 3, 8, 10], mean: [123.675, 116.28, 103.53], std: [58.395, 57.12, 57.375] },
    output: { name: 'matte', shape: [1, 1, 8, 10], ...output },
    precision: 'fp32', backends: ['cpu'], requiresShaderF16: false, dynamicSize: false, licence: 'x', source: 'x', description: 'x', ...extra,
  };
}

const code = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return isCoreError(e) ? `${e.code}: ${e.message}` : String(e);
  }
  return undefined;
};

describe('cutout models flags', () => {
  const add = (...args: string[]) => parseModelsArgs(['add', 'm.onnx', '--id', 'mine', ...args]);
  it('parses add, list and remove into typed values', () => {
    expect(add('--size', '1024', '--mean', '127.5', '--std', '127.5', '--activation', 'none')).toMatchObject({
      kind: 'add', file: 'm.onnx', id: 'mine', size: { height: 1024, width: 1024 }, backends: ['cpu'], activation: 'none',
      normalisation: { kind: 'mean-std', mean: [127.5, 127.5, 127.5], std: [127.5, 127.5, 127.5] },
    });
    const c = add('--size', '256x320', '--scale', '1/255', '--offset', '-0.5', '--activation', 'sigmoid', '--backends', 'wasm,webgpu', '--output-name', 'alphas');
    expect(c).toMatchObject({ size: { height: 256, width: 320 }, backends: ['wasm', 'webgpu'], outputName: 'alphas', normalisation: { kind: 'scale-offset', offset: [-0.5, -0.5, -0.5] } });
    if (c.kind === 'add' && c.normalisation.kind === 'scale-offset') expect(c.normalisation.scale[0]).toBe(1 / 255);
    expect(parseModelsArgs(['list', '--models-dir', '/m'])).toEqual({ kind: 'list', modelsDir: '/m' });
    expect(parseModelsArgs(['remove', 'mine'])).toEqual({ kind: 'remove', id: 'mine', modelsDir: undefined });
    expect(parseModelsArgs([]).kind).toBe('help');
  });
  it('names the flag in every error', () => {
    const n = ['--mean', '1', '--std', '2'];
    const cases: [string[], RegExp][] = [
      [['--activation', 'none', ...n, '--size', '0'], /--size must be H or HxW \(height x width\) in pixels from 16 to 4096, not "0"/],
      [['--activation', 'none', ...n, '--size', '12x'], /--size must be/],
      [['--activation', 'relu', ...n], /--activation must be none or sigmoid, not "relu"/],
      [n, /Missing --activation: sigmoid if the model ends in logits/],
      [['--activation', 'none'], /Missing the model's normalisation: --mean r,g,b --std r,g,b/],
      [['--activation', 'none', '--mean', '1'], /--mean needs --std/],
      [['--activation', 'none', '--offset', '1'], /--offset needs --scale/],
      [['--activation', 'none', ...n, '--scale', '1', '--offset', '0'], /Give the normalisation either as --mean and --std or as --scale and --offset, not both/],
      [['--activation', 'none', '--mean', '1', '--std', '2,0,2'], /--std must not contain 0/],
      [['--activation', 'none', '--mean', '1,2', '--std', '2'], /--mean takes one number or three \(r,g,b\), not "1,2"/],
      [['--activation', 'none', '--mean', 'x', '--std', '2'], /--mean must be numbers \(like 0.5 or 1\/255\), not "x"/],
      [['--activation', 'none', '--scale', '0', '--offset', '0'], /--scale must not contain 0/],
      [['--activation', 'none', ...n, '--backends', 'cpu,gpu'], /--backends takes a comma-separated list of cpu, wasm, webgpu, not "cpu,gpu"/],
      [['--activation', 'none', ...n, '--colour', 'red'], /Unknown option '--colour'/],
    ];
    for (const [args, message] of cases) expect(code(() => add(...args)), args.join(' ')).toMatch(new RegExp(`^invalid_argument: ${message.source}`));
    expect(code(() => parseModelsArgs(['add', 'm.onnx', '--id', 'My Model', '--activation', 'none', ...n]))).toMatch(/--id must be 1 to 64 characters of a-z, 0-9/);
    expect(code(() => parseModelsArgs(['add', 'm.onnx', '--activation', 'none', ...n]))).toMatch(/Missing --id <id>/);
    expect(code(() => parseModelsArgs(['add', 'a.onnx', 'b.onnx', '--id', 'x']))).toMatch(/takes one \.onnx file, not 2/);
    expect(code(() => parseModelsArgs(['remove']))).toMatch(/takes one model id/);
    expect(code(() => parseModelsArgs(['list', 'x']))).toMatch(/takes no arguments/);
  });
  it('turns scale/offset into the one mean/std form the core knows', () => {
    const { mean, std } = toMeanStd({ kind: 'scale-offset', scale: [1 / 255, 2 / 255, 1], offset: [-0.5, 0, 3] });
    for (const byte of [0, 77, 255]) {
      expect((byte - mean[0]) / std[0]).toBeCloseTo(byte / 255 - 0.5, 12);
      expect((byte - mean[1]) / std[1]).toBeCloseTo((2 * byte) / 255, 12);
      expect((byte - mean[2]) / std[2]).toBeCloseTo(byte + 3, 12);
    }
  });
});

describe('graph checks', () => {
  const t = (name: string, shape: (number | string)[], type = 'float32') => ({ name, type, shape });
  it('refuses what cutout cannot feed or read, saying what to change', () => {
    expect(code(() => fitInput([t('x', [1, 3, 'h', 'w'])], undefined, 'm.onnx'))).toMatch(/^model_mismatch: m\.onnx's input "x" is \[1, 3, "h", "w"\], with a symbolic size: give the size .* --size H or --size HxW\./);
    expect(code(() => fitInput([t('x', [1, 1024, 1024, 3])], undefined, 'm.onnx'))).toMatch(/1024 channel\(s\), not 3.*channels-last \(NHWC\)/);
    expect(code(() => fitInput([t('x', [1, 3, 64, 64], 'float16')], undefined, 'm.onnx'))).toMatch(/is float16; cutout feeds float32/);
    expect(code(() => fitInput([t('a', [1, 3, 64, 64]), t('b', [1])], undefined, 'm.onnx'))).toMatch(/has 2 inputs \("a" float32 \[1, 3, 64, 64\], "b" float32 \[1\]\)/);
    expect(code(() => fitInput([t('x', [1, 3, 'h', 64])], { height: 32, width: 32 }, 'm.onnx'))).toMatch(/fixed at 32x64 .* but --size is 32x32/);
    expect(fitInput([t('x', ['batch', 3, 'h', 'w'])], { height: 32, width: 48 }, 'm.onnx')).toEqual({ name: 'x', height: 32, width: 48, dynamic: true });
    expect(code(() => fitOutput([t('a', [1, 1, 8, 8]), t('b', [1, 1, 8, 8])], undefined, 'm.onnx'))).toMatch(/has 2 outputs .*--output-name <name>/);
    expect(code(() => fitOutput([t('a', [1, 2, 8, 8])], undefined, 'm.onnx'))).toMatch(/2 channels; cutout reads one matte/);
    expect(fitOutput([t('a', [1, 1, 8, 8]), t('b', [])], 'b', 'm.onnx')).toBe('b');
  });
});

describe('manifest output.activation and registered', () => {
  it('keeps manifests without them as they were (ours), and reads them when present', () => {
    const ours = parseModelManifest(manifestJson('ours'));
    expect(ours.output.activation).toBeUndefined();
    expect(ours.registered).toBeUndefined();
    expect(JSON.parse(JSON.stringify(ours))).toEqual(manifestJson('ours'));
    const mine = parseModelManifest(manifestJson('mine', { registered: true }, { activation: 'sigmoid' }));
    expect([mine.output.activation, mine.registered]).toEqual(['sigmoid', true]);
  });
  it('refuses an unknown activation (model_unsupported) and a shape that is not one matte (model_integrity)', () => {
    expect(code(() => parseModelManifest(manifestJson('m', {}, { activation: 'softmax' }), 'm.json'))).toBe(
      'model_unsupported: Model manifest m.json: "output.activation" is "softmax", which this version does not know (it knows none, sigmoid); update cutout or choose another model.',
    );
    expect(code(() => parseModelManifest(manifestJson('m', {}, { shape: [1, 2, 8, 10] })))).toMatch(/^model_integrity: .*"output.shape" must be \[1, 1, H, W\]/);
  });
});

describe('the core applies the activation before its [0, 1] check', () => {
  const session = (m: ModelManifest, values: number[]) => ({ manifest: m, backend: 'cpu', run: async () => new Float32Array(values), dispose: async () => undefined });
  const image = { width: 10, height: 8, data: new Uint8Array(320).fill(200) };
  it('sigmoid: logits become alpha', async () => {
    const m = parseModelManifest(manifestJson('mine', {}, { activation: 'sigmoid' }));
    const logits = Array.from({ length: 80 }, (_, i) => (i - 40) / 4);
    const { lowRes } = await new BackgroundRemover(session(m, logits)).predict(image);
    expect([lowRes.width, lowRes.height]).toEqual([10, 8]);
    logits.forEach((x, i) => expect(lowRes.data[i]).toBeCloseTo(1 / (1 + Math.exp(-x)), 6));
  });
  it("none: logits are refused with a hint at the activation", async () => {
    const m = parseModelManifest(manifestJson('mine', {}, { activation: 'none' }));
    await expect(new BackgroundRemover(session(m, new Array(80).fill(3))).predict(image)).rejects.toThrow(
      /^Model mine: output value 3 at index 0 is outside \[0, 1\] \(NaN\/Inf, a wrong model, or a model whose output needs a sigmoid/,
    );
  });
});

describe('the frame engine and registered models', () => {
  function setup(backends: string[]) {
    const fetched: string[] = [];
    const created: string[] = [];
    const fakeFetch: typeof fetch = async (input) => {
      const url = String(input);
      fetched.push(url);
      if (url.endsWith('/models/mine.json')) return new Response(JSON.stringify(manifestJson('mine', { backends, registered: true }, { activation: 'sigmoid' })));
      return url.endsWith('.onnx') || url.endsWith('.wasm') ? new Response(BYTES) : new Response('no', { status: 404 });
    };
    const runtime = ({ backend }: { backend: string }): InferenceRuntime => ({
      async createSession(manifest) {
        created.push(backend);
        return { manifest, backend, run: async () => new Float32Array(80), dispose: async () => undefined };
      },
    });
    const loader = new AssetLoader('https://models.example/', memoryCache(), () => undefined, fakeFetch, { file: 'x.wasm', bytes: BYTES.length, sha256: SHA });
    const caps = { webgpu: true, shaderF16: false, crossOriginIsolated: false, simd: true, cacheStorage: false, indexedDb: false, secureContext: true, adapterInfo: 'fake' };
    const engine = new Engine(caps, loader, { backend: 'auto', model: 'mine', createRuntime: runtime as never });
    return { engine, fetched, created, image: { width: 20, height: 16, data: new Uint8Array(20 * 16 * 4).fill(90) } };
  }
  it('runs a model registered for wasm at its own size, with its activation (WebGPU skipped: not in its backends)', async () => {
    const { engine, created, image } = setup(['cpu', 'wasm']);
    const out = await engine.predict(image);
    expect([out.session.backend, out.session.model, out.lowRes.width, out.lowRes.height]).toEqual(['wasm', 'mine', 10, 8]);
    expect(out.lowRes.data[0]).toBeCloseTo(0.5, 6); // sigmoid(0)
    expect(created).toEqual(['wasm']);
    expect(out.session.fallbackReason).toMatch(/webgpu: Model mine is not prepared for webgpu/);
  });
  it('refuses a model registered for cpu only, with what to do, before downloading it', async () => {
    const { engine, created, fetched, image } = setup(['cpu']);
    const error = await engine.predict(image).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CoreError);
    expect((error as CoreError).code).toBe('model_unsupported');
    expect((error as CoreError).message).toBe(
      "Model mine is prepared for cpu only (its manifest's backends); the frame runs models on wasm or webgpu: register it again with --backends cpu,wasm,webgpu (\"cutout models remove mine\", then \"cutout models add … --backends …\").",
    );
    expect(created).toEqual([]);
    expect(fetched).toEqual(['https://models.example/models/mine.json']); // the manifest only: no ORT .wasm, no model
  });
});
