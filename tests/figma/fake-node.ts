/// <reference types="@figma/plugin-typings" />
/**
 * Base of every fake node: identity, name, tree (children, insertChild, appendChild, remove), plugin
 * data and relaunch data. All mutable state lives in `s` (NodeState) so undo can snapshot it.
 * Reparenting follows the documented error cases of appendChild/insertChild
 * (https://developers.figma.com/docs/plugins/api/properties/nodes-insertchild and …/nodes-appendchild).
 */
import { IDENTITY } from './fake-math.js';
import { CAPS, type Cap, type Host, type NodeState, type SupportedType } from './fake-types.js';
import type { FakeScene } from './fake-scene.js';

let nextId = 1;

function defaultState(name: string): NodeState {
  return {
    name, parent: null, children: [], pluginData: {}, relaunch: {},
    rt: IDENTITY, w: 100, h: 100, visible: true, locked: false,
    fills: Object.freeze([]), strokes: Object.freeze([]), effects: Object.freeze([]), fillStyleId: '',
    opacity: 1, blendMode: 'PASS_THROUGH', isMask: false, maskType: 'ALPHA', // maskType defaults to ALPHA (FT L7640)
    constraints: Object.freeze({ horizontal: 'MIN', vertical: 'MIN' }),
    layoutMode: 'NONE', itemSpacing: 0, paddingLeft: 0, paddingRight: 0, paddingTop: 0, paddingBottom: 0, // layoutMode "Defaults to NONE" (FT L7696)
    primaryAxisSizingMode: 'AUTO', counterAxisSizingMode: 'FIXED', primaryAxisAlignItems: 'MIN', counterAxisAlignItems: 'MIN',
    clipsContent: true,
    layoutAlign: 'INHERIT', layoutGrow: 0, layoutPositioning: 'AUTO', // FT L8524 (INHERIT), L8554 (AUTO)
  };
}

export class FakeNode {
  readonly id: string;
  /** Internal state (not part of the plugin API; hidden from the plugin). */
  s: NodeState;
  constructor(
    readonly fig: Host,
    readonly type: SupportedType,
    name: string,
  ) {
    this.id = `1:${nextId++}`;
    this.s = defaultState(name);
    fig.register(this);
  }

  has(cap: Cap): boolean {
    return CAPS[this.type].includes(cap);
  }
  /** Test-side guard: a member this node type does not have (the plugin never sees it at all). */
  protected need(cap: Cap, member: string): void {
    if (!this.has(cap)) throw new Error(`fake: ${this.type} nodes have no "${member}" (not in the typings for this node type)`);
  }

  get name(): string {
    return this.s.name;
  }
  set name(v: string) {
    this.s.name = String(v);
    this.fig.changed();
  }
  get parent(): FakeNode | null {
    return this.s.parent;
  }
  /** True once the node (or an ancestor) is no longer in the document (FT L6407). */
  get removed(): boolean {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- walks up from this node to its root
    let n: FakeNode = this;
    while (n.s.parent) n = n.s.parent;
    return !this.fig.isRoot(n);
  }
  toString(): string {
    return `[Node ${this.id}]`;
  }
  /** Compact form for assertion diffs and logs (the node graph is large and cyclic). */
  toJSON(): { id: string; type: string; name: string; removed: boolean } {
    return { id: this.id, type: this.type, name: this.s.name, removed: this.removed };
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `${this.type} "${this.s.name}" ${this.id}`;
  }

  // ---- plugin data (FT L6524-6544) and relaunch data (FT L6429-6490)
  getPluginData(key: string): string {
    return this.s.pluginData[key] ?? '';
  }
  /** "The total size of your entry (pluginId, key, value) cannot exceed 100 kB" (FT L6530); '' removes the key (FT L6533). */
  setPluginData(key: string, value: string): void {
    if (typeof key !== 'string' || typeof value !== 'string') throw new TypeError('setPluginData expects string key and value');
    const size = Buffer.byteLength(this.fig.options.pluginId + key + value, 'utf8');
    // "100 kB" read as 100 000 bytes of UTF-8 (the stricter of kB/KiB; the unit is not defined further).
    if (size > 100_000) throw new Error(`Plugin data entry is too large (${size} bytes; pluginId + key + value cannot exceed 100 kB)`);
    const next = { ...this.s.pluginData };
    if (value === '') delete next[key];
    else next[key] = value;
    this.s.pluginData = next;
    this.fig.changed();
  }
  getPluginDataKeys(): string[] {
    return Object.keys(this.s.pluginData);
  }
  /**
   * Stores the data. A command missing from the manifest's relaunchButtons is not an error: "nothing
   * will be displayed" (FT L6452), so the fake records a warning (fig.warnings). A description over
   * 1000 characters throws (FT L6444).
   */
  setRelaunchData(data: { [command: string]: string }): void {
    for (const [command, description] of Object.entries(data)) {
      if (typeof description !== 'string') throw new TypeError('relaunch descriptions must be strings');
      if (description.length > 1000) throw new Error('Relaunch description exceeds 1000 characters');
      if (!this.fig.options.relaunchCommands.includes(command)) {
        this.fig.warn(`setRelaunchData: command "${command}" is not in the manifest's relaunchButtons; Figma displays nothing (FT L6452)`);
      }
    }
    this.s.relaunch = { ...data };
    this.fig.changed();
  }
  getRelaunchData(): { [command: string]: string } {
    return { ...this.s.relaunch };
  }
  /** Test convenience (not plugin API): the stored relaunch data. */
  get relaunchData(): { [command: string]: string } {
    return this.getRelaunchData();
  }

