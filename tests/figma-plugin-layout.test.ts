/**
 * The editable mask where layers live in real files (review F1, F6, F8, F17): inside auto-layout
 * frames (flow and ABSOLUTE children, a node moved into one during the run), under constraints,
 * next to places Figma refuses (variants, boolean operations, main components, stretching
 * children), and a write that fails half-way. Built code.js, fake figma (auto layout, container
 * parents, constraints, reparent refusals), scripted UI.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import sharp from 'sharp';
import type { FakeFigma, FakeScene } from './figma/fake-figma.js';
import { imageRect, loadPluginCode, newFigma, runCommand } from './figma/plugin-ui-script.js';
import { SAMPLES_DIR } from './helpers/paths.js';

let code = '';
let png: Uint8Array;
beforeAll(async () => {
  code = await loadPluginCode();
  png = new Uint8Array(await sharp(join(SAMPLES_DIR, 'astronaut.png')).resize(120, 80, { fit: 'fill' }).png().toBuffer());
});

/** A horizontal auto-layout row [A, <middle>, C] of fixed 50×50 squares with 10 px gaps and 8 px padding. */
function row(fig: FakeFigma): { frame: FakeScene; a: FakeScene; c: FakeScene } {
  const frame = fig.setup.autoLayoutFrame('Row', { layoutMode: 'HORIZONTAL', itemSpacing: 10, padding: 8, x: 40, y: 30 });
  const a = fig.createNode('RECTANGLE', 'A', frame);
  a.resize(50, 50);
  const c = fig.createNode('RECTANGLE', 'C', frame);
  c.resize(50, 50);
  return { frame, a, c };
}

const box = (n: FakeScene): Rect => n.absoluteBoundingBox!;

function expectSameBox(actual: Rect, expected: Rect): void {
  for (const k of ['x', 'y', 'width', 'height'] as const) expect(actual[k]).toBeCloseTo(expected[k], 9);
}

/** The mask group the run made around `node`, and its mask. */
function maskGroup(node: FakeScene): { group: FakeScene; mask: FakeScene } {
  const group = node.parent as FakeScene;
  expect(group.type).toBe('GROUP');
  const mask = group.children[0]!;
  expect(mask.isMask).toBe(true);
  return { group, mask };
}

