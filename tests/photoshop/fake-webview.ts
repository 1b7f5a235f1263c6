/**
 * The UXP `<webview>` message bridge (WV L164-212, notes §3):
 *  - plugin → page: `webviewElement.postMessage(message, targetOrigin?, transfer?)`; the page receives a
 *    `message` event whose `origin` is the plugin id and `source` is `window.uxpHost`;
 *  - page → plugin: `window.uxpHost.postMessage(message)`; the plugin receives `message` events. Where
 *    is not settled (notes §3: WV listens on `window`, BOLT on the `<webview>` element), so `deliverTo`
 *    picks: 'bubble' (default: ONE event dispatched on the element that bubbles to the window, so a
 *    listener on each sees the same Event object), 'element', 'window', or 'both' (two distinct events);
 *  - "the message is stringified & parsed by JSON" and `transfer` is "not functional yet" (WV L178-180):
 *    EVERY message is `JSON.parse(JSON.stringify(message))` both ways, so a Uint8Array arrives as
 *    `{"0":…,"1":…}`. Raw typed arrays / ArrayBuffers handed to the bridge are recorded in
 *    `rawTypedArraysSeen` (a test asserts it stays empty), and the JSON text length is counted per direction.
 *  - Delivery is a task (setTimeout 0); a message with no listener on the other side is dropped and counted.
 * The fake's choices: the event carries `data` (`eventShape: 'message'` moves it to `event.message`,
 * notes §3 "treat the event shape defensively"); `undefined` crosses as `undefined`.
 */

export interface RawTypedArray {
  readonly direction: 'toPage' | 'toPlugin';
  readonly path: string;
  readonly type: string;
}

export interface PageMessageEvent {
  readonly data: unknown;
  readonly origin: string;
  readonly source: unknown;
}

type Listener = (event: { data: unknown }) => void;

/** The page side: what `window.uxpHost` and the page window's `message` events do in the webview. */
export interface WebviewPage {
  /** `window.uxpHost.postMessage(message)` in the page. */
  postToPlugin(message: unknown): void;
  /** Messages from the plugin (already JSON round-tripped); returns an unsubscribe function. */
  onMessage(handler: (data: unknown, event: PageMessageEvent) => void): () => void;
  /** The same two as a `WebviewPort` (send + message target) for `createWebviewEndpoint` in the page role. */
  readonly port: { send(message: unknown): void; target: { addEventListener(type: 'message', l: Listener): void; removeEventListener(type: 'message', l: Listener): void } };
}

export interface WebviewBridgeOptions {
  readonly pluginId?: string;
  /** Where page messages are dispatched in the panel (default both). */
  readonly deliverTo?: 'bubble' | 'both' | 'element' | 'window';
  readonly eventShape?: 'data' | 'message';
}

interface Dispatcher {
  dispatchEvent(event: Event): boolean;
}
interface PanelElement extends Dispatcher {
  ownerDocument: { defaultView: (Dispatcher & { MessageEvent: typeof MessageEvent }) | null } | null;
}

function findRawTypedArrays(value: unknown, path = '$', out: Array<{ path: string; type: string }> = [], seen = new Set<object>()): Array<{ path: string; type: string }> {
  if (value === null || typeof value !== 'object') return out;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer || Object.prototype.toString.call(value) === '[object ArrayBuffer]') {
    out.push({ path, type: Object.prototype.toString.call(value).slice(8, -1) });
    return out;
  }
  if (seen.has(value)) return out;
  seen.add(value);
  for (const [k, v] of Object.entries(value)) findRawTypedArrays(v, Array.isArray(value) ? `${path}[${k}]` : `${path}.${k}`, out, seen);
  return out;
}

export class FakeWebviewBridge {
  readonly rawTypedArraysSeen: RawTypedArray[] = [];
  /** JSON text length (characters) that crossed, per direction. */
  readonly bytes = { toPage: 0, toPlugin: 0 };
  readonly messages = { toPage: 0, toPlugin: 0 };
  readonly dropped = { toPage: 0, toPlugin: 0 };
  /** The element's `src` and the `targetOrigin`s the plugin passed, for assertions. */
  readonly targetOrigins: Array<string | undefined> = [];
  element: PanelElement | null = null;
  readonly page: WebviewPage;
  private readonly pageHandlers = new Set<(data: unknown, event: PageMessageEvent) => void>();
  private readonly pluginId: string;

  constructor(private readonly options: WebviewBridgeOptions = {}) {
    this.pluginId = options.pluginId ?? 'cutout.plugin';
    const listeners = new Map<Listener, () => void>();
    this.page = {
      postToPlugin: (m) => this.toPlugin(m),
      onMessage: (h) => {
        this.pageHandlers.add(h);
        return () => this.pageHandlers.delete(h);
      },
      port: {
        send: (m) => this.toPlugin(m),
        target: {
          addEventListener: (_type, l) => listeners.set(l, this.page.onMessage((data) => l({ data }))),
          removeEventListener: (_type, l) => {
            listeners.get(l)?.();
            listeners.delete(l);
          },
        },
      },
    };
  }

  /** Gives a panel `<webview>` element its `postMessage` (plugin → page). */
  attachWebview(element: object): void {
    const el = element as PanelElement & { postMessage?: unknown };
    this.element = el;
    Object.defineProperty(el, 'postMessage', {
      configurable: true,
      value: (message: unknown, targetOrigin?: string, _transfer?: unknown) => {
        this.targetOrigins.push(targetOrigin);
        const data = this.roundTrip(message, 'toPage');
        setTimeout(() => {
          if (this.pageHandlers.size === 0) this.dropped.toPage++;
          const event: PageMessageEvent = { data, origin: this.pluginId, source: 'uxpHost' };
          for (const h of [...this.pageHandlers]) h(data, event);
        }, 0);
      },
    });
  }

  private toPlugin(message: unknown): void {
    const data = this.roundTrip(message, 'toPlugin');
    setTimeout(() => {
      const el = this.element;
      const win = el?.ownerDocument?.defaultView;
      if (!el || !win) {
        this.dropped.toPlugin++;
        return;
      }
      const to = this.options.deliverTo ?? 'bubble';
      const make = (): Event => {
        const init = this.options.eventShape === 'message' ? {} : { data };
        const ev = new win.MessageEvent('message', { ...init, origin: 'plugin:/webview', bubbles: to === 'bubble' });
        if (this.options.eventShape === 'message') Object.defineProperty(ev, 'message', { value: data });
        return ev as unknown as Event;
      };
      if (to !== 'window') el.dispatchEvent(make());
      if (to === 'window' || to === 'both') win.dispatchEvent(make());
    }, 0);
  }

  private roundTrip(message: unknown, direction: 'toPage' | 'toPlugin'): unknown {
    for (const raw of findRawTypedArrays(message)) this.rawTypedArraysSeen.push({ direction, ...raw });
    const text = JSON.stringify(message);
    this.messages[direction]++;
    if (text === undefined) return undefined;
    this.bytes[direction] += text.length;
    return JSON.parse(text);
  }
}
