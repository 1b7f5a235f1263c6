/// <reference types="@figma/plugin-typings" />
/**
 * Test-only APIs (never visible to the plugin):
 *  - FakeSetup: arranges documents Figma's API refuses to build directly (instances with sublayers,
 *    component sets with variants, boolean operations) by bypassing the reparenting refusals.
 *  - FakeUser: the user acting on the document while a run is in progress (the plugin UI is not modal,
 *    review D14). Each action is its own undo step (how Figma interleaves a user's step with the
 *    plugin's is undocumented, review Q10: the fake splits, the stricter choice).
 */
import { IDENTITY, invert, multiply, translation, type Matrix } from './fake-math.js';
import { checkReparent, moveNode, type FakeNode } from './fake-node.js';
import { absOf, containerOf } from './fake-layout.js';
import { wrapNodes } from './fake-group.js';
import { FakePage } from './fake-page.js';
import { FakeScene } from './fake-scene.js';
import { isTransparent } from './fake-types.js';
import type { FakeFigma } from './fake-figma.js';

export interface AutoLayoutOptions {
  readonly layoutMode: 'HORIZONTAL' | 'VERTICAL';
  readonly itemSpacing?: number;
  readonly padding?: number | { left?: number; right?: number; top?: number; bottom?: number };
  readonly primaryAxisSizingMode?: 'FIXED' | 'AUTO';
  readonly counterAxisSizingMode?: 'FIXED' | 'AUTO';
  readonly primaryAxisAlignItems?: 'MIN' | 'MAX' | 'CENTER' | 'SPACE_BETWEEN';
  readonly counterAxisAlignItems?: 'MIN' | 'MAX' | 'CENTER';
  readonly x?: number;
  readonly y?: number;
  readonly width?: number;
  readonly height?: number;
}

let styleCounter = 1;

export class FakeSetup {
  constructor(private readonly fig: FakeFigma) {}

  /** Inserts `child` into `parent` WITHOUT the reparenting refusals (instance sublayers, variants, operands). Set-up only. */
  forceInsert(parent: FakeNode, child: FakeNode, index = parent.s.children.length): void {
    moveNode(child, parent, index);
    this.fig.changed();
  }
  page(name: string): FakePage {
    const page = new FakePage(this.fig, name);
    this.forceInsert(this.fig.root, page);
    return page;
  }
  frame(name: string, parent: FakeNode = this.fig.currentPage, rect: { x?: number; y?: number; width?: number; height?: number } = {}): FakeScene {
    return this.make('FRAME', name, parent, rect);
  }
  /** A FRAME with auto layout (FT L7694-7790): flow children are placed by the layout, in child order. */
  autoLayoutFrame(name: string, options: AutoLayoutOptions, parent: FakeNode = this.fig.currentPage): FakeScene {
    const frame = this.make('FRAME', name, parent, options);
    const pad = typeof options.padding === 'number' ? { left: options.padding, right: options.padding, top: options.padding, bottom: options.padding } : (options.padding ?? {});
    Object.assign(frame.s, {
      layoutMode: options.layoutMode,
      itemSpacing: options.itemSpacing ?? 0,
      paddingLeft: pad.left ?? 0, paddingRight: pad.right ?? 0, paddingTop: pad.top ?? 0, paddingBottom: pad.bottom ?? 0,
      primaryAxisSizingMode: options.primaryAxisSizingMode ?? 'AUTO',
      counterAxisSizingMode: options.counterAxisSizingMode ?? 'FIXED',
      primaryAxisAlignItems: options.primaryAxisAlignItems ?? 'MIN',
      counterAxisAlignItems: options.counterAxisAlignItems ?? 'MIN',
    });
    this.fig.changed();
    return frame;
  }
  /** A main component (COMPONENT). */
  mainComponent(name: string, parent: FakeNode = this.fig.currentPage, rect: { x?: number; y?: number; width?: number; height?: number } = {}): FakeScene {
    return this.make('COMPONENT', name, parent, rect);
  }
  /** An INSTANCE whose sublayers are `sublayers` (moved in, keeping their relative transforms). */
  instance(name: string, parent: FakeNode = this.fig.currentPage, sublayers: readonly FakeNode[] = [], rect: { x?: number; y?: number; width?: number; height?: number } = {}): FakeScene {
    const instance = this.make('INSTANCE', name, parent, rect);
    for (const s of sublayers) this.forceInsert(instance, s);
    return instance;
  }
  /** A COMPONENT_SET with one COMPONENT per variant name, side by side. */
  componentSet(name: string, variantNames: readonly string[], parent: FakeNode = this.fig.currentPage): { set: FakeScene; variants: FakeScene[] } {
    const set = this.make('COMPONENT_SET', name, parent, { width: 120 * variantNames.length, height: 120 });
    const variants = variantNames.map((v, i) => {
      const c = new FakeScene(this.fig, 'COMPONENT', v);
      c.s.rt = translation(10 + 120 * i, 10);
      this.forceInsert(set, c);
      return c;
    });
    return { set, variants };
  }
  /** A BOOLEAN_OPERATION of `operands` (which keep their absolute positions), at `index` in `parent`. */
  booleanOperation(name: string, operands: readonly FakeNode[], parent: FakeNode = this.fig.currentPage, index?: number): FakeScene {
    const op = new FakeScene(this.fig, 'BOOLEAN_OPERATION', name);
    wrapNodes(op, operands, parent, index, false);
    this.fig.changed();
    return op;
  }
  /** A local paint style; returns its id (for setFillStyleIdAsync / fillStyleId). */
  paintStyle(paints: ReadonlyArray<Paint>): string {
    const id = `S:fake${styleCounter++},`;
    this.fig.addPaintStyle(id, paints);
    return id;
  }
  /** Links a node's fills to a style, as if the user had applied it. */
  applyFillStyle(node: FakeScene, styleId: string): void {
    const paints = this.fig.paintStyle(styleId);
    if (!paints) throw new Error(`no style ${styleId}`);
    node.s.fills = paints;
    node.s.fillStyleId = styleId;
    this.fig.changed();
  }

