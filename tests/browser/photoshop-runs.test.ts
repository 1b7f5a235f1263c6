/**
 * Photoshop runs as a user meets them: the BUILT panel (photoshop-uxp/dist in happy-dom with the fakes
 * of tests/photoshop) and its built inference page in headless Chromium behind the JSON bridge, one
 * panel and one page for the whole file (the first run downloads the model into the fake plugin-data).
 * The outputs (masked layer, selection, a batch), what happens when the user or Photoshop interrupts
 * (Cancel, Esc, another plugin's modal state, an exception, the layer deleted, the panel closed), the
 * confirm before a user's mask is replaced, and Refine edges from painting. Every case: the exact
 * status, the document as expected (doc-state.ts), no image data undisposed, no raw typed array on the
 * bridge, no uncaught error. Sources: shared/docs/photoshop-notes.md (EAM, IM, notes §5).
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CHROMIUM, loadRgba } from '@cutout/tools-browser';
import type { RgbaImage } from '@cutout/core';
import { startPhotoshopHarness, type PhotoshopHarness } from '../photoshop/chromium-pages.js';
import { docState } from '../photoshop/doc-state.js';
import { FakePhotoshop } from '../photoshop/fake-photoshop.js';
import type { FakeDocument, FakeLayer } from '../photoshop/fake-ps-document.js';
import type { Rect } from '../photoshop/fake-ps-types.js';
import { FakeUxp } from '../photoshop/fake-uxp.js';
import { allEqual, farFrom, findBlock, heightOf, layerAlpha, maxDiff, toDocument, widthOf } from '../photoshop/mask-checks.js';
import { PanelDriver } from '../photoshop/panel-driver.js';
import { tapped, type Taps } from '../photoshop/ps-taps.js';
import { HAVE_MODELS, ROOT, SAMPLES_DIR } from '../helpers/paths.js';
import { need } from '../helpers/require.js';

const DIST = join(ROOT, 'photoshop-uxp', 'dist');
const RUN = need({ models: HAVE_MODELS, chromium: CHROMIUM, built: [join(DIST, 'main.js'), join(DIST, 'index.html'), join(DIST, 'webview', 'frame.html')] });
const OFFSET = { left: 20, top: 10 };
/** Masks are stored at 8 bits here: a value written twice from the same matte may round 1/255 apart at most. */
const ONE_STEP = 1 / 255 + 1e-6;

