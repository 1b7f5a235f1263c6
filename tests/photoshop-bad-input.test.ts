/**
 * Bad input, through the BUILT Photoshop panel as a user meets it (photoshop-uxp/dist in happy-dom,
 * the fakes of tests/photoshop): every case here is refused before the inference page is needed, so
 * no Chromium and no model. For each: the exact message in #status (naming the layer and the reason),
 * the document unchanged (history, layers, masks, selection: doc-state.ts), no image data left
 * undisposed, no uncaught error, Remove enabled again, and the page never opened (no `<webview>`, no
 * download). Targets and reasons: photoshop-uxp/src/targets.ts; the confirm: panel-view.ts.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakePhotoshop } from './photoshop/fake-photoshop.js';
import type { FakeDocument, FakeLayer } from './photoshop/fake-ps-document.js';
import { FakeUxp } from './photoshop/fake-uxp.js';
import { docState, type DocState } from './photoshop/doc-state.js';
import { PanelDriver } from './photoshop/panel-driver.js';
import { ROOT } from './helpers/paths.js';
import { need } from './helpers/require.js';

const DIST = join(ROOT, 'photoshop-uxp', 'dist');
const RUN = need({ built: [join(DIST, 'main.js'), join(DIST, 'index.html')] });

const image = (w: number, h: number, a = 255) => ({ width: w, height: h, data: new Uint8Array(w * h * 4).map((_, i) => (i % 4 === 3 ? a : (i * 13) % 256)) });

describe.skipIf(!RUN)('Photoshop panel: bad input refused before the page (built main.js, fakes)', () => {
  const ps = new FakePhotoshop({});
  let uxp: FakeUxp;
  let panel: PanelDriver;

  beforeAll(async () => {
    uxp = new FakeUxp({ pluginDir: DIST });
    panel = await PanelDriver.open({ distDir: DIST, ps, uxp });
  });
  afterAll(async () => {
    await panel?.close();
    uxp?.dispose();
  });
  beforeEach(() => panel.setOutput('mask'));

  /** Clicks `button`, expects `status` (an error unless `error: false`), and that nothing changed anywhere. */
  async function refused(doc: FakeDocument | null, status: string, o: { button?: 'remove' | 'refine'; error?: boolean; confirm?: 'cancel' } = {}): Promise<string | null> {
    const before: DocState | null = doc ? docState(doc) : null;
    const end = await panel.run(o.button ?? 'remove', { timeoutMs: 10_000, ...(o.confirm ? { confirm: o.confirm } : {}) });
    expect(end.status).toBe(status);
    expect(end.error).toBe(o.error ?? true);
    if (doc) expect(docState(doc)).toEqual(before);
    expect(ps.registry.undisposed).toBe(0);
    expect(ps.modal.historyLog).toEqual([]);
    expect(panel.plugin.errors).toEqual([]);
    expect([panel.enabled('remove'), panel.enabled('refine'), panel.enabled('cancel')]).toEqual([true, true, false]);
    // Never reached for the page: no <webview>, no download, nothing on the bridge.
    expect([panel.webviews, panel.fetched.length, panel.requests.length]).toEqual([0, 0, 0]);
    return end.asked;
  }

  /** A document with one pixel layer named `name` (selected). */
  function photo(name: string, o: { depth?: 8 | 16 | 32; mode?: 'indexedColorMode' | 'bitmapMode' | 'CMYKColorMode' } = {}): { doc: FakeDocument; layer: FakeLayer } {
    return ps.setup.documentFromImage(image(24, 16), { name, offset: { left: 3, top: 2 }, width: 40, height: 30, ...o });
  }

  it('no document open: "Open a document first." (Remove and Refine edges)', async () => {
    for (const d of ps.module.app.documents) ps.setup.closeDocument(d);
    await refused(null, 'Open a document first.');
    await refused(null, 'Open a document first.', { button: 'refine' });
  });

  it('nothing selected: asks for pixel layers', async () => {
    const { doc } = photo('Photo');
    ps.setup.selectLayers(doc, []);
    await refused(doc, 'Select one or more pixel layers in the Layers panel first.');
  });

  it('an empty layer: named, "is empty"', async () => {
    const { doc } = photo('Photo');
    const empty = ps.setup.addLayer(doc, { name: 'Empty layer' });
    ps.setup.selectLayers(doc, [empty]);
    await refused(doc, 'Nothing to do: Empty layer is empty');
  });

  it('a locked layer (LAYC allLocked) and a layer with locked pixels: named, how to unlock', async () => {
    const { doc, layer } = photo('Locked photo');
    ps.setup.lock(layer, { all: true });
    await refused(doc, 'Nothing to do: Locked photo is locked (unlock it in the Layers panel)');
    ps.setup.lock(layer, { pixels: true });
    await refused(doc, 'Nothing to do: Locked photo has its pixels locked (unlock it in the Layers panel)');
  });

  // Refused, not rasterized (targets.ts says why): each message names the layer and what to do.
  const kinds = [
    ['text', 'Title', 'is a text layer (rasterize it first: Layer ▸ Rasterize ▸ Type)'],
    ['smartObject', 'Placed photo', 'is a smart object (rasterize it first: Layer ▸ Rasterize ▸ Smart Object)'],
    // A shape layer is a fill layer with a vector mask in the DOM (DT LayerKind has no "shape").
    ['solidColor', 'Rectangle 1', 'is a shape or fill layer, not pixels (rasterize it first: Layer ▸ Rasterize ▸ Layer)'],
    ['curves', 'Curves 1', 'is an adjustment layer, not pixels'],
    ['hueSaturation', 'Hue/Saturation 1', 'is an adjustment layer, not pixels'],
  ] as const;
  for (const [kind, name, reason] of kinds) {
    it(`a ${kind} layer (DT LayerKind "${kind}"): "${name} ${reason}"`, async () => {
      const { doc } = photo('Photo');
      const layer = ps.setup.addLayer(doc, { name, kind, ...(kind === 'text' || kind === 'smartObject' ? { image: image(10, 6) } : {}) });
      ps.setup.selectLayers(doc, [layer]);
      await refused(doc, `Nothing to do: ${name} ${reason}`);
    });
  }

  it('a group, and an artboard (DOCC artboards): named, select the pixel layers inside', async () => {
    const { doc, layer } = photo('Photo');
    const group = ps.setup.addGroup(doc, { name: 'Group 1' });
    ps.setup.selectLayers(doc, [group]);
    await refused(doc, 'Nothing to do: Group 1 is a group (select the pixel layers inside it)');
    const board = ps.setup.addGroup(doc, { name: 'Artboard 1', artboard: true });
    ps.setup.addLayer(doc, { name: 'On the board', image: image(8, 8), parent: board });
    ps.setup.selectLayers(doc, [board]);
    await refused(doc, 'Nothing to do: Artboard 1 is an artboard (select the pixel layers on it)');
    // Several refused layers: every reason, in the order they were selected.
    ps.setup.selectLayers(doc, [board, group]);
    await refused(doc, 'Nothing to do: Artboard 1 is an artboard (select the pixel layers on it); Group 1 is a group (select the pixel layers inside it)');
    expect(layer.visible).toBe(true);
  });

  it('a 32-bit document: refused with how to convert', async () => {
    const { doc } = photo('HDR photo', { depth: 32 });
    await refused(doc, '32-bit documents are not supported (their HDR pixels are outside what the model was trained on): convert to 16 bits first (Image ▸ Mode ▸ 16 Bits/Channel).');
    await refused(doc, 'Refine edges works in 8- and 16-bit documents.', { button: 'refine' });
  });

  it('a 30000 px document: its size and the limit', async () => {
    const doc = ps.setup.document({ width: 30000, height: 20000, title: 'Huge.psd' });
    ps.setup.addLayer(doc, { name: 'Photo', image: image(16, 16) });
    await refused(doc, 'The document is 30000×20000 px; the limit is 16384 px a side and 64 MP.');
  });

  it('Indexed Color and Bitmap documents: how to convert', async () => {
    await refused(photo('Photo', { mode: 'indexedColorMode' }).doc, 'Indexed Color documents are not supported: convert to RGB first (Image ▸ Mode ▸ RGB Color).');
    await refused(photo('Photo', { mode: 'bitmapMode' }).doc, 'Bitmap documents are not supported: convert to Grayscale or RGB first (Image ▸ Mode).');
  });

  it('Masked layer output in a CMYK document: named, choose Layer mask', async () => {
    const { doc } = photo('Print photo', { mode: 'CMYKColorMode' });
    panel.setOutput('layer');
    await refused(doc, 'Nothing to do: Print photo is in a CMYK or Lab document: choose Layer mask (a masked layer is written in RGB and Grayscale documents)');
  });

  it('a layer with the user\'s own mask, the confirm declined: asked by name, nothing changed (notes §5 "only after user choice")', async () => {
    const { doc, layer } = photo('Portrait');
    // The user's own mask: Add Layer Mask (hosts.md §2.2 make/channel/mask), then a brush stroke.
    await ps.module.core.executeAsModal(
      () => ps.module.action.batchPlay([{ _obj: 'make', new: { _class: 'channel' }, at: { _ref: 'channel', _enum: 'channel', _value: 'mask' }, using: { _enum: 'userMaskEnabled', _value: 'revealAll' } }], {}),
      { commandName: 'Add Layer Mask' },
    );
    ps.setup.paintMask(layer, { left: 3, top: 2, right: 10, bottom: 9 }, 0);
    expect(ps.history(doc)).toEqual(['Open', 'Add Layer Mask', 'Brush Tool']);
    const asked = await refused(doc, 'Nothing was changed: the existing mask was kept.', { confirm: 'cancel', error: false });
    expect(asked).toBe('Portrait already has a layer mask. Replace it with the new one?');
    expect(panel.el('confirm').hidden).toBe(true);
  });

  it('Refine edges on a layer Remove Background never masked, and on two layers: says what to do', async () => {
    const { doc, layer } = photo('Photo');
    await refused(doc, 'Photo has no mask written by Remove Background in this Photoshop session: run Remove Background (Layer mask) first.', { button: 'refine' });
    const other = ps.setup.addLayer(doc, { name: 'Other', image: image(8, 8) });
    ps.setup.selectLayers(doc, [layer, other]);
    await refused(doc, 'Select the one layer whose mask you painted, then press Refine edges.', { button: 'refine' });
  });
});
