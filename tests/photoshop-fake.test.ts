/**
 * The Photoshop/UXP fakes themselves (tests/photoshop/): each documented behaviour they model, with its
 * source tag (shared/docs/photoshop-notes.md, hosts.md §2), so the plugin's tests can trust them.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Window } from 'happy-dom';
import { createWebviewEndpoint, type HostMessage } from '@cutout/protocol';
import type { Layer } from 'photoshop/dom/Layer';
import type { imaging } from 'photoshop/dom/ImagingModule';
import { FakePhotoshop, FakeUxp, FakeWebviewBridge, loadBuiltPlugin } from './photoshop/index.js';

/** width×height RGBA 8-bit; `px(x, y)` gives [r, g, b, a]. */
function rgba(width: number, height: number, px: (x: number, y: number) => readonly number[]): { width: number; height: number; data: Uint8Array } {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(px(x, y), (y * width + x) * 4);
  return { width, height, data };
}
const opaque = (w: number, h: number) => rgba(w, h, (x, y) => [x * 10, y * 10, 100, 255]);
const gray = (ps: FakePhotoshop, w: number, h: number, value: number, depth: 8 | 16 | 32) =>
  ps.module.imaging.createImageDataFromBuffer(depth === 8 ? new Uint8Array(w * h).fill(value * 255) : depth === 16 ? new Uint16Array(w * h).fill(value * 32768) : new Float32Array(w * h).fill(value), { width: w, height: h, components: 1, colorSpace: 'Grayscale', colorProfile: 'Gray Gamma 2.2' });
const modal = <T>(ps: FakePhotoshop, fn: (ctx: Parameters<Parameters<FakePhotoshop['module']['core']['executeAsModal']>[0]>[0]) => Promise<T>) => ps.module.core.executeAsModal(fn, { commandName: 'Test' });

describe('documents and layers (DOCC, LAYC, DT)', () => {
  it('builds documents from RGBA images with typed members, increasing layer ids and document-coordinate bounds', () => {
    const ps = new FakePhotoshop();
    const { doc, layer } = ps.setup.documentFromImage(opaque(8, 6), { depth: 16, offset: { left: 3, top: 2 }, width: 20, height: 10 });
    const typed: Pick<Layer, 'id' | 'name' | 'kind' | 'isBackgroundLayer' | 'visible' | 'locked'> = layer; // assignable to DT's Layer members
    expect([doc.mode, doc.bitsPerChannel, doc.width, doc.height]).toEqual(['RGBColorMode', 'bitDepth16', 20, 10]);
    expect([typed.kind, typed.isBackgroundLayer]).toEqual(['pixel', false]);
    // IM L168 / notes §4: boundsNoEffects are document coordinates, right/bottom exclusive.
    expect(layer.boundsNoEffects).toMatchObject({ left: 3, top: 2, right: 11, bottom: 8, width: 8, height: 6 });
    const second = ps.setup.addLayer(doc, { image: opaque(2, 2), name: 'Two' });
    expect(second.id).toBeGreaterThan(layer.id);
    expect(doc.layers.map((l) => l.name)).toEqual(['Two', 'Layer 1']);
    expect(doc.activeLayers.map((l) => l.id)).toEqual([second.id]);
    const bg = ps.setup.documentFromImage(opaque(4, 4), { background: true }).doc;
    expect(bg.backgroundLayer?.isBackgroundLayer).toBe(true);
    expect(ps.module.app.activeDocument?.id).toBe(bg.id);
  });

  it('models groups, artboards, kinds and locks', () => {
    const ps = new FakePhotoshop();
    const doc = ps.setup.document({ width: 10, height: 10 });
    const board = ps.setup.addGroup(doc, { artboard: true });
    const text = ps.setup.addLayer(doc, { kind: 'text', image: opaque(2, 2), parent: board });
    expect(doc.artboards.map((a) => a.id)).toEqual([board.id]);
    expect([board.kind, text.kind, text.parent?.id]).toEqual(['group', 'text', board.id]);
    ps.setup.lock(text);
    expect([text.locked, text.allLocked]).toEqual([true, true]);
  });
});

