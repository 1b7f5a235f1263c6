/**
 * Test-only arrangement and "the user" acting on documents (never visible to the plugin). User actions
 * need no modal scope and each is its own history state, as when the user edits between or during runs.
 */
import { fromRgb } from './fake-ps-color.js';
import { FakeDocument, type FakeLayer, type PsHost } from './fake-ps-document.js';
import { DocModel, type LayerState } from './fake-ps-model.js';
import { Plane } from './fake-ps-plane.js';
import { bitsOf, intersect, type Depth, type DocumentMode, type LayerKindValue, type Rect } from './fake-ps-types.js';

/** RGBA, 8-bit (0..255) or 16-bit full range (0..65535, as a 16-bit PNG decodes). */
export interface RgbaSource {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array | Uint8ClampedArray | Uint16Array;
}

export interface DocumentOptions {
  readonly width: number;
  readonly height: number;
  readonly title?: string;
  readonly mode?: DocumentMode;
  readonly depth?: Depth;
  readonly resolution?: number;
}

export interface LayerOptions {
  readonly name?: string;
  readonly kind?: LayerKindValue;
  /** Pixels of the layer; none gives an empty pixel layer (or a pixel-less adjustment/fill layer). */
  readonly image?: RgbaSource;
  /** Document position of the image's top-left pixel (default 0,0). */
  readonly offset?: { readonly left: number; readonly top: number };
  /** A Background layer: opaque, covers the canvas, at the bottom (image alpha ignored). */
  readonly background?: boolean;
  readonly parent?: FakeLayer;
  readonly visible?: boolean;
}

export interface SetupHost extends PsHost {
  addDocument(doc: DocModel): void;
  closeDocument(doc: DocModel): void;
  nextDocumentId(): number;
}

export class FakePsSetup {
  constructor(private readonly host: SetupHost) {}

  /** An empty document, made active. */
  document(o: DocumentOptions): FakeDocument {
    const doc = new DocModel(this.host.nextDocumentId(), o.title ?? 'Untitled-1', o.width, o.height, o.mode ?? 'RGBColorMode', bitsOf(o.depth ?? 8), o.resolution ?? 72);
    this.host.addDocument(doc);
    return new FakeDocument(doc, this.host);
  }

  /** A document holding `image` as its one layer (a Background, or a normal layer at `offset`). */
  documentFromImage(image: RgbaSource, o: Partial<DocumentOptions> & Omit<LayerOptions, 'parent'> = {}): { doc: FakeDocument; layer: FakeLayer } {
    const off = o.offset ?? { left: 0, top: 0 };
    const doc = this.document({ ...o, width: o.width ?? off.left + image.width, height: o.height ?? off.top + image.height });
    const layer = this.addLayer(doc, { ...o, image, name: o.name ?? (o.background ? 'Background' : 'Layer 1') });
    return { doc, layer };
  }

  addLayer(doc: FakeDocument, o: LayerOptions = {}): FakeLayer {
    const m = doc.model;
    const n = m.native;
    let pixels: Plane | null = null;
    if (o.image || o.background || (o.kind ?? 'pixel') === 'pixel') {
      const rect: Rect = o.background ? m.canvas : { left: o.offset?.left ?? 0, top: o.offset?.top ?? 0, right: 0, bottom: 0 };
      if (!o.background) {
        rect.right = rect.left + (o.image?.width ?? 0);
        rect.bottom = rect.top + (o.image?.height ?? 0);
      }
      pixels = Plane.filled(rect, n + 1, o.background ? [...new Array(n).fill(1), 1] : new Array(n + 1).fill(0), o.background ? [...new Array(n).fill(1), 1] : new Array(n + 1).fill(0));
      if (o.image) this.paintImage(m, pixels, o.image, o.offset ?? { left: 0, top: 0 }, o.background === true);
    }
    const state: LayerState = { id: m.newLayerId(), name: o.name ?? `Layer ${m.all().length + 1}`, kind: o.kind ?? 'pixel', background: o.background === true, visible: o.visible ?? true, allLocked: false, pixelsLocked: false, pixels, mask: null, maskEnabled: true, children: o.kind === 'group' ? [] : null, artboard: false };
    const parent = o.parent ? m.find(o.parent.id)?.layer.children : m.content.layers;
    if (!parent) throw new Error('addLayer: the parent is not a group');
    if (o.background) parent.push(state);
    else parent.splice(0, 0, state);
    m.content.active = [state.id];
    return doc.view(state.id);
  }