  // ---- children (ChildrenMixin, FT L7030-7080)
  /** "calling this property always returns a new array, … read-only" (FT L7038). */
  get children(): ReadonlyArray<FakeScene> {
    this.need('children', 'children');
    return Object.freeze(this.s.children.slice()) as unknown as ReadonlyArray<FakeScene>;
  }
  appendChild(child: FakeNode): void {
    this.need('children', 'appendChild');
    checkReparent(this, child);
    moveNode(child, this, this.s.children.filter((c) => c !== child).length);
    this.fig.changed();
  }
  insertChild(index: number, child: FakeNode): void {
    this.need('children', 'insertChild');
    const siblings = this.s.children.filter((c) => c !== child).length;
    // Bound: the documented example inserts a new node; for a node already in this parent the docs say
    // nothing, so the fake counts the other children only ("existing siblings"): the stricter reading.
    if (!Number.isInteger(index) || index < 0 || index > siblings) throw new Error('Cannot insert node at index greater than the number of existing siblings');
    checkReparent(this, child);
    moveNode(child, this, index);
    this.fig.changed();
  }
  findChildren(callback?: (node: FakeScene) => boolean): FakeScene[] {
    return this.children.filter((c) => !callback || callback(c));
  }
  findAll(callback?: (node: FakeScene) => boolean): FakeScene[] {
    const out: FakeScene[] = [];
    const walk = (n: FakeNode): void => {
      for (const c of n.s.children as unknown as FakeScene[]) {
        if (!callback || callback(c)) out.push(c);
        if (c.has('children')) walk(c);
      }
    };
    this.need('children', 'findAll');
    walk(this);
    return out;
  }

  /** "Removes this node and all of its children from the document" (FT L6423). */
  remove(): void {
    if (this.type === 'DOCUMENT') throw new Error('Cannot remove the document');
    if (isInsideInstance(this)) throw new Error('Cannot remove a node inside an instance');
    detachNode(this);
    this.fig.changed();
  }
}

export function isInsideInstance(node: FakeNode): boolean {
  for (let p = node.s.parent; p; p = p.s.parent) if (p.type === 'INSTANCE') return true;
  return false;
}

function isOrInside(node: FakeNode, type: SupportedType): boolean {
  for (let p: FakeNode | null = node; p; p = p.s.parent) if (p.type === type) return true;
  return false;
}

function containsType(node: FakeNode, type: SupportedType): boolean {
  return node.type === type || node.s.children.some((c) => containsType(c, type));
}

/**
 * The documented reparenting refusals (nodes-appendchild "Possible error cases"). A BOOLEAN_OPERATION
 * accepts any scene node: it becomes one more operand of the operation (ChildrenMixin on
 * BooleanOperationNode, FT L11342; review F8), which is allowed but changes the shape.
 */
export function checkReparent(parent: FakeNode, child: FakeNode): void {
  if (!parent.has('children')) throw new Error('Cannot move node. New parent is of a type that cannot have children');
  if (child.type === 'DOCUMENT') throw new Error('Cannot move node. Node is the scene root, which cannot be reparented');
  if (parent.type === 'DOCUMENT' && child.type !== 'PAGE') throw new Error('Cannot move node. The root node cannot have children of type other than PAGE');
  if (parent.type !== 'DOCUMENT' && child.type === 'PAGE') throw new Error('Cannot move node. Nodes other than the root node cannot have children of type PAGE');
  for (let p: FakeNode | null = parent; p; p = p.s.parent) if (p === child) throw new Error('Cannot move node. Doing so would create a parenting cycle');
  if (isOrInside(parent, 'INSTANCE')) throw new Error('Cannot move node. New parent is an instance or is inside of an instance');
  if (isInsideInstance(child)) throw new Error('Cannot move node. Node is inside of an instance');
  // Component sets hold variants only (combineAsVariants: "must consist of only component nodes"; review D4).
  if (parent.type === 'COMPONENT_SET' && child.type !== 'COMPONENT') throw new Error('Cannot move node. A COMPONENT_SET can only have children of type COMPONENT');
  if (containsType(child, 'COMPONENT') && isOrInside(parent, 'COMPONENT')) throw new Error('Cannot move node. Reparenting would create a component inside a component');
}

/** Moves without checks; keeps the node's relativeTransform ("appendChild preserves the relative position", FT L1875). */
export function moveNode(child: FakeNode, parent: FakeNode, index: number): void {
  const old = child.s.parent;
  if (old) old.s.children = old.s.children.filter((c) => c !== child);
  const list = parent.s.children.slice();
  list.splice(Math.min(index, list.length), 0, child);
  parent.s.children = list;
  child.s.parent = parent;
  if (old && old !== parent) deleteIfEmptyGroup(old);
}

function detachNode(node: FakeNode): void {
  const old = node.s.parent;
  if (!old) return;
  old.s.children = old.s.children.filter((c) => c !== node);
  node.s.parent = null;
  deleteIfEmptyGroup(old);
}

/** "A group with no children will delete itself" (https://developers.figma.com/docs/plugins/api/GroupNode). */
function deleteIfEmptyGroup(node: FakeNode): void {
  if (node.type === 'GROUP' && node.s.children.length === 0) detachNode(node);
}
