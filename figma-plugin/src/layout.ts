/**
 * Where an editable mask group can go, and how it takes the original's place (review F1, F8, F17).
 *
 * - Transforms are relative to the container parent (page, frame, component, instance), not to a
 *   group (FT L7352): the original and its mask inside one group share a container parent, so
 *   copying the original's relativeTransform puts the mask exactly on it.
 * - In an auto-layout frame the translation of a flow child is computed (FT L7380): the group takes
 *   the original's slot (same index, same size), and the mask, inside the group, adds no slot.
 *   An ABSOLUTE child (FT L8580) stays out of the flow: the group is made ABSOLUTE too and the
 *   original put back where it was.
 * - Groups have no constraints of their own; a frame resize applies the children's (FT L7289).
 * - Refused up front, with a reason: places where Figma refuses the group or the rectangle
 *   (instance children, FT L1861; component sets hold only components), where the rectangle would
 *   become an operand (boolean operations), where a group would change every instance (main
 *   components, F17), and layouts a group cannot take part in (stretch / fill, grid tracks).
 */
export interface Placement {
  readonly transform: Transform;
  readonly absolute: boolean;
}

type Frameish = BaseNode & { readonly layoutMode?: string };

function autoLayoutOf(parent: BaseNode | null): string {
  const mode = parent && 'layoutMode' in parent ? (parent as Frameish).layoutMode : undefined;
  return typeof mode === 'string' ? mode : 'NONE';
}

function isAbsolute(node: SceneNode): boolean {
  return 'layoutPositioning' in node && (node as AutoLayoutChildrenMixin).layoutPositioning === 'ABSOLUTE';
}

function insideInstance(node: BaseNode): boolean {
  for (let p = node.parent; p; p = p.parent) if (p.type === 'INSTANCE') return true;
  return false;
}

function insideMainComponent(node: BaseNode): boolean {
  for (let p = node.parent; p; p = p.parent) if (p.type === 'COMPONENT' || p.type === 'COMPONENT_SET') return true;
  return false;
}

/** A boolean operation between the node and its container parent (groups in between are transparent). */
function insideBoolean(node: BaseNode): boolean {
  for (let p = node.parent; p && (p.type === 'GROUP' || p.type === 'BOOLEAN_OPERATION'); p = p.parent) if (p.type === 'BOOLEAN_OPERATION') return true;
  return false;
}

/** Why an editable mask cannot be made for this node where it is now, or null. Checked again at write time (it may have moved). */
export function maskRefusal(node: SceneNode): string | null {
  const parent = node.parent;
  if (!parent) return 'was deleted during the run';
  if (node.type === 'SECTION') return 'is a section (a group cannot hold it; use "Remove background")';
  if (insideInstance(node)) return 'is inside a component instance (detach it, or use "Remove background")';
  if (parent.type === 'COMPONENT_SET') return 'is a variant (a component set holds only components; use "Remove background")';
  if (insideMainComponent(node)) return 'is inside a main component (a group there changes every instance; use "Remove background")';
  if (insideBoolean(node)) return 'is part of a boolean operation (the mask would become an operand)';
  const layout = autoLayoutOf(parent);
  if (layout === 'GRID') return 'is in a grid layout (a group cannot keep its cell; use "Remove background")';
  if (layout !== 'NONE' && !isAbsolute(node)) {
    const child = node as SceneNode & AutoLayoutChildrenMixin;
    if (child.layoutGrow !== 0 || child.layoutAlign === 'STRETCH') return 'fills its auto-layout frame (a group cannot stretch; use "Remove background")';
  }
  return null;
}

export function placementOf(node: SceneNode & LayoutMixin): Placement {
  return { transform: node.relativeTransform, absolute: autoLayoutOf(node.parent) !== 'NONE' && isAbsolute(node) };
}

/**
 * After `figma.group([node], parent, index)`: an ABSOLUTE original makes its group ABSOLUTE (out of
 * the flow, FT L8580) and goes back to where it was; a flow original's group simply holds its slot.
 */
export function placeGroup(group: GroupNode, node: SceneNode & LayoutMixin, placement: Placement): void {
  if (!placement.absolute) return;
  group.layoutPositioning = 'ABSOLUTE';
  node.relativeTransform = placement.transform;
}

/** Undoes a half-made group: the original back in its parent at its index (the empty group deletes itself). */
export function ungroup(node: SceneNode & LayoutMixin, parent: BaseNode & ChildrenMixin, index: number, placement: Placement): void {
  if (node.removed || node.parent === parent) return;
  parent.insertChild(Math.min(index, parent.children.length), node);
  if (!placement.absolute) return;
  node.layoutPositioning = 'ABSOLUTE';
  node.relativeTransform = placement.transform;
}
