/// <reference types="@figma/plugin-typings" />
/**
 * Shared types of the fake `figma`: options, the per-node state (one plain object per node, so
 * undo can snapshot the whole document), and which members each node type has. Citations: "FT Lnnnn"
 * is a line of node_modules/@figma/plugin-typings/plugin-api.d.ts (1.142.0).
 */
import type { Matrix } from './fake-math.js';
import type { FakeNode } from './fake-node.js';
import type { FakeImage } from './fake-images.js';

export interface FakeOptions {
  /** The manifest's plugin id; plugin data counts it (FT L6530). Tests should pass the manifest's values (defaults: the manifest when this fake was written). */
  readonly pluginId: string;
  /** The manifest's relaunchButtons commands (FT L6443, L6452). */
  readonly relaunchCommands: readonly string[];
  /** The manifest's documentAccess: 'dynamic-page' makes currentPage and fillStyleId read-only (FT L464, L8806). */
  readonly documentAccess: 'dynamic-page' | 'legacy';
  /**
   * What Image.getSizeAsync returns for an EXIF-rotated JPEG: undocumented (review Q7). 'raw' = the
   * size in the file header (default), 'oriented' = width and height swapped for orientations 5–8.
   */
  readonly exifSize: 'raw' | 'oriented';
  /**
   * Reading a removed node's members other than id/type/removed: undocumented in the typings (FT
   * L6407 only says to check `removed`). 'throw' (default, least forgiving) throws "The node with id
   * … does not exist"; 'allow' lets stale reads through.
   */
  readonly removedNodeAccess: 'throw' | 'allow';
}

export const DEFAULT_OPTIONS: FakeOptions = {
  pluginId: 'cutout-local-background-removal',
  relaunchCommands: ['refine'],
  documentAccess: 'dynamic-page',
  exifSize: 'raw',
  removedNodeAccess: 'throw',
};

export type SupportedType =
  | 'DOCUMENT'
  | 'PAGE'
  | 'FRAME'
  | 'COMPONENT'
  | 'COMPONENT_SET'
  | 'INSTANCE'
  | 'GROUP'
  | 'BOOLEAN_OPERATION'
  | 'SECTION'
  | 'RECTANGLE'
  | 'ELLIPSE';

/** Member groups, after the typings' mixins. */
export type Cap = 'scene' | 'children' | 'fills' | 'blend' | 'constraints' | 'autoLayout' | 'layoutChild' | 'page';

const FRAME_LIKE: readonly Cap[] = ['scene', 'children', 'fills', 'blend', 'constraints', 'autoLayout', 'layoutChild'];
/**
 * FT L10816 FrameNode / L11200 ComponentNode / L11244 InstanceNode / L11175 ComponentSetNode (BaseFrameMixin:
 * children, fills, blend, constraints, auto layout); L10826 GroupNode (children, blend, layout; no fills, no
 * ConstraintMixin); L11342 BooleanOperationNode (DefaultShapeMixin + ChildrenMixin, no ConstraintMixin);
 * L10885 RectangleNode / L10915 EllipseNode (DefaultShapeMixin + ConstraintMixin, no ChildrenMixin);
 * L12314 SectionNode (children, fills; no blend, no constraints, no LayoutMixin); L10621 PageNode.
 */
export const CAPS: Readonly<Record<SupportedType, readonly Cap[]>> = {
  DOCUMENT: ['children'],
  PAGE: ['children', 'page'],
  FRAME: FRAME_LIKE,
  COMPONENT: FRAME_LIKE,
  COMPONENT_SET: FRAME_LIKE,
  INSTANCE: FRAME_LIKE,
  GROUP: ['scene', 'children', 'blend', 'layoutChild'],
  BOOLEAN_OPERATION: ['scene', 'children', 'fills', 'blend', 'layoutChild'],
  SECTION: ['scene', 'children', 'fills'],
  RECTANGLE: ['scene', 'fills', 'blend', 'constraints', 'layoutChild'],
  ELLIPSE: ['scene', 'fills', 'blend', 'constraints', 'layoutChild'],
};

