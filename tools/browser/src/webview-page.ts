/**
 * The Photoshop `<webview>` page in headless Chromium, behind a bridge that behaves as UXP's does
 * (photoshop-notes §3, source WV): the page sends with `window.uxpHost.postMessage(message)`, the
 * plugin's messages arrive as `message` events on the page's window with `event.data`, and every
 * message in either direction is stringified and parsed as JSON on the way ("the message is
 * stringified & parsed by JSON"; `transfer` is not functional). The plugin side is whatever the
 * test connects: the fake `<webview>` element of the Photoshop fakes, or a test's own client.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';

export interface WebviewPage {
  readonly page: Page;
  /** Delivers a plugin → page message (JSON round trip, then a window `message` event). */
  postToPage(message: unknown): Promise<void>;
  /** Every page → plugin message, already JSON round-tripped. Returns an unsubscribe function. */
  onMessage(handler: (message: unknown) => void): () => void;
  /** JSON characters that crossed, per direction. */
  readonly bytes: { toPage: number; toPlugin: number };
  /** URLs refused by `refuse`, in order. */
  readonly refused: string[];
  close(): Promise<void>;
}

export interface WebviewPageOptions {
  /** The page's URL on the harness server (http://127.0.0.1:…, a secure origin). */
  readonly url: string;
  readonly viewport?: { width: number; height: number };
  /**
   * Requests refused as a WebView might refuse them (the notes leave open whether a local page may
   * fetch its sibling files): `fetch` refuses fetch/XHR requests whose URL matches, `script` refuses
   * <script src> loads whose URL matches. Counted in `refused`.
   */
  readonly refuse?: { readonly fetch?: RegExp; readonly script?: RegExp };
}

const BINDING = '__cutoutUxpHostPost';

export async function openWebviewPage(browser: Browser, options: WebviewPageOptions): Promise<WebviewPage> {
  const context: BrowserContext = await browser.newContext({ viewport: options.viewport ?? { width: 360, height: 480 } });
  const handlers = new Set<(message: unknown) => void>();
  // Messages sent before the test subscribes (the frame's `ready` at boot) wait for the first handler.
  const early: unknown[] = [];
  const bytes = { toPage: 0, toPlugin: 0 };
  // The binding receives the page's message as JSON text: what UXP's bridge does to every message.
  await context.exposeBinding(BINDING, (_source, text: string) => {
    bytes.toPlugin += text.length;
    const message: unknown = JSON.parse(text);
    if (handlers.size === 0) early.push(message);
    for (const handler of handlers) handler(message);
  });
  await context.addInitScript((binding: string) => {
    const post = (text: string): void => void (window as unknown as Record<string, (text: string) => Promise<void>>)[binding]?.(text);
    Object.defineProperty(window, 'uxpHost', {
      value: Object.freeze({ postMessage: (message: unknown) => post(JSON.stringify(message)) }),
      configurable: false,
    });
  }, BINDING);
  const refused: string[] = [];
  const { fetch: refuseFetch, script: refuseScript } = options.refuse ?? {};
  if (refuseFetch || refuseScript) {
    await context.route('**/*', async (route) => {
      const request = route.request();
      const type = request.resourceType();
      const url = request.url();
      const refuse = ((type === 'fetch' || type === 'xhr') && refuseFetch?.test(url)) || (type === 'script' && refuseScript?.test(url));
      if (!refuse) return route.continue();
      refused.push(url);
      return route.abort('accessdenied');
    });
  }
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' || process.env['CUTOUT_BROWSER_LOG']) console.log(`[webview ${m.type()}] ${m.text()}`);
  });
  await page.goto(options.url);
  return {
    page,
    bytes,
    refused,
    async postToPage(message) {
      const text = JSON.stringify(message);
      bytes.toPage += text.length;
      await page.evaluate((t) => {
        window.dispatchEvent(new MessageEvent('message', { data: JSON.parse(t) as unknown }));
      }, text);
    },
    onMessage(handler) {
      handlers.add(handler);
      for (const message of early.splice(0)) handler(message);
      return () => handlers.delete(handler);
    },
    async close() {
      await context.close();
    },
  };
}
