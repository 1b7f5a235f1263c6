/**
 * The frame's inference worker in Node: the worker's handler and the frame's client talking through
 * a fake Worker that really transfers (structured clone with a transfer list), cancel semantics,
 * and the choice between worker and main thread.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CoreError, isCoreError, type InferenceRuntime } from '@cutout/core';
import type { OrtWebOptions } from '@cutout/core-web';
import { createWorkerHandler } from '../packages/frame/src/worker-handler.js';
import { transferList } from '../packages/frame/src/worker-messages.js';
import { createInferenceRuntimes } from '../packages/frame/src/worker-runtime.js';
import type { WorkerLike } from '../packages/frame/src/worker-client.js';
import { fakeManifest } from './helpers/fake-model.js';

const SIZE = 8;
const manifest = fakeManifest(SIZE, SIZE, ['wasm', 'webgpu']);

/**
 * A runtime whose runs wait for `release()` (one gate per run, in order) and answer with a run
 * number; `events` records 'start N' and 'end N' of each run, in order.
 */
function gatedRuntime(): {
  factory: (o: OrtWebOptions) => InferenceRuntime;
  options: OrtWebOptions[];
  gates: Array<() => void>;
  events: string[];
  failNext: Error | null;
} {
  const state = { options: [] as OrtWebOptions[], gates: [] as Array<() => void>, events: [] as string[], failNext: null as Error | null };
  let runs = 0;
  const factory = (o: OrtWebOptions): InferenceRuntime => {
    state.options.push(o);
    return {
      async createSession(m) {
        return {
          manifest: m,
          backend: o.backend,
          async run() {
            const n = ++runs;
            state.events.push(`start ${n}`);
            await new Promise<void>((resolve) => state.gates.push(resolve));
            state.events.push(`end ${n}`);
            if (state.failNext) {
              const e = state.failNext;
              state.failNext = null;
              throw e;
            }
            return new Float32Array(SIZE * SIZE).fill(n);
          },
          async dispose() {},
        };
      },
    };
  };
  return Object.assign(state, { factory });
}

