/**
 * Cutout for Photoshop: the panel's entry (index.html loads this bundle). UXP provides
 * `require('photoshop')` and `require('uxp')` (left external by the build); the panel registers with
 * `entrypoints.setup({panels: {'cutout.panel': {create, show, hide, destroy}}})` (hosts.md §2.1; lifecycle
 * promises must settle within 300 ms, so nothing slow happens in them — the page and the model are
 * prepared on the first Remove Background or Diagnostics).
 */
import type { FetchLike } from './download.js';
import { PANEL_MODEL } from './model-install.js';
import { PanelController } from './panel-controller.js';
import { PanelView } from './panel-view.js';
import type { Ps } from './ps-api.js';

/** Written by scripts/build.mjs: the model host (same normalisation as the Figma plugin's) and the pinned ORT .wasm. */
declare const __MODEL_BASE__: string;
declare const __ORT_WASM__: { readonly file: string; readonly bytes: number; readonly sha256: string };
declare const __ORT_WASM_PLAIN__: { readonly file: string; readonly bytes: number; readonly sha256: string };
declare const __PLUGIN_VERSION__: string;
/** UXP's global require (hosts.md §2.1); the bundle leaves these two modules to it. */
declare const require: { (id: 'photoshop'): typeof import('photoshop'); (id: 'uxp'): typeof import('uxp') };

const photoshop = require('photoshop');
const { entrypoints, storage } = require('uxp');

const log = (message: string): void => console.warn(`[cutout] ${message}`);

let controller: PanelController | null = null;

function start(rootNode: HTMLElement): PanelController {
  const doc = rootNode.ownerDocument;
  const win = doc.defaultView ?? window;
  return new PanelController({
    ps: photoshop as unknown as Ps,
    storage,
    fetch: ((url: string) => fetch(url)) as unknown as FetchLike,
    view: new PanelView(doc),
    window: win,
    install: { modelBase: __MODEL_BASE__, modelId: PANEL_MODEL, ortWasm: [__ORT_WASM__, __ORT_WASM_PLAIN__] },
    about: { plugin: `cutout.photoshop ${__PLUGIN_VERSION__}`, host: (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent ?? 'Photoshop' },
    log,
  });
}

entrypoints.setup({
  panels: {
    'cutout.panel': {
      create(rootNode) {
        controller ??= start(rootNode);
      },
      show(rootNode) {
        controller ??= start(rootNode);
        controller.show();
      },
      hide() {
        controller?.hide();
      },
      destroy() {
        controller?.hide(true);
        controller = null;
      },
    },
  },
});