describe.skipIf(!RUN)('Photoshop runs through the built panel and its page in Chromium', () => {
  const ps = new FakePhotoshop({});
  const { module, taps } = tapped(ps);
  let pages: PhotoshopHarness;
  let uxp: FakeUxp;
  let panel: PanelDriver;
  let astronaut: RgbaImage;
  let cat: RgbaImage;
  /** The batch's document: Layer mask output on two layers (later painted for Refine edges). */
  let batch: { doc: FakeDocument; a: FakeLayer; b: FakeLayer; rectA: Rect; rectB: Rect };
  /** The mask written for the astronaut at OFFSET: what every other output of the same pixels must equal. */
  let reference: Float32Array;

  beforeAll(async () => {
    pages = await startPhotoshopHarness(DIST);
    uxp = new FakeUxp({ pluginDir: DIST });
    panel = await PanelDriver.open({ distDir: pages.distDir, ps, uxp, photoshop: module, fetch: (url) => fetch(url), openPage: await pages.opener(uxp, 'runs') });
    astronaut = await loadRgba(join(SAMPLES_DIR, 'astronaut.png'));
    cat = await loadRgba(join(SAMPLES_DIR, 'chelsea.png'));
  }, 120_000);
  afterAll(async () => {
    await panel?.close();
    await pages?.close();
    uxp?.dispose();
  });
  beforeEach(() => {
    taps.clear();
    ps.modal.otherPlugin = null;
    panel.setOutput('mask');
  });
  afterEach(() => {
    expect(ps.registry.undisposed).toBe(0);
    expect(ps.modal.openSuspensions).toBe(0);
    expect(panel.bridge.rawTypedArraysSeen).toEqual([]);
    expect(panel.plugin.errors).toEqual([]);
    expect([panel.enabled('remove'), panel.enabled('cancel')]).toEqual([true, false]);
  });

  const rectAt = (img: RgbaImage, off = OFFSET): Rect => ({ left: off.left, top: off.top, right: off.left + img.width, bottom: off.top + img.height });
  /** A new active document holding the astronaut at OFFSET, selected. */
  function astronautDoc(title = 'Astronaut.psd', o: { background?: boolean } = {}): { doc: FakeDocument; layer: FakeLayer } {
    const made = ps.setup.documentFromImage(astronaut, { title, name: 'Astronaut', depth: 8, ...(o.background ? { background: true } : { offset: OFFSET, width: 560, height: 540 }) });
    ps.setup.selectLayers(made.doc, [made.layer]);
    return made;
  }
  const committed = (doc: FakeDocument) => ps.modal.historyLog.filter((h) => h.documentID === doc.id);

  it('a batch of two layers, Layer mask: two masks, ONE "Remove Background" state (the user switches documents meanwhile)', async () => {
    const other = ps.setup.document({ width: 8, height: 8, title: 'Other.psd' });
    const { doc, layer: a } = astronautDoc('Batch.psd');
    const b = ps.setup.addLayer(doc, { name: 'Cat', image: cat, offset: { left: 0, top: 200 } });
    ps.setup.selectLayers(doc, [a, b]);
    const off = panel.onRequest('remove', () => (ps.module.app.activeDocument = other));
    const end = await panel.run();
    off();
    expect(ps.history(other)).toEqual(['Open']);
    expect(end).toMatchObject({ status: 'Masked 2 images', error: false });
    expect(ps.history(doc)).toEqual(['Open', 'Remove Background']);
    expect(committed(doc)).toEqual([{ documentID: doc.id, name: 'Remove Background', outcome: 'committed' }]);
    batch = { doc, a, b, rectA: rectAt(astronaut), rectB: rectAt(cat, { left: 0, top: 200 }) };
    reference = ps.maskValues(doc, a.id, batch.rectA)!;
    for (const [layer, rect] of [[a, batch.rectA], [b, batch.rectB]] as const) {
      const mask = ps.maskValues(doc, layer.id, rect)!;
      // A subject and a background in each: some of the mask is white, some black.
      expect(mask.some((v) => v > 0.99) && mask.some((v) => v < 0.01)).toBe(true);
    }
    console.log(`batch of two: "${end.status}" in ${(end.ms / 1000).toFixed(1)} s (fetched ${panel.fetched.length} files)`);
  }, 240_000);

  it('Masked pixel layer: a new layer above with alpha = the matte, the original kept hidden below, one state', async () => {
    const { doc, layer } = astronautDoc();
    const before = docState(doc);
    panel.setOutput('layer');
    const end = await panel.run();
    expect(end).toMatchObject({ status: 'Removed the background of 1 image', error: false });
    expect(ps.history(doc)).toEqual([...before.history, 'Remove Background']);
    const [cut, original] = doc.layers;
    expect([cut?.name, original?.id, original?.visible, cut?.visible]).toEqual(['Astronaut cut-out', layer.id, false, true]);
    // The original is as it was, apart from being hidden: same pixels, no mask.
    expect(docState(doc).layers[1]).toEqual({ ...before.layers[0], visible: false });
    expect(maxDiff(layerAlpha(doc, cut!.id, rectAt(astronaut))!, reference)).toBeLessThanOrEqual(ONE_STEP);
  });

  it('Selection: putSelection = the matte (IM L298-315), layers untouched, one state', async () => {
    const { doc } = astronautDoc();
    const before = docState(doc);
    panel.setOutput('selection');
    const end = await panel.run();
    expect(end).toMatchObject({ status: 'Selected the subject of 1 image', error: false });
    expect(ps.history(doc)).toEqual([...before.history, 'Remove Background']);
    expect(docState(doc).layers).toEqual(before.layers);
    const r = rectAt(astronaut);
    const selection = ps.selectionValues(doc)!;
    const inside = new Float32Array(widthOf(r) * heightOf(r));
    for (let y = r.top; y < r.bottom; y++) for (let x = r.left; x < r.right; x++) inside[(y - r.top) * widthOf(r) + (x - r.left)] = selection[y * doc.width + x]!;
    expect(maxDiff(inside, reference)).toBeLessThanOrEqual(ONE_STEP);
  });

  it('a user\'s own mask is replaced only after they confirm (notes §5): asked by name, then one state', async () => {
    const { doc, layer } = astronautDoc();
    await ps.module.core.executeAsModal(() => ps.module.action.batchPlay([{ _obj: 'make', new: { _class: 'channel' }, at: { _ref: 'channel', _enum: 'channel', _value: 'mask' }, using: { _enum: 'userMaskEnabled', _value: 'revealAll' } }], {}), { commandName: 'Add Layer Mask' });
    ps.setup.paintMask(layer, { left: 0, top: 0, right: 100, bottom: 100 }, 0);
    const end = await panel.run('remove', { confirm: 'replace' });
    expect(end.asked).toBe('Astronaut already has a layer mask. Replace it with the new one?');
    expect(end).toMatchObject({ status: 'Masked 1 image', error: false });
    expect(ps.history(doc)).toEqual(['Open', 'Add Layer Mask', 'Brush Tool', 'Remove Background']);
    expect(maxDiff(ps.maskValues(doc, layer.id, rectAt(astronaut))!, reference)).toBeLessThanOrEqual(ONE_STEP);
  });

  /** Runs with the taps `arm` sets, and checks the document did not change and nothing was committed. */
  async function unchanged(doc: FakeDocument, arm: (t: Taps) => void, expected: { status: string; error: boolean }): Promise<void> {
    const before = docState(doc);
    const log = committed(doc).length;
    arm(taps);
    const end = await panel.run();
    expect({ status: end.status, error: end.error }).toEqual(expected);
    expect(docState(doc)).toEqual(before);
    expect(committed(doc).slice(log).every((h) => h.outcome !== 'committed')).toBe(true);
  }

  it('Esc after the mask was put, inside the write (EAM L99-160, L217-271): rolled back, "Cancelled"', async () => {
    const { doc } = astronautDoc();
    await unchanged(doc, (t) => (t.afterImaging = (c) => void (c.method === 'putLayerMask' && ps.modal.cancel())), { status: 'Cancelled: nothing was changed.', error: false });
    expect(committed(doc).at(-1)?.outcome).toBe('rolled back');
    expect(taps.log).toContain('putLayerMask in Remove Background');
  });

  it('an exception in the write after the Background was converted (EAM L217-271): rolled back, the Background as it was', async () => {
    const { doc, layer } = astronautDoc('Background.psd', { background: true });
    await unchanged(doc, (t) => (t.beforeImaging = (c) => void (c.method === 'putLayerMask' && fail('putLayerMask: the scratch disks are full'))), { status: 'Something went wrong: putLayerMask: the scratch disks are full', error: true });
    expect(committed(doc).at(-1)?.outcome).toBe('rolled back');
    expect([doc.layers[0]?.id, doc.layers[0]?.isBackgroundLayer]).toEqual([layer.id, true]);
  });

  it('the layer deleted while the page works: "was deleted during the run", nothing written', async () => {
    const { doc, layer } = astronautDoc();
    const other = ps.setup.addLayer(doc, { name: 'Kept', image: cat });
    ps.setup.selectLayers(doc, [layer]);
    const before = docState(doc);
    const off = panel.onRequest('remove', () => ps.setup.deleteLayer(layer));
    const end = await panel.run();
    off();
    expect(end).toMatchObject({ status: 'Nothing was changed: Astronaut was deleted during the run', error: false });
    expect(ps.history(doc)).toEqual([...before.history, 'Delete Layer']);
    expect(docState(doc).layers).toEqual(before.layers.filter((l) => l.id !== layer.id));
    expect(ps.maskValues(doc, other.id)).toBeNull();
  });

  /** Makes the batch's document active with only `layer` selected, as before a Refine edges. */
  function selectForRefine(layer: FakeLayer): void {
    ps.module.app.activeDocument = batch.doc;
    ps.setup.selectLayers(batch.doc, [layer]);
  }

  it('Refine edges after painting: one "Refine Edges" state, strokes exactly 0/1, far pixels unchanged', async () => {
    const { doc, a, rectA: r } = batch;
    selectForRefine(a);
    const w = widthOf(r);
    const h = heightOf(r);
    const black = findBlock(reference, w, h, 16, (v) => v > 0.98); // inside the subject: the user removes it
    const white = findBlock(reference, w, h, 16, (v) => v < 0.02); // in the background: the user keeps it
    ps.setup.paintMask(a, toDocument(black, r), 0);
    ps.setup.paintMask(a, toDocument(white, r), 1);
    const painted = ps.maskValues(doc, a.id, r)!;
    const history = ps.history(doc);
    const sent = panel.requests.length;
    const end = await panel.run('refine');
    expect(end).toMatchObject({ status: 'Refined the edges of Astronaut from your strokes (256 px remove, 256 px keep).', error: false });
    expect(ps.history(doc)).toEqual([...history, 'Refine Edges']);
    const after = ps.maskValues(doc, a.id, r)!;
    expect([allEqual(after, w, black, 0), allEqual(after, w, white, 1)]).toEqual([true, true]);
    const far = farFrom(w, h, [black, white], 40);
    let moved = 0;
    for (let i = 0; i < after.length; i++) if (far[i] && Math.abs(after[i]! - painted[i]!) > ONE_STEP) moved++;
    expect(moved).toBe(0);
    // The model is not run again: the record keeps its matte, the page is not asked.
    expect(panel.requests.length).toBe(sent);
  });

  it('Refine edges with nothing painted: says how to paint, nothing written', async () => {
    selectForRefine(batch.b);
    const before = docState(batch.doc);
    const sent = panel.requests.length;
    const end = await panel.run('refine');
    expect(end).toMatchObject({ status: 'Nothing to refine on Cat: paint the mask black where background shows and white where the subject was cut, then press Refine edges.', error: true });
    expect(docState(batch.doc)).toEqual(before);
    expect(panel.requests.length).toBe(sent);
  });

  it('Refine edges on a mask painted entirely black: refused, nothing written', async () => {
    selectForRefine(batch.b);
    ps.setup.paintMask(batch.b, batch.rectB, 0);
    const before = docState(batch.doc);
    const end = await panel.run('refine');
    expect(end).toMatchObject({ status: 'The mask of Cat is painted entirely black, which hides the whole layer: nothing to refine. Undo the painting or run Remove Background again.', error: true });
    expect(docState(batch.doc)).toEqual(before);
  });

  it('Esc in a read before the page is asked (EAM L99-160), in a batch of two: the whole run stops, "Cancelled"', async () => {
    const { doc, layer } = astronautDoc();
    ps.setup.selectLayers(doc, [layer, ps.setup.addLayer(doc, { name: 'Cat', image: cat })]);
    const sent = panel.requests.length;
    await unchanged(doc, (t) => (t.beforeImaging = (c) => void (c.method === 'getPixels' && ps.modal.cancel())), { status: 'Cancelled: nothing was changed.', error: false });
    expect(panel.requests.slice(sent)).toEqual([]);
    expect(taps.log).toEqual(['getPixels in Read layer']);
  });

  it('another plugin holds the modal state (EAM L71-94, error 9) at the click: named, nothing changed', async () => {
    const { doc } = astronautDoc();
    ps.modal.otherPlugin = 'Other Plugin';
    await unchanged(doc, () => undefined, { status: 'Another plugin is busy (host is in a modal state: the plugin “Other Plugin” is running a modal command); try again when it finishes.', error: true });
  });

  it('Cancel pressed while the page works: "Cancelled", nothing changed', async () => {
    const { doc } = astronautDoc();
    const off = panel.onRequest('remove', () => panel.el('cancel').click());
    await unchanged(doc, () => undefined, { status: 'Cancelled: nothing was changed.', error: false });
    off();
    expect(panel.requests.at(-1)).toBe('cancel');
  });

  it('the panel hidden while the page works: nothing changed, no error; shown again it says so', async () => {
    const { doc } = astronautDoc();
    const off = panel.onRequest('remove', () => void panel.hide());
    try {
      await unchanged(doc, () => undefined, { status: 'The panel was closed: nothing was changed.', error: false });
    } finally {
      off();
      await panel.show();
    }
    // What the user reads when the panel opens again.
    expect(panel.status()).toBe('The panel was closed: nothing was changed.');
  });

  it('the panel destroyed while the page works: nothing changed, no uncaught error, the page closed', async () => {
    const { doc } = astronautDoc();
    panel.onRequest('remove', () => void panel.destroy());
    await unchanged(doc, () => undefined, { status: 'The panel was closed: nothing was changed.', error: false });
    expect(panel.plugin.document.querySelector('webview')).toBeNull();
  });
});

function fail(message: string): never {
  throw new Error(message);
}
