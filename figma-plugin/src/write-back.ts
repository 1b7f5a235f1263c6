/**
 * Writing results into the document. The new image keeps the original paint's scaleMode,
 * imageTransform, rotation and scaling, and has the original's aspect ratio, so it lines up
 * exactly with what the user saw in every scale mode (FILL, FIT, CROP, TILE) and rotation.
 */
import { readRecord, writeRecord, type CutoutRecord } from './plugin-data.js';
import type { Target } from './selection.js';

export const RELAUNCH = { refine: 'Paint keep / remove strokes to correct the cut-out' };

function withHash(paint: ImagePaint, hash: string): ImagePaint {
  return { ...paint, imageHash: hash };
}

function replacePaint(node: MinimalFillsMixin, index: number, paint: Paint): void {
  const fills = (node.fills as ReadonlyArray<Paint>).slice();
  fills[index] = paint;
  node.fills = fills;
}

/** Masked layer: the image fill becomes the cut-out; undo (one step) restores the original. */
export function applyLayer(target: Target, hash: string, hintsHash: string | undefined): void {
  replacePaint(target.node, target.paintIndex, withHash(target.paint, hash));
  writeRecord(target.node, { v: 1, mode: 'layer', originalHash: target.paint.imageHash, ...(hintsHash ? { hintsHash } : {}) });
  target.node.setRelaunchData(RELAUNCH);
}

/**
 * Editable mask: a group [mask, original] in the original's place. The mask is a rectangle with the
 * original's size and transform whose fill is the matte (white + alpha) under the same paint
 * transform; isMask + ALPHA makes it mask the original above it. The original is untouched.
 */
export function applyMask(target: Target, maskHash: string, hintsHash: string | undefined): GroupNode {
  const node = target.node;
  const parent = node.parent as (BaseNode & ChildrenMixin) | null;
  if (!parent) throw new Error('the layer has no parent');
  const index = parent.children.indexOf(node);
  const mask = figma.createRectangle();
  mask.name = 'Background mask';
  mask.resize(Math.max(0.01, node.width), Math.max(0.01, node.height));
  parent.insertChild(index, mask);
  mask.relativeTransform = node.relativeTransform;
  const { filters: _filters, ...paint } = target.paint;
  mask.fills = [{ ...paint, imageHash: maskHash, visible: true, opacity: 1, blendMode: 'NORMAL' }];
  const group = figma.group([mask, node], parent, index);
  group.name = `${node.name} (background removed)`;
  mask.isMask = true;
  mask.maskType = 'ALPHA';
  writeRecord(group, { v: 1, mode: 'mask', originalHash: target.paint.imageHash, ...(hintsHash ? { hintsHash } : {}) });
  group.setRelaunchData(RELAUNCH);
  return group;
}

export interface RefineTarget {
  /** The node carrying the record: the masked layer itself, or the group. */
  readonly owner: SceneNode;
  readonly record: CutoutRecord;
  /** Where the result goes: the masked layer, or the group's mask node. */
  readonly resultNode: SceneNode & MinimalFillsMixin;
  readonly paintIndex: number;
}

/** The plugin-made node the selection refers to (the group, its mask, its original, or a masked layer). */
export function findRefineTarget(node: SceneNode): RefineTarget | null {
  const candidates: BaseNode[] = [node];
  if (node.parent) candidates.push(node.parent);
  for (const owner of candidates) {
    const record = readRecord(owner);
    if (!record) continue;
    if (record.mode === 'layer' && 'fills' in owner) {
      const fills = (owner as MinimalFillsMixin).fills;
      if (!Array.isArray(fills)) return null;
      const index = (fills as ReadonlyArray<Paint>).findIndex((p) => p.type === 'IMAGE');
      return index < 0 ? null : { owner: owner as SceneNode, record, resultNode: owner as SceneNode & MinimalFillsMixin, paintIndex: index };
    }
    if (record.mode === 'mask' && owner.type === 'GROUP') {
      const mask = owner.children.find((c) => 'isMask' in c && (c as RectangleNode).isMask) as (SceneNode & MinimalFillsMixin) | undefined;
      if (!mask || !Array.isArray(mask.fills)) return null;
      const index = (mask.fills as ReadonlyArray<Paint>).findIndex((p) => p.type === 'IMAGE');
      return index < 0 ? null : { owner, record, resultNode: mask, paintIndex: index };
    }
  }
  return null;
}

export function applyRefine(target: RefineTarget, hash: string, hintsHash: string | undefined): void {
  const paint = (target.resultNode.fills as ReadonlyArray<Paint>)[target.paintIndex] as ImagePaint;
  replacePaint(target.resultNode, target.paintIndex, withHash(paint, hash));
  const { hintsHash: _old, ...rest } = target.record;
  writeRecord(target.owner, { ...rest, ...(hintsHash ? { hintsHash } : {}) });
}
