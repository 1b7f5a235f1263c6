/**
 * Cooperative scheduling for long loops: `tick()` checks the AbortSignal (throws CoreError
 * 'cancelled') and, when more than `sliceMs` has passed since the last yield, awaits a macrotask
 * so a browser frame (or Node's event loop, e.g. an abort timer) can run. Cheap enough to call per
 * row or per solver iteration.
 */
import { throwIfAborted } from '../errors.js';

export interface Yielder {
  tick(): Promise<void>;
  /** Check the signal only (synchronous). */
  check(): void;
}

type Env = {
  setImmediate?: (fn: () => void) => unknown;
  MessageChannel?: new () => { port1: { onmessage: (() => void) | null; close(): void }; port2: { postMessage(v: unknown): void } };
};

/**
 * The cheapest way the engine offers to let other tasks run: `setImmediate` (Node), a
 * MessageChannel task (browsers), `setTimeout` last — nested timeouts are clamped to ≥ 4 ms in
 * browsers and 1 ms in Node, which at one yield per slice cost up to a third of the time.
 * Not `scheduler.yield()`: its continuation runs ahead of queued tasks, so a host's cancel
 * message would wait for the whole job (the frame's cancel test caught that).
 */
function pickMacrotask(): () => Promise<void> {
  const env = globalThis as unknown as Env;
  const immediate = env.setImmediate;
  if (typeof immediate === 'function') return () => new Promise((resolve) => void immediate(resolve));
  if (typeof env.MessageChannel === 'function') {
    const Channel = env.MessageChannel;
    return () =>
      new Promise((resolve) => {
        const { port1, port2 } = new Channel();
        // Closed after use: a port with a handler stays alive until closed, so open ones would
        // pile up over a long job.
        port1.onmessage = () => {
          port1.close();
          resolve();
        };
        port2.postMessage(null);
      });
  }
  return () => new Promise((resolve) => setTimeout(resolve, 0));
}

export function createYielder(signal: AbortSignal | undefined, sliceMs = 12): Yielder {
  const macrotask = pickMacrotask();
  let last = performance.now();
  return {
    async tick() {
      throwIfAborted(signal);
      const now = performance.now();
      if (now - last >= sliceMs) {
        await macrotask();
        last = performance.now();
        throwIfAborted(signal);
      }
    },
    check() {
      throwIfAborted(signal);
    },
  };
}