describe('imaging.getPixels (IM L139-168)', () => {
  it('trims requested bounds to pixel content and returns the trimmed region (IM L144)', async () => {
    const ps = new FakePhotoshop();
    const img = rgba(10, 10, (x, y) => (x >= 2 && x < 6 && y >= 3 && y < 6 ? [255, 0, 0, 255] : [0, 0, 0, 0]));
    const { doc, layer } = ps.setup.documentFromImage(img, { offset: { left: 5, top: 7 }, width: 30, height: 30 });
    expect(layer.boundsNoEffects).toMatchObject({ left: 7, top: 10, right: 11, bottom: 13 });
    const r = await ps.module.imaging.getPixels({ documentID: doc.id, layerID: layer.id, sourceBounds: { left: 0, top: 0, right: 30, bottom: 30 } });
    expect(r.sourceBounds).toEqual({ left: 7, top: 10, right: 11, bottom: 13 });
    expect([r.imageData.width, r.imageData.height, r.imageData.components, r.level]).toEqual([4, 3, 4, 0]); // IM L164: layers have alpha
    await r.imageData.dispose();
  });

  it('returns 16-bit data in 0..32768, 0..65535 only with getData({fullRange}) (IM L60-66, L108-112)', async () => {
    const ps = new FakePhotoshop();
    const { doc, layer } = ps.setup.documentFromImage(rgba(2, 1, () => [255, 128, 0, 255]), { depth: 16 });
    const { imageData } = await ps.module.imaging.getPixels({ documentID: doc.id, layerID: layer.id });
    expect(imageData.componentSize).toBe(16);
    const data = await imageData.getData({});
    expect(data).toBeInstanceOf(Uint16Array);
    expect(Array.from(data.slice(0, 4))).toEqual([32768, Math.round((128 / 255) * 32768), 0, 32768]);
    expect((await imageData.getData({ fullRange: true }))[0]).toBe(65535);
    const eight = await ps.module.imaging.getPixels({ documentID: doc.id, layerID: layer.id, componentSize: 8 });
    expect(Array.from((await eight.imageData.getData({})).slice(0, 4))).toEqual([255, 128, 0, 255]);
  });

  it('gives 3 components for a Background and a composite without alpha, and mattes on white with applyAlpha (IM L155, L164)', async () => {
    const ps = new FakePhotoshop();
    const { doc, layer } = ps.setup.documentFromImage(opaque(4, 4), { background: true });
    expect((await ps.module.imaging.getPixels({ layerID: layer.id })).imageData.components).toBe(3);
    expect((await ps.module.imaging.getPixels({ documentID: doc.id })).imageData.components).toBe(3);
    const half = ps.setup.documentFromImage(rgba(1, 1, () => [0, 0, 0, 128]));
    const matted = await ps.module.imaging.getPixels({ layerID: half.layer.id, applyAlpha: true });
    expect(matted.imageData.components).toBe(3);
    expect((await matted.imageData.getData({}))[0]).toBe(127); // black at 128/255 over white
  });

  it('scales down to targetSize and reports the pyramid level with level-relative bounds (IM L166)', async () => {
    const ps = new FakePhotoshop();
    const { layer } = ps.setup.documentFromImage(opaque(64, 32), { offset: { left: 16, top: 8 }, width: 100, height: 60 });
    const r = await ps.module.imaging.getPixels({ layerID: layer.id, targetSize: { width: 16 } });
    expect([r.imageData.width, r.imageData.height, r.level]).toEqual([16, 8, 2]);
    expect(r.sourceBounds).toEqual({ left: 4, top: 2, right: 20, bottom: 10 });
    const big = await ps.module.imaging.getPixels({ layerID: layer.id, targetSize: { width: 128 } });
    expect([big.imageData.width, big.level]).toEqual([64, 0]);
  });

  it('converts non-RGB documents when colorSpace "RGB" is asked, with the documented formulas', async () => {
    const ps = new FakePhotoshop();
    const g = ps.setup.documentFromImage(rgba(1, 1, () => [200, 100, 50, 255]), { mode: 'grayscaleMode' });
    const native = await ps.module.imaging.getPixels({ layerID: g.layer.id });
    expect([native.imageData.colorSpace, native.imageData.components]).toEqual(['Grayscale', 2]);
    const asRgb = await ps.module.imaging.getPixels({ layerID: g.layer.id, colorSpace: 'RGB' });
    const luma = Math.round(0.299 * 200 + 0.587 * 100 + 0.114 * 50);
    expect(Array.from(await asRgb.imageData.getData({}))).toEqual([luma, luma, luma, 255]);
    const cmyk = ps.setup.documentFromImage(rgba(1, 1, () => [200, 100, 50, 255]), { mode: 'CMYKColorMode' });
    await expect(ps.module.imaging.getPixels({ layerID: cmyk.layer.id })).rejects.toThrow(/only RGB, Grayscale and Lab/);
    const back = await ps.module.imaging.getPixels({ layerID: cmyk.layer.id, colorSpace: 'RGB' });
    expect(Array.from(await back.imageData.getData({}))).toEqual([200, 100, 50, 255]);
    const lab = ps.setup.documentFromImage(rgba(1, 1, () => [200, 100, 50, 255]), { mode: 'labColorMode', depth: 32 });
    const labRgb = await (await ps.module.imaging.getPixels({ layerID: lab.layer.id, colorSpace: 'RGB' })).imageData.getData({});
    expect(Array.from(labRgb.slice(0, 3)).map((v) => Math.round(v * 255))).toEqual([200, 100, 50]);
  });
});

