/**
 * The fake `figma` against the documented Figma Plugin API (one test per documented behaviour;
 * citations in tests/figma/*.ts). Plugin-side checks go through `pluginView`, the object a plugin sees.
 */
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { FakeFigma, pluginScope, pluginView, testSide, type FakeScene } from './figma/fake-figma.js';

/**
 * Resolves once every task already queued has run: the fake delivers messages, events and plugin
 * timers of up to 1 ms as `setTimeout` tasks, and Node runs timers of the same delay (0 is 1 ms) in
 * the order they were set. So "X did not happen" asserted after it means X had its chance, not a
 * guess that 5 ms was enough.
 */
const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));
const png = (w: number, h: number): Promise<Uint8Array> =>
  sharp({ create: { width: w, height: h, channels: 4, background: { r: 200, g: 10, b: 10, alpha: 1 } } }).png().toBuffer().then((b) => new Uint8Array(b));
const at = (n: FakeScene): [number, number] => [n.absoluteTransform[0][2], n.absoluteTransform[1][2]];

function rect(fig: FakeFigma, name: string, parent: Parameters<FakeFigma['createNode']>[2], x: number, y: number, w = 40, h = 30): FakeScene {
  const r = fig.createNode('RECTANGLE', name, parent);
  r.resize(w, h);
  r.x = x;
  r.y = y;
  return r;
}

describe('D1 transforms: relative to the container parent, groups derived', () => {
  it('a node inside a group is positioned relative to the frame, not the group', () => {
    const fig = new FakeFigma();
    const frame = fig.setup.frame('F', undefined, { x: 100, y: 50, width: 300, height: 200 });
    const a = rect(fig, 'A', frame, 20, 30);
    const b = rect(fig, 'B', frame, 80, 60);
    const group = fig.group([a, b], frame);
    expect(a.parent).toBe(group);
    expect([a.x, a.y]).toEqual([20, 30]); // still relative to the frame (FT L7352)
    expect(at(a)).toEqual([120, 80]);
    expect([group.x, group.y, group.width, group.height]).toEqual([20, 30, 100, 60]); // derived from children
    b.x = 200; // moving a child resizes the group
    expect(group.width).toBe(220);
    group.x = 0; // moving the group moves its children
    expect([a.x, b.x]).toEqual([0, 180]);
    expect(a.absoluteBoundingBox).toEqual({ x: 100, y: 80, width: 40, height: 30 });
  });

  it('figma.group keeps absolute positions across containers and refuses instance sublayers', () => {
    const fig = new FakeFigma();
    const frame = fig.setup.frame('F', undefined, { x: 100, y: 50 });
    const inner = rect(fig, 'Inner', frame, 10, 10);
    const outer = rect(fig, 'Outer', undefined, 5, 5);
    const g = fig.group([inner, outer], fig.currentPage, 0);
    expect(at(inner)).toEqual([110, 60]);
    expect([inner.x, inner.y]).toEqual([110, 60]); // now relative to the page
    expect(fig.currentPage.children[0]).toBe(g);
    const sub = rect(fig, 'Sub', undefined, 0, 0);
    fig.setup.instance('Card', undefined, [sub]);
    expect(() => fig.group([sub], fig.currentPage)).toThrow(/inside of an instance/);
    expect(() => fig.group([], fig.currentPage)).toThrow(/non-empty/);
  });

  it('a group whose children all leave deletes itself', () => {
    const fig = new FakeFigma();
    const a = rect(fig, 'A', undefined, 0, 0);
    const g = fig.group([a], fig.currentPage);
    fig.currentPage.appendChild(a);
    expect(g.removed).toBe(true);
  });
});

