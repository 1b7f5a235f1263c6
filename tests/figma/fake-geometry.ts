/// <reference types="@figma/plugin-typings" />
/**
 * Scene-node geometry (DimensionAndPositionMixin FT L7296-7392, LayoutMixin L7395-7525,
 * AutoLayoutChildrenMixin L8522-8575, ConstraintMixin L7283-7292) and visible/locked (SceneNodeMixin L6642).
 */
import { boxOf, copyMatrix, hasUnitAxes, withTranslation } from './fake-math.js';
import { FakeNode } from './fake-node.js';
import { absOf, isAutoLayout, isFlowChild, relOf, rotationMatrix, rotationOnly, setRelative, setSize, sizeOf } from './fake-layout.js';
import { isTransparent } from './fake-types.js';

const CONSTRAINT_TYPES = new Set(['MIN', 'CENTER', 'MAX', 'STRETCH', 'SCALE']);

export class FakeGeometryNode extends FakeNode {
  get visible(): boolean {
    this.need('scene', 'visible');
    return this.s.visible;
  }
  set visible(v: boolean) {
    this.need('scene', 'visible');
    this.s.visible = !!v;
    this.fig.changed();
  }
  /** "Does not affect a plugin's ability to write to those properties" (FT L6655). */
  get locked(): boolean {
    this.need('scene', 'locked');
    return this.s.locked;
  }
  set locked(v: boolean) {
    this.need('scene', 'locked');
    this.s.locked = !!v;
    this.fig.changed();
  }

  /** Relative to the container parent, not to a group / boolean-operation parent (FT L7352). */
  get relativeTransform(): Transform {
    this.need('scene', 'relativeTransform');
    return relOf(this);
  }
  /**
   * Unit axes only (FT L7344; the docs do not say what happens otherwise: the fake throws). In a flow
   * child of an auto-layout frame the translation is ignored, the rotation kept (FT L7380).
   */
  set relativeTransform(t: Transform) {
    this.need('scene', 'relativeTransform');
    if (!hasUnitAxes(t)) throw new Error('relativeTransform must have unit axes (use resize for size)');
    const next = copyMatrix(t);
    setRelative(this, isFlowChild(this) ? rotationOnly(next, relOf(this)) : next);
    this.fig.changed();
  }
  get x(): number {
    return this.relativeTransform[0][2];
  }
  /** "Setting this property for these auto-layout children will no-op" (FT L7302). */
  set x(v: number) {
    this.need('scene', 'x');
    if (isFlowChild(this)) return;
    const t = relOf(this);
    setRelative(this, withTranslation(t, v, t[1][2]));
    this.fig.changed();
  }
  get y(): number {
    return this.relativeTransform[1][2];
  }
  /** FT L7310 (no-op in auto-layout children). */
  set y(v: number) {
    this.need('scene', 'y');
    if (isFlowChild(this)) return;
    const t = relOf(this);
    setRelative(this, withTranslation(t, t[0][2], v));
    this.fig.changed();
  }
  get width(): number {
    this.need('scene', 'width');
    return sizeOf(this).w;
  }
  get height(): number {
    this.need('scene', 'height');
    return sizeOf(this).h;
  }
  /** "The position of a node relative to its containing page" (FT L7384). */
  get absoluteTransform(): Transform {
    this.need('scene', 'absoluteTransform');
    return absOf(this);
  }
  /** FT L7388: bounds without strokes/effects, x/y absolute on the page. */
  get absoluteBoundingBox(): Rect | null {
    this.need('scene', 'absoluteBoundingBox');
    const { w, h } = sizeOf(this);
    const b = boxOf(absOf(this), w, h);
    return { x: b.x0, y: b.y0, width: b.x1 - b.x0, height: b.y1 - b.y0 };
  }
  /** "Returns values from -180 to 180. Identical to Math.atan2(-m10, m00)" (FT L7408). */
  get rotation(): number {
    this.need('layoutChild', 'rotation');
    const t = relOf(this);
    return (Math.atan2(-t[1][0], t[0][0]) * 180) / Math.PI;
  }
  set rotation(degrees: number) {
    this.need('layoutChild', 'rotation');
    const t = relOf(this);
    this.relativeTransform = rotationMatrix(degrees, t[0][2], t[1][2]);
  }