describe('image data (IM L100-128, L319-339)', () => {
  it('checks array length and type against width*height*components', async () => {
    const ps = new FakePhotoshop();
    const create = ps.module.imaging.createImageDataFromBuffer;
    await expect(create(new Uint8Array(11), { width: 2, height: 2, components: 3, colorSpace: 'RGB' })).rejects.toThrow(/holds 11 elements, width\*height\*components is 12/);
    await expect(create(new Int16Array(4) as never, { width: 2, height: 2, components: 1, colorSpace: 'Grayscale' })).rejects.toThrow(/Uint8Array, Uint16Array or Float32Array/);
    const d = await create(new Float32Array([0, 0.5, 1, 0.25]), { width: 2, height: 2, components: 1, colorSpace: 'Grayscale' });
    const typed: imaging.PhotoshopImageData = d; // assignable to DT's PhotoshopImageData
    expect([typed.componentSize, typed.pixelFormat, typed.hasAlpha]).toEqual([32, 'Grayscale', false]);
    const planar = await create(new Uint8Array([1, 2, 10, 20, 100, 200]), { width: 2, height: 1, components: 3, colorSpace: 'RGB', chunky: false });
    expect(Array.from(await planar.getData({}))).toEqual([1, 10, 100, 2, 20, 200]);
    expect(Array.from(await planar.getData({ chunky: false }))).toEqual([1, 2, 10, 20, 100, 200]);
  });

  it('counts created vs disposed image data; dispose is synchronous and a use after it throws (IM L121-128)', async () => {
    const ps = new FakePhotoshop();
    const { layer } = ps.setup.documentFromImage(opaque(2, 2));
    const a = (await ps.module.imaging.getPixels({ layerID: layer.id })).imageData;
    const b = await gray(ps, 2, 2, 1, 8);
    expect([ps.registry.created, ps.registry.undisposed]).toEqual([2, 2]);
    void a.dispose(); // no await: released at once
    expect([ps.registry.disposed, ps.registry.undisposed]).toEqual([1, 1]);
    await expect(a.getData({})).rejects.toThrow(/disposed/);
    await b.dispose();
    await b.dispose();
    expect([ps.registry.created, ps.registry.disposed, ps.registry.undisposed]).toEqual([2, 2, 0]);
  });
});

