/**
 * The frame stays responsive while the full default model runs on WASM (isnet-fp32-web, 1024²,
 * ~10–15 s here), in a data: and a srcdoc iframe: animation frames keep coming, a host cancel is
 * answered at once, and preprocess / inference progress arrives during those stages. The same
 * figures are measured with inference on the frame's main thread (what hosts without workers get)
 * and printed, not asserted: there the frame is frozen for the whole run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadRgba } from '../helpers/images.js';
import { HAVE_MODELS, SAMPLES_DIR } from '../helpers/paths.js';
import { need } from '../helpers/require.js';
import { CHROMIUM, startHarness, type Harness } from '@cutout/tools-browser';

const RUN = need({ models: HAVE_MODELS, chromium: CHROMIUM });

type Progress = { stage: string; fraction: number; at: number };
type Reply = { ok: boolean; code?: string; message?: string; result?: any; progress: Progress[]; at: number };
type FrameMessage = { kind: string; id?: string; stage?: string; fraction?: number };
type Host = {
  request(method: string, payload?: unknown, id?: string): Promise<Reply>;
  start(method: string, payload?: unknown, id?: string): string;
  results: Record<string, Promise<Reply>>;
  cancel(id: string): void;
  on(listener: (msg: FrameMessage) => void): () => void;
  loadRaw(name: string): Promise<unknown>;
  slim(r: Reply): Reply;
};
declare const host: Host;

interface Figures {
  framesPerSecond: number;
  runMs: number;
  cancelMs: number;
  cancelCode: string | undefined;
  progress: Progress[];
  resultAt: number;
  matte: string;
}

describe.skipIf(!RUN)('frame responsiveness during a full-model WASM run', () => {
  let h: Harness;
  const figures = new Map<string, Figures>();
  beforeAll(async () => {
    h = await startHarness();
    await h.stage('astronaut', await loadRgba(join(SAMPLES_DIR, 'astronaut.png')));
  });
  afterAll(async () => {
    const rows = [...figures].map(([k, f]) => `  ${k.padEnd(18)} ${f.framesPerSecond.toFixed(1).padStart(5)} frames/s during a ${(f.runMs / 1000).toFixed(1)} s run, cancel answered in ${f.cancelMs.toFixed(0)} ms (${f.cancelCode}), ${f.progress.filter((p) => p.stage === 'inference' && p.fraction > 0 && p.fraction < 1).length} inference estimates`);
    if (rows.length) console.log(`frame responsiveness (WASM, isnet-fp32-web 1024²):\n${rows.join('\n')}`);
    await h?.close();
  });

  async function measure(mode: 'data' | 'srcdoc', inference: 'worker' | 'main-thread'): Promise<Figures> {
    const { page, frame, context } = await h.open(mode);
    try {
      const preload = await page.evaluate(async (args) => {
        await host.request('configure', { modelBaseUrl: args.base, backend: 'wasm', inference: args.inference });
        return host.request('preload');
      }, { base: h.baseUrl, inference });
      expect(preload.ok, preload.message).toBe(true);
      expect(preload.result.value.model).toBe('isnet-int8-web');

      // Every animation frame inside the frame, on the clock the host page stamps messages with.
      await frame().evaluate(() => {
        const w = window as unknown as { rafTimes: number[] };
        w.rafTimes = [];
        const tick = (): void => {
          w.rafTimes.push(performance.timeOrigin + performance.now());
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      });
      const run = await page.evaluate(async () => host.slim(await host.request('remove', { image: await host.loadRaw('astronaut') })));
      expect(run.ok, run.message).toBe(true);
      const rafTimes = await frame().evaluate(() => (window as unknown as { rafTimes: number[] }).rafTimes);
      const start = run.progress.find((p) => p.stage === 'inference')?.at ?? run.at;
      const end = run.progress.find((p) => p.stage === 'inference' && p.fraction === 1)?.at ?? run.at;
      const frames = rafTimes.filter((t) => t > start && t < end).length;

      // A second request, cancelled as soon as its inference progress arrives at the host.
      const cancel = await page.evaluate(async () => {
        const image = await host.loadRaw('astronaut');
        const id = 'to-cancel';
        const sent = new Promise<number>((resolve) => {
          const off = host.on((msg) => {
            if (msg.id !== id || msg.kind !== 'progress' || msg.stage !== 'inference') return;
            off();
            const at = performance.timeOrigin + performance.now();
            host.cancel(id);
            resolve(at);
          });
        });
        host.start('remove', { image }, id);
        const sentAt = await sent;
        const reply = await host.results[id]!;
        return { code: reply.code, ms: reply.at - sentAt };
      });
      return {
        framesPerSecond: frames / ((end - start) / 1000),
        runMs: end - start,
        cancelMs: cancel.ms,
        cancelCode: cancel.code,
        progress: run.progress,
        resultAt: run.at,
        matte: run.result.value.matte.base64 as string,
      };
    } finally {
      // Ends the worker still finishing the cancelled run, so it does not slow the next measurement.
      await context.close();
    }
  }

  for (const mode of ['data', 'srcdoc'] as const) {
    it(`worker (default), ${mode}: ≥ 20 frames/s during the run, cancel < 0.5 s, progress during the stages`, async () => {
      const f = await measure(mode, 'worker');
      figures.set(`worker, ${mode}:`, f);
      expect(f.cancelCode).toBe('cancelled');
      expect(f.framesPerSecond).toBeGreaterThanOrEqual(20);
      expect(f.cancelMs).toBeLessThan(500);
      const stages = f.progress.map((p) => p.stage);
      const firstInference = stages.indexOf('inference');
      expect(stages.indexOf('preprocess')).toBeGreaterThanOrEqual(0);
      expect(stages.indexOf('preprocess')).toBeLessThan(firstInference);
      const inference = f.progress.filter((p) => p.stage === 'inference');
      const during = inference.filter((p) => p.fraction > 0 && p.fraction < 1);
      expect(during.length).toBeGreaterThan(0);
      for (let i = 1; i < inference.length; i++) expect(inference[i]!.fraction).toBeGreaterThanOrEqual(inference[i - 1]!.fraction);
      // Estimates arrive while the model runs: before its end, not in a burst after it.
      const end = inference.find((p) => p.fraction === 1)!.at;
      expect(during[0]!.at).toBeLessThan(end - 1000);
      expect(inference.at(-1)!.fraction).toBe(1);
    }, 300_000);

    it(`main thread, ${mode}: the same figures, reported (not asserted)`, async () => {
      const f = await measure(mode, 'main-thread');
      figures.set(`main-thread, ${mode}:`, f);
      expect(f.cancelCode).toBe('cancelled');
      const worker = figures.get(`worker, ${mode}:`);
      // Same onnxruntime-web, same input: the worker's matte is the main thread's.
      if (worker) expect(f.matte === worker.matte).toBe(true);
    }, 300_000);
  }
});
