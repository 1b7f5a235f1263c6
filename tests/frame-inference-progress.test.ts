/**
 * Inference progress in the frame: the estimate curve (never decreasing, never 1 before the end),
 * the timer that sends it while the model runs, and Engine.predict passing the core's preprocess
 * and inference events through, with estimates in between, on a runtime chosen by the worker
 * runtime factory where no Worker exists (Node): the in-process fallback.
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import type { InferenceRuntime, ModelManifest, ProgressEvent } from '@cutout/core';
import { memoryCache } from '../packages/frame/src/asset-cache.js';
import { AssetLoader } from '../packages/frame/src/asset-loader.js';
import { Engine } from '../packages/frame/src/engine.js';
import { estimateFraction, expectedInferenceMs, MAX_ESTIMATE, TICK_MS, withInferenceEstimate } from '../packages/frame/src/inference-estimate.js';
import { createInferenceRuntimes } from '../packages/frame/src/worker-runtime.js';

describe('inference estimate', () => {
  it('rises, never decreases and stays below 1', () => {
    let last = 0;
    for (let t = 0; t <= 100_000; t += 250) {
      const f = estimateFraction(t, 12_000);
      expect(f).toBeGreaterThanOrEqual(last);
      expect(f).toBeLessThan(1);
      last = f;
    }
    expect(estimateFraction(0, 12_000)).toBe(0);
    expect(estimateFraction(12_000, 12_000)).toBeCloseTo(0.865, 2);
    expect(last).toBe(MAX_ESTIMATE);
    expect(estimateFraction(100, 0)).toBe(0);
  });

  it('expects the previous run, else the backend default scaled to the input size', () => {
    expect(expectedInferenceMs('wasm', 1024 * 1024, undefined)).toBe(12_000);
    expect(expectedInferenceMs('wasm', 512 * 512, undefined)).toBe(3_000);
    expect(expectedInferenceMs('webgpu', 1024 * 1024, 900)).toBe(900);
  });

  it('sends estimates on a timer between inference 0 and 1 only', () => {
    let now = 0;
    let tick: (() => void) | null = null;
    const events: ProgressEvent[] = [];
    const clock = {
      now: () => now,
      every: (ms: number, fn: () => void) => {
        expect(ms).toBe(TICK_MS);
        tick = fn;
        return () => (tick = null);
      },
    };
    const { listener, stop } = withInferenceEstimate((e) => events.push(e), 1000, clock);
    listener({ stage: 'preprocess', fraction: 0 });
    listener({ stage: 'preprocess', fraction: 1 });
    expect(tick).toBeNull();
    listener({ stage: 'inference', fraction: 0 });
    for (let i = 0; i < 40; i++) {
      now += TICK_MS;
      tick!();
    }
    listener({ stage: 'inference', fraction: 1 });
    expect(tick).toBeNull();
    stop();
    const inference = events.filter((e) => e.stage === 'inference').map((e) => e.fraction);
    expect(events.slice(0, 2).map((e) => e.stage)).toEqual(['preprocess', 'preprocess']);
    expect(inference[0]).toBe(0);
    expect(inference.at(-1)).toBe(1);
    const middle = inference.slice(1, -1);
    expect(middle.length).toBeGreaterThan(5);
    for (let i = 1; i < middle.length; i++) expect(middle[i]!).toBeGreaterThan(middle[i - 1]!);
    expect(Math.max(...middle)).toBeLessThan(1);
  });
});

describe("inference estimate with the core's own half-way step (quality 'high': two model runs)", () => {
  it('sends the step when it is ahead of the estimate, and never goes back', () => {
    let now = 0;
    let tick: (() => void) | null = null;
    const sent: number[] = [];
    const clock = { now: () => now, every: (_ms: number, fn: () => void) => ((tick = fn), () => (tick = null)) };
    const { listener } = withInferenceEstimate((e) => e.stage === 'inference' && sent.push(e.fraction), 2000, clock);
    listener({ stage: 'inference', fraction: 0 });
    now += TICK_MS;
    tick!(); // 1 − e^(−0.25) ≈ 0.22
    listener({ stage: 'inference', fraction: 0.5 });
    now += TICK_MS;
    tick!(); // ≈ 0.39: behind the step, not sent
    for (let i = 0; i < 4; i++) {
      now += TICK_MS;
      tick!();
    }
    listener({ stage: 'inference', fraction: 0.5 }); // a repeat of a step already passed: not sent
    listener({ stage: 'inference', fraction: 1 });
    expect(sent[0]).toBe(0);
    expect(sent[2]).toBe(0.5);
    expect(sent.at(-1)).toBe(1);
    for (let i = 1; i < sent.length; i++) expect(sent[i]!).toBeGreaterThan(sent[i - 1]!);
    expect(sent.filter((f) => f === 0.5).length).toBe(1);
  });
});

const BYTES = new Uint8Array([8, 1, 2, 3, 4, 5]);
const SHA = createHash('sha256').update(BYTES).digest('hex');
const manifest = {
  id: 'm',
  file: 'm.onnx',
  bytes: BYTES.length,
  sha256: SHA,
  input: { name: 'input', shape: [1, 3, 64, 64], mean: [128, 128, 128], std: [256, 256, 256] },
  output: { name: 'output', shape: [1, 1, 64, 64] },
  precision: 'fp32',
  backends: ['wasm'],
  requiresShaderF16: false,
  dynamicSize: false,
  licence: 'test',
  source: 'test',
  description: 'test',
};
const fakeFetch: typeof fetch = async (input) => {
  const url = String(input);
  if (url.endsWith('.json')) return new Response(JSON.stringify(manifest), { headers: { 'content-type': 'application/json' } });
  return new Response(BYTES);
};

/**
 * A WASM "model" whose run ends when `done()` says so: the test ends a run after the progress
 * events it waits for have arrived (no fixed sleep decides the outcome). `done` is polled on the
 * event loop, so the estimate timer keeps firing while the run is "working".
 */