describe('masks and selection (IM L241-315, notes §4)', () => {
  it('refuses document changes outside executeAsModal (hosts.md §2.2)', async () => {
    const ps = new FakePhotoshop();
    const { layer } = ps.setup.documentFromImage(opaque(4, 4));
    const mask = await gray(ps, 4, 4, 0, 8);
    await expect(ps.module.imaging.putLayerMask({ layerID: layer.id, imageData: mask })).rejects.toThrow(/only allowed inside a modal scope/);
    await expect(ps.module.imaging.putSelection({ imageData: mask })).rejects.toThrow(/modal scope/);
  });

  it('creates a missing user mask at targetBounds, white outside the written rectangle, and reads it back', async () => {
    const ps = new FakePhotoshop();
    const { doc, layer } = ps.setup.documentFromImage(opaque(6, 4));
    const data = await gray(ps, 2, 2, 0, 8);
    await modal(ps, () => ps.module.imaging.putLayerMask({ documentID: doc.id, layerID: layer.id, imageData: data, targetBounds: { left: 1, top: 1, width: 2, height: 2 } }));
    expect(Array.from(ps.maskValues(doc, layer.id) ?? [])).toEqual([1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    const back = await ps.module.imaging.getLayerMask({ layerID: layer.id, kind: 'user', sourceBounds: { left: 0, top: 1, right: 3, bottom: 2 } });
    expect([back.imageData.components, back.imageData.colorSpace]).toEqual([1, 'Grayscale']);
    expect(Array.from(await back.imageData.getData({}))).toEqual([255, 0, 0]);
    const white = await gray(ps, 1, 1, 1, 8);
    await modal(ps, () => ps.module.imaging.putLayerMask({ layerID: layer.id, imageData: white, targetBounds: { left: 1, top: 1, width: 1, height: 1 }, replace: false }));
    expect(Array.from(ps.maskValues(doc, layer.id, { left: 1, top: 1, right: 3, bottom: 2 }) ?? [])).toEqual([1, 0]);
  });

  it('rejects non-gray data, Background layers (ITZ main.js L87) and, with strictMaskDepth, data not at document depth', async () => {
    const ps = new FakePhotoshop();
    const bg = ps.setup.documentFromImage(opaque(2, 2), { background: true, depth: 16 });
    const rgb = await ps.module.imaging.createImageDataFromBuffer(new Uint16Array(12), { width: 2, height: 2, components: 3, colorSpace: 'RGB' });
    await modal(ps, async () => {
      await expect(ps.module.imaging.putLayerMask({ layerID: bg.layer.id, imageData: await gray(ps, 2, 2, 1, 16) })).rejects.toThrow(/Background/);
      const l = ps.setup.addLayer(bg.doc, { image: opaque(2, 2) });
      await expect(ps.module.imaging.putLayerMask({ layerID: l.id, imageData: rgb })).rejects.toThrow(/1 component in the Grayscale/);
      await expect(ps.module.imaging.putLayerMask({ layerID: l.id, imageData: await gray(ps, 2, 2, 1, 8) })).rejects.toThrow(/8-bit mask data into a 16-bit document/);
      await ps.module.imaging.putLayerMask({ layerID: l.id, imageData: await gray(ps, 2, 2, 0.5, 16) });
      expect(ps.maskValues(bg.doc, l.id)?.[0]).toBe(0.5);
    });
    const lax = new FakePhotoshop({ strictMaskDepth: false });
    const d = lax.setup.documentFromImage(opaque(2, 2), { depth: 16 });
    await modal(lax, async () => lax.module.imaging.putLayerMask({ layerID: d.layer.id, imageData: await gray(lax, 2, 2, 1, 8) }));
    expect(lax.maskValues(d.doc, d.layer.id)?.[0]).toBe(1);
  });

  it('puts and gets the selection as one gray channel (IM L298-315)', async () => {
    const ps = new FakePhotoshop();
    const { doc } = ps.setup.documentFromImage(opaque(3, 1));
    await expect(ps.module.imaging.getSelection({})).rejects.toThrow(/no selection/);
    await modal(ps, async () => ps.module.imaging.putSelection({ imageData: await gray(ps, 1, 1, 1, 8), targetBounds: { left: 2, top: 0, width: 1, height: 1 } }));
    expect(Array.from(ps.selectionValues(doc) ?? [])).toEqual([0, 0, 1]);
    const sel = await ps.module.imaging.getSelection({ documentID: doc.id }); // "the entire selection"
    expect([sel.sourceBounds, Array.from(await sel.imageData.getData({}))]).toEqual([{ left: 2, top: 0, right: 3, bottom: 1 }, [255]]);
    const all = await ps.module.imaging.getSelection({ sourceBounds: { left: 0, top: 0, right: 3, bottom: 1 } });
    expect(Array.from(await all.imageData.getData({}))).toEqual([0, 0, 255]);
  });
});

describe('action.batchPlay (notes §5, hosts.md §2.2)', () => {
  const toLayer = { _obj: 'set', _target: [{ _ref: 'layer', _property: 'background' }], to: { _obj: 'layer', opacity: { _unit: 'percentUnit', _value: 100 }, mode: { _enum: 'blendMode', _value: 'normal' } }, _options: { dialogOptions: 'dontDisplay' } };

  it('converts the Background to "Layer 0" with a NEW id, made active (CL L509, LAYC L38); without one: command not available', async () => {
    const ps = new FakePhotoshop();
    const { doc, layer } = ps.setup.documentFromImage(opaque(4, 4), { background: true });
    const oldId = layer.id;
    await modal(ps, () => ps.module.action.batchPlay([toLayer], {}));
    const now = doc.activeLayers[0];
    expect(now?.id).not.toBe(oldId);
    expect([now?.name, now?.isBackgroundLayer, doc.backgroundLayer]).toEqual(['Layer 0', false, null]);
    expect(() => layer.name).toThrow(/not currently available/);
    await expect(modal(ps, () => ps.module.action.batchPlay([toLayer], {}))).rejects.toThrow(/not currently available/);
    expect(ps.batchPlay.log.map((r) => [r.descriptor._obj, r.inModal])).toEqual([['set', true], ['set', true]]);
  });

  it('gets hasUserMask, makes (revealAll / revealSelection) and deletes the mask channel, and refuses unknown descriptors', async () => {
    const ps = new FakePhotoshop();
    const { doc, layer } = ps.setup.documentFromImage(opaque(4, 4));
    const has = async () => (await ps.module.action.batchPlay([{ _obj: 'get', _target: [{ _property: 'hasUserMask' }, { _ref: 'layer', _id: layer.id }] }], {}))[0]?.hasUserMask;
    expect(await has()).toBe(false); // a get needs no modal scope
    const make = (value: string) => ({ _obj: 'make', new: { _class: 'channel' }, at: { _ref: 'channel', _enum: 'channel', _value: 'mask' }, using: { _enum: 'userMaskEnabled', _value: value } });
    await expect(ps.module.action.batchPlay([make('revealAll')], {})).rejects.toThrow(/modal scope/);
    await modal(ps, () => ps.module.action.batchPlay([make('revealAll')], {}));
    expect(await has()).toBe(true);
    await modal(ps, () => ps.module.action.batchPlay([{ _obj: 'delete', _target: [{ _ref: 'channel', _enum: 'channel', _value: 'mask' }] }], {}));
    expect(await has()).toBe(false);
    ps.setup.setSelection(doc, { left: 1, top: 0, right: 2, bottom: 1 });
    await modal(ps, () => ps.module.action.batchPlay([make('revealSelection')], {}));
    expect(Array.from(ps.maskValues(doc, layer.id, { left: 0, top: 0, right: 3, bottom: 1 }) ?? [])).toEqual([0, 1, 0]);
    await expect(modal(ps, () => ps.module.action.batchPlay([{ _obj: 'removeBackground' }], {}))).rejects.toThrow(/not currently available/);
    const soft = new FakePhotoshop({ batchPlayErrors: 'descriptor' });
    soft.setup.documentFromImage(opaque(1, 1));
    const [res] = await modal(soft, () => soft.module.action.batchPlay([{ _obj: 'autoCutout' }], {}));
    expect(res).toMatchObject({ _obj: 'error', result: -25920 });
  });

  it('selects a layer by id and hides / shows it', async () => {
    const ps = new FakePhotoshop();
    const { doc, layer } = ps.setup.documentFromImage(opaque(2, 2));
    const top = ps.setup.addLayer(doc, { image: opaque(1, 1) });
    await modal(ps, () => ps.module.action.batchPlay([{ _obj: 'select', _target: [{ _ref: 'layer', _id: layer.id }], makeVisible: false }, { _obj: 'hide', null: [{ _ref: 'layer', _id: top.id }] }], {}));
    expect([doc.activeLayers[0]?.id, top.visible]).toEqual([layer.id, false]);
  });
});

describe('core.executeAsModal (EAM)', () => {
  it('requires commandName (EAM L66) and rejects with number 9 naming the plugin holding the modal state (EAM L71-94)', async () => {
    const ps = new FakePhotoshop();
    await expect(ps.module.core.executeAsModal(async () => 1, {} as never)).rejects.toThrow(/commandName is required/);
    ps.modal.otherPlugin = 'Other Plugin';
    const err = await ps.module.core.executeAsModal(async () => 1, { commandName: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as { number?: number }).number).toBe(9);
    expect((err as Error).message).toContain('Other Plugin');
  });

  it('commits one named history state on normal return, coalescing the changes (EAM L217-271)', async () => {
    const ps = new FakePhotoshop();
    const { doc, layer } = ps.setup.documentFromImage(opaque(2, 2));
    await modal(ps, async (ctx) => {
      await ctx.hostControl.suspendHistory({ documentID: doc.id, name: 'Remove Background' });
      await ps.module.imaging.putLayerMask({ layerID: layer.id, imageData: await gray(ps, 2, 2, 0, 8) });
      layer.visible = false;
      ctx.reportProgress({ value: 0.5, commandName: 'Writing the mask' });
      await modal(ps, async () => ps.module.imaging.putLayerMask({ layerID: layer.id, imageData: await gray(ps, 1, 1, 1, 8), replace: false })); // nested (EAM L321)
    });
    expect(ps.history(doc)).toEqual(['Open', 'Remove Background']);
    expect(ps.modal.progress).toEqual([{ value: 0.5, commandName: 'Writing the mask', scope: 'Test' }]);
    expect(ps.modal.calls.map((c) => c.nested)).toEqual([false, true]);
  });

  it('rolls the document back on an exception: mask, layers and selection as at suspend', async () => {
    const ps = new FakePhotoshop();
    const { doc, layer } = ps.setup.documentFromImage(opaque(2, 2), { background: true });
    const run = modal(ps, async (ctx) => {
      await ctx.hostControl.suspendHistory({ documentID: doc.id, name: 'Remove Background' });
      await ps.module.action.batchPlay([{ _obj: 'set', _target: [{ _ref: 'layer', _property: 'background' }], to: { _obj: 'layer' } }], {});
      const newId = doc.activeLayers[0]?.id as number;
      await ps.module.imaging.putLayerMask({ layerID: newId, imageData: await gray(ps, 2, 2, 0, 8) });
      await ps.module.imaging.putSelection({ imageData: await gray(ps, 2, 2, 1, 8) });
      throw new Error('boom');
    });
    await expect(run).rejects.toThrow('boom');
    expect([doc.layers.map((l) => l.id), layer.isBackgroundLayer, ps.selectionValues(doc)]).toEqual([[layer.id], true, null]);
    expect(ps.history(doc)).toEqual(['Open']);
    expect(ps.modal.historyLog.at(-1)).toMatchObject({ outcome: 'rolled back' });
  });

  it('creates no history state when nothing changed, and resumeHistory(…, false) drops changes', async () => {
    const ps = new FakePhotoshop();
    const { doc, layer } = ps.setup.documentFromImage(opaque(2, 2));
    await modal(ps, async (ctx) => {
      await ctx.hostControl.suspendHistory({ documentID: doc.id, name: 'Nothing' });
    });
    await modal(ps, async (ctx) => {
      const s = await ctx.hostControl.suspendHistory({ documentID: doc.id, name: 'Dropped' });
      layer.visible = false;
      await ctx.hostControl.resumeHistory(s, false);
    });
    expect([ps.history(doc), layer.visible]).toEqual([['Open'], true]);
  });

  it('on cancel sets isCancelled, calls onCancel, then Photoshop APIs throw (EAM L99-160)', async () => {
    const ps = new FakePhotoshop();
    const { doc, layer } = ps.setup.documentFromImage(opaque(2, 2));
    const reasons: unknown[] = [];
    const run = modal(ps, async (ctx) => {
      ctx.onCancel = (e) => reasons.push(e?.reason);
      await ctx.hostControl.suspendHistory({ documentID: doc.id, name: 'Remove Background' });
      await ps.module.imaging.putLayerMask({ layerID: layer.id, imageData: await gray(ps, 2, 2, 0, 8) });
      expect(ps.modal.cancel()).toBe(true); // the user presses Esc
      expect(ctx.isCancelled).toBe(true);
      await expect(ps.module.action.batchPlay([{ _obj: 'get', _target: [{ _property: 'hasUserMask' }, { _ref: 'layer', _id: layer.id }] }], {})).rejects.toThrow(/cancelled/);
      await expect(ps.module.imaging.getPixels({ layerID: layer.id })).rejects.toThrow(/cancelled/);
      await ps.module.imaging.putLayerMask({ layerID: layer.id, imageData: await gray(ps, 2, 2, 1, 8) });
    });
    await expect(run).rejects.toThrow(/cancelled/);
    expect(reasons).toHaveLength(1);
    expect([ps.maskValues(doc, layer.id), ps.history(doc)]).toEqual([null, ['Open']]); // Esc changes nothing
    expect(ps.modal.cancel()).toBe(false);
  });

  it('lets a layer be deleted during a run, after which imaging calls on it reject', async () => {
    const ps = new FakePhotoshop();
    const { layer } = ps.setup.documentFromImage(opaque(2, 2));
    await modal(ps, async () => {
      ps.setup.deleteLayer(layer);
      await expect(ps.module.imaging.putLayerMask({ layerID: layer.id, imageData: await gray(ps, 2, 2, 0, 8) })).rejects.toThrow(/does not exist/);
    });
  });
});

describe('uxp fake (hosts.md §2.1; UXP Persistent File Storage reference)', () => {
  const fakes: FakeUxp[] = [];
  afterEach(() => fakes.splice(0).forEach((u) => u.dispose()));

  it('captures entrypoints.setup and stores plugin-data files on disk', async () => {
    const uxp = new FakeUxp();
    fakes.push(uxp);
    const seen: string[] = [];
    uxp.module.entrypoints.setup({ panels: { p: { show: () => void seen.push('show') } }, commands: { diag: () => 'ran' } });
    await uxp.invokePanel('p', 'show', {});
    expect([seen, await uxp.runCommand('diag')]).toEqual([['show'], 'ran']);
    expect(() => uxp.module.entrypoints.setup({})).toThrow(/already/);
    const { localFileSystem: fs, formats } = uxp.module.storage;
    const data = await fs.getDataFolder();
    const file = await data.createFile('model.bin', { overwrite: true });
    await expect(file.write(new Uint8Array([1, 2]) as never, { format: formats.binary })).rejects.toThrow(/ArrayBuffer/);
    await file.write(new Uint8Array([1, 2, 3]).buffer, { format: formats.binary });
    expect(Array.from(readFileSync(join(uxp.dirs.data, 'model.bin')))).toEqual([1, 2, 3]);
    const again = await data.getEntry('model.bin');
    expect(again.isFile && new Uint8Array((await (again as typeof file).read({ format: formats.binary })) as ArrayBuffer)).toEqual(new Uint8Array([1, 2, 3]));
    expect(file.url).toBe('plugin-data:/model.bin');
    await expect(data.createFile('model.bin')).rejects.toThrow(/overwrite/);
    await expect(data.getEntry('missing.bin')).rejects.toThrow(/could not find/);
    await expect((await fs.getPluginFolder()).createFile('x.txt')).rejects.toThrow(/read-only/);
  });
});

describe('<webview> bridge (WV L164-212, notes §3)', () => {
  it('JSON round-trips every message: a raw Uint8Array arrives as {"0":…}, and is recorded as a raw typed array', async () => {
    const window = new Window();
    const el = window.document.createElement('webview');
    window.document.body.appendChild(el);
    const bridge = new FakeWebviewBridge(); // default: one event on the element, bubbling to the window
    bridge.attachWebview(el);
    const atPage: unknown[] = [];
    bridge.page.onMessage((data) => atPage.push(data));
    (el as unknown as { postMessage(m: unknown): void }).postMessage({ kind: 'x', bytes: new Uint8Array([7, 8]) });
    const onElement = new Promise<Event>((resolve) => el.addEventListener('message', (e) => resolve(e as unknown as Event)));
    const atPlugin = new Promise<Event>((resolve) => window.addEventListener('message', (e) => resolve(e as unknown as Event)));
    bridge.page.postToPlugin({ back: new Float32Array([0.5]) });
    expect((await atPlugin as MessageEvent).data).toEqual({ back: { 0: 0.5 } });
    expect(await onElement).toBe(await atPlugin);
    expect(atPage).toEqual([{ kind: 'x', bytes: { 0: 7, 1: 8 } }]);
    expect(bridge.rawTypedArraysSeen).toEqual([{ direction: 'toPage', path: '$.bytes', type: 'Uint8Array' }, { direction: 'toPlugin', path: '$.back', type: 'Float32Array' }]);
    expect(bridge.bytes).toEqual({ toPage: JSON.stringify({ kind: 'x', bytes: { 0: 7, 1: 8 } }).length, toPlugin: JSON.stringify({ back: { 0: 0.5 } }).length });
    await window.happyDOM.close();
  });

  it('carries the protocol webview-json transport with no raw typed array (page port ↔ panel window)', async () => {
    const window = new Window();
    const el = window.document.createElement('webview');
    const bridge = new FakeWebviewBridge({ deliverTo: 'window' });
    bridge.attachWebview(el);
    window.document.body.appendChild(el);
    const panel = createWebviewEndpoint<HostMessage>({ send: (m) => (el as unknown as { postMessage(m: unknown): void }).postMessage(m), target: window as never });
    const frame = createWebviewEndpoint(bridge.page.port);
    const got = new Promise<unknown>((resolve) => frame.listen(resolve));
    const data = new Uint8Array(16 * 16 * 4).map((_, i) => i & 255);
    panel.send({ v: 1, kind: 'request', id: 'r1', method: 'remove', payload: { image: { width: 16, height: 16, data } } } as HostMessage);
    const msg = (await got) as { payload: { image: { data: Uint8Array } } };
    expect(msg.payload.image.data).toEqual(data);
    expect(bridge.rawTypedArraysSeen).toEqual([]);
    expect(bridge.bytes.toPage).toBeGreaterThan(data.length);
    await window.happyDOM.close();
  });
});

describe('loadBuiltPlugin', () => {
  it('loads a fixture plugin: index.html + main.js in a window, require() answering the fakes, the webview wired', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ps-fixture-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><html><body><p id="status">-</p><sp-button id="go">Go</sp-button><webview id="cutout-frame" src="plugin:/webview/frame.html"></webview><script src="main.js"></script></body></html>');
    writeFileSync(join(dir, 'main.js'), `
      const { entrypoints, storage } = require('uxp');
      const { app } = require('photoshop');
      const status = document.getElementById('status');
      entrypoints.setup({ panels: { 'cutout.panel': { show(root) { root.querySelector('#status').textContent = 'doc ' + app.activeDocument.title; } } } });
      window.addEventListener('message', (e) => { status.textContent = 'page says ' + JSON.stringify(e.data); });
      document.getElementById('go').addEventListener('click', async () => {
        document.getElementById('cutout-frame').postMessage({ hello: 1 });
        const f = await (await storage.localFileSystem.getDataFolder()).createFile('seen.txt', { overwrite: true });
        await f.write('clicked');
      });
    `);
    const ps = new FakePhotoshop();
    ps.setup.document({ width: 1, height: 1, title: 'Astronaut.psd' });
    const uxp = new FakeUxp({ pluginDir: dir });
    const bridge = new FakeWebviewBridge({ deliverTo: 'window' });
    const plugin = await loadBuiltPlugin({ distDir: dir, photoshop: ps.module, uxp, bridge });
    try {
      await plugin.panel.show();
      const status = () => plugin.document.getElementById('status')?.textContent;
      expect(status()).toBe('doc Astronaut.psd');
      const atPage = new Promise<unknown>((resolve) => bridge.page.onMessage(resolve));
      (plugin.document.getElementById('go') as unknown as { click(): void }).click();
      expect(await atPage).toEqual({ hello: 1 });
      bridge.page.postToPlugin({ ready: true });
      await new Promise((r) => setTimeout(r, 5));
      expect(status()).toBe('page says {"ready":true}');
      expect(readFileSync(join(uxp.dirs.data, 'seen.txt'), 'utf8')).toBe('clicked');
      expect(plugin.errors).toEqual([]);
    } finally {
      await plugin.close();
      uxp.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
