/// <reference types="@figma/plugin-typings" />
/**
 * Geometry of the fake document: container parents, derived group bounds, auto layout and constraints.
 *
 * - relativeTransform is relative to the *container parent* (page, frame, component, instance,
 *   section), never to a GROUP or BOOLEAN_OPERATION parent (FT L7350-7372). Groups "are always
 *   positioned and sized to fit their content" (https://developers.figma.com/docs/plugins/api/GroupNode):
 *   their transform and size derive from their children. The docs do not say how a group with rotated
 *   children is oriented; the fake uses the axis-aligned box of the children in container space.
 * - Auto layout (FT L7694-7790, L8522-8575): flow children (layoutPositioning 'AUTO') get computed
 *   translations in child order; 'ABSOLUTE' children keep theirs and "respect constraint settings"
 *   (FT L8555). The docs do not define where a rotated child sits in its slot: the fake puts the
 *   child's axis-aligned bounds at the slot. Hidden children take no slot (editor behaviour, not in
 *   the typings).
 * - Constraints (FT L7283-7292): resizing a frame applies the constraints of its children, and of the
 *   children of its groups and boolean operations (which have none themselves), recursively into
 *   frames that get resized (FT L7502, L7509).
 */
import { axisAlignment, boxOf, IDENTITY, invert, matrix, multiply, translation, unionBoxes, withTranslation, type Box, type Matrix } from './fake-math.js';
import { isTransparent } from './fake-types.js';
import type { FakeNode } from './fake-node.js';

/** The nearest ancestor that is not a group or boolean operation (FT L7352). */
export function containerOf(node: FakeNode): FakeNode | null {
  let p = node.s.parent;
  while (p && isTransparent(p.type)) p = p.s.parent;
  return p;
}

/** Bounds of a node in its container's coordinates. */
function extentOf(node: FakeNode): Box {
  if (!isTransparent(node.type)) return boxOf(node.s.rt, node.s.w, node.s.h);
  if (node.s.children.length === 0) return { x0: 0, y0: 0, x1: 0, y1: 0 };
  return unionBoxes(node.s.children.map(extentOf));
}

export function relOf(node: FakeNode): Matrix {
  if (!isTransparent(node.type)) return node.s.rt;
  const b = extentOf(node);
  return translation(b.x0, b.y0);
}

export function sizeOf(node: FakeNode): { w: number; h: number } {
  if (!isTransparent(node.type)) return { w: node.s.w, h: node.s.h };
  const b = extentOf(node);
  return { w: b.x1 - b.x0, h: b.y1 - b.y0 };
}

/** Absolute transform of the node's own space (pages and the document: identity). */
export function absOf(node: FakeNode): Matrix {
  if (node.type === 'PAGE' || node.type === 'DOCUMENT') return IDENTITY;
  const container = containerOf(node);
  return multiply(container ? absOf(container) : IDENTITY, relOf(node));
}

/** Applies `delta` (in container space) to a node: its own transform, or every descendant of a group. */
function transformNode(node: FakeNode, delta: Matrix): void {
  if (isTransparent(node.type)) for (const c of node.s.children) transformNode(c, delta);
  else node.s.rt = multiply(delta, node.s.rt);
}

function shiftNode(node: FakeNode, dx: number, dy: number): void {
  if (dx !== 0 || dy !== 0) transformNode(node, translation(dx, dy));
}

/** Sets a node's relative transform (group: moves its content so the derived transform becomes `t`). */
export function setRelative(node: FakeNode, t: Matrix): void {
  if (isTransparent(node.type)) transformNode(node, multiply(t, invert(relOf(node))));
  else node.s.rt = t;
}

export function isAutoLayout(node: FakeNode | null): boolean {
  return !!node && node.has('autoLayout') && node.s.layoutMode !== 'NONE';
}

/** A child whose translation the layout computes (FT L7380, L8554). */
export function isFlowChild(node: FakeNode): boolean {
  return isAutoLayout(node.s.parent) && node.has('layoutChild') && node.s.layoutPositioning === 'AUTO';
}