describe('D2 auto layout', () => {
  it('flow children are placed in order; translation is ignored, rotation kept; ABSOLUTE children keep theirs', () => {
    const fig = new FakeFigma();
    const row = fig.setup.autoLayoutFrame('Row', { layoutMode: 'HORIZONTAL', itemSpacing: 5, padding: 10, x: 50, y: 50, height: 100 });
    const a = rect(fig, 'A', row, 999, 999, 40, 30);
    const b = rect(fig, 'B', row, 0, 0, 30, 30);
    expect([a.x, a.y, b.x]).toEqual([10, 10, 55]);
    expect(row.width).toBe(95); // hugs: 10 + 40 + 5 + 30 + 10
    b.x = 500; // no-op (FT L7302)
    expect(b.x).toBe(55);
    b.relativeTransform = [[0, 1, 300], [-1, 0, 300]]; // 90°: translation ignored (FT L7380)
    expect(b.rotation).toBeCloseTo(90);
    expect(b.absoluteBoundingBox!.x).toBe(50 + 55);
    const first = rect(fig, 'First', undefined, 0, 0, 20, 20);
    row.insertChild(0, first); // inserting reflows
    expect([first.x, a.x]).toEqual([10, 35]);
    const badge = rect(fig, 'Badge', row, 0, 0, 10, 10);
    badge.layoutPositioning = 'ABSOLUTE';
    badge.x = 70;
    badge.y = -5;
    expect([badge.x, badge.y]).toEqual([70, -5]);
    expect(row.width).toBe(10 + 20 + 5 + 40 + 5 + 30 + 10); // the absolute child takes no slot
  });

  it('a GROUP in an auto-layout frame is a flow child; layout sizing is stored where the typings have it', () => {
    const fig = new FakeFigma();
    const col = fig.setup.autoLayoutFrame('Col', { layoutMode: 'VERTICAL', width: 200 });
    const a = rect(fig, 'A', col, 0, 0, 50, 20);
    const b = rect(fig, 'B', col, 0, 0, 50, 20);
    const g = fig.group([b], col, 0);
    expect([g.y, a.y]).toEqual([0, 20]);
    a.layoutSizingHorizontal = 'FILL';
    expect([a.layoutAlign, a.width]).toEqual(['STRETCH', 200]);
    expect(col.layoutSizingVertical).toBe('HUG');
    expect(() => (fig.createNode('RECTANGLE', 'Loose').layoutSizingHorizontal = 'FILL')).toThrow(/auto-layout children/);
  });
});

describe('D3 constraints', () => {
  it('resizing a frame applies each descendant\u2019s constraints, through groups', () => {
    const fig = new FakeFigma();
    const frame = fig.setup.frame('F', undefined, { width: 200, height: 100 });
    const scale = rect(fig, 'Scale', frame, 20, 10, 40, 20);
    scale.constraints = { horizontal: 'SCALE', vertical: 'SCALE' };
    const min = rect(fig, 'Min', frame, 20, 10, 40, 20);
    const max = rect(fig, 'Max', frame, 150, 10, 40, 20);
    max.constraints = { horizontal: 'MAX', vertical: 'CENTER' };
    const stretch = rect(fig, 'Stretch', frame, 10, 70, 180, 20);
    stretch.constraints = { horizontal: 'STRETCH', vertical: 'MIN' };
    const group = fig.group([scale, min], frame);
    frame.resize(400, 200);
    expect([scale.x, scale.y, scale.width, scale.height]).toEqual([40, 20, 80, 40]);
    expect([min.x, min.y, min.width]).toEqual([20, 10, 40]); // MIN/MIN (default): a mask next to a SCALE image drifts
    expect([max.x, max.y]).toEqual([350, 60]);
    expect(stretch.width).toBe(380);
    expect(group.width).toBe(100);
    frame.resizeWithoutConstraints(100, 100);
    expect(scale.width).toBe(80);
  });

  it('groups and boolean operations have no constraints of their own (FT L7289)', () => {
    const fig = new FakeFigma();
    const a = rect(fig, 'A', undefined, 0, 0);
    const g = fig.group([a], fig.currentPage);
    const figma = pluginView(fig);
    const pg = figma.currentPage.children[0]!;
    expect(pg.type).toBe('GROUP');
    expect('constraints' in pg).toBe(false);
    expect('fills' in pg).toBe(false);
    expect(() => g.constraints).toThrow(/GROUP nodes have no "constraints"/);
  });
});

