/**
 * The BUILT Photoshop panel driven as a user drives it: photoshop-uxp/dist loaded with the fakes
 * (loadBuiltPlugin), the panel created and shown, buttons clicked, the inline confirm answered, and a
 * run awaited until the Remove button is enabled again. When the panel creates its `<webview>`, the
 * driver connects it to a page through `openPage` (the built frame in Chromium: chromium-pages.ts);
 * without one, a panel that reaches for the page is recorded (`webviews`) and left unanswered, which is
 * what a "refused before the page" test asserts against. One driver serves many cases: each arranges
 * its own document in the shared FakePhotoshop. `onRequest(method, fn)` runs `fn` as a plugin → page
 * request crosses the bridge (before the page sees it): the moment to delete a layer, press Cancel or
 * close the panel "during the run".
 */
import type { FakePhotoshop, FakePhotoshopModule } from './fake-photoshop.js';
import type { FakeUxp } from './fake-uxp.js';
import { FakeWebviewBridge } from './fake-webview.js';
import { loadBuiltPlugin, type LoadedPlugin } from './load-plugin.js';

/** The page end of the bridge, e.g. @cutout/tools-browser's WebviewPage. */
export interface PageLink {
  postToPage(message: unknown): Promise<void>;
  onMessage(handler: (message: unknown) => void): () => void;
  close(): Promise<void>;
}

/** Opens the page for a `<webview src>` the panel created (e.g. 'plugin-data:/webview/frame.html'). */
export type PageOpener = (src: string) => Promise<PageLink>;

export interface PanelDriverOptions {
  /** index.html + main.js to load (the built dist, or a copy with the model host rewritten). */
  readonly distDir: string;
  readonly ps: FakePhotoshop;
  /** Its pluginDir must hold webview/frame.html (the real dist). */
  readonly uxp: FakeUxp;
  /** What `require('photoshop')` returns (default ps.module; ps-taps.ts gives a tapped one). */
  readonly photoshop?: FakePhotoshopModule;
  /** The panel's `fetch` (UXP's network). Default: refused, and recorded in `fetched`. */
  readonly fetch?: (url: string) => Promise<Response>;
  readonly openPage?: PageOpener;
}

export interface RunOptions {
  /** Answer the inline confirm ("… already has a layer mask. Replace it?") when it shows. */
  readonly confirm?: 'replace' | 'cancel';
  readonly timeoutMs?: number;
}

export interface RunEnd {
  readonly status: string;
  /** The status is shown as an error (data-error="true"). */
  readonly error: boolean;
  readonly ms: number;
  /** The confirm's text, when it was shown during the run. */
  readonly asked: string | null;
}

interface Widget {
  click(): void;
  hasAttribute(name: string): boolean;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
  querySelectorAll(selector: string): ArrayLike<Widget>;
  dispatchEvent(event: unknown): boolean;
  textContent: string | null;
  hidden: boolean;
  value?: unknown;
}

const REQUEST_METHOD = /^\{"v":\d+,"kind":"request","id":"[^"]*","method":"(\w+)"/;

/** The method of a plugin → page request as it crosses (a plain request, or the first chunk of a long one). */
function methodOf(message: unknown): string | null {
  const m = message as { kind?: unknown; method?: unknown; $chunk?: { seq?: unknown; text?: unknown } } | null;
  if (m?.kind === 'request' && typeof m.method === 'string') return m.method;
  if (m?.kind === 'cancel') return 'cancel';
  const chunk = m?.$chunk;
  if (chunk?.seq === 0 && typeof chunk.text === 'string') return REQUEST_METHOD.exec(chunk.text)?.[1] ?? null;
  return null;
}

export class PanelDriver {
  /** Requests (by method) and cancels the panel sent to the page, in order. */
  readonly requests: string[] = [];
  /** How many `<webview>` elements the panel created. */
  webviews = 0;
  private link: Promise<PageLink> | null = null;
  private element: unknown = null;
  private readonly pending: unknown[] = [];
  private readonly hooks = new Map<string, Array<() => void>>();
  private readonly off: Array<() => void> = [];

  private constructor(
    readonly plugin: LoadedPlugin,
    readonly bridge: FakeWebviewBridge,
    /** URLs the panel fetched (UXP's network). */
    readonly fetched: readonly string[],
    private readonly o: PanelDriverOptions,
  ) {}