describe('editable mask in auto layout, constraints and refused places', () => {
  it('auto layout, flow child: the group takes the image slot, the mask lies on the image, the row gains no slot (F1)', async () => {
    const fig = newFigma();
    const { frame, a, c } = row(fig);
    const photo = imageRect(fig, 'Photo', png, {}, { parent: frame });
    frame.insertChild(1, photo);
    const before = { photo: box(photo), a: box(a), c: box(c), width: frame.width, height: frame.height };
    fig.currentPage.selection = [photo];
    await runCommand(fig, code, 'remove-mask');
    expect(fig.closeMessage).toBe('Masked 1 image');
    expect(frame.children.map((n) => n.name)).toEqual(['A', 'Photo (background removed)', 'C']);
    const { group, mask } = maskGroup(photo);
    expect(group.layoutPositioning).toBe('AUTO');
    expectSameBox(box(photo), before.photo);
    expectSameBox(box(mask), before.photo);
    expectSameBox(box(c), before.c);
    expect([frame.width, frame.height]).toEqual([before.width, before.height]);
    fig.triggerUndo();
    expect(frame.children).toEqual([a, photo, c]);
  });

  it('auto layout, ABSOLUTE child: the group is ABSOLUTE too, nothing moves, the flow is unchanged (F1)', async () => {
    const fig = newFigma();
    const { frame, a, c } = row(fig);
    const photo = imageRect(fig, 'Badge', png, {}, { parent: frame });
    photo.layoutPositioning = 'ABSOLUTE';
    photo.x = 300;
    photo.y = 40;
    const before = { photo: box(photo), a: box(a), c: box(c), width: frame.width };
    fig.currentPage.selection = [photo];
    await runCommand(fig, code, 'remove-mask');
    const { group, mask } = maskGroup(photo);
    expect(group.parent).toBe(frame);
    expect(group.layoutPositioning).toBe('ABSOLUTE');
    expectSameBox(box(photo), before.photo);
    expectSameBox(box(mask), before.photo);
    expectSameBox(box(a), before.a);
    expectSameBox(box(c), before.c);
    expect(frame.width).toBe(before.width);
  });

  it('a node moved into an auto-layout frame during the run: the mask is made where it is now, and lines up (F1)', async () => {
    const fig = newFigma();
    const { frame, c } = row(fig);
    const photo = imageRect(fig, 'Photo', png);
    fig.currentPage.selection = [photo];
    await runCommand(fig, code, 'remove-mask', { beforeReply: () => fig.user.moveInto(photo, frame, 1) });
    expect(fig.closeMessage).toBe('Masked 1 image');
    expect(frame.children.map((n) => n.type)).toEqual(['RECTANGLE', 'GROUP', 'RECTANGLE']);
    const { mask } = maskGroup(photo);
    expectSameBox(box(mask), box(photo));
    expect(c.x).toBeCloseTo(8 + 50 + 10 + 240 + 10, 9); // one slot for the image, none for the mask
  });

  it('a child that fills its auto-layout frame is refused with a reason (a group cannot stretch)', async () => {
    const fig = newFigma();
    const frame = fig.setup.autoLayoutFrame('Row', { layoutMode: 'HORIZONTAL', primaryAxisSizingMode: 'FIXED', width: 600, height: 200 });
    const photo = imageRect(fig, 'Hero', png, {}, { parent: frame });
    photo.layoutGrow = 1;
    fig.currentPage.selection = [photo];
    await runCommand(fig, code, 'remove-mask');
    expect(fig.notifications[0]!.message).toMatch(/^Nothing to do: Hero fills its auto-layout frame/);
    expect(fig.uiShown).toBeNull();
    expect(photo.parent).toBe(frame);
  });

  it('constraints are copied to the mask, so a frame resize keeps mask and image together (F6)', async () => {
    const fig = newFigma();
    const frame = fig.setup.frame('Banner', fig.currentPage, { width: 400, height: 300 });
    const photo = imageRect(fig, 'Photo', png, {}, { parent: frame });
    photo.constraints = { horizontal: 'SCALE', vertical: 'STRETCH' };
    fig.currentPage.selection = [photo];
    await runCommand(fig, code, 'remove-mask');
    const { mask } = maskGroup(photo);
    expect(mask.constraints).toEqual({ horizontal: 'SCALE', vertical: 'STRETCH' });
    fig.user.resize(frame, 800, 450);
    expect(box(photo).width).toBeCloseTo(480, 9);
    expectSameBox(box(mask), box(photo));
  });

  it('variants, boolean operands and layers of main components are refused for the editable mask (F8, F17); the masked layer still works', async () => {
    const fig = newFigma();
    const { variants } = fig.setup.componentSet('Buttons', ['Default', 'Hover']);
    const variant = variants[0]!;
    variant.fills = [{ type: 'IMAGE', scaleMode: 'FILL', imageHash: fig.createImage(png).hash }];
    const operand = imageRect(fig, 'Operand', png);
    const other = fig.createNode('ELLIPSE', 'Circle');
    fig.setup.booleanOperation('Union', [operand, other]);
    const component = fig.setup.mainComponent('Card', fig.currentPage, { x: 500, width: 300, height: 200 });
    const inMain = imageRect(fig, 'Card photo', png, {}, { parent: component });
    const pageBefore = fig.currentPage.children.map((n) => n.id);
    fig.currentPage.selection = [variant, operand, inMain];
    await runCommand(fig, code, 'remove-mask');
    const message = fig.notifications[0]!.requested;
    expect(message).toMatch(/^Nothing to do: Default is a variant/);
    expect(fig.currentPage.children.map((n) => n.id)).toEqual(pageBefore);
    // Each reason, one at a time (the notice shows the first).
    for (const [node, reason] of [
      [operand, /Operand is part of a boolean operation/],
      [inMain, /Card photo is inside a main component/],
    ] as const) {
      fig.currentPage.selection = [node];
      await runCommand(fig, code, 'remove-mask');
      expect(fig.notifications.at(-1)!.requested).toMatch(reason);
    }
    fig.currentPage.selection = [inMain];
    await runCommand(fig, code, 'remove');
    expect(fig.closeMessage).toMatch(/^Removed the background of 1 image/);
  });

  it('a write that fails half-way leaves no stray rectangle and no group (F8)', async () => {
    const fig = newFigma();
    const frame = fig.setup.frame('Frame', fig.currentPage, { width: 400, height: 300 });
    const photo = imageRect(fig, 'Photo', png, {}, { parent: frame });
    const boxBefore = box(photo);
    const fillsBefore = photo.fills;
    // Figma throwing in the middle of the write (any step after the rectangle exists).
    const createRectangle = fig.createRectangle.bind(fig);
    fig.createRectangle = () => {
      const rect = createRectangle();
      rect.resize = () => {
        throw new Error('boom');
      };
      return rect;
    };
    fig.currentPage.selection = [photo];
    await runCommand(fig, code, 'remove-mask');
    expect(fig.closeMessage).toBe('Nothing was changed: Photo could not be written (boom)');
    expect(frame.children).toEqual([photo]);
    expect(fig.currentPage.children).toEqual([frame]);
    expectSameBox(box(photo), boxBefore);
    expect(photo.fills).toBe(fillsBefore);
  });
});
