/**
 * In-process endpoints (Canva: the app code and the frame share one document, and Canva's CSP
 * allows no nested frames). Delivery is asynchronous (a microtask), like postMessage, so handlers
 * never run inside the sender's call and re-entrant sends queue behind the current one.
 *
 * Messages are passed as they are, NOT copied: the sender must not mutate a message (or its
 * buffers) after sending it. The receiver still validates it, which yields fresh objects.
 * A handler that throws does not stop the others; its error goes to `log` when one is given, else
 * it is rethrown in a microtask of its own, so it is reported like an exception in an event
 * listener. A message sent while the other side has no handler is lost, as with postMessage.
 */
import type { FrameMessage, HostMessage } from '../messages.js';
import type { Endpoint, FrameEndpoint, HostEndpoint, Logger } from './types.js';

type Handler = (raw: unknown) => void;

function deliver(handlers: Set<Handler>, message: unknown, log: Logger | undefined): void {
  // As with EventTarget: a handler added during delivery waits for the next message, and one
  // removed by an earlier handler is not called.
  for (const handler of [...handlers]) {
    if (!handlers.has(handler)) continue;
    try {
      handler(message);
    } catch (e) {
      if (log) log('a message handler threw', e);
      else
        queueMicrotask(() => {
          throw e;
        });
    }
  }
}

/** [the host's endpoint, the frame's endpoint]. */
export function createDirectPair(log?: Logger): [HostEndpoint, FrameEndpoint] {
  const handlers: [Set<Handler>, Set<Handler>] = [new Set(), new Set()];
  const side = <Out extends HostMessage | FrameMessage>(self: 0 | 1): Endpoint<Out> => ({
    send(message) {
      const targets = handlers[self === 0 ? 1 : 0];
      queueMicrotask(() => deliver(targets, message, log));
    },
    listen(handler) {
      // A wrapper per call, so listening twice with one function delivers twice and each stop
      // function removes only its own registration.
      const registration: Handler = (raw) => handler(raw);
      handlers[self].add(registration);
      return () => void handlers[self].delete(registration);
    },
  });
  return [side<HostMessage>(0), side<FrameMessage>(1)];
}
