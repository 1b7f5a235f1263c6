/**
 * Refine and re-runs, and a document that changes while the plugin works (review F2, F7, F10,
 * F15, F16): refine with stored hints and a fixed output kind, a UI that answers with the wrong
 * kind, refine only the paint the plugin wrote, running twice, a fill replaced or reordered during
 * a run, and the original kept across a reload of the file (or gone from it). Built code.js, fake
 * figma, scripted UI.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import sharp from 'sharp';
import type { FakeFigma, FakeScene } from './figma/fake-figma.js';
import { imagePaints, imageRect, loadPluginCode, newFigma, runCommand, shownImage } from './figma/plugin-ui-script.js';
import { SAMPLES_DIR } from './helpers/paths.js';

let code = '';
let png: Uint8Array;
let other: Uint8Array;
beforeAll(async () => {
  code = await loadPluginCode();
  png = new Uint8Array(await sharp(join(SAMPLES_DIR, 'astronaut.png')).resize(120, 80, { fit: 'fill' }).png().toBuffer());
  other = new Uint8Array(await sharp(join(SAMPLES_DIR, 'coffee.png')).resize(90, 60, { fit: 'fill' }).png().toBuffer());
});

const record = (n: FakeScene): Record<string, string> => JSON.parse(n.getPluginData('cutout'));
const hashes = (n: FakeScene): Array<string | null> => imagePaints(n).map((p) => p.imageHash);

async function cutOut(fig: FakeFigma, name = 'Photo', mode: 'remove' | 'remove-mask' = 'remove'): Promise<FakeScene> {
  const node = imageRect(fig, name, png);
  fig.currentPage.selection = [node];
  await runCommand(fig, code, mode);
  expect(fig.closeMessage).toMatch(mode === 'remove' ? /^Removed the background of 1 image/ : /^Masked 1 image/);
  return node;
}

describe('refine', () => {
  it('reopens a mask group interactively with a fixed output and its stored hints, and updates the mask in place', async () => {
    const fig = newFigma();
    const node = await cutOut(fig, 'P', 'remove-mask');
    const group = node.parent as FakeScene;
    const mask = group.children[0]!;
    const maskHashBefore = shownImage(mask).imageHash;
    fig.currentPage.selection = [mask]; // the user selects the mask inside the group
    const ui = await runCommand(fig, code, 'refine');
    expect((await ui.waitFor('remove')).payload).toMatchObject({ interactive: true, output: 'mask', fixedOutput: true, png: true });
    expect(group.children[0]).toBe(mask);
    const result = shownImage(mask).imageHash;
    expect(result).not.toBe(maskHashBefore);
    const rec = record(group);
    expect(rec).toMatchObject({ mode: 'mask', resultHash: result });
    // The hints stay referenced as a hidden paint of the mask (F10).
    expect(imagePaints(mask).find((p) => p.imageHash === rec['hintsHash'])).toMatchObject({ visible: false });
    expect(fig.closeMessage).toBe('Mask updated.');
    // A second refine, after the file was closed and reopened, sends the stored hints back.
    fig.reload();
    fig.currentPage.selection = [group];
    const ui2 = await runCommand(fig, code, 'refine');
    expect((await ui2.waitFor('remove')).payload.hintsEncoded.data).toBeInstanceOf(Uint8Array);
    expect(fig.closeMessage).toBe('Mask updated.');
  });

  it('a UI that answers with the wrong output kind: refused, nothing written (F2)', async () => {
    const fig = newFigma();
    const node = await cutOut(fig);
    const fills = node.fills;
    fig.currentPage.selection = [node];
    const ui = await runCommand(fig, code, 'refine', { answerOutput: 'mask' });
    expect((await ui.waitFor('remove')).payload).toMatchObject({ output: 'cutout', fixedOutput: true });
    expect(fig.closeMessage).toBe('Nothing was changed: the frame returned a mask where a cutout was asked for (Photo)');
    expect(node.fills).toBe(fills);
  });

  it('refine replaces only the paint the plugin wrote, found by its hash (F15)', async () => {
    const fig = newFigma();
    const texture = { type: 'IMAGE', scaleMode: 'TILE', scalingFactor: 1, imageHash: fig.createImage(other).hash } as ImagePaint;
    const node = imageRect(fig, 'Photo', png, {}, { under: [texture] });
    fig.currentPage.selection = [node];
    await runCommand(fig, code, 'remove');
    // The user shows the texture again (the run hid it, F13): two visible image paints.
    fig.user.setFills(node, (node.fills as ReadonlyArray<Paint>).map((p, i) => (i === 0 ? { ...p, visible: true } : p)));
    const [textureHash, originalHash, resultHash] = hashes(node);
    expect(record(node)).toMatchObject({ originalHash, resultHash });
    fig.currentPage.selection = [node];
    await runCommand(fig, code, 'refine');
    expect(fig.closeMessage).toBe('Cut-out updated.');
    const after = hashes(node);
    expect(after.slice(0, 2)).toEqual([textureHash, originalHash]);
    expect(after.at(-1)).not.toBe(resultHash);
    expect(record(node)['resultHash']).toBe(after.at(-1));
  });

  it('refine of a result the user replaced says so and changes nothing (F15)', async () => {
    const fig = newFigma();
    const node = await cutOut(fig);
    const replaced = (node.fills as ReadonlyArray<Paint>).map((p, i, all) => (i === all.length - 1 ? { ...p, imageHash: fig.createImage(other).hash } : p));
    fig.user.setFills(node, replaced);
    const fills = node.fills;
    fig.currentPage.selection = [node];
    await runCommand(fig, code, 'refine');
    expect(fig.notifications.at(-1)!.message).toBe('The result was replaced since it was made: nothing to refine.');
    expect(node.fills).toBe(fills);
  });
});

describe('running twice (F16)', () => {
  it('"Remove background" on a cut-out starts again from the original and keeps the record\'s original', async () => {
    const fig = newFigma();
    const node = await cutOut(fig);
    const first = record(node);
    const fillsAfterFirst = (node.fills as ReadonlyArray<Paint>).length;
    fig.currentPage.selection = [node];
    const ui = await runCommand(fig, code, 'remove');
    const sent = (await ui.waitFor('remove')).payload.encoded.data as Uint8Array;
    const original = await fig.getImageByHash(first['originalHash']!)!.getBytesAsync();
    expect(Buffer.from(sent).equals(Buffer.from(original))).toBe(true);
    expect(record(node)['originalHash']).toBe(first['originalHash']);
    expect(hashes(node).filter((h) => h === first['originalHash'])).toHaveLength(1);
    expect((node.fills as ReadonlyArray<Paint>).length).toBe(fillsAfterFirst);
  });

  it('"Editable mask" on one of our groups, its mask or its original does not nest a second group', async () => {
    const fig = newFigma();
    const node = await cutOut(fig, 'P', 'remove-mask');
    const group = node.parent as FakeScene;
    for (const selected of [node, group.children[0]!, group]) {
      fig.currentPage.selection = [selected];
      await runCommand(fig, code, 'remove-mask');
      expect(fig.notifications.at(-1)!.message).toMatch(/already has an editable mask \(use Refine mask…\)/);
      expect(fig.uiShown).toBeNull();
    }
    expect(group.parent).toBe(fig.currentPage);
    expect(group.children).toHaveLength(2);
  });
});

describe('the document changes during the run (F7)', () => {
  it('a fill replaced during the run: skipped with a reason, the user\'s fill kept', async () => {
    for (const command of ['remove', 'remove-mask']) {
      const fig = newFigma();
      const node = imageRect(fig, 'Photo', png);
      const theirs = [{ type: 'IMAGE', scaleMode: 'FILL', imageHash: fig.createImage(other).hash } as ImagePaint];
      fig.currentPage.selection = [node];
      await runCommand(fig, code, command, { beforeReply: () => fig.user.setFills(node, theirs) });
      expect(fig.closeMessage).toBe('Nothing was changed: Photo had its image replaced during the run');
      expect(hashes(node)).toEqual([theirs[0]!.imageHash]);
      expect(node.parent).toBe(fig.currentPage);
    }
  });

  it('fills reordered during the run: the cut-out goes where the image is now; a mask takes the current paint settings', async () => {
    const fig = newFigma();
    const node = imageRect(fig, 'Photo', png);
    fig.currentPage.selection = [node];
    await runCommand(fig, code, 'remove', { beforeReply: () => fig.user.reorderFills(node, [1, 0]) });
    const fills = node.fills as ReadonlyArray<Paint>;
    expect(fills.map((p) => [p.type, p.visible])).toEqual([['IMAGE', false], ['IMAGE', true], ['SOLID', true]]);
    expect(record(node)['resultHash']).toBe((fills[1] as ImagePaint).imageHash);

    const fig2 = newFigma();
    const node2 = imageRect(fig2, 'Photo', png, { scaleMode: 'FILL' });
    fig2.currentPage.selection = [node2];
    const refit = (): void => fig2.user.setFills(node2, (node2.fills as ReadonlyArray<Paint>).map((p) => (p.type === 'IMAGE' ? { ...p, scaleMode: 'FIT', rotation: 90 } : p)));
    await runCommand(fig2, code, 'remove-mask', { beforeReply: refit });
    const mask = (node2.parent as FakeScene).children[0]!;
    expect(shownImage(mask)).toMatchObject({ scaleMode: 'FIT', rotation: 90 });
  });
});

describe('the original across a reload (F10)', () => {
  it('a masked layer keeps its original referenced (hidden paint): after a reload it can still be refined', async () => {
    const fig = newFigma();
    const node = await cutOut(fig);
    const originalHash = record(node)['originalHash']!;
    const dropped = fig.reload();
    expect(dropped).not.toContain(originalHash);
    expect(fig.getImageByHash(originalHash)).not.toBeNull();
    fig.currentPage.selection = [node];
    await runCommand(fig, code, 'refine');
    expect(fig.closeMessage).toBe('Cut-out updated.');
  });

  it('an original deleted from the file (its hidden paint removed, then a reload): a clear message, no UI', async () => {
    const fig = newFigma();
    const node = await cutOut(fig);
    const originalHash = record(node)['originalHash']!;
    fig.user.setFills(node, (node.fills as ReadonlyArray<Paint>).filter((p) => p.type !== 'IMAGE' || p.imageHash !== originalHash));
    expect(fig.reload()).toContain(originalHash);
    fig.currentPage.selection = [node];
    await runCommand(fig, code, 'refine');
    expect(fig.notifications.at(-1)).toMatchObject({ message: 'The original image of this layer is no longer in the file.', error: true });
    expect(fig.uiShown).toBeNull();
    // Running "Remove background" again on it says the same, per layer.
    await runCommand(fig, code, 'remove');
    expect(fig.closeMessage).toBe('Nothing was changed: Photo has lost its original image (no longer in the file)');
  });
});