  /**
   * "If the node contains children with constraints, it applies those constraints during resizing"
   * (FT L7502); "Must be >= 0.01" (FT L7504). Resizing a group is not modelled (throws), sections
   * never propagate constraints (FT L12345). Resizing an auto-layout frame along a hugging axis makes
   * that axis FIXED (the docs do not say; the editor does this).
   */
  resize(width: number, height: number): void {
    this.resizeImpl(width, height, this.type !== 'SECTION');
  }
  /** "Children of the node are never resized, even if those children have constraints" (FT L7517). */
  resizeWithoutConstraints(width: number, height: number): void {
    this.resizeImpl(width, height, false);
  }
  private resizeImpl(width: number, height: number, constraints: boolean): void {
    this.need('scene', 'resize');
    if (!(width >= 0.01 && height >= 0.01)) throw new Error('Width and height must be >= 0.01');
    if (isTransparent(this.type)) throw new Error(`fake: resizing a ${this.type} is not modelled`);
    if (isAutoLayout(this)) {
      const horizontal = this.s.layoutMode === 'HORIZONTAL';
      if (width !== this.s.w) this.s[horizontal ? 'primaryAxisSizingMode' : 'counterAxisSizingMode'] = 'FIXED';
      if (height !== this.s.h) this.s[horizontal ? 'counterAxisSizingMode' : 'primaryAxisSizingMode'] = 'FIXED';
    }
    setSize(this, width, height, constraints);
    this.fig.changed();
  }

  /** Default MIN/MIN (the editor's default; not stated in the typings). No constraints on groups (FT L7289). */
  get constraints(): Constraints {
    this.need('constraints', 'constraints');
    return this.s.constraints;
  }
  set constraints(c: Constraints) {
    this.need('constraints', 'constraints');
    if (!c || !CONSTRAINT_TYPES.has(c.horizontal) || !CONSTRAINT_TYPES.has(c.vertical)) throw new Error('constraints must be { horizontal, vertical } of MIN | CENTER | MAX | STRETCH | SCALE');
    this.s.constraints = Object.freeze({ horizontal: c.horizontal, vertical: c.vertical });
    this.fig.changed();
  }

