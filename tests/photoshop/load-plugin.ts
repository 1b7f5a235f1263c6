/**
 * Loads a BUILT UXP plugin the way Photoshop does for a panel (hosts.md §2.1; the contract in the issue):
 * a happy-dom Window from `distDir/index.html` (its `<script src>` files are not fetched), then
 * `distDir/main.js` evaluated inside that window with a global `require` answering 'photoshop' and 'uxp'
 * with the fakes (and `module`/`exports` for a CommonJS bundle) — never through Node's module system.
 * Every `<webview>` in the panel, present at load or added later, is wired to the bridge fake.
 * Panel lifecycle calls go through FakeUxp.invokePanel (300 ms promise limit) with the panel's body as
 * `rootNode`.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Window } from 'happy-dom';
import type { FakePhotoshopModule } from './fake-photoshop.js';
import type { FakeUxp, PanelMethod } from './fake-uxp.js';
import { FakeWebviewBridge } from './fake-webview.js';

export interface LoadPluginOptions {
  readonly distDir: string;
  /** What `require('photoshop')` returns (FakePhotoshop.module). */
  readonly photoshop: FakePhotoshopModule;
  readonly uxp: FakeUxp;
  /** Default: a new FakeWebviewBridge. */
  readonly bridge?: FakeWebviewBridge;
  /** The panel id in `entrypoints.setup({panels})` (default 'cutout.panel'). */
  readonly panelId?: string;
  /** Extra globals set on the window before main.js runs (e.g. a `fetch` stub). */
  readonly globals?: Record<string, unknown>;
}

export interface LoadedPlugin {
  readonly window: Window;
  readonly document: Window['document'];
  readonly bridge: FakeWebviewBridge;
  readonly uxp: FakeUxp;
  /** The panel's lifecycle, as Photoshop calls it (rootNode = the panel's body). */
  readonly panel: Record<PanelMethod, () => Promise<void>>;
  /** Errors raised in the window (uncaught in listeners, timers), for assertions. */
  readonly errors: unknown[];
  runCommand(id: string, event?: unknown): Promise<unknown>;
  close(): Promise<void>;
}

export async function loadBuiltPlugin(o: LoadPluginOptions): Promise<LoadedPlugin> {
  const html = await readFile(join(o.distDir, 'index.html'), 'utf8');
  const code = await readFile(join(o.distDir, 'main.js'), 'utf8');
  const window = new Window({
    url: 'https://plugin.invalid/index.html',
    settings: { enableJavaScriptEvaluation: true, disableJavaScriptFileLoading: true, handleDisabledFileLoadingAsSuccess: true, suppressInsecureJavaScriptEnvironmentWarning: true },
  });
  const bridge = o.bridge ?? new FakeWebviewBridge();
  const errors: unknown[] = [];
  window.addEventListener('error', (e) => errors.push((e as unknown as { error?: unknown }).error ?? e));
  window.document.write(html);

  const wire = (root: { querySelectorAll(s: string): ArrayLike<object> }): void => {
    for (const el of Array.from(root.querySelectorAll('webview'))) if (bridge.element !== el) bridge.attachWebview(el);
  };
  wire(window.document);
  new window.MutationObserver(() => wire(window.document)).observe(window.document.body, { childList: true, subtree: true });

  const modules: Record<string, unknown> = { photoshop: o.photoshop, uxp: o.uxp.module };
  const g = window as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(o.globals ?? {})) g[k] = v;
  g.require = (name: string): unknown => {
    if (name in modules) return modules[name];
    throw new Error(`require('${name}'): not available in the UXP fake (only 'photoshop' and 'uxp')`);
  };
  const module = { exports: {} };
  g.module = module;
  g.exports = module.exports;
  window.eval(code);

  const panelId = o.panelId ?? 'cutout.panel';
  const call = (m: PanelMethod) => () => o.uxp.invokePanel(panelId, m, window.document.body);
  return {
    window,
    document: window.document,
    bridge,
    uxp: o.uxp,
    panel: { create: call('create'), show: call('show'), hide: call('hide'), destroy: call('destroy') },
    errors,
    runCommand: (id, event) => o.uxp.runCommand(id, event),
    close: async () => {
      await window.happyDOM.abort();
      await window.happyDOM.close();
    },
  };
}
