/**
 * The panel's end of the `<webview>` bridge (notes §3): the plugin sends with
 * `webview.postMessage(message)`; the page answers with `window.uxpHost.postMessage(message)`, which
 * arrives as a `message` event — on `window` (WV L164-212) or on the `<webview>` element (BOLT) — with the
 * payload in `event.data`, or in `event.message` in some hosts (public plugin code, notes §3). We listen on
 * both and latch onto the first that delivers, so a message seen on both (a bubbling event, or two
 * events) is taken once. Encoding and chunking are @cutout/protocol's webview-json transport: every
 * Uint8Array crosses as base64 text, never as a raw typed array ("the message is stringified & parsed by
 * JSON", WV L178-180).
 */
import { createWebviewEndpoint, type HostEndpoint, type Logger, type WebviewPort } from '@cutout/protocol';

type Listener = (event: { data: unknown }) => void;

export interface MessageSource {
  addEventListener(type: 'message', listener: (event: Event) => void): void;
  removeEventListener(type: 'message', listener: (event: Event) => void): void;
}

export interface WebviewLike extends MessageSource {
  postMessage(message: unknown): void;
}

/** The payload of a bridge event: `data`, else `message` (notes §3: "treat the event shape defensively"). */
export function payloadOf(event: unknown): unknown {
  if (typeof event !== 'object' || event === null) return undefined;
  const e = event as { data?: unknown; message?: unknown };
  return e.data !== undefined && e.data !== null ? e.data : e.message;
}

/**
 * A WebviewPort whose message target merges the webview element and the window: the first source to
 * deliver is used from then on; the other is ignored (one event may reach both).
 */
function panelPort(webview: WebviewLike, win: MessageSource): WebviewPort {
  let latched: MessageSource | null = null;
  const wrapped = new Map<Listener, Array<[MessageSource, (event: Event) => void]>>();
  return {
    send: (message) => webview.postMessage(message),
    target: {
      addEventListener(_type, listener) {
        const pairs: Array<[MessageSource, (event: Event) => void]> = [webview, win].map((source) => [
          source,
          (event: Event) => {
            latched ??= source;
            if (latched === source) listener({ data: payloadOf(event) });
          },
        ]);
        for (const [source, l] of pairs) source.addEventListener('message', l);
        wrapped.set(listener, pairs);
      },
      removeEventListener(_type, listener) {
        for (const [source, l] of wrapped.get(listener) ?? []) source.removeEventListener('message', l);
        wrapped.delete(listener);
      },
    },
  };
}

export function createPanelEndpoint(webview: WebviewLike, win: MessageSource, log?: Logger): HostEndpoint {
  return createWebviewEndpoint(panelPort(webview, win), log ? { log } : {});
}