  // ---- AutoLayoutChildrenMixin (FT L8522-8575): stored; applied by the parent's layout.
  get layoutAlign(): NodeStateAlign {
    this.need('layoutChild', 'layoutAlign');
    return this.s.layoutAlign;
  }
  set layoutAlign(v: NodeStateAlign) {
    this.need('layoutChild', 'layoutAlign');
    if (!['MIN', 'CENTER', 'MAX', 'STRETCH', 'INHERIT'].includes(v)) throw new Error(`invalid layoutAlign ${String(v)}`);
    this.s.layoutAlign = v;
    this.fig.changed();
  }
  get layoutGrow(): number {
    this.need('layoutChild', 'layoutGrow');
    return this.s.layoutGrow;
  }
  /** "0 and 1 are currently the only supported values" (FT L8542). */
  set layoutGrow(v: number) {
    this.need('layoutChild', 'layoutGrow');
    if (v !== 0 && v !== 1) throw new Error('layoutGrow must be 0 or 1');
    this.s.layoutGrow = v;
    this.fig.changed();
  }
  get layoutPositioning(): 'AUTO' | 'ABSOLUTE' {
    this.need('layoutChild', 'layoutPositioning');
    return this.s.layoutPositioning;
  }
  /**
   * "applicable only for direct children of auto-layout frames" (FT L8548): setting 'ABSOLUTE' on a
   * node whose parent has no auto layout throws (the docs say no more; the stricter choice).
   */
  set layoutPositioning(v: 'AUTO' | 'ABSOLUTE') {
    this.need('layoutChild', 'layoutPositioning');
    if (v !== 'AUTO' && v !== 'ABSOLUTE') throw new Error(`invalid layoutPositioning ${String(v)}`);
    if (v === 'ABSOLUTE' && !isAutoLayout(this.s.parent)) throw new Error('layoutPositioning ABSOLUTE needs an auto-layout parent');
    this.s.layoutPositioning = v;
    this.fig.changed();
  }
  /** Shorthand for layoutGrow / layoutAlign / the sizing modes (FT L7416-7420, L7496-7498); throws where a value does not apply. */
  get layoutSizingHorizontal(): 'FIXED' | 'HUG' | 'FILL' {
    this.need('layoutChild', 'layoutSizingHorizontal');
    return this.sizing(true);
  }
  set layoutSizingHorizontal(v: 'FIXED' | 'HUG' | 'FILL') {
    this.need('layoutChild', 'layoutSizingHorizontal');
    this.setSizing(true, v);
  }
  get layoutSizingVertical(): 'FIXED' | 'HUG' | 'FILL' {
    this.need('layoutChild', 'layoutSizingVertical');
    return this.sizing(false);
  }
  set layoutSizingVertical(v: 'FIXED' | 'HUG' | 'FILL') {
    this.need('layoutChild', 'layoutSizingVertical');
    this.setSizing(false, v);
  }
  private sizing(horizontalAxis: boolean): 'FIXED' | 'HUG' | 'FILL' {
    const parent = this.s.parent;
    if (parent && isAutoLayout(parent) && this.s.layoutPositioning === 'AUTO') {
      const primary = (parent.s.layoutMode === 'HORIZONTAL') === horizontalAxis;
      if (primary ? this.s.layoutGrow === 1 : this.s.layoutAlign === 'STRETCH') return 'FILL';
    }
    if (isAutoLayout(this)) {
      const primary = (this.s.layoutMode === 'HORIZONTAL') === horizontalAxis;
      if ((primary ? this.s.primaryAxisSizingMode : this.s.counterAxisSizingMode) === 'AUTO') return 'HUG';
    }
    return 'FIXED';
  }
  private setSizing(horizontalAxis: boolean, v: 'FIXED' | 'HUG' | 'FILL'): void {
    const parent = this.s.parent;
    const inFlow = !!parent && isAutoLayout(parent) && this.s.layoutPositioning === 'AUTO';
    const parentPrimary = inFlow && (parent.s.layoutMode === 'HORIZONTAL') === horizontalAxis;
    const ownPrimary = isAutoLayout(this) && (this.s.layoutMode === 'HORIZONTAL') === horizontalAxis;
    if (v === 'FILL' && !inFlow) throw new Error('"FILL" is only valid on auto-layout children');
    if (v === 'HUG' && !isAutoLayout(this)) throw new Error('"HUG" is only valid on auto-layout frames and text nodes');
    if (!['FIXED', 'HUG', 'FILL'].includes(v)) throw new Error(`invalid layout sizing ${String(v)}`);
    if (inFlow) {
      if (parentPrimary) this.s.layoutGrow = v === 'FILL' ? 1 : 0;
      else if (v === 'FILL') this.s.layoutAlign = 'STRETCH';
      else if (this.s.layoutAlign === 'STRETCH') this.s.layoutAlign = 'INHERIT';
    }
    if (isAutoLayout(this)) {
      const mode = v === 'HUG' ? 'AUTO' : 'FIXED';
      if (ownPrimary) this.s.primaryAxisSizingMode = mode;
      else this.s.counterAxisSizingMode = mode;
    }
    this.fig.changed();
  }
}

type NodeStateAlign = 'MIN' | 'CENTER' | 'MAX' | 'STRETCH' | 'INHERIT';