  /** A group (kind "group"); an artboard is a top-level group listed in `document.artboards`. */
  addGroup(doc: FakeDocument, o: { name?: string; artboard?: boolean; parent?: FakeLayer } = {}): FakeLayer {
    const g = this.addLayer(doc, { name: o.name ?? (o.artboard ? 'Artboard 1' : 'Group 1'), kind: 'group', ...(o.parent ? { parent: o.parent } : {}) });
    const s = doc.model.find(g.id)?.layer;
    if (s) s.artboard = o.artboard === true;
    return g;
  }

  /** The user deletes a layer (e.g. during a run). */
  deleteLayer(layer: FakeLayer): void {
    const m = layer.document.model;
    const f = m.find(layer.id);
    if (!f) throw new Error(`deleteLayer: no layer ${layer.id}`);
    f.siblings.splice(f.siblings.indexOf(f.layer), 1);
    m.content.active = m.content.active.filter((id) => id !== layer.id);
    this.host.changed(m, 'Delete Layer');
  }

  /** The user paints `value` (0 black … 1 white) into the layer's mask over `rect`, as with a brush. */
  paintMask(layer: FakeLayer, rect: Rect, value: number): void {
    const m = layer.document.model;
    const mask = m.find(layer.id)?.layer.mask;
    if (!mask) throw new Error(`paintMask: the layer ${layer.id} has no mask`);
    const r = intersect(rect, m.canvas);
    const w = r.right - r.left;
    const h = r.bottom - r.top;
    mask.write(r.left, r.top, w, h, new Float32Array(w * h).fill(value), m.depth);
    this.host.changed(m, 'Brush Tool');
  }

  lock(layer: FakeLayer, locks: { all?: boolean; pixels?: boolean } = { all: true }): void {
    const s = layer.document.model.find(layer.id)?.layer;
    if (!s) throw new Error(`lock: no layer ${layer.id}`);
    s.allLocked = locks.all ?? false;
    s.pixelsLocked = locks.pixels ?? false;
  }

  /** The user selects layers (the document's active layers). */
  selectLayers(doc: FakeDocument, layers: readonly FakeLayer[]): void {
    doc.model.content.active = layers.map((l) => l.id);
  }

  /** A rectangular selection (value 1 inside), or none. */
  setSelection(doc: FakeDocument, rect: Rect | null): void {
    doc.model.content.selection = rect ? Plane.filled(intersect(rect, doc.model.canvas), 1, [1], [0]) : null;
  }

  closeDocument(doc: FakeDocument): void {
    this.host.closeDocument(doc.model);
  }

  private paintImage(m: DocModel, plane: Plane, img: RgbaSource, off: { left: number; top: number }, opaque: boolean): void {
    const max = img.data instanceof Uint16Array ? 65535 : 255;
    const n = m.native;
    const src = new Float32Array(img.width * img.height * (n + 1));
    for (let i = 0; i < img.width * img.height; i++) {
      const rgb: [number, number, number] = [(img.data[i * 4] as number) / max, (img.data[i * 4 + 1] as number) / max, (img.data[i * 4 + 2] as number) / max];
      const native = fromRgb(m.model, rgb);
      for (let c = 0; c < n; c++) src[i * (n + 1) + c] = native[c] as number;
      src[i * (n + 1) + n] = opaque ? 1 : (img.data[i * 4 + 3] as number) / max;
    }
    plane.write(off.left, off.top, img.width, img.height, src, m.depth);
  }
}
