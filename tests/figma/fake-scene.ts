/// <reference types="@figma/plugin-typings" />
/**
 * Scene nodes of every supported type: paints (MinimalFillsMixin FT L8788-8818, GeometryMixin
 * L8944), blend and mask (BlendMixin L7597-7660), and the auto-layout frame properties
 * (AutoLayoutMixin L7694-8230). Which of these a node type has: CAPS in fake-types.ts.
 */
import { FakeGeometryNode } from './fake-geometry.js';
import { freezeEffects, normalisePaints } from './fake-paints.js';
import type { Host, LayoutMode, SupportedType } from './fake-types.js';

const MASK_TYPES = new Set(['ALPHA', 'VECTOR', 'LUMINANCE']);

export class FakeScene extends FakeGeometryNode {
  constructor(fig: Host, type: SupportedType, name: string) {
    super(fig, type, name);
    if (type === 'RECTANGLE' || type === 'ELLIPSE' || type === 'BOOLEAN_OPERATION') this.s.blendMode = 'NORMAL';
  }

  /** A frozen array of frozen paints: replace it, never mutate it (FT L8788, "Editing Properties"). */
  get fills(): ReadonlyArray<Paint> | PluginAPI['mixed'] {
    this.need('fills', 'fills');
    return this.s.fills;
  }
  /**
   * Normalised as Figma reads them back (fake-paints.ts). Writing fills on a node linked to a fill
   * style leaves it unlinked (`fillStyleId === ''`): the typings only say fillStyleId is the style the
   * fills are "linked to" (FT L8804); the editor detaches a style when its paint is replaced (review F21).
   */
  set fills(value: ReadonlyArray<Paint> | PluginAPI['mixed']) {
    this.need('fills', 'fills');
    this.s.fills = normalisePaints(value, (h) => this.fig.hasImage(h));
    this.s.fillStyleId = '';
    this.fig.changed();
  }
  get fillStyleId(): string | PluginAPI['mixed'] {
    this.need('fills', 'fillStyleId');
    return this.s.fillStyleId;
  }
  /** "If the manifest contains "documentAccess": "dynamic-page", this property is read-only" (FT L8806). */
  set fillStyleId(id: string | PluginAPI['mixed']) {
    this.need('fills', 'fillStyleId');
    if (this.fig.options.documentAccess === 'dynamic-page') throw new Error('Cannot set fillStyleId with "documentAccess": "dynamic-page"; use setFillStyleIdAsync');
    this.linkStyle(String(id));
  }
  /** FT L8814. */
  async setFillStyleIdAsync(id: string): Promise<void> {
    this.need('fills', 'setFillStyleIdAsync');
    this.linkStyle(id);
  }
  private linkStyle(id: string): void {
    if (id !== '') {
      const paints = this.fig.paintStyle(id);
      if (!paints) throw new Error(`No paint style with id ${id}`);
      this.s.fills = paints;
    }
    this.s.fillStyleId = id;
    this.fig.changed();
  }
  get strokes(): ReadonlyArray<Paint> {
    this.need('fills', 'strokes');
    return this.s.strokes;
  }
  set strokes(value: ReadonlyArray<Paint>) {
    this.need('fills', 'strokes');
    this.s.strokes = normalisePaints(value, (h) => this.fig.hasImage(h), 'strokes');
    this.fig.changed();
  }

  get opacity(): number {
    this.need('blend', 'opacity');
    return this.s.opacity;
  }
  set opacity(v: number) {
    this.need('blend', 'opacity');
    if (typeof v !== 'number' || v < 0 || v > 1) throw new Error('opacity must be between 0 and 1');
    this.s.opacity = v;
    this.fig.changed();
  }
  get blendMode(): BlendMode {
    this.need('blend', 'blendMode');
    return this.s.blendMode;
  }
  set blendMode(v: BlendMode) {
    this.need('blend', 'blendMode');
    this.s.blendMode = v;
    this.fig.changed();
  }
  /** "A mask node masks its subsequent siblings" (FT L7599). */
  get isMask(): boolean {
    this.need('blend', 'isMask');
    return this.s.isMask;
  }
  set isMask(v: boolean) {
    this.need('blend', 'isMask');
    this.s.isMask = !!v;
    this.fig.changed();
  }
  /** "Defaults to ALPHA … changing maskType does not automatically turn on isMask" (FT L7640). */
  get maskType(): MaskType {
    this.need('blend', 'maskType');
    return this.s.maskType;
  }
  set maskType(v: MaskType) {
    this.need('blend', 'maskType');
    if (!MASK_TYPES.has(v)) throw new Error(`invalid maskType ${String(v)}`);
    this.s.maskType = v;
    this.fig.changed();
  }
  get effects(): ReadonlyArray<Effect> {
    this.need('blend', 'effects');
    return this.s.effects;
  }
  set effects(v: ReadonlyArray<Effect>) {
    this.need('blend', 'effects');
    this.s.effects = freezeEffects(v);
    this.fig.changed();
  }

