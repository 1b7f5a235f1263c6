/**
 * The DOM views the plugin sees (`app`, Document, Layer; DOCC / LAYC / DT Document.d.ts, Layer.d.ts).
 * Views are id-based like Photoshop's proxies: a Layer looks its state up on every access, so it sees
 * history rollbacks, and a deleted layer's getters throw. Changes need a modal scope (hosts.md §2.2:
 * executeAsModal is "needed for any document modification").
 */
import type { Document } from 'photoshop/dom/Document';
import type { Layer } from 'photoshop/dom/Layer';
import type { Bounds } from 'photoshop/dom/objects/Bounds';
import type { Photoshop } from 'photoshop/dom/Photoshop';
import type { Found, DocModel, LayerState } from './fake-ps-model.js';
import { Plane } from './fake-ps-plane.js';
import { PhotoshopError, type LayerKindValue, type Rect } from './fake-ps-types.js';

/** What the views need from the fake: modal checks and history bookkeeping. */
export interface PsHost {
  /** Throws outside executeAsModal and after a cancel (EAM L99-160). */
  requireModal(what: string): void;
  /** Records a change of `doc` (one history state named `name` unless history is suspended). */
  changed(doc: DocModel, name: string): void;
  documents(): DocModel[];
  activeDocument(): DocModel | null;
  setActiveDocument(doc: DocModel): void;
}

export type BoundsView = Pick<Bounds, 'left' | 'top' | 'right' | 'bottom' | 'width' | 'height' | 'typename'>;

function boundsView(r: Rect): BoundsView {
  return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.right - r.left, height: r.bottom - r.top, typename: 'Bounds' };
}

type LayerScalars = Pick<Layer, 'typename' | 'id' | 'name' | 'kind' | 'isBackgroundLayer' | 'locked' | 'allLocked' | 'pixelsLocked' | 'visible' | 'opacity'>;

/** The implemented part of DT's Layer (Bounds/Layer/Document are classes with private members, hence the views). */
export class FakeLayer implements LayerScalars {
  readonly typename = 'Layer';
  readonly opacity = 100;
  constructor(
    private readonly doc: DocModel,
    readonly id: number,
    private readonly host: PsHost,
  ) {}

  private get found(): Found {
    const f = this.doc.closed ? null : this.doc.find(this.id);
    if (!f) throw new PhotoshopError(`The object “layer ${this.id}” is not currently available.`);
    return f;
  }
  private get s(): LayerState {
    return this.found.layer;
  }
  get name(): string {
    return this.s.name;
  }
  set name(name: string) {
    this.host.requireModal('set layer name');
    this.s.name = name;
    this.host.changed(this.doc, 'Rename Layer');
  }
  get kind(): Layer['kind'] {
    return this.s.kind as LayerKindValue as Layer['kind'];
  }
  get isBackgroundLayer(): boolean {
    return this.s.background;
  }
  /** LAYC: "True if any property of this layer is locked". */
  get locked(): boolean {
    return this.s.allLocked || this.s.pixelsLocked;
  }
  get allLocked(): boolean {
    return this.s.allLocked;
  }
  set allLocked(v: boolean) {
    this.host.requireModal('lock layer');
    this.s.allLocked = v;
    this.host.changed(this.doc, 'Lock Layer');
  }
  get pixelsLocked(): boolean {
    return this.s.pixelsLocked;
  }
  get visible(): boolean {
    return this.s.visible;
  }
  set visible(v: boolean) {
    this.host.requireModal('set layer visibility');
    this.s.visible = v;
    this.host.changed(this.doc, v ? 'Show Layer' : 'Hide Layer');
  }
  get boundsNoEffects(): BoundsView {
    return boundsView(this.doc.bounds(this.s));
  }
  get bounds(): BoundsView {
    return this.boundsNoEffects;
  }
  get parent(): FakeLayer | null {
    const p = this.found.parent;
    return p ? new FakeLayer(this.doc, p.id, this.host) : null;
  }
  get document(): FakeDocument {
    return new FakeDocument(this.doc, this.host);
  }
  /** Children of a group (LAYC; `group.layers` in DT's Layer doc comment). */
  get layers(): FakeLayer[] | undefined {
    return this.s.children?.map((c) => new FakeLayer(this.doc, c.id, this.host));
  }

