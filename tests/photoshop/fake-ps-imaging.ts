/**
 * `require('photoshop').imaging` (IM; DT ImagingModule.d.ts; notes §4).
 *  - getPixels: document coordinates; requested bounds trimmed to pixel content and the trimmed region
 *    returned (IM L144); `components` 4 when the source has alpha (IM L164): layers do, a Background
 *    does not, the composite does when the document has no Background (fake's reading of L164);
 *    `applyAlpha` mattes on white (L155); `targetSize` smaller than the region scales down (box average)
 *    and the fake then reports pyramid level = min(cacheLevels, floor(log2(scale))) with `sourceBounds`
 *    divided by 2^level (floor left/top, ceil right/bottom): "relative to that level" (IM L166).
 *    `targetSize` not smaller than the region: no scaling. CMYK without `colorSpace`, Indexed and Bitmap
 *    documents are refused (the fake does not model their image data).
 *  - putLayerMask: 1-component Grayscale data only (IM L241-256); creates a missing user mask (inference
 *    from Adobe's sample, notes §4) and refuses a Background layer (that sample's check); `targetBounds`
 *    {left, top} default (0,0); `replace` (default true) discards the old mask first. Outside the written
 *    rectangle a new mask is white (reveal), an old one keeps its values (the fake's choice: undocumented);
 *    getLayerMask without bounds returns the written extent ("the entire mask").
 *    `strictMaskDepth` (default true): the data's component size must equal the document depth
 *    (unverified in Photoshop, notes §4: the strict fake makes the plugin convert).
 *  - An empty region (a layer without pixels, bounds outside the content) rejects (fake's choice).
 *  - Locks: putPixels refuses allLocked/pixelsLocked layers, putLayerMask allLocked ones (inference).
 */
import type { imaging } from 'photoshop/dom/ImagingModule';
import { convertPixels, type Model } from './fake-ps-color.js';
import { createImageDataFromBuffer, FakeImageData, fromUnit, type ImageDataRegistry } from './fake-ps-image-data.js';
import type { DocModel, LayerState } from './fake-ps-model.js';
import type { ModalController } from './fake-ps-modal.js';
import { Plane } from './fake-ps-plane.js';
import { intersect, isEmpty, PhotoshopError, toRect, type Depth, type ImagingApi, type Rect } from './fake-ps-types.js';

export interface ImagingHost {
  readonly modal: ModalController;
  readonly registry: ImageDataRegistry;
  readonly options: { strictMaskDepth: boolean; cacheLevels: number };
  activeDocument(): DocModel | null;
  findDocument(id: number): DocModel | null;
  changed(doc: DocModel, name: string): void;
}

type Api = Pick<ImagingApi, 'getPixels' | 'putPixels' | 'getLayerMask' | 'putLayerMask' | 'getSelection' | 'putSelection' | 'createImageDataFromBuffer'>;

function scaled(region: Rect, target: imaging.Size | undefined): { width: number; height: number; scale: number } {
  const sw = region.right - region.left;
  const sh = region.bottom - region.top;
  if (!target || (target.width === undefined && target.height === undefined)) return { width: sw, height: sh, scale: 1 };
  const width = Math.max(1, Math.round(target.width ?? (sw * (target.height as number)) / sh));
  const height = Math.max(1, Math.round(target.height ?? (sh * (target.width as number)) / sw));
  if (width >= sw && height >= sh) return { width: sw, height: sh, scale: 1 };
  return { width: Math.min(width, sw), height: Math.min(height, sh), scale: Math.max(sw / width, sh / height) };
}

export class FakeImaging implements Api {
  constructor(private readonly host: ImagingHost) {}

  private doc(id: number | undefined): DocModel {
    const doc = id === undefined || id < 0 ? this.host.activeDocument() : this.host.findDocument(id);
    if (!doc) throw new PhotoshopError(`imaging: no document${id === undefined ? ' is open' : ` with id ${id}`}`);
    return doc;
  }
  private layer(doc: DocModel, id: number): LayerState {
    const f = doc.find(id);
    if (!f) throw new PhotoshopError(`imaging: the layer ${id} does not exist in document ${doc.id}`);
    return f.layer;
  }
  private imageData(d: imaging.PhotoshopImageData, what: string): FakeImageData {
    if (!(d instanceof FakeImageData)) throw new PhotoshopError(`${what}: imageData is not a PhotoshopImageData`);
    d.raw();
    return d;
  }

