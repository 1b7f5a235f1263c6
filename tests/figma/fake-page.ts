/// <reference types="@figma/plugin-typings" />
/** The document root and pages (FT L10621 PageNode). */
import { FakeNode } from './fake-node.js';
import type { FakeScene } from './fake-scene.js';
import type { Host } from './fake-types.js';

export class FakeDocument extends FakeNode {
  constructor(fig: Host) {
    super(fig, 'DOCUMENT', 'Document');
  }
  get pages(): ReadonlyArray<FakePage> {
    return Object.freeze(this.s.children.slice()) as unknown as ReadonlyArray<FakePage>;
  }
}

export class FakePage extends FakeNode {
  private sel: FakeScene[] = [];
  /**
   * With "documentAccess": "dynamic-page" a page other than the one the plugin started on must be
   * loaded (loadAsync) before its children are used (FT L7034). The plugin-side guard reads this.
   */
  loaded = false;
  constructor(fig: Host, name: string) {
    super(fig, 'PAGE', name);
  }
  /**
   * "Only directly selected nodes are present": no node together with one of its descendants; nodes
   * deleted since drop out (FT L10670, L557). A new frozen array on every read (FT L10652).
   */
  get selection(): ReadonlyArray<FakeScene> {
    const live = this.sel.filter((n) => !n.removed && this.contains(n));
    const chosen = new Set<FakeNode>(live);
    return Object.freeze(live.filter((n) => !hasAncestorIn(n, chosen)));
  }
  /**
   * De-duplicated (FT L10669); removed nodes are dropped. Selecting a node of another page is not
   * documented: the fake throws (stricter). Fires 'selectionchange' even when the value is unchanged (FT L560).
   */
  set selection(nodes: ReadonlyArray<FakeScene>) {
    if (!Array.isArray(nodes)) throw new TypeError('selection must be an array of nodes');
    const next: FakeScene[] = [];
    for (const n of nodes) {
      if (!((n as unknown) instanceof FakeNode) || n.type === 'PAGE' || n.type === 'DOCUMENT') throw new TypeError('selection must contain scene nodes');
      if (n.removed) continue;
      if (!this.contains(n)) throw new Error(`fake: node ${n.id} is not on page "${this.name}"`);
      if (!next.includes(n)) next.push(n);
    }
    this.sel = next;
    this.fig.selectionChanged(this);
  }
  /** Whether a selected node was removed (the selection then changed, FT L557). */
  dropRemovedFromSelection(): boolean {
    const before = this.sel.length;
    this.sel = this.sel.filter((n) => !n.removed && this.contains(n));
    return this.sel.length !== before;
  }
  async loadAsync(): Promise<void> {
    this.loaded = true;
  }
  contains(node: FakeNode): boolean {
    for (let p = node.parent; p; p = p.parent) if (p === this) return true;
    return false;
  }
}

function hasAncestorIn(node: FakeNode, set: ReadonlySet<FakeNode>): boolean {
  for (let p = node.parent; p; p = p.parent) if (set.has(p)) return true;
  return false;
}
