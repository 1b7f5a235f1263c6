/**
 * In-process endpoints (Canva: the app code and the frame share one document, and Canva's CSP
 * allows no nested frames). Delivery is asynchronous, like postMessage, so handlers never run
 * inside the sender's call. Objects are passed as they are, not copied: a sender must not mutate
 * a message (or its buffers) after sending it.
 */
import type { Endpoint } from './types.js';

export function createDirectPair(): [Endpoint, Endpoint] {
  const handlers: [Set<(raw: unknown) => void>, Set<(raw: unknown) => void>] = [new Set(), new Set()];
  const side = (self: 0 | 1): Endpoint => ({
    send(message) {
      const targets = handlers[self === 0 ? 1 : 0];
      queueMicrotask(() => {
        for (const handler of targets) handler(message);
      });
    },
    listen(handler) {
      handlers[self].add(handler);
      return () => handlers[self].delete(handler);
    },
  });
  return [side(0), side(1)];
}