  getPixels = async (o: imaging.GetPixelsOptions): Promise<imaging.GetPixelsResult> => {
    this.host.modal.checkCancelled('getPixels');
    const doc = this.doc(o.documentID);
    if (doc.mode === 'indexedColorMode' || doc.mode === 'bitmapMode') throw new PhotoshopError(`getPixels: the fake does not model ${doc.mode} image data`);
    const space = (o.colorSpace ?? (doc.model === 'CMYK' ? null : doc.model)) as Model | null;
    if (space !== 'RGB' && space !== 'Grayscale' && space !== 'Lab') throw new PhotoshopError(`getPixels: the fake models only RGB, Grayscale and Lab image data (asked ${String(space)})`);
    const layer = o.layerID === undefined ? null : this.layer(doc, o.layerID);
    if (layer && !layer.pixels) throw new PhotoshopError(`getPixels: the layer ${layer.id} has no pixels (${layer.kind})`);
    const content = layer ? doc.bounds(layer) : doc.canvas;
    const region = o.sourceBounds ? intersect(toRect(o.sourceBounds), content) : content;
    if (isEmpty(region)) throw new PhotoshopError('getPixels: the requested region contains no pixel data');
    const { width, height, scale } = scaled(region, o.targetSize);
    const level = scale >= 2 ? Math.min(this.host.options.cacheLevels, Math.floor(Math.log2(scale))) : 0;
    const source = layer?.pixels ?? new Plane({ ...region }, doc.native + 1, doc.composite(region), new Array(doc.native + 1).fill(0));
    let px = convertPixels(source.read(region, width, height), width * height, doc.model, space, true);
    const n = space === 'Grayscale' ? 1 : 3;
    const hasAlpha = layer ? !layer.background : !doc.content.layers.some((l) => l.background);
    if (o.applyAlpha || !hasAlpha) {
      const out = new Float32Array(width * height * n);
      for (let i = 0; i < width * height; i++) {
        const a = o.applyAlpha ? (px[i * (n + 1) + n] as number) : 1;
        for (let c = 0; c < n; c++) out[i * n + c] = (px[i * (n + 1) + c] as number) * a + (1 - a);
      }
      px = out;
    }
    const components = o.applyAlpha || !hasAlpha ? n : n + 1;
    const depth = (o.componentSize === undefined || o.componentSize === -1 ? doc.depth : o.componentSize) as Depth;
    const imageData = new FakeImageData(this.host.registry, width, height, components, depth, space, o.colorProfile ?? '', fromUnit(px, depth));
    const k = 2 ** level;
    const sourceBounds = { left: Math.floor(region.left / k), top: Math.floor(region.top / k), right: Math.ceil(region.right / k), bottom: Math.ceil(region.bottom / k) };
    return { imageData, sourceBounds, level };
  };

  getLayerMask = async (o: imaging.GetLayerMaskOptions): Promise<imaging.GetLayerMaskResult> => {
    this.host.modal.checkCancelled('getLayerMask');
    const doc = this.doc(o.documentID);
    const layer = this.layer(doc, o.layerID);
    if (o.kind === 'vector') throw new PhotoshopError('getLayerMask: the fake models only user (pixel) masks');
    if (!layer.mask) throw new PhotoshopError(`getLayerMask: the layer ${layer.id} has no user mask`);
    return this.readGray(doc, layer.mask, o.sourceBounds, o.targetSize, 'getLayerMask');
  };

  getSelection = async (o: imaging.GetSelectionOptions): Promise<imaging.GetSelectionResult> => {
    this.host.modal.checkCancelled('getSelection');
    const doc = this.doc(o.documentID);
    if (!doc.content.selection) throw new PhotoshopError('getSelection: the document has no selection (the fake refuses)');
    return this.readGray(doc, doc.content.selection, o.sourceBounds, o.targetSize, 'getSelection');
  };

  private readGray(doc: DocModel, plane: Plane, bounds: imaging.Bounds | undefined, target: imaging.Size | undefined, what: string): { imageData: FakeImageData; sourceBounds: Rect } {
    const region = bounds ? intersect(toRect(bounds), { left: Math.min(0, plane.rect.left), top: Math.min(0, plane.rect.top), right: Math.max(doc.width, plane.rect.right), bottom: Math.max(doc.height, plane.rect.bottom) }) : { ...plane.rect };
    if (isEmpty(region)) throw new PhotoshopError(`${what}: the requested region is empty`);
    const { width, height } = scaled(region, target);
    const imageData = new FakeImageData(this.host.registry, width, height, 1, doc.depth, 'Grayscale', '', fromUnit(plane.read(region, width, height), doc.depth));
    return { imageData, sourceBounds: region };
  }