  /** DT Layer.duplicate(): a copy above this layer, named "<name> copy", that becomes active. */
  async duplicate(): Promise<FakeLayer> {
    this.host.requireModal('duplicate layer');
    const f = this.found;
    const copy: LayerState = { ...f.layer, id: this.doc.newLayerId(), name: `${f.layer.name} copy`, background: false, pixels: null, mask: f.layer.mask?.clone() ?? null, children: null };
    copy.pixels = f.layer.pixels ? f.layer.pixels.clone() : null;
    if (copy.pixels && f.layer.background) copy.pixels.outside = copy.pixels.outside.map(() => 0);
    f.siblings.splice(f.siblings.indexOf(f.layer), 0, copy);
    this.doc.content.active = [copy.id];
    this.host.changed(this.doc, 'Duplicate Layer');
    return new FakeLayer(this.doc, copy.id, this.host);
  }

  /** DT Layer.delete(). */
  delete(): void {
    this.host.requireModal('delete layer');
    const f = this.found;
    f.siblings.splice(f.siblings.indexOf(f.layer), 1);
    this.doc.content.active = this.doc.content.active.filter((id) => id !== this.id);
    this.host.changed(this.doc, 'Delete Layer');
  }

  toJSON(): { layer: number } {
    return { layer: this.id };
  }
}

type DocScalars = Pick<Document, 'typename' | 'id' | 'name' | 'title' | 'width' | 'height' | 'resolution' | 'mode' | 'bitsPerChannel'>;

export class FakeDocument implements DocScalars {
  readonly typename = 'Document';
  constructor(
    readonly model: DocModel,
    private readonly host: PsHost,
  ) {}

  get id(): number {
    return this.model.id;
  }
  get name(): string {
    return this.model.title;
  }
  get title(): string {
    return this.model.title;
  }
  get width(): number {
    return this.model.width;
  }
  get height(): number {
    return this.model.height;
  }
  get resolution(): number {
    return this.model.resolution;
  }
  get mode(): Document['mode'] {
    return this.model.mode as Document['mode'];
  }
  get bitsPerChannel(): Document['bitsPerChannel'] {
    return this.model.bits as Document['bitsPerChannel'];
  }
  get layers(): FakeLayer[] {
    return this.model.content.layers.map((l) => this.view(l.id));
  }
  get activeLayers(): FakeLayer[] {
    return this.model.content.active.filter((id) => this.model.find(id)).map((id) => this.view(id));
  }
  get backgroundLayer(): FakeLayer | null {
    const bg = this.model.content.layers.find((l) => l.background);
    return bg ? this.view(bg.id) : null;
  }
  /** DOCC `artboards`: the artboard groups at the top level. */
  get artboards(): FakeLayer[] {
    return this.model.content.layers.filter((l) => l.artboard).map((l) => this.view(l.id));
  }

  /** DT Document.createPixelLayer: an empty pixel layer above the active one, made active. */
  async createPixelLayer(options: { name?: string } = {}): Promise<FakeLayer> {
    this.host.requireModal('create layer');
    const m = this.model;
    const layer: LayerState = { id: m.newLayerId(), name: options.name ?? `Layer ${m.all().length}`, kind: 'pixel', background: false, visible: true, allLocked: false, pixelsLocked: false, pixels: new Plane({ left: 0, top: 0, right: 0, bottom: 0 }, m.native + 1, new Float32Array(0), new Array(m.native + 1).fill(0)), mask: null, maskEnabled: true, children: null, artboard: false };
    const anchor = m.content.active[0] === undefined ? null : m.find(m.content.active[0]);
    const list = anchor ? anchor.siblings : m.content.layers;
    list.splice(anchor ? list.indexOf(anchor.layer) : 0, 0, layer);
    m.content.active = [layer.id];
    this.host.changed(m, 'New Layer');
    return this.view(layer.id);
  }

  view(id: number): FakeLayer {
    return new FakeLayer(this.model, id, this.host);
  }
  toJSON(): { document: number } {
    return { document: this.id };
  }
}

type AppScalars = Pick<Photoshop, 'typename'>;

/** `require('photoshop').app` (DT Photoshop.d.ts L116-143). */
export class FakeApp implements AppScalars {
  readonly typename = 'Photoshop';
  constructor(private readonly host: PsHost) {}
  get documents(): FakeDocument[] {
    return this.host.documents().map((d) => new FakeDocument(d, this.host));
  }
  /** Photoshop's activeDocument is null-ish with no document open; the fake returns null. */
  get activeDocument(): FakeDocument | null {
    const d = this.host.activeDocument();
    return d ? new FakeDocument(d, this.host) : null;
  }
  set activeDocument(doc: FakeDocument | null) {
    if (doc) this.host.setActiveDocument(doc.model);
  }
}