  // ---- AutoLayoutMixin: changing any of these reflows the frame (FT L7700).
  get layoutMode(): LayoutMode {
    this.need('autoLayout', 'layoutMode');
    return this.s.layoutMode;
  }
  set layoutMode(v: LayoutMode) {
    this.need('autoLayout', 'layoutMode');
    if (!['NONE', 'HORIZONTAL', 'VERTICAL'].includes(v)) throw new Error(`fake: layoutMode ${String(v)} is not modelled`);
    this.s.layoutMode = v;
    this.fig.changed();
  }
  get itemSpacing(): number {
    return this.num('itemSpacing');
  }
  set itemSpacing(v: number) {
    this.setNum('itemSpacing', v);
  }
  get paddingLeft(): number {
    return this.num('paddingLeft');
  }
  set paddingLeft(v: number) {
    this.setNum('paddingLeft', v);
  }
  get paddingRight(): number {
    return this.num('paddingRight');
  }
  set paddingRight(v: number) {
    this.setNum('paddingRight', v);
  }
  get paddingTop(): number {
    return this.num('paddingTop');
  }
  set paddingTop(v: number) {
    this.setNum('paddingTop', v);
  }
  get paddingBottom(): number {
    return this.num('paddingBottom');
  }
  set paddingBottom(v: number) {
    this.setNum('paddingBottom', v);
  }
  get primaryAxisSizingMode(): 'FIXED' | 'AUTO' {
    this.need('autoLayout', 'primaryAxisSizingMode');
    return this.s.primaryAxisSizingMode;
  }
  set primaryAxisSizingMode(v: 'FIXED' | 'AUTO') {
    this.need('autoLayout', 'primaryAxisSizingMode');
    this.s.primaryAxisSizingMode = v === 'AUTO' ? 'AUTO' : 'FIXED';
    this.fig.changed();
  }
  get counterAxisSizingMode(): 'FIXED' | 'AUTO' {
    this.need('autoLayout', 'counterAxisSizingMode');
    return this.s.counterAxisSizingMode;
  }
  set counterAxisSizingMode(v: 'FIXED' | 'AUTO') {
    this.need('autoLayout', 'counterAxisSizingMode');
    this.s.counterAxisSizingMode = v === 'AUTO' ? 'AUTO' : 'FIXED';
    this.fig.changed();
  }
  get primaryAxisAlignItems(): 'MIN' | 'MAX' | 'CENTER' | 'SPACE_BETWEEN' {
    this.need('autoLayout', 'primaryAxisAlignItems');
    return this.s.primaryAxisAlignItems;
  }
  set primaryAxisAlignItems(v: 'MIN' | 'MAX' | 'CENTER' | 'SPACE_BETWEEN') {
    this.need('autoLayout', 'primaryAxisAlignItems');
    this.s.primaryAxisAlignItems = v;
    this.fig.changed();
  }
  get counterAxisAlignItems(): 'MIN' | 'MAX' | 'CENTER' | 'BASELINE' {
    this.need('autoLayout', 'counterAxisAlignItems');
    return this.s.counterAxisAlignItems;
  }
  set counterAxisAlignItems(v: 'MIN' | 'MAX' | 'CENTER' | 'BASELINE') {
    this.need('autoLayout', 'counterAxisAlignItems');
    this.s.counterAxisAlignItems = v;
    this.fig.changed();
  }
  get clipsContent(): boolean {
    this.need('autoLayout', 'clipsContent');
    return this.s.clipsContent;
  }
  set clipsContent(v: boolean) {
    this.need('autoLayout', 'clipsContent');
    this.s.clipsContent = !!v;
    this.fig.changed();
  }
  private num(key: 'itemSpacing' | 'paddingLeft' | 'paddingRight' | 'paddingTop' | 'paddingBottom'): number {
    this.need('autoLayout', key);
    return this.s[key];
  }
  private setNum(key: 'itemSpacing' | 'paddingLeft' | 'paddingRight' | 'paddingTop' | 'paddingBottom', v: number): void {
    this.need('autoLayout', key);
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${key} must be a finite number`);
    this.s[key] = v;
    this.fig.changed();
  }
}