/** A Worker stand-in running the real handler; messages are cloned with their transfer lists (so sources detach). */
class FakeWorker implements WorkerLike {
  readonly received: string[] = [];
  /** Kinds of the messages the worker's handler has been given (after the posting task). */
  readonly handled: string[] = [];
  terminated = false;
  private readonly listeners = new Map<string, Array<(e: Event) => void>>();
  private readonly handle: (raw: unknown) => void;
  constructor(factory: (o: OrtWebOptions) => InferenceRuntime, private readonly silent = false, webgpu = true) {
    this.handle = createWorkerHandler({
      createRuntime: factory,
      webgpu: () => webgpu,
      post: (reply) => {
        const data = structuredClone(reply, { transfer: transferList(reply) });
        setTimeout(() => !this.terminated && this.emit('message', { data } as MessageEvent));
      },
    });
  }
  postMessage(message: unknown, transfer: Transferable[]): void {
    const data = structuredClone(message, { transfer });
    this.received.push((data as { kind: string }).kind);
    if (!this.silent) {
      setTimeout(() => {
        if (this.terminated) return;
        this.handle(data);
        this.handled.push((data as { kind: string }).kind);
      });
    }
  }
  addEventListener(type: string, listener: (e: Event) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  terminate(): void {
    this.terminated = true;
  }
  private emit(type: string, event: Event): void {
    for (const l of this.listeners.get(type) ?? []) l(event);
  }
}

// No sleeps: every wait below is for an event (a run reaching the runtime, a message handled, the
// worker stopped), so a slow machine makes the test slower, not wrong.
const WAIT = { timeout: 10_000, interval: 1 };
/** Waits until the next run is waiting at its gate in the runtime, and returns its release. */
async function nextGate(rt: { gates: Array<() => void> }): Promise<() => void> {
  await vi.waitFor(() => expect(rt.gates.length).toBeGreaterThan(0), WAIT);
  return rt.gates.shift()!;
}

afterEach(() => vi.restoreAllMocks());

describe('worker runtime', () => {
  function workerRuntimes(rt: ReturnType<typeof gatedRuntime>, log: string[] = [], webgpu = true) {
    const workers: FakeWorker[] = [];
    const inProcess = vi.fn(rt.factory);
    const runtimes = createInferenceRuntimes({
      mode: 'worker',
      workerSource: 'self.onmessage = () => {}',
      log: (m) => log.push(m),
      startWorker: () => {
        const w = new FakeWorker(rt.factory, false, webgpu);
        workers.push(w);
        return w;
      },
      inProcess,
    });
    return { runtimes, workers, inProcess };
  }

  it('creates the session in the worker: model bytes transferred, the ORT binary copied once', async () => {
    const rt = gatedRuntime();
    const { runtimes, workers, inProcess } = workerRuntimes(rt);
    const wasmBinary = new Uint8Array([1, 2, 3]);
    const bytes = new Uint8Array(4);
    const session = await runtimes.createRuntime({ backend: 'wasm', wasmBinary, numThreads: 1 }).createSession(manifest, bytes);
    expect(bytes.byteLength).toBe(0); // transferred, not copied
    expect(wasmBinary.byteLength).toBe(3); // the engine keeps its binary
    expect(rt.options[0]).toMatchObject({ backend: 'wasm', numThreads: 1 });
    expect([...(rt.options[0]!.wasmBinary as Uint8Array)]).toEqual([1, 2, 3]);
    expect(inProcess).not.toHaveBeenCalled();
    expect(runtimes.where()).toBe('worker');
    const input = new Float32Array(3 * SIZE * SIZE);
    const running = session.run(input);
    const release = await nextGate(rt);
    expect(input.byteLength).toBe(0);
    release();
    expect((await running)[0]).toBe(1);
    await runtimes.createRuntime({ backend: 'webgpu', wasmBinary, numThreads: 1 }).createSession(manifest, new Uint8Array(4));
    expect(rt.options[1]!.wasmBinary).toBe(rt.options[0]!.wasmBinary); // sent once, reused in the worker
    expect(workers).toHaveLength(1);
    runtimes.dispose();
    await vi.waitFor(() => expect(workers[0]!.terminated).toBe(true), WAIT);
  });

  it('cancel: run rejects at once, the worker finishes and its result is dropped, the next run waits for it', async () => {
    const rt = gatedRuntime();
    const { runtimes, workers } = workerRuntimes(rt);
    const session = await runtimes.createRuntime({ backend: 'wasm' }).createSession(manifest, new Uint8Array(4));
    const controller = new AbortController();
    const first = session.run(new Float32Array(3 * SIZE * SIZE), controller.signal);
    const releaseFirst = await nextGate(rt); // the run is in the runtime
    controller.abort();
    await expect(first).rejects.toSatisfy((e) => isCoreError(e, 'cancelled'));
    expect(workers[0]!.terminated).toBe(false);
    const second = session.run(new Float32Array(3 * SIZE * SIZE));
    // The worker has been given the second run while the cancelled one still runs …
    await vi.waitFor(() => expect(workers[0]!.handled.filter((k) => k === 'run')).toHaveLength(2), WAIT);
    releaseFirst(); // … the cancelled run ends; its output (1) is dropped
    const releaseSecond = await nextGate(rt);
    // … and the second started only after the first had ended (the worker was busy).
    expect(rt.events).toEqual(['start 1', 'end 1', 'start 2']);
    releaseSecond();
    expect((await second)[0]).toBe(2);
    runtimes.dispose();
  });

  it('disposing during a cancelled run stops the worker at once; the session release waiting behind the run resolves', async () => {
    const rt = gatedRuntime();
    const { runtimes, workers } = workerRuntimes(rt);
    const session = await runtimes.createRuntime({ backend: 'wasm' }).createSession(manifest, new Uint8Array(4));
    const controller = new AbortController();
    const run = session.run(new Float32Array(3 * SIZE * SIZE), controller.signal);
    await nextGate(rt); // the run is in the runtime (and is never released)
    controller.abort();
    await expect(run).rejects.toSatisfy((e) => isCoreError(e, 'cancelled'));
    const releasing = session.dispose();
    runtimes.dispose();
    await expect(releasing).resolves.toBeUndefined();
    expect(workers[0]!.terminated).toBe(true);
  });

  it('reports worker failures as CoreErrors with their codes; a stopped worker fails pending runs', async () => {
    const rt = gatedRuntime();
    const { runtimes } = workerRuntimes(rt);
    const session = await runtimes.createRuntime({ backend: 'webgpu' }).createSession(manifest, new Uint8Array(4));
    expect(session.backend).toBe('webgpu');
    rt.failNext = new CoreError('gpu_lost', 'Device was lost');
    const lost = session.run(new Float32Array(3 * SIZE * SIZE));
    (await nextGate(rt))();
    await expect(lost).rejects.toSatisfy((e) => isCoreError(e, 'gpu_lost') && (e as Error).message === 'Device was lost');
    rt.failNext = new TypeError('bug');
    const bug = session.run(new Float32Array(3 * SIZE * SIZE));
    (await nextGate(rt))();
    await expect(bug).rejects.toSatisfy((e) => isCoreError(e, 'inference_failed'));
    const pending = session.run(new Float32Array(3 * SIZE * SIZE));
    runtimes.dispose();
    await expect(pending).rejects.toSatisfy((e) => isCoreError(e, 'disposed'));
    await session.dispose(); // nothing left to release
  });

  it('falls back to the main thread, and says why, without Worker, when construction throws, or without a ping answer', async () => {
    const cases: Array<[string, Parameters<typeof createInferenceRuntimes>[0]['startWorker'], RegExp]> = [
      ['no Worker', null, /Worker is not available/],
      ['CSP', () => {
        throw new Error('Refused to create a worker (worker-src)');
      }, /could not be created \(Refused/],
      ['silent', () => new FakeWorker(gatedRuntime().factory, true), /did not answer within 50 ms/],
    ];
    const revoke = vi.spyOn(URL, 'revokeObjectURL');
    for (const [name, startWorker, reason] of cases) {
      const rt = gatedRuntime();
      const log: string[] = [];
      const inProcess = vi.fn(rt.factory);
      const runtimes = createInferenceRuntimes({ mode: 'worker', workerSource: 'x', log: (m) => log.push(m), startWorker, inProcess, startTimeoutMs: 50 });
      const session = await runtimes.createRuntime({ backend: 'wasm' }).createSession(manifest, new Uint8Array(4));
      expect(inProcess, name).toHaveBeenCalledTimes(1);
      expect(runtimes.where(), name).toBe('main-thread');
      expect(log.join('\n'), name).toMatch(reason);
      const out = session.run(new Float32Array(3 * SIZE * SIZE));
      (await nextGate(rt))();
      expect((await out)[0]).toBe(1);
      runtimes.dispose();
    }
    expect(revoke).toHaveBeenCalledTimes(2); // every Blob URL made was revoked
  });

  it('runs a WebGPU session on the main thread when the worker has no WebGPU (sandboxed srcdoc), WASM in the worker', async () => {
    const rt = gatedRuntime();
    const log: string[] = [];
    const { runtimes, workers, inProcess } = workerRuntimes(rt, log, false);
    const bytes = new Uint8Array(4);
    const gpu = await runtimes.createRuntime({ backend: 'webgpu' }).createSession(manifest, bytes);
    expect(gpu.backend).toBe('webgpu');
    expect(inProcess).toHaveBeenCalledTimes(1);
    expect(bytes.byteLength).toBe(4); // not sent to the worker
    expect(runtimes.where()).toBe('main-thread');
    expect(log.join('\n')).toMatch(/WebGPU is not available in the inference worker/);
    await runtimes.createRuntime({ backend: 'wasm' }).createSession(manifest, new Uint8Array(4));
    expect(runtimes.where()).toBe('worker');
    expect(workers[0]!.received).toEqual(['ping', 'create']);
    runtimes.dispose();
  });

  it("'main-thread' never starts a worker", async () => {
    const rt = gatedRuntime();
    const startWorker = vi.fn();
    const runtimes = createInferenceRuntimes({ mode: 'main-thread', workerSource: 'x', log: () => undefined, startWorker, inProcess: rt.factory });
    await runtimes.createRuntime({ backend: 'wasm' }).createSession(manifest, new Uint8Array(4));
    expect(startWorker).not.toHaveBeenCalled();
    expect(runtimes.where()).toBe('main-thread');
  });
});