/** Resizes; with constraints, a frame-like node applies its children's constraints (FT L7502). */
export function setSize(node: FakeNode, w: number, h: number, withConstraints: boolean): void {
  const [ow, oh] = [node.s.w, node.s.h];
  node.s.w = w;
  node.s.h = h;
  if (withConstraints && node.has('autoLayout') && (ow !== w || oh !== h)) applyConstraints(node, ow, oh);
}

/** Leaves (non-group nodes) whose constraints a resize of `frame` applies. */
function constrained(frame: FakeNode): FakeNode[] {
  const out: FakeNode[] = [];
  const visit = (n: FakeNode): void => {
    if (isTransparent(n.type)) n.s.children.forEach(visit);
    else if (n.has('constraints')) out.push(n);
  };
  for (const c of frame.s.children) if (!isAutoLayout(frame) || c.s.layoutPositioning === 'ABSOLUTE') visit(c);
  return out;
}

function axis(c: ConstraintType, a0: number, a1: number, oldLen: number, newLen: number): [number, number] {
  const d = newLen - oldLen;
  switch (c) {
    case 'MIN':
      return [a0, a1];
    case 'MAX':
      return [a0 + d, a1 + d];
    case 'CENTER':
      return [a0 + d / 2, a1 + d / 2];
    case 'STRETCH':
      return [a0, a1 + d];
    case 'SCALE':
      return [(a0 * newLen) / oldLen, (a1 * newLen) / oldLen];
  }
}

function applyConstraints(frame: FakeNode, oldW: number, oldH: number): void {
  for (const leaf of constrained(frame)) {
    const b = extentOf(leaf);
    const { horizontal, vertical } = leaf.s.constraints;
    const [x0, x1] = axis(horizontal, b.x0, b.x1, oldW, frame.s.w);
    const [y0, y1] = axis(vertical, b.y0, b.y1, oldH, frame.s.h);
    const dw = x1 - x0 - (b.x1 - b.x0);
    const dh = y1 - y0 - (b.y1 - b.y0);
    if (Math.abs(dw) > 1e-9 || Math.abs(dh) > 1e-9) {
      const align = axisAlignment(leaf.s.rt);
      if (align === 'oblique') throw new Error('fake: STRETCH/SCALE constraints on a node rotated by a non-multiple of 90° are not modelled');
      const [lw, lh] = align === 'straight' ? [dw, dh] : [dh, dw];
      setSize(leaf, Math.max(0.01, leaf.s.w + lw), Math.max(0.01, leaf.s.h + lh), true);
    }
    const nb = extentOf(leaf);
    shiftNode(leaf, x0 - nb.x0, y0 - nb.y0);
  }
}

/** Lays out every auto-layout frame under `root`, children before parents (twice, for stretched nested frames). */
export function layoutAll(root: FakeNode): void {
  const frames: FakeNode[] = [];
  const walk = (n: FakeNode): void => {
    n.s.children.forEach(walk);
    if (isAutoLayout(n)) frames.push(n);
  };
  walk(root);
  for (let pass = 0; pass < 2; pass++) frames.forEach(layoutFrame);
}

