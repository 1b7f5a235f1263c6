/**
 * The subset of `require('photoshop')` the panel uses, as structural types derived from
 * @types/photoshop 25.0.4 ("DT"). DT's Document and Layer are classes with private members, so the
 * panel's modules take these Picks instead: the real objects satisfy them, and so do plain test objects.
 */
import type { action, core } from 'photoshop';
import type { imaging } from 'photoshop/dom/ImagingModule';
import type { Document } from 'photoshop/dom/Document';
import type { Layer } from 'photoshop/dom/Layer';

export type ExecutionContext = Parameters<Parameters<typeof core.executeAsModal>[0]>[0];
export type ImageData = imaging.PhotoshopImageData;

/** DT Layer members the panel reads or sets. */
export interface PsLayer extends Pick<Layer, 'id' | 'name' | 'kind' | 'isBackgroundLayer' | 'allLocked' | 'pixelsLocked' | 'visible'> {
  readonly boundsNoEffects: Pick<Layer['boundsNoEffects'], 'left' | 'top' | 'right' | 'bottom'>;
  readonly parent: PsLayer | null;
  visible: boolean;
}

/** DT Document members the panel reads. */
export interface PsDocument extends Pick<Document, 'id' | 'title' | 'width' | 'height' | 'mode' | 'bitsPerChannel'> {
  readonly activeLayers: ArrayLike<PsLayer>;
  readonly layers: ArrayLike<PsLayer>;
  readonly artboards?: ArrayLike<PsLayer> | undefined;
  /** DT Document.createPixelLayer (a new empty pixel layer above the active one, made active). */
  createPixelLayer(options?: { name?: string }): Promise<PsLayer | null>;
  closeWithoutSaving(): void;
}

export interface PsApp {
  readonly activeDocument: PsDocument | null | undefined;
  readonly documents: ArrayLike<PsDocument>;
  /** DT Photoshop.createDocument (Diagnostics P4 only). */
  createDocument(options?: { name?: string; width?: number; height?: number; resolution?: number; mode?: string; fill?: string; depth?: number }): Promise<PsDocument | null>;
}

/** What the panel needs of `require('photoshop')`. */
export interface Ps {
  readonly app: PsApp;
  readonly core: { executeAsModal: typeof core.executeAsModal };
  readonly action: { batchPlay: typeof action.batchPlay };
  readonly imaging: Pick<typeof imaging, 'getPixels' | 'getLayerMask' | 'putLayerMask' | 'putSelection' | 'putPixels' | 'createImageDataFromBuffer'>;
}

/** Document-coordinate rectangle, right/bottom exclusive (IM L58). */
export interface Rect {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

export const rectWidth = (r: Rect): number => r.right - r.left;
export const rectHeight = (r: Rect): number => r.bottom - r.top;
export const rectOf = (b: Rect): Rect => ({ left: b.left, top: b.top, right: b.right, bottom: b.bottom });
export const sameRect = (a: Rect, b: Rect): boolean => a.left === b.left && a.top === b.top && a.right === b.right && a.bottom === b.bottom;

/** The document's bit depth (DT BitsPerChannelType values). */
export type Depth = 8 | 16 | 32;

export function depthOf(bits: string): Depth | null {
  if (bits === 'bitDepth8') return 8;
  if (bits === 'bitDepth16') return 16;
  if (bits === 'bitDepth32') return 32;
  return null;
}

/** Finds a document and a layer in it by id (undefined when closed or deleted). */
export function findDocument(app: PsApp, id: number): PsDocument | undefined {
  return Array.from(app.documents).find((d) => d.id === id);
}

export function findLayer(doc: PsDocument, id: number): PsLayer | undefined {
  const walk = (list: ArrayLike<PsLayer>): PsLayer | undefined => {
    for (const layer of Array.from(list)) {
      if (layer.id === id) return layer;
      const children = (layer as { layers?: ArrayLike<PsLayer> | null }).layers;
      const found = children ? walk(children) : undefined;
      if (found) return found;
    }
    return undefined;
  };
  return walk(doc.layers);
}
