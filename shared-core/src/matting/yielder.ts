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

const macrotask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

export function createYielder(signal: AbortSignal | undefined, sliceMs = 12): Yielder {
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
