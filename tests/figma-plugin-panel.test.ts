/**
 * "Open Cutout panel" and "Diagnostics…" (review F3, Q2-Q5): the plugin stays open, shows the
 * selection and the actions that apply in the frame (`panel` requests, updated on
 * `selectionchange`), runs a pressed button's action on the current selection with the same batch
 * runner, one run at a time, each run its own undo step, and configures the frame once per session
 * (one model download). Built code.js, fake figma, scripted UI; every wait is on an event.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import sharp from 'sharp';
import type { FakeScene } from './figma/fake-figma.js';
import { imageRect, loadPluginCode, newFigma, startPlugin } from './figma/plugin-ui-script.js';
import { SAMPLES_DIR } from './helpers/paths.js';

let code = '';
let png: Uint8Array;
beforeAll(async () => {
  code = await loadPluginCode();
  png = new Uint8Array(await sharp(join(SAMPLES_DIR, 'astronaut.png')).resize(120, 80, { fit: 'fill' }).png().toBuffer());
});

const enabled = (p: { commands: ReadonlyArray<{ id: string; enabled: boolean }> }): string[] => p.commands.filter((c) => c.enabled).map((c) => c.id);
const working = (p: { status: string }): boolean => p.status.startsWith('Working');

describe('panel', () => {
  it('follows the selection, runs pressed actions, stays open, one configure per session, one undo step per run', async () => {
    const fig = newFigma();
    const a = imageRect(fig, 'A', png);
    const b = imageRect(fig, 'B', png);
    const c = imageRect(fig, 'C', png);
    const ui = startPlugin(fig, code, 'panel');
    const first = (await ui.waitFor('panel')).payload;
    expect(first.status).toBe('Select one or more layers with an image fill.');
    expect(first.commands.map((x: { id: string }) => x.id)).toEqual(['remove', 'remove-mask', 'refine', 'diagnostics']);
    expect(enabled(first)).toEqual(['diagnostics']);

    fig.user.select([a, b]);
    const two = await ui.nextPanel();
    expect(two.status).toBe('2 images selected');
    expect(enabled(two)).toEqual(['remove', 'remove-mask', 'diagnostics']);

    ui.press('remove');
    expect(enabled(await ui.nextPanel(working))).toEqual(['diagnostics']);
    await ui.nextPanel((p) => !working(p));
    expect(fig.notifications.at(-1)!.message).toBe('Removed the background of 2 images, hid 2 fills under the cut-out');
    expect(fig.closed).toBe(false);
    for (const n of [a, b]) expect(JSON.parse(n.getPluginData('cutout')).mode).toBe('layer');

    // A result alone can be refined; a cut-out cannot get an editable mask on top.
    fig.user.select([a]);
    const made = await ui.nextPanel((p) => p.status.startsWith('1 image'));
    expect(enabled(made)).toEqual(['remove', 'refine', 'diagnostics']);
    expect(made.status).toBe('1 image selected; A is already cut out (use Refine mask…, or undo it first)');

    fig.user.select([c]);
    await ui.nextPanel((p) => enabled(p).includes('remove-mask'));
    ui.press('remove-mask');
    await ui.nextPanel(working);
    await ui.nextPanel((p) => !working(p));
    expect(fig.notifications.at(-1)!.message).toBe('Masked 1 image');
    expect((c.parent as FakeScene).type).toBe('GROUP');
    expect(ui.requests.filter((r) => r.method === 'configure')).toHaveLength(1);
    expect(ui.invalid).toEqual([]);

    // Each run is its own undo step: one undo takes back the mask only.
    fig.triggerUndo();
    expect(c.parent).toBe(fig.currentPage);
    expect(JSON.parse(a.getPluginData('cutout')).mode).toBe('layer');
    fig.userCloses();
    await fig.whenClosed();
  });

  it('one run at a time: a second press while working is refused with a notice', async () => {
    const fig = newFigma();
    const a = imageRect(fig, 'A', png);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const ui = startPlugin(fig, code, 'panel', { beforeReply: () => gate });
    await ui.waitFor('panel');
    fig.user.select([a]);
    await ui.nextPanel((p) => enabled(p).includes('remove'));
    ui.press('remove');
    await ui.waitFor('remove');
    ui.press('remove');
    ui.press('diagnostics'); // messages arrive in order: once this is answered, the second press was handled
    await ui.waitFor('diagnostics');
    expect(fig.notifications.at(-1)!.message).toBe('Cutout is still working on the last run.');
    release();
    await ui.nextPanel((p) => !working(p));
    expect(fig.notifications.at(-1)!.message).toMatch(/^Removed the background of 1 image/);
    expect(ui.requests.filter((r) => r.method === 'remove')).toHaveLength(1);
    fig.userCloses();
  });

  it('an action with nothing to do says why and keeps the panel open', async () => {
    const fig = newFigma();
    const plain = fig.createNode('RECTANGLE', 'Plain');
    const ui = startPlugin(fig, code, 'panel');
    await ui.waitFor('panel');
    fig.user.select([plain]);
    const p = await ui.nextPanel();
    expect(p.status).toBe('Nothing to do: Plain has no image fill');
    ui.press('refine');
    ui.press('diagnostics');
    await ui.waitFor('diagnostics');
    expect(fig.notifications.at(-1)).toMatchObject({ message: 'Select one layer or group made by "Remove background" to refine it.', error: true });
    expect(fig.closed).toBe(false);
    fig.userCloses();
  });
});

describe('diagnostics', () => {
  it('"Diagnostics…" opens the frame, asks for its diagnostics (shown there, with Copy) and stays open', async () => {
    const fig = newFigma();
    const ui = startPlugin(fig, code, 'diagnostics');
    await ui.waitFor('diagnostics');
    expect(ui.requests.map((r) => r.method)).toEqual(['configure', 'diagnostics']);
    expect(fig.uiShown!.options).toMatchObject({ title: 'Cutout diagnostics' });
    expect(fig.closed).toBe(false);
    fig.userCloses();
    await fig.whenClosed();
    expect(fig.closeMessage).toBeUndefined();
  });
});
