/**
 * The built Figma plugin (figma-plugin/dist/code.js) against the fake `figma` global, with a
 * scripted UI: every branch — nothing selected, no image fill, masked layer, editable mask, batch
 * with skips (GIF, locked, inside an instance), cancel, a node deleted mid-run, the plugin closed
 * mid-run, hostile UI messages, oversize images, refine — and one undo step per run.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { FakeFigma, runPlugin, type FakeScene } from './figma/fake-figma.js';
import { scriptUi, type ScriptOptions } from './figma/scripted-ui.js';
import { ROOT, SAMPLES_DIR } from './helpers/paths.js';

let code = '';
let png: Uint8Array;
let gif: Uint8Array;
beforeAll(async () => {
  code = await readFile(join(ROOT, 'figma-plugin', 'dist', 'code.js'), 'utf8');
  png = new Uint8Array(await sharp(join(SAMPLES_DIR, 'astronaut.png')).resize(120, 80, { fit: 'fill' }).png().toBuffer());
  gif = new Uint8Array(await sharp(join(SAMPLES_DIR, 'astronaut.png')).resize(40, 30).gif().toBuffer());
});

function imageRect(fig: FakeFigma, name: string, bytes: Uint8Array, paint: Partial<ImagePaint> = {}): FakeScene {
  const image = fig.createImage(bytes);
  const node = fig.createNode('RECTANGLE', name);
  node.resize(240, 160);
  node.x = 10;
  node.y = 20;
  node.fills = [{ type: 'SOLID', color: { r: 1, g: 1, b: 1 } }, { type: 'IMAGE', scaleMode: 'FILL', imageHash: image.hash, ...paint } as ImagePaint];
  return node;
}

async function run(fig: FakeFigma, command: string, script: ScriptOptions = {}) {
  fig.command = command;
  fig.commitUndo(); // the document as the user had it: the baseline for undo
  const log = scriptUi(fig, script);
  runPlugin(code, fig);
  await fig.whenClosed();
  await new Promise((r) => setTimeout(r, 5));
  return log;
}

describe('figma plugin (built code.js, fake figma, scripted UI)', () => {
  it('with nothing selected: a clear notification, no UI, no change', async () => {
    const fig = new FakeFigma();
    await run(fig, 'remove');
    expect(fig.notifications[0]).toMatchObject({ error: true });
    expect(fig.notifications[0]!.message).toMatch(/Select one or more layers with an image fill/);
    expect(fig.uiShown).toBeNull();
  });

  it('with no image fill selected: says why', async () => {
    const fig = new FakeFigma();
    const rect = fig.createNode('RECTANGLE', 'Plain');
    fig.currentPage.selection = [rect];
    await run(fig, 'remove-mask');
    expect(fig.notifications[0]!.message).toMatch(/Plain has no image fill/);
    expect(fig.uiShown).toBeNull();
  });

  it('masked layer: replaces the image fill, keeps the paint transform, one undo step restores it', async () => {
    const fig = new FakeFigma();
    const node = imageRect(fig, 'Photo', png, { scaleMode: 'CROP', imageTransform: [[0.5, 0, 0.25], [0, 0.5, 0.1]] });
    const before = node.fills as ReadonlyArray<Paint>;
    fig.currentPage.selection = [node];
    const log = await run(fig, 'remove');
    expect(log.requests.find((r) => r.method === 'configure')!.payload).toMatchObject({ theme: 'figma', host: 'figma' });
    const remove = log.requests.find((r) => r.method === 'remove')!.payload;
    expect(remove).toMatchObject({ output: 'cutout', png: true, maxOutputSide: 4096 });
    expect(fig.uiShown!.options).toMatchObject({ themeColors: true });
    const after = node.fills as ReadonlyArray<ImagePaint>;
    expect(after).toHaveLength(2);
    expect(after[0]).toEqual(before[0]);
    const { imageHash: oldHash, ...oldRest } = before[1] as ImagePaint;
    const { imageHash: newHash, ...newRest } = after[1]!;
    expect(newHash).not.toBe(oldHash);
    expect(newRest).toEqual(oldRest);
    expect(await fig.getImageByHash(newHash!)!.getSizeAsync()).toEqual({ width: 120, height: 80 });
    expect(JSON.parse(node.getPluginData('cutout'))).toMatchObject({ v: 1, mode: 'layer', originalHash: oldHash });
    expect(node.relaunchData).toHaveProperty('refine');
    expect(fig.closeMessage).toMatch(/Removed the background of 1 image/);
    fig.triggerUndo();
    expect(node.fills).toEqual(before);
    expect(node.getPluginData('cutout')).toBe('');
  });

  it('TILE and rotated paints keep every setting, so the result lines up', async () => {
    const fig = new FakeFigma();
    const tile = imageRect(fig, 'Tile', png, { scaleMode: 'TILE', scalingFactor: 0.5, rotation: 180 });
    const fit = imageRect(fig, 'Fit', png, { scaleMode: 'FIT', rotation: 270, filters: { exposure: 0.3 } });
    const before = [tile, fit].map((n) => (n.fills as ReadonlyArray<ImagePaint>)[1]!);
    fig.currentPage.selection = [tile, fit];
    await run(fig, 'remove');
    [tile, fit].forEach((n, i) => {
      const { imageHash: a, ...was } = before[i]!;
      const { imageHash: b, ...now } = (n.fills as ReadonlyArray<ImagePaint>)[1]!;
      expect(now).toEqual(was);
      expect(b).not.toBe(a);
    });
  });

  it('editable mask: group [ALPHA mask, untouched original] in place, aligned, one undo step', async () => {
    const fig = new FakeFigma();
    const other = fig.createNode('RECTANGLE', 'Above');
    const node = imageRect(fig, 'Portrait', png, { scaleMode: 'FIT', rotation: 90 });
    fig.currentPage.insertChild(0, node); // below "Above"
    node.relativeTransform = [[Math.cos(0.3), Math.sin(0.3), 50], [-Math.sin(0.3), Math.cos(0.3), 70]];
    const fillsBefore = node.fills;
    const absBefore = node.absoluteTransform;
    fig.currentPage.selection = [node];
    await run(fig, 'remove-mask');
    const group = fig.currentPage.children[0]!;
    expect(group.type).toBe('GROUP');
    expect(group.name).toBe('Portrait (background removed)');
    expect(fig.currentPage.children[1]).toBe(other);
    const [mask, original] = group.children as [FakeScene, FakeScene];
    expect(original).toBe(node);
    expect(mask.isMask).toBe(true);
    expect(mask.maskType).toBe('ALPHA');
    expect(node.fills).toBe(fillsBefore); // the original is untouched
    for (let r = 0; r < 2; r++) for (let c = 0; c < 3; c++) {
      expect(mask.absoluteTransform[r]![c]).toBeCloseTo(absBefore[r]![c]!, 9);
      expect(node.absoluteTransform[r]![c]).toBeCloseTo(absBefore[r]![c]!, 9);
    }
    expect([mask.width, mask.height]).toEqual([node.width, node.height]);
    const maskPaint = (mask.fills as ReadonlyArray<ImagePaint>)[0]!;
    expect(maskPaint).toMatchObject({ type: 'IMAGE', scaleMode: 'FIT', rotation: 90 });
    expect(JSON.parse(group.getPluginData('cutout'))).toMatchObject({ mode: 'mask' });
    fig.triggerUndo();
    expect(fig.currentPage.children).toEqual([node, other]);
    expect(node.parent).toBe(fig.currentPage);
    expect(node.absoluteTransform).toEqual(absBefore);
  });

  it('batch: per-image labels, GIF / locked / inside-instance skipped with reasons', async () => {
    const fig = new FakeFigma();
    const a = imageRect(fig, 'A', png);
    const b = imageRect(fig, 'B', png);
    const g = imageRect(fig, 'Anim', gif);
    const locked = imageRect(fig, 'Locked', png);
    locked.locked = true;
    const instance = fig.createNode('INSTANCE', 'Card');
    const inner = imageRect(fig, 'Inner', png);
    instance.insertChild(0, inner);
    fig.currentPage.selection = [a, b, g, locked, inner];
    const log = await run(fig, 'remove-mask');
    const labels = log.requests.filter((r) => r.method === 'remove').map((r) => r.payload.label);
    expect(labels).toEqual(['A (1 of 3)', 'B (2 of 3)', 'Anim (3 of 3)'].slice(0, 2));
    expect(fig.closeMessage).toMatch(/Masked 2 images, skipped 3/);
    expect(fig.closeMessage!.length).toBeLessThanOrEqual(100);
    expect(a.parent!.type).toBe('GROUP');
    expect(g.parent).toBe(fig.currentPage);
    expect(locked.parent).toBe(fig.currentPage);
    expect(inner.parent).toBe(instance);
  });

  it('cancel from the UI leaves the document unchanged', async () => {
    const fig = new FakeFigma();
    const a = imageRect(fig, 'A', png);
    const b = imageRect(fig, 'B', png);
    const before = [a.fills, b.fills];
    fig.currentPage.selection = [a, b];
    await run(fig, 'remove', { failAt: { index: 1, code: 'cancelled' } });
    expect([a.fills, b.fills]).toEqual(before);
    expect(fig.closeMessage).toMatch(/Cancelled: nothing was changed/);
  });

  it('a node deleted mid-run is skipped; a failed image does not stop the batch', async () => {
    const fig = new FakeFigma();
    const a = imageRect(fig, 'A', png);
    const b = imageRect(fig, 'B', png);
    const c = imageRect(fig, 'C', png);
    fig.currentPage.selection = [a, b, c];
    await run(fig, 'remove', { beforeReply: (i) => (i === 0 ? a.remove() : undefined), failAt: { index: 1, code: 'model_invalid_output' } });
    expect(fig.closeMessage).toMatch(/^Removed the background of 1 image, skipped 2: B failed/);
    expect(fig.closeMessage!.length).toBeLessThanOrEqual(100);
    expect(a.removed).toBe(true);
    expect(JSON.parse(c.getPluginData('cutout')).mode).toBe('layer');
  });

  it('the plugin closed mid-run writes nothing', async () => {
    const fig = new FakeFigma();
    const a = imageRect(fig, 'A', png);
    const before = a.fills;
    fig.currentPage.selection = [a];
    await run(fig, 'remove', { beforeReply: () => fig.userCloses() });
    await new Promise((r) => setTimeout(r, 50));
    expect(a.fills).toBe(before);
    expect(fig.closeMessage).toBeUndefined();
  });

  it('ignores and logs malformed or hostile UI messages', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const fig = new FakeFigma();
    const a = imageRect(fig, 'A', png);
    fig.currentPage.selection = [a];
    const hostile = [
      'string',
      { v: 1, kind: 'result', id: 'p1', result: { method: 'remove', value: { matte: { width: 1e9, height: 1, data: new Uint8Array(1) } } } },
      { v: 1, kind: 'error', id: 'p2', code: 'rm -rf', message: 'x' },
      JSON.parse('{"__proto__":{"polluted":true},"v":1,"kind":"ready"}'),
      { v: 1, kind: 'result', id: 'nobody', result: { method: 'configure', value: { ok: true } } },
    ];
    await run(fig, 'remove', { hostile });
    expect(fig.closeMessage).toMatch(/Removed the background of 1 image/);
    expect(warn.mock.calls.some((c) => String(c[0]).includes('ignored'))).toBe(true);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    warn.mockRestore();
  });

  it('an image above 4096 px comes back within the limit (createImage would refuse it)', async () => {
    const fig = new FakeFigma();
    const big = new Uint8Array(await sharp({ create: { width: 5000, height: 300, channels: 3, background: { r: 10, g: 20, b: 30 } } }).png().toBuffer());
    const image = fig.addImageUnchecked(big, 5000, 300);
    expect(() => fig.createImage(big)).toThrow(/too large/);
    const node = fig.createNode('RECTANGLE', 'Wide');
    node.fills = [{ type: 'IMAGE', scaleMode: 'FILL', imageHash: image.hash }];
    fig.currentPage.selection = [node];
    await run(fig, 'remove');
    const hash = (node.fills as ReadonlyArray<ImagePaint>)[0]!.imageHash!;
    expect(await fig.getImageByHash(hash)!.getSizeAsync()).toEqual({ width: 4096, height: 246 });
  });

  it('refine: reopens a plugin-made group interactively with its stored hints and updates the mask in place', async () => {
    const fig = new FakeFigma();
    const node = imageRect(fig, 'P', png);
    fig.currentPage.selection = [node];
    await run(fig, 'remove-mask');
    const group = node.parent as FakeScene;
    const mask = group.children[0]!;
    const maskHashBefore = (mask.fills as ReadonlyArray<ImagePaint>)[0]!.imageHash;
    const fig2 = fig;
    fig2.closed = false;
    fig2.uiShown = null;
    fig2.currentPage.selection = [mask]; // the user selects the mask inside the group
    const log = await run(fig2, 'refine');
    const req = log.requests.find((r) => r.method === 'remove')!.payload;
    expect(req.interactive).toBe(true);
    expect(req.output).toBe('mask');
    expect(group.children[0]).toBe(mask);
    expect((mask.fills as ReadonlyArray<ImagePaint>)[0]!.imageHash).not.toBe(maskHashBefore);
    expect(JSON.parse(group.getPluginData('cutout')).hintsHash).toMatch(/^[0-9a-f]{40}$/);
    expect(fig2.closeMessage).toBe('Mask updated.');
    // A second refine sends the stored hints back.
    fig2.closed = false;
    fig2.uiShown = null;
    fig2.currentPage.selection = [group];
    const log2 = await run(fig2, 'refine');
    expect(log2.requests.find((r) => r.method === 'remove')!.payload.hintsEncoded.data).toBeInstanceOf(Uint8Array);
  });

  it('refine on a layer the plugin did not make says so', async () => {
    const fig = new FakeFigma();
    const node = imageRect(fig, 'P', png);
    fig.currentPage.selection = [node];
    await run(fig, 'refine');
    expect(fig.notifications[0]!.message).toMatch(/made by "Remove background"/);
  });
});
