/**
 * figma.group (FT L1858-1880): nodes must be non-empty and reparentable ("cannot include any node that
 * cannot be reparented, such as children of instances", FT L1861); the group keeps "all the grouped
 * layers in the same absolute x/y locations" (FT L1875) and goes at `index` in `parent` (default: on
 * top). The index counts the parent's children before the grouped nodes leave it, as in the documented
 * isMask example (FT L7623: `figma.group([rect, circleToMask], page, page.children.indexOf(circleToMask))`).
 * Children keep their document order (not documented; the editor's order).
 * The same routine builds boolean operations for test set-up (bypassing the refusals).
 */
import { IDENTITY, invert, multiply, type Matrix } from './fake-math.js';
import { checkReparent, isInsideInstance, moveNode, type FakeNode } from './fake-node.js';
import { absOf, containerOf } from './fake-layout.js';
import { isTransparent } from './fake-types.js';
import type { FakeScene } from './fake-scene.js';

function pathOf(node: FakeNode): number[] {
  const path: number[] = [];
  for (let n = node; n.parent; n = n.parent) path.unshift(n.parent.s.children.indexOf(n));
  return path;
}

function documentOrder(a: FakeNode, b: FakeNode): number {
  const pa = pathOf(a);
  const pb = pathOf(b);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) if (pa[i] !== pb[i]) return pa[i]! - pb[i]!;
  return pa.length - pb.length;
}

/** Nodes whose relativeTransform is their own (groups' descendants down to the next container). */
function leaves(node: FakeNode): FakeNode[] {
  return isTransparent(node.type) ? node.s.children.flatMap(leaves) : [node];
}

export function wrapNodes(group: FakeScene, nodes: readonly FakeNode[], parent: FakeNode, index: number | undefined, checked: boolean): void {
  if (!Array.isArray(nodes) || nodes.length === 0) throw new Error('group(): the list of nodes must be non-empty (FT L1861)');
  const list = [...new Set(nodes)];
  for (const n of list) {
    if (n.type === 'PAGE' || n.type === 'DOCUMENT') throw new Error(`Cannot move node. ${n.type} cannot be grouped`);
    if (n.removed) throw new Error(`The node with id "${n.id}" does not exist`);
    if (checked && isInsideInstance(n)) throw new Error('Cannot move node. Node is inside of an instance');
    for (let p: FakeNode | null = parent; p; p = p.parent) if (p === n) throw new Error('Cannot move node. Doing so would create a parenting cycle');
  }
  if (checked) checkReparent(parent, group);
  const at = index ?? parent.s.children.length;
  if (!Number.isInteger(at) || at < 0 || at > parent.s.children.length) throw new Error('Cannot insert node at index greater than the number of existing siblings');
  const ordered = list.sort(documentOrder);
  const before = new Map<FakeNode, Matrix>();
  for (const n of ordered) for (const leaf of leaves(n)) before.set(leaf, absOf(leaf));
  moveNode(group, parent, at);
  const container = containerOf(group);
  const toContainer = invert(container ? absOf(container) : IDENTITY);
  for (const n of ordered) moveNode(n, group, group.s.children.length);
  for (const [leaf, abs] of before) leaf.s.rt = multiply(toContainer, abs);
}