describe('D4 structure', () => {
  it('rectangles have no children; instance sublayers cannot be reparented; instances take no new children', () => {
    const fig = new FakeFigma();
    const r = rect(fig, 'R', undefined, 0, 0);
    const pr = pluginView(fig).currentPage.children[0] as RectangleNode;
    expect('children' in pr).toBe(false);
    expect((pr as unknown as { insertChild?: unknown }).insertChild).toBeUndefined();
    expect(() => r.insertChild(0, fig.createNode('ELLIPSE', 'E'))).toThrow(/RECTANGLE nodes have no "insertChild"/);
    expect(() => fig.currentPage.children[1]!.appendChild(r)).toThrow(/no "appendChild"/);
    const sub = rect(fig, 'Sub', undefined, 0, 0);
    const inst = fig.setup.instance('Card', undefined, [sub]);
    expect(() => fig.currentPage.appendChild(sub)).toThrow(/Node is inside of an instance/);
    expect(() => inst.insertChild(0, fig.createNode('ELLIPSE', 'E'))).toThrow(/New parent is an instance/);
    expect(() => sub.remove()).toThrow();
  });

  it('a COMPONENT_SET accepts only COMPONENT children; boolean operations take operands', () => {
    const fig = new FakeFigma();
    const { set, variants } = fig.setup.componentSet('Button', ['State=Default', 'State=Hover']);
    expect(variants.map((v) => v.type)).toEqual(['COMPONENT', 'COMPONENT']);
    const r = rect(fig, 'R', undefined, 0, 0);
    expect(() => set.insertChild(0, r)).toThrow(/only have children of type COMPONENT/);
    expect(() => fig.group([variants[0]!], set)).toThrow(/COMPONENT_SET/);
    expect(() => fig.createNode('COMPONENT', 'Nested', variants[0]!)).toThrow(/component inside a component/);
    const op = fig.setup.booleanOperation('Union', [rect(fig, 'X', undefined, 10, 10), rect(fig, 'Y', undefined, 30, 30)]);
    const extra = rect(fig, 'Z', undefined, 0, 0);
    op.appendChild(extra); // allowed: it becomes an operand (review F8)
    expect(op.children).toHaveLength(3);
    expect([op.x, op.y]).toEqual([0, 0]);
  });
});

describe('D5-D7 notify, relaunch data, plugin data', () => {
  it('notify truncates to 100 characters and records what was shown', () => {
    const fig = new FakeFigma();
    pluginView(fig).notify('x'.repeat(150), { error: true });
    expect(fig.notifications[0]).toMatchObject({ message: 'x'.repeat(100), error: true });
    expect(fig.notifications[0]!.requested).toHaveLength(150);
  });

  it('a relaunch command missing from the manifest is stored with a warning; plugin data counts the plugin id', () => {
    const fig = new FakeFigma({ pluginId: 'p'.repeat(1000) });
    const r = rect(fig, 'R', undefined, 0, 0);
    r.setRelaunchData({ refne: 'typo' });
    expect(r.getRelaunchData()).toEqual({ refne: 'typo' });
    expect(fig.warnings.join()).toMatch(/"refne" is not in the manifest/);
    expect(() => r.setRelaunchData({ refine: 'd'.repeat(1001) })).toThrow(/1000/);
    expect(() => r.setPluginData('k', 'v'.repeat(99_000))).toThrow(/100 kB/); // 1000 + 1 + 99 000 > 100 000
    r.setPluginData('k', 'v');
    r.setPluginData('k', '');
    expect(r.getPluginDataKeys()).toEqual([]);
  });
});