/** Groups and boolean operations: no transform of their own; children are relative to the container parent (FT L7352). */
export function isTransparent(type: SupportedType): boolean {
  return type === 'GROUP' || type === 'BOOLEAN_OPERATION';
}

/** The plugin-visible members of nodes and the group each belongs to ('base': every node). */
const MEMBER_GROUPS: ReadonlyArray<readonly [Cap | 'base', readonly string[]]> = [
  ['base', ['id', 'type', 'name', 'parent', 'removed', 'remove', 'toString', 'getPluginData', 'setPluginData', 'getPluginDataKeys', 'setRelaunchData', 'getRelaunchData']],
  ['children', ['children', 'appendChild', 'insertChild', 'findChildren', 'findAll']],
  ['scene', ['visible', 'locked', 'x', 'y', 'width', 'height', 'relativeTransform', 'absoluteTransform', 'absoluteBoundingBox', 'resize', 'resizeWithoutConstraints']],
  ['fills', ['fills', 'fillStyleId', 'setFillStyleIdAsync', 'strokes']],
  ['blend', ['opacity', 'blendMode', 'isMask', 'maskType', 'effects']],
  ['constraints', ['constraints']],
  ['autoLayout', ['layoutMode', 'itemSpacing', 'paddingLeft', 'paddingRight', 'paddingTop', 'paddingBottom', 'primaryAxisSizingMode', 'counterAxisSizingMode', 'primaryAxisAlignItems', 'counterAxisAlignItems', 'clipsContent']],
  ['layoutChild', ['rotation', 'layoutAlign', 'layoutGrow', 'layoutPositioning', 'layoutSizingHorizontal', 'layoutSizingVertical']],
  ['page', ['selection', 'loadAsync']],
];
export const NODE_MEMBERS: ReadonlyMap<string, Cap | 'base'> = new Map(MEMBER_GROUPS.flatMap(([cap, names]) => names.map((n) => [n, cap] as const)));

export type LayoutMode = 'NONE' | 'HORIZONTAL' | 'VERTICAL';

/** Everything a node can change, in one object: undo snapshots copy it. */
export interface NodeState {
  name: string;
  parent: FakeNode | null;
  children: FakeNode[];
  pluginData: Record<string, string>;
  relaunch: Record<string, string>;
  /** Relative to the container parent (FT L7352); unused (derived) for groups and boolean operations. */
  rt: Matrix;
  w: number;
  h: number;
  visible: boolean;
  locked: boolean;
  fills: ReadonlyArray<Paint>;
  strokes: ReadonlyArray<Paint>;
  effects: ReadonlyArray<Effect>;
  fillStyleId: string;
  opacity: number;
  blendMode: BlendMode;
  isMask: boolean;
  maskType: MaskType;
  constraints: Constraints;
  layoutMode: LayoutMode;
  itemSpacing: number;
  paddingLeft: number;
  paddingRight: number;
  paddingTop: number;
  paddingBottom: number;
  primaryAxisSizingMode: 'FIXED' | 'AUTO';
  counterAxisSizingMode: 'FIXED' | 'AUTO';
  primaryAxisAlignItems: 'MIN' | 'MAX' | 'CENTER' | 'SPACE_BETWEEN';
  counterAxisAlignItems: 'MIN' | 'MAX' | 'CENTER' | 'BASELINE';
  clipsContent: boolean;
  layoutAlign: 'MIN' | 'CENTER' | 'MAX' | 'STRETCH' | 'INHERIT';
  layoutGrow: number;
  layoutPositioning: 'AUTO' | 'ABSOLUTE';
}

/** What nodes need from the fake `figma` (implemented by FakeFigma). */
export interface Host {
  readonly options: FakeOptions;
  /** Every mutation ends here: marks the undo step dirty, reflows auto layout, prunes selections. */
  changed(): void;
  register(node: FakeNode): void;
  hasImage(hash: string): boolean;
  getImage(hash: string): FakeImage | null;
  paintStyle(id: string): ReadonlyArray<Paint> | undefined;
  warn(message: string): void;
  isRoot(node: FakeNode): boolean;
  /** A page's selection was set (fires 'selectionchange' when it is the current page). */
  selectionChanged(page: FakeNode): void;
}