  static async open(o: PanelDriverOptions): Promise<PanelDriver> {
    const bridge = new FakeWebviewBridge({});
    const fetched: string[] = [];
    const pluginFetch = (url: string): Promise<Response> => {
      fetched.push(url);
      return o.fetch ? o.fetch(url) : Promise.reject(new TypeError(`fetch ${url}: no network in this test`));
    };
    const plugin = await loadBuiltPlugin({ distDir: o.distDir, photoshop: o.photoshop ?? o.ps.module, uxp: o.uxp, bridge, globals: { fetch: pluginFetch } });
    const d = new PanelDriver(plugin, bridge, fetched, o);
    d.off.push(bridge.page.onMessage((m) => d.toPage(m)));
    new plugin.window.MutationObserver(() => d.watch()).observe(plugin.document.body, { childList: true, subtree: true });
    await plugin.panel.create();
    await plugin.panel.show();
    return d;
  }

  el(id: string): Widget {
    const e = this.plugin.document.getElementById(id) as unknown as Widget | null;
    if (!e) throw new Error(`#${id} is not in the panel`);
    return e;
  }
  status(): string {
    return this.el('status').textContent ?? '';
  }
  enabled(id: string): boolean {
    return !this.el(id).hasAttribute('disabled');
  }

  /** Chooses an output as the user does in the sp-radio-group (its change event's target carries `value`). */
  setOutput(value: 'mask' | 'layer' | 'selection'): void {
    const group = this.el('output');
    for (const r of Array.from(group.querySelectorAll('sp-radio'))) {
      if (r.getAttribute('value') === value) r.setAttribute('checked', '');
      else r.removeAttribute('checked');
    }
    group.value = value;
    group.dispatchEvent(new this.plugin.window.Event('change', { bubbles: true }));
  }

  /** Runs `fn` each time a request of `method` ('remove', 'preload', … or 'cancel') crosses to the page. */
  onRequest(method: string, fn: () => void): () => void {
    const list = this.hooks.get(method) ?? [];
    list.push(fn);
    this.hooks.set(method, list);
    return () => list.splice(list.indexOf(fn), 1);
  }

  /** Clicks `button` and waits until the Remove button is enabled again (the run ended). */
  async run(button: 'remove' | 'refine' | 'diagnostics' = 'remove', options: RunOptions = {}): Promise<RunEnd> {
    if (!this.enabled(button)) throw new Error(`#${button} is disabled; status: ${this.status()}`);
    const t0 = Date.now();
    let asked: string | null = null;
    this.el(button).click();
    const deadline = t0 + (options.timeoutMs ?? 240_000);
    while (!this.enabled('remove')) {
      if (!this.el('confirm').hidden && asked === null) {
        asked = this.el('confirm-text').textContent ?? '';
        if (options.confirm) this.el(options.confirm === 'replace' ? 'confirm-replace' : 'confirm-cancel').click();
      }
      if (Date.now() > deadline) throw new Error(`the run did not end within ${options.timeoutMs ?? 240_000} ms; status: ${this.status()}; webviews: ${this.webviews}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return { status: this.status(), error: this.el('status').getAttribute('data-error') === 'true', ms: Date.now() - t0, asked };
  }

  hide(): Promise<void> {
    return this.plugin.panel.hide();
  }
  show(): Promise<void> {
    return this.plugin.panel.show();
  }
  destroy(): Promise<void> {
    return this.plugin.panel.destroy();
  }

  async close(): Promise<void> {
    for (const u of this.off.splice(0)) u();
    await this.plugin.panel.destroy().catch(() => undefined);
    await this.plugin.close();
    await this.link?.then((l) => l.close()).catch(() => undefined);
  }

  /** A new `<webview>` in the panel: the old page (if any) is closed and the new one opened. */
  private watch(): void {
    const el = this.plugin.document.querySelector('webview') as unknown as Widget | null;
    if (!el || el === this.element) return;
    this.element = el;
    this.webviews++;
    const old = this.link;
    this.link = null;
    void old?.then((l) => l.close()).catch(() => undefined);
    const open = this.o.openPage;
    if (!open) return;
    const src = el.getAttribute('src') ?? '';
    const link = open(src).then((l) => {
      this.off.push(
        l.onMessage((m) => {
          if (this.element === el) this.bridge.page.postToPlugin(m);
        }),
      );
      for (const m of this.pending.splice(0)) void l.postToPage(m);
      return l;
    });
    this.link = link;
  }

  private toPage(message: unknown): void {
    const method = methodOf(message);
    if (method) {
      this.requests.push(method);
      for (const fn of [...(this.hooks.get(method) ?? [])]) fn();
    }
    if (this.link) void this.link.then((l) => l.postToPage(message)).catch(() => undefined);
    else this.pending.push(message);
  }
}