describe('D8/D9 images', () => {
  it('createImage refuses >4096 px; hashes are opaque; reload drops images no paint references', async () => {
    const fig = new FakeFigma();
    const huge = await png(4097, 2);
    expect(() => fig.createImage(huge)).toThrow(/too large/);
    const used = fig.createImage(await png(4, 4));
    const hidden = fig.createImage(await png(5, 5));
    const orphan = fig.createImage(await png(6, 6));
    expect(used.hash).not.toMatch(/^[0-9a-f]{40}$/);
    const r = rect(fig, 'R', undefined, 0, 0);
    r.fills = [{ type: 'IMAGE', scaleMode: 'FILL', imageHash: used.hash }, { type: 'IMAGE', scaleMode: 'FILL', imageHash: hidden.hash, visible: false }];
    expect(fig.reload()).toEqual([orphan.hash]);
    expect(fig.getImageByHash(orphan.hash)).toBeNull();
    expect(fig.getImageByHash(hidden.hash)).not.toBeNull();
    r.remove();
    fig.reload();
    expect(fig.getImageByHash(used.hash)).toBeNull();
  });

  it('D10: getSizeAsync gives the header size, or the EXIF-oriented size when switched', async () => {
    const jpeg = new Uint8Array(await sharp({ create: { width: 8, height: 4, channels: 3, background: '#888' } }).jpeg().withMetadata({ orientation: 6 }).toBuffer());
    expect(await new FakeFigma().createImage(jpeg).getSizeAsync()).toEqual({ width: 8, height: 4 });
    expect(await new FakeFigma({ exifSize: 'oriented' }).createImage(jpeg).getSizeAsync()).toEqual({ width: 4, height: 8 });
  });
});

describe('D11-D13 closing, UI, messages', () => {
  it('after closePlugin every Figma API throws and timers are cancelled', async () => {
    const fig = new FakeFigma();
    let fired = false;
    const { figma: own, setTimeout: pluginSetTimeout } = pluginScope(fig);
    pluginSetTimeout(() => (fired = true), 1);
    own.closePlugin('done');
    expect(() => own.currentPage).toThrow(/closePlugin/);
    expect(() => own.notify('x')).toThrow(/closePlugin/);
    expect(fig.closeMessage).toBe('done');
    await tick();
    expect(fired).toBe(false);
  });

  it('figma.ui.close() destroys only the UI; the plugin keeps running', () => {
    const fig = new FakeFigma();
    const figma = pluginView(fig);
    figma.showUI('<p>', { visible: false, width: 10 });
    expect([fig.ui.state, fig.ui.size.width]).toEqual(['hidden', 70]);
    figma.ui.show();
    figma.ui.resize(200, 100);
    expect(fig.ui.state).toBe('visible');
    figma.ui.close();
    expect(fig.closed).toBe(false);
    expect(figma.currentPage.type).toBe('PAGE');
    expect(() => figma.ui.postMessage({})).toThrow(/no UI/);
  });

  it('messages are structured clones delivered as tasks, not microtasks', async () => {
    const fig = new FakeFigma();
    const figma = pluginView(fig);
    figma.showUI('<p>');
    const got: unknown[] = [];
    figma.ui.on('message', (m) => got.push(m));
    const sent = { data: new Uint8Array([1, 2]) };
    fig.ui.fromUi(sent);
    await Promise.resolve();
    await Promise.resolve();
    expect(got).toEqual([]);
    await tick();
    expect(got).toEqual([sent]);
    expect(got[0]).not.toBe(sent);
    const toUi: unknown[] = [];
    fig.ui.uiSide = (m) => toUi.push(m);
    figma.ui.postMessage({ n: 1 });
    expect(toUi).toEqual([]);
    await tick();
    expect(toUi).toEqual([{ n: 1 }]);
    expect(() => figma.ui.postMessage({ f: () => 1 })).toThrow();
  });
});

