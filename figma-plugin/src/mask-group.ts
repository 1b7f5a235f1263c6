/**
 * Editable mask: a group [mask, original] in the original's place. The order matters (review F1):
 * group the original first, then put the mask inside the group, so the mask never becomes a slot of
 * an auto-layout parent, and both share the container parent their relativeTransform is relative to
 * (FT L7352). The mask is a rectangle of the original's size whose fill is the matte (white + alpha)
 * under the original's current paint settings; isMask + ALPHA makes it mask its siblings above it
 * (FT L7597-7642). The original is untouched. If any step throws, what was made is taken apart
 * again (F8): no stray rectangle, no empty group.
 */
import { PluginError, messageOf } from './errors.js';
import { maskRefusal, placeGroup, placementOf, ungroup } from './layout.js';
import { fillsOf, findImagePaint, hiddenHintsPaint, withImage } from './paints.js';
import { RELAUNCH, writeRecord } from './plugin-data.js';
import type { RemoveTarget } from './selection.js';
import type { Staged } from './write-back.js';

type Placeable = SceneNode & MinimalFillsMixin & LayoutMixin;

export function applyMask(t: RemoveTarget, s: Staged): GroupNode {
  const node = t.node as Placeable;
  // Checked again here: the node may have moved during the run (into an auto-layout frame, a variant, …).
  const refused = maskRefusal(node);
  if (refused) throw new PluginError('refused', refused);
  const fills = fillsOf(node);
  const paintIndex = findImagePaint(fills, t.paintHash);
  if (paintIndex < 0) throw new PluginError('changed', 'had its image replaced during the run');
  // The current paint's settings (F7), without filters: the mask must keep the matte's alpha as it is.
  const { filters: _filters, ...paint } = fills[paintIndex] as ImagePaint;
  const parent = node.parent as BaseNode & ChildrenMixin;
  const index = parent.children.indexOf(node);
  const placement = placementOf(node);
  let group: GroupNode | null = null;
  let mask: RectangleNode | null = null;
  try {
    group = figma.group([node], parent, index);
    placeGroup(group, node, placement);
    mask = figma.createRectangle(); // parented to the current page first (FT L915): moved at once
    group.insertChild(0, mask);
    mask.name = 'Background mask';
    mask.resize(Math.max(0.01, node.width), Math.max(0.01, node.height));
    mask.relativeTransform = node.relativeTransform;
    // Groups have no constraints: a frame resize applies the children's, so the mask must have the original's (F6, FT L7289).
    if ('constraints' in node) mask.constraints = (node as SceneNode & ConstraintMixin).constraints;
    mask.fills = [
      ...(s.hintsHash ? [hiddenHintsPaint(s.hintsHash)] : []),
      { ...withImage(paint as ImagePaint, s.hash, s.ratio), visible: true, opacity: 1, blendMode: 'NORMAL' },
    ];
    mask.isMask = true;
    mask.maskType = 'ALPHA';
    group.name = `${node.name} (background removed)`;
    writeRecord(group, { v: 1, mode: 'mask', originalHash: t.paintHash, resultHash: s.hash, ...(s.hintsHash ? { hintsHash: s.hintsHash } : {}) });
    // Relaunch buttons show for the selected node (FT L6448-6492): the group, the mask and the original all get them (F9).
    for (const n of [group, mask, node]) n.setRelaunchData(RELAUNCH);
    return group;
  } catch (e) {
    try {
      if (mask && !mask.removed) mask.remove();
      if (group) ungroup(node, parent, index, placement);
    } catch (cleanup) {
      console.warn(`[cutout] could not take apart a half-made mask group: ${messageOf(cleanup)}`);
    }
    throw e;
  }
}