  putLayerMask = async (o: imaging.PutLayerMaskOptions): Promise<void> => {
    this.host.modal.requireModal('putLayerMask');
    const doc = this.doc(o.documentID);
    const layer = this.layer(doc, o.layerID);
    const data = this.gray(o.imageData, 'putLayerMask');
    if (o.kind !== undefined && o.kind !== 'user') throw new PhotoshopError('putLayerMask: only "user" masks are editable');
    if (layer.background) throw new PhotoshopError('putLayerMask: cannot add a layer mask to the Background layer');
    if (layer.allLocked) throw new PhotoshopError(`putLayerMask: the layer ${layer.id} is locked`);
    if (this.host.options.strictMaskDepth && data.componentSize !== doc.depth) {
      throw new PhotoshopError(`putLayerMask: ${data.componentSize}-bit mask data into a ${doc.depth}-bit document (strictMaskDepth)`);
    }
    if (o.replace !== false || !layer.mask) layer.mask = Plane.filled({ left: 0, top: 0, right: 0, bottom: 0 }, 1, [], [1]);
    const { left = 0, top = 0 } = o.targetBounds ?? {};
    layer.mask.write(left, top, data.width, data.height, clampUnit(data.unit()), doc.depth);
    layer.maskEnabled = true;
    this.host.changed(doc, o.commandName ?? 'putLayerMask');
  };

  putSelection = async (o: imaging.PutSelectionOptions): Promise<void> => {
    this.host.modal.requireModal('putSelection');
    const doc = this.doc(o.documentID);
    const data = this.gray(o.imageData, 'putSelection');
    const { left = 0, top = 0 } = o.targetBounds ?? {};
    const old = doc.content.selection;
    const next = Plane.filled({ left: 0, top: 0, right: 0, bottom: 0 }, 1, [], [0]);
    next.write(left, top, data.width, data.height, clampUnit(data.unit()), doc.depth);
    if (o.replace === false && old) {
      next.ensure(old.rect);
      for (let y = next.rect.top; y < next.rect.bottom; y++) for (let x = next.rect.left; x < next.rect.right; x++) next.set(x, y, 0, Math.max(next.at(x, y, 0), old.at(x, y, 0)));
    }
    doc.content.selection = next;
    this.host.changed(doc, o.commandName ?? 'putSelection');
  };

  putPixels = async (o: imaging.PutPixelsOptions): Promise<void> => {
    this.host.modal.requireModal('putPixels');
    const doc = this.doc(o.documentID);
    const layer = this.layer(doc, o.layerID);
    const data = this.imageData(o.imageData, 'putPixels');
    if (layer.kind !== 'pixel' || !layer.pixels) throw new PhotoshopError('putPixels: the target layer must be a pixel layer');
    if (layer.allLocked || layer.pixelsLocked) throw new PhotoshopError(`putPixels: the layer ${layer.id} is locked`);
    const n = data.colorSpace === 'Grayscale' ? 1 : 3;
    const count = data.width * data.height;
    let src = data.unit();
    if (!data.hasAlpha) {
      const withAlpha = new Float32Array(count * (n + 1));
      for (let i = 0; i < count; i++) {
        for (let c = 0; c < n; c++) withAlpha[i * (n + 1) + c] = src[i * n + c] as number;
        withAlpha[i * (n + 1) + n] = 1;
      }
      src = withAlpha;
    }
    src = convertPixels(src, count, data.colorSpace as Model, doc.model, true);
    if (o.replace !== false && !layer.background) layer.pixels = Plane.filled({ left: 0, top: 0, right: 0, bottom: 0 }, doc.native + 1, [], new Array(doc.native + 1).fill(0));
    const { left = 0, top = 0 } = o.targetBounds ?? {};
    layer.pixels.write(left, top, data.width, data.height, src, doc.depth);
    this.host.changed(doc, o.commandName ?? 'putPixels');
  };

  createImageDataFromBuffer = async (array: Uint8Array | Uint16Array | Float32Array, options: imaging.CreateImageDataFromBufferOptions): Promise<FakeImageData> => {
    this.host.modal.checkCancelled('createImageDataFromBuffer');
    return createImageDataFromBuffer(this.host.registry, array, options);
  };

  /** Masks and selections: "a single component using the grayscale color model" (IM L241-256). */
  private gray(d: imaging.PhotoshopImageData, what: string): FakeImageData {
    const data = this.imageData(d, what);
    if (data.components !== 1 || data.colorSpace !== 'Grayscale') throw new PhotoshopError(`${what}: imageData must have 1 component in the Grayscale color space (got ${data.components}, ${data.colorSpace})`);
    return data;
  }
}

function clampUnit(a: Float32Array): Float32Array {
  return a.map((v) => Math.min(1, Math.max(0, v)));
}