describe('D11 more: close callbacks, dynamic-page, what the plugin can see', () => {
  it('"close" callbacks run with APIs available; afterwards nothing is delivered and whenUiShown/whenClosed resolve', async () => {
    const fig = new FakeFigma();
    const shown = fig.whenUiShown();
    const figma = pluginView(fig);
    const seen: string[] = [];
    figma.on('close', () => seen.push(`close on ${figma.currentPage.name}`)); // APIs still work here (FT L736-742)
    figma.on('selectionchange', () => seen.push('selection'));
    figma.showUI('<p>');
    await shown;
    figma.ui.on('message', () => seen.push('message'));
    fig.ui.fromUi({ hello: 1 });
    fig.user.select([]);
    fig.userCloses();
    await fig.whenClosed();
    await tick();
    expect(seen).toEqual(['close on Page 1']); // callbacks disabled after close (FT L173)
    expect(fig.ui.state).toBe('closed');
  });

  it('dynamic-page: getNodeById throws, another page needs loadAsync before its children are used', async () => {
    const fig = new FakeFigma();
    const other = fig.setup.page('Other');
    fig.createNode('RECTANGLE', 'Far', other);
    const figma = pluginView(fig);
    expect(() => figma.getNodeById('1:1')).toThrow(/getNodeByIdAsync/);
    const page = figma.root.children[1]!;
    expect(() => page.children).toThrow(/loadAsync/);
    await page.loadAsync();
    expect(page.children.map((n) => n.name)).toEqual(['Far']);
  });

  it('the plugin sees documented members only, also in callbacks', () => {
    const fig = new FakeFigma();
    rect(fig, 'A', undefined, 0, 0);
    const figma = pluginView(fig);
    const [found] = figma.currentPage.findAll(() => true);
    expect(found!.name).toBe('A');
    const hits = figma.currentPage.findAll((n) => 's' in n || 'fig' in n || 'relaunchData' in n);
    expect(hits).toEqual([]);
    expect((figma as unknown as { setup?: unknown }).setup).toBeUndefined();
    expect(() => ((found as { width: number }).width = 5)).toThrow(/read-only/);
  });
});

describe('D14 a live document', () => {
  it('selectionchange and currentpagechange fire asynchronously; createRectangle uses the current page', async () => {
    const fig = new FakeFigma();
    const a = rect(fig, 'A', undefined, 0, 0);
    const figma = pluginView(fig);
    const events: string[] = [];
    figma.on('selectionchange', () => events.push('selection'));
    figma.once('currentpagechange', () => events.push('page'));
    fig.user.select([a]);
    fig.user.select([a]);
    expect(events).toEqual([]); // asynchronous (FT L515)
    await tick();
    expect(events).toEqual(['selection']); // coalesced (FT L531)
    fig.user.deleteNode(a); // a selected node is deleted (FT L557)
    expect(fig.currentPage.selection).toEqual([]);
    await tick();
    expect(events).toEqual(['selection', 'selection']);
    const p2 = fig.setup.page('Page 2');
    fig.user.switchPage(p2);
    await tick();
    expect(events).toEqual(['selection', 'selection', 'page', 'selection']);
    expect(figma.createRectangle().parent!.id).toBe(p2.id); // FT L915
    expect(() => (figma.currentPage = figma.root.children[0]!)).toThrow(/read-only/); // dynamic-page (FT L464)
  });

  it('a user edit mid-run is its own undo step; triggerUndo reverts the plugin\u2019s step', () => {
    const fig = new FakeFigma();
    const a = rect(fig, 'A', undefined, 0, 0);
    const b = rect(fig, 'B', undefined, 100, 0);
    fig.commitUndo();
    const figma = pluginView(fig);
    const pa = figma.currentPage.children[0] as RectangleNode;
    figma.group([pa], figma.currentPage);
    fig.user.moveInto(b, fig.setup.frame('F', undefined, { x: 50, y: 0, width: 300 })); // the user's step
    pa.setPluginData('k', 'v');
    fig.triggerUndo();
    expect(a.getPluginData('k')).toBe('');
    expect(b.parent!.type).toBe('FRAME'); // the user's step stays
    expect(at(b)).toEqual([100, 0]);
    fig.triggerUndo();
    fig.triggerUndo();
    expect(a.parent).toBe(fig.currentPage);
  });

  it('undo reverts a frame resize together with the constraints and the auto layout it applied', () => {
    const fig = new FakeFigma();
    const frame = fig.setup.frame('F', undefined, { width: 200, height: 100 });
    const r = rect(fig, 'R', frame, 150, 10, 40, 20);
    r.constraints = { horizontal: 'MAX', vertical: 'MIN' };
    const col = fig.setup.autoLayoutFrame('Col', { layoutMode: 'VERTICAL', itemSpacing: 4 });
    const a = rect(fig, 'A', col, 0, 0, 50, 20);
    rect(fig, 'B', col, 0, 0, 50, 20);
    fig.commitUndo();
    frame.resize(300, 100);
    a.resize(50, 60);
    expect([r.x, col.height]).toEqual([250, 84]);
    fig.triggerUndo();
    expect([r.x, frame.width, col.height, a.height]).toEqual([150, 200, 44, 20]);
  });

  it('reading a removed node throws on the plugin side (switchable)', () => {
    for (const mode of ['throw', 'allow'] as const) {
      const fig = new FakeFigma({ removedNodeAccess: mode });
      const a = rect(fig, 'A', undefined, 0, 0);
      const pa = pluginView(fig).currentPage.children[0]!;
      fig.user.deleteNode(a);
      expect(pa.removed).toBe(true);
      if (mode === 'throw') expect(() => pa.name).toThrow(/does not exist/);
      else expect(pa.name).toBe('A');
    }
  });
});