function gatedRuntime(done: () => boolean): InferenceRuntime {
  return {
    async createSession(m: ModelManifest) {
      return {
        manifest: m,
        backend: 'wasm',
        run: () =>
          new Promise<Float32Array>((resolve) => {
            const poll = (): void => {
              if (done()) resolve(new Float32Array(64 * 64).fill(0.5));
              else setImmediate(poll);
            };
            poll();
          }),
        async dispose() {},
      };
    },
  };
}

describe('Engine.predict progress', () => {
  it('passes preprocess and inference through, with estimates while the model runs (in-process where there is no Worker)', async () => {
    const logs: string[] = [];
    const events: ProgressEvent[] = [];
    /** Estimates sent during the current run (inference fractions strictly between 0 and 1). */
    const estimates = (): number[] => events.filter((e) => e.stage === 'inference' && e.fraction > 0 && e.fraction < 1).map((e) => e.fraction);
    let wanted = 1;
    const runtimes = createInferenceRuntimes({
      mode: 'worker',
      workerSource: 'x',
      log: (m) => logs.push(m),
      startWorker: null,
      inProcess: () => gatedRuntime(() => estimates().length >= wanted),
    });
    const loader = new AssetLoader('https://models.example/', memoryCache(), () => undefined, fakeFetch, { file: 'x.wasm', bytes: BYTES.length, sha256: SHA });
    const caps = { webgpu: false, shaderF16: false, crossOriginIsolated: false, simd: true, cacheStorage: false, indexedDb: false, secureContext: true, adapterInfo: null };
    const engine = new Engine(caps, loader, { backend: 'wasm', model: 'm', inputSize: 64, createRuntime: runtimes.createRuntime });
    const image = { width: 8, height: 8, data: new Uint8Array(8 * 8 * 4).fill(100) };
    // Expected: the default for 64² (47 ms), so the first estimate is already at the cap.
    const out = await engine.predict(image, { onStage: (e) => events.push(e) });
    expect(out.lowRes.data[0]).toBeCloseTo(0.5);
    expect(runtimes.where()).toBe('main-thread');
    expect(logs.join('\n')).toMatch(/main thread: Worker is not available/);
    const stages = events.map((e) => `${e.stage}`);
    expect(stages.slice(0, 3)).toEqual(['preprocess', 'preprocess', 'inference']);
    const inference = events.filter((e) => e.stage === 'inference').map((e) => e.fraction);
    expect(inference[0]).toBe(0);
    expect(inference.at(-1)).toBe(1);
    const during = inference.slice(1, -1);
    expect(during.length).toBeGreaterThanOrEqual(1); // at the cap after the first tick: sent once
    expect(during.every((f) => f > 0 && f < 1)).toBe(true);
    // The next run's estimate uses this run's duration (at least one tick, 250 ms, far above the
    // 47 ms default): a slower climb, still below 1. The run ends after the second estimate.
    events.length = 0;
    wanted = 2;
    await engine.predict(image, { onStage: (e) => events.push(e) });
    const second = events.filter((e) => e.stage === 'inference').map((e) => e.fraction).slice(1, -1);
    expect(second.length).toBeGreaterThanOrEqual(2);
    expect(second[0]!).toBeLessThan(during[0]!);
    await engine.dispose();
  });
});
