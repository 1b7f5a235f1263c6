/**
 * The panel side of the Photoshop webview bridge for tests that drive the built frame page directly
 * (no plugin): the protocol's webview endpoint over a WebviewPage of the harness. Messages from the
 * page arrive as `message` events with `data`, as in the panel (photoshop-notes §3).
 */
import { createWebviewEndpoint, type HostEndpoint, type HostMessage } from '@cutout/protocol';
import type { WebviewPage } from '@cutout/tools-browser';

export function panelEndpoint(webview: WebviewPage, chunkChars?: number): HostEndpoint {
  const target = new EventTarget();
  const endpoint = createWebviewEndpoint<HostMessage>(
    {
      send: (message) => void webview.postToPage(message),
      target: target as unknown as Parameters<typeof createWebviewEndpoint>[0]['target'],
    },
    chunkChars === undefined ? {} : { chunkChars },
  );
  return {
    send: (message) => endpoint.send(message),
    // Subscribe to the page only once the client listens, so the frame's early `ready` is not lost.
    listen(handler) {
      const stop = endpoint.listen(handler);
      const unsubscribe = webview.onMessage((data) => target.dispatchEvent(Object.assign(new Event('message'), { data })));
      return () => {
        unsubscribe();
        stop();
      };
    },
  };
}