describe('D15 paints, styles', () => {
  it('fills are normalised as Figma reads them back, frozen, and must reference known images', async () => {
    const fig = new FakeFigma();
    const img = fig.createImage(await png(4, 4));
    const r = rect(fig, 'R', undefined, 0, 0);
    r.fills = [{ type: 'SOLID', color: { r: 1, g: 0, b: 0 } }, { type: 'IMAGE', scaleMode: 'FIT', imageHash: img.hash, filters: { exposure: 0.5 } }];
    const [solid, image] = r.fills as [SolidPaint, ImagePaint];
    expect(solid).toEqual({ type: 'SOLID', color: { r: 1, g: 0, b: 0 }, visible: true, opacity: 1, blendMode: 'NORMAL' });
    expect(image).toMatchObject({ visible: true, opacity: 1, blendMode: 'NORMAL', rotation: 0, scalingFactor: 0.5, imageTransform: [[1, 0, 0], [0, 1, 0]] });
    expect(image.filters).toEqual({ exposure: 0.5, contrast: 0, saturation: 0, temperature: 0, tint: 0, highlights: 0, shadows: 0 });
    expect(Object.isFrozen(image.filters)).toBe(true);
    expect(() => (r.fills = [{ type: 'IMAGE', scaleMode: 'FILL', imageHash: 'nope' }])).toThrow(/no image/);
  });

  it('writing fills detaches a fill style; fillStyleId is read-only under dynamic-page', async () => {
    const fig = new FakeFigma();
    const r = rect(fig, 'R', undefined, 0, 0);
    const style = fig.setup.paintStyle([{ type: 'SOLID', color: { r: 0, g: 0, b: 1 } }]);
    fig.setup.applyFillStyle(r, style);
    const pr = pluginView(fig).currentPage.children[0] as RectangleNode;
    expect(pr.fillStyleId).toBe(style);
    expect(() => (pr.fillStyleId = '')).toThrow(/dynamic-page/);
    pr.fills = [{ type: 'SOLID', color: { r: 1, g: 1, b: 1 } }];
    expect(r.fillStyleId).toBe('');
    await pr.setFillStyleIdAsync(style);
    expect(testSide(fig, pr).fillStyleId).toBe(style);
  });
});
