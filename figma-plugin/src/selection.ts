/**
 * Which selected nodes the plugin can work on, and what each run will read and replace. The
 * topmost visible image paint is the one the user sees and the one processed; everything else is
 * reported with a reason. Names are captured here: a node deleted during the run can no longer be
 * read (only `removed`, FT L6407).
 */
import type { Skip } from '@cutout/host-kit';
import { maskRefusal } from './layout.js';
import { findImagePaint, isImagePaint, topImagePaint } from './paints.js';
import { readRecord, type CutoutRecord, type Mode } from './plugin-data.js';

export interface RemoveTarget {
  readonly kind: 'remove';
  readonly mode: Mode;
  readonly name: string;
  readonly node: SceneNode & MinimalFillsMixin;
  /** The image sent to the model: the paint's image, or the original of a layer cut out before (F16). */
  readonly sourceHash: string;
  /** The paint replaced at write time, found again by this hash (F7). */
  readonly paintHash: string;
  /** The record of an earlier layer-mode run on this node, whose original stays the original (F16). */
  readonly previous: CutoutRecord | null;
}

export interface RefineTarget {
  readonly kind: 'refine';
  readonly mode: Mode;
  readonly name: string;
  /** The node carrying the record: the masked layer itself, or the group. */
  readonly owner: SceneNode;
  readonly record: CutoutRecord;
  /** Where the result goes: the masked layer, or the group's mask. */
  readonly node: SceneNode & MinimalFillsMixin;
  readonly sourceHash: string;
  /** The result paint's image: only the paint with this hash is replaced (F15). */
  readonly paintHash: string;
}

export type Target = RemoveTarget | RefineTarget;

function lockedInTree(node: SceneNode): boolean {
  for (let n: BaseNode | null = node; n && n.type !== 'PAGE' && n.type !== 'DOCUMENT'; n = n.parent) {
    if ('locked' in n && (n as SceneNode).locked) return true;
  }
  return false;
}

const fillsList = (node: BaseNode): ReadonlyArray<Paint> | null => {
  const fills = 'fills' in node ? (node as MinimalFillsMixin).fills : undefined;
  return Array.isArray(fills) ? (fills as ReadonlyArray<Paint>) : null;
};

/** The mask of one of our groups: the isMask child holding an image paint. */
function maskOf(group: BaseNode & ChildrenMixin): (SceneNode & MinimalFillsMixin) | null {
  const mask = group.children.find((c) => 'isMask' in c && (c as BlendMixin).isMask && fillsList(c) !== null);
  return (mask as (SceneNode & MinimalFillsMixin) | undefined) ?? null;
}

/** The plugin-made result the node belongs to (the group, its mask, its original, or a masked layer), or null. */
export function findRefineTarget(node: SceneNode): RefineTarget | null {
  // The node itself, or the mask group it is in (selecting the mask or the original inside it).
  const candidates: BaseNode[] = node.parent?.type === 'GROUP' ? [node, node.parent] : [node];
  for (const owner of candidates) {
    const record = readRecord(owner);
    if (!record) continue;
    const resultNode = record.mode === 'layer' ? (fillsList(owner) ? (owner as SceneNode & MinimalFillsMixin) : null) : owner.type === 'GROUP' ? maskOf(owner) : null;
    if (!resultNode) continue;
    const fills = fillsList(resultNode) ?? [];
    // Records written before resultHash existed: the paint processed then was the topmost visible image.
    const index = record.resultHash ? findImagePaint(fills, record.resultHash) : topImagePaint(fills);
    const paint = index >= 0 ? fills[index] : undefined;
    const paintHash = record.resultHash ?? (paint && isImagePaint(paint) ? paint.imageHash : '');
    return { kind: 'refine', mode: record.mode, name: owner.name, owner: owner as SceneNode, record, node: resultNode, sourceHash: record.originalHash, paintHash };
  }
  return null;
}

/** Why this node cannot be run in this mode, or null. `cutOut`: it still shows a cut-out this plugin made. */
function refusal(node: SceneNode, mode: Mode, cutOut: boolean): string | null {
  if (lockedInTree(node)) return 'is locked';
  if (mode === 'mask' && cutOut) return 'is already cut out (use Refine mask…, or undo it first)';
  if (mode === 'mask') return maskRefusal(node);
  return null;
}

function targetOf(node: SceneNode, mode: Mode): RemoveTarget | string {
  // One of our groups, its mask or its original: a second run would nest another group (F16).
  if (findRefineTarget(node)?.mode === 'mask') return 'already has an editable mask (use Refine mask…)';
  const fills = fillsList(node);
  const index = fills ? topImagePaint(fills) : -1;
  if (!fills || index < 0) return 'has no image fill';
  const record = readRecord(node);
  const paintHash = (fills[index] as ImagePaint & { imageHash: string }).imageHash;
  // Running "Remove background" again on a cut-out starts again from its original (F16). A layer
  // whose image the user replaced since is a new image: its old record no longer applies.
  const again = record?.mode === 'layer' && (record.resultHash === undefined || record.resultHash === paintHash) ? record : null;
  const why = refusal(node, mode, again !== null);
  if (why) return why;
  return { kind: 'remove', mode, name: node.name, node: node as SceneNode & MinimalFillsMixin, sourceHash: again?.originalHash ?? paintHash, paintHash, previous: again };
}

export function collectTargets(selection: ReadonlyArray<SceneNode>, mode: Mode): { targets: RemoveTarget[]; skipped: Skip[] } {
  const targets: RemoveTarget[] = [];
  const skipped: Skip[] = [];
  for (const node of selection) {
    const t = targetOf(node, mode);
    if (typeof t === 'string') skipped.push({ name: node.name, reason: t });
    else targets.push(t);
  }
  return { targets, skipped };
}