  private make(type: 'FRAME' | 'COMPONENT' | 'COMPONENT_SET' | 'INSTANCE', name: string, parent: FakeNode, rect: { x?: number; y?: number; width?: number; height?: number }): FakeScene {
    const node = new FakeScene(this.fig, type, name);
    node.s.rt = translation(rect.x ?? 0, rect.y ?? 0);
    node.s.w = rect.width ?? 100;
    node.s.h = rect.height ?? 100;
    this.forceInsert(parent, node);
    return node;
  }
}

export class FakeUser {
  constructor(private readonly fig: FakeFigma) {}

  /** Any change the user makes, as one undo step of its own. */
  edit<T>(fn: () => T): T {
    this.fig.commitUndo();
    const result = fn();
    this.fig.commitUndo();
    return result;
  }
  /** Drags `node` into `parent` (subject to the refusals), keeping its place on the canvas unless the parent lays it out. */
  moveInto(node: FakeNode, parent: FakeNode, index = parent.s.children.filter((c) => c !== node).length): void {
    this.edit(() => {
      checkReparent(parent, node);
      const leaves = (n: FakeNode): FakeNode[] => (isTransparent(n.type) ? n.s.children.flatMap(leaves) : [n]);
      const before = new Map<FakeNode, Matrix>(leaves(node).map((l) => [l, absOf(l)]));
      moveNode(node, parent, index);
      const container = containerOf(node);
      const toContainer = invert(container ? absOf(container) : IDENTITY);
      for (const [leaf, abs] of before) leaf.s.rt = multiply(toContainer, abs);
      this.fig.changed();
    });
  }
  setFills(node: FakeScene, paints: ReadonlyArray<Paint>): void {
    this.edit(() => (node.fills = paints));
  }
  /** New order of the current fills, e.g. [1, 0] swaps two paints. */
  reorderFills(node: FakeScene, order: readonly number[]): void {
    const fills = node.fills as ReadonlyArray<Paint>;
    this.setFills(node, order.map((i) => fills[i]!));
  }
  deleteNode(node: FakeNode): void {
    this.edit(() => node.remove());
  }
  select(nodes: readonly FakeScene[]): void {
    this.fig.currentPage.selection = nodes;
  }
  switchPage(page: FakePage): void {
    this.fig.currentPage = page;
  }
  resize(node: FakeScene, width: number, height: number): void {
    this.edit(() => node.resize(width, height));
  }
}