function layoutFrame(frame: FakeNode): void {
  const s = frame.s;
  const horizontal = s.layoutMode === 'HORIZONTAL';
  const flow = s.children.filter((c) => isFlowChild(c) && c.s.visible);
  const [p0, p1, c0, c1] = horizontal ? [s.paddingLeft, s.paddingRight, s.paddingTop, s.paddingBottom] : [s.paddingTop, s.paddingBottom, s.paddingLeft, s.paddingRight];
  const primaryOf = (b: Box): number => (horizontal ? b.x1 - b.x0 : b.y1 - b.y0);
  const counterOf = (b: Box): number => (horizontal ? b.y1 - b.y0 : b.x1 - b.x0);
  const frameLen = (): [number, number] => (horizontal ? [s.w, s.h] : [s.h, s.w]);
  // Stretch (layoutAlign STRETCH, FT L8530) and grow (layoutGrow 1, FT L8538) resize the child.
  const resizeAlong = (c: FakeNode, primary: number | null, counter: number | null): void => {
    if (isTransparent(c.type)) return; // groups cannot fill (not modelled)
    const b = extentOf(c);
    const align = axisAlignment(c.s.rt);
    if (align === 'oblique') return;
    let [dx, dy] = [0, 0];
    if (primary !== null) {
      if (horizontal) dx = primary - primaryOf(b);
      else dy = primary - primaryOf(b);
    }
    if (counter !== null) {
      if (horizontal) dy = counter - counterOf(b);
      else dx = counter - counterOf(b);
    }
    const [lw, lh] = align === 'straight' ? [dx, dy] : [dy, dx];
    setSize(c, Math.max(0.01, c.s.w + lw), Math.max(0.01, c.s.h + lh), true);
  };
  for (const c of flow) if (c.s.layoutAlign === 'STRETCH') resizeAlong(c, null, Math.max(0.01, frameLen()[1] - c0 - c1));
  const growing = flow.filter((c) => c.s.layoutGrow === 1);
  if (s.primaryAxisSizingMode === 'FIXED' && growing.length) {
    const fixed = flow.filter((c) => c.s.layoutGrow !== 1).reduce((sum, c) => sum + primaryOf(extentOf(c)), 0);
    const room = frameLen()[0] - p0 - p1 - s.itemSpacing * (flow.length - 1) - fixed;
    for (const c of growing) resizeAlong(c, Math.max(0.01, room / growing.length), null);
  }
  const boxes = flow.map(extentOf);
  const lengths = boxes.map(primaryOf);
  const total = lengths.reduce((a, b) => a + b, 0);
  const used = total + s.itemSpacing * Math.max(0, flow.length - 1);
  // Hug: "AUTO: The primary axis length is determined by the size of the children" (FT L7777).
  let [pw, cw] = frameLen();
  if (s.primaryAxisSizingMode === 'AUTO') pw = Math.max(0.01, p0 + used + p1);
  if (s.counterAxisSizingMode === 'AUTO') cw = Math.max(0.01, c0 + Math.max(0, ...boxes.map(counterOf)) + c1);
  const [nw, nh] = horizontal ? [pw, cw] : [cw, pw];
  if (nw !== s.w || nh !== s.h) setSize(frame, nw, nh, true);
  let cursor = p0;
  let gap = s.itemSpacing;
  const free = pw - p0 - p1 - used;
  if (s.primaryAxisAlignItems === 'CENTER') cursor = p0 + free / 2;
  else if (s.primaryAxisAlignItems === 'MAX') cursor = p0 + free;
  else if (s.primaryAxisAlignItems === 'SPACE_BETWEEN' && flow.length > 1) gap = (pw - p0 - p1 - total) / (flow.length - 1);
  flow.forEach((c, i) => {
    const b = boxes[i]!;
    const cl = counterOf(b);
    const align = s.counterAxisAlignItems;
    const counter = align === 'CENTER' ? c0 + (cw - c0 - c1 - cl) / 2 : align === 'MAX' ? cw - c1 - cl : c0;
    const [tx, ty] = horizontal ? [cursor, counter] : [counter, cursor];
    shiftNode(c, tx - b.x0, ty - b.y0);
    cursor += lengths[i]! + gap;
  });
}

/** Keeps the rotation/scale part of `t` and the node's current translation (FT L7380). */
export function rotationOnly(t: Matrix, current: Matrix): Matrix {
  return withTranslation(t, current[0][2], current[1][2]);
}

export function rotationMatrix(degrees: number, tx: number, ty: number): Matrix {
  const r = (degrees * Math.PI) / 180;
  // rotation = atan2(-m10, m00) (FT L7408)
  return matrix(Math.cos(r), Math.sin(r), tx, -Math.sin(r), Math.cos(r), ty);
}
