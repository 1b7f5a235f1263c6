/**
 * The document changes, each called inside writeInModal's one history state (never catching: an
 * exception must roll the state back). Image data is created per write and disposed in `finally`.
 * Masks and selections are one Grayscale component at the document's depth ("a single component using
 * the grayscale color model", IM L241-256; "Gray Gamma 2.2" as the docs' mask/selection example, IM
 * L368-389), covering the layer's full extent, placed with `targetBounds` in document coordinates.
 */
import { unitToDepth, type Samples } from './depth.js';
import { findLayer, rectHeight, rectWidth, type Depth, type Ps, type PsDocument, type PsLayer, type Rect } from './ps-api.js';

const MASK_PROFILE = 'Gray Gamma 2.2';

/** targetBounds: IM and Adobe's sample pass {left, top} (ITZ pixelEffects.js L99-103); DT requires a size too, so both are given. */
const placeAt = (r: Rect) => ({ left: r.left, top: r.top, width: rectWidth(r), height: rectHeight(r) });

async function grayImage(ps: Ps, plane: Float32Array, extent: Rect, depth: Depth) {
  return ps.imaging.createImageDataFromBuffer(unitToDepth(plane, depth), {
    width: rectWidth(extent),
    height: rectHeight(extent),
    components: 1,
    chunky: true,
    colorSpace: 'Grayscale',
    colorProfile: MASK_PROFILE,
  });
}

/**
 * Converts the Background layer to a normal layer (batchPlay `set` background → layer, the same shape in
 * six public plugins, notes §5) and returns the new layer: the conversion gives it a new id (CL L509,
 * LAYC L38). A Background is always the bottom layer and stays there, so the new layer is read as the
 * bottom of `doc.layers` (notes §5 read `doc.activeLayers[0]`, which is the same layer when it alone was selected).
 */
export async function convertBackground(ps: Ps, doc: PsDocument): Promise<PsLayer> {
  await ps.action.batchPlay(
    [
      {
        _obj: 'set',
        _target: [{ _ref: 'layer', _property: 'background' }, { _ref: 'document', _id: doc.id }],
        to: { _obj: 'layer', opacity: { _unit: 'percentUnit', _value: 100 }, mode: { _enum: 'blendMode', _value: 'normal' } },
        _options: { dialogOptions: 'dontDisplay' },
      },
    ],
    {},
  );
  const layers = Array.from(doc.layers);
  const bottom = layers[layers.length - 1];
  const active = Array.from(doc.activeLayers);
  const layer = active.length === 1 && active[0] && !active[0].isBackgroundLayer ? active[0] : bottom;
  if (!layer || layer.isBackgroundLayer) throw new Error('The Background layer could not be converted to a normal layer.');
  return layer;
}

/** putLayerMask over the layer's extent (replace: true, IM L241-256). */
export async function putMask(ps: Ps, documentID: number, layerID: number, plane: Float32Array, extent: Rect, depth: Depth): Promise<void> {
  const imageData = await grayImage(ps, plane, extent, depth);
  try {
    await ps.imaging.putLayerMask({ documentID, layerID, imageData, replace: true, targetBounds: placeAt(extent) });
  } finally {
    await imageData.dispose();
  }
}

/** putSelection (replace: true) from the matte over the extent (IM L298-315). */
export async function putSelection(ps: Ps, documentID: number, plane: Float32Array, extent: Rect, depth: Depth): Promise<void> {
  const imageData = await grayImage(ps, plane, extent, depth);
  try {
    await ps.imaging.putSelection({ documentID, imageData, replace: true, targetBounds: placeAt(extent) });
  } finally {
    await imageData.dispose();
  }
}

export interface LayerPixels {
  readonly data: Samples;
  readonly components: number;
  readonly colorSpace: string;
  readonly colorProfile: string;
  readonly bounds: Rect;
}

/**
 * The masked pixel layer: a new layer directly above the original (selected first, since
 * createPixelLayer puts the new layer above the active one, DT Document.createPixelLayer) holding the
 * cut-out; the original is hidden below it. Returns the new layer's id.
 */
export async function putMaskedLayer(ps: Ps, doc: PsDocument, original: PsLayer, pixels: LayerPixels): Promise<number> {
  await ps.action.batchPlay([{ _obj: 'select', _target: [{ _ref: 'layer', _id: original.id }, { _ref: 'document', _id: doc.id }], makeVisible: false }], {});
  const layer = await doc.createPixelLayer({ name: `${original.name} cut-out` });
  if (!layer) throw new Error('Photoshop did not create the new layer.');
  const imageData = await ps.imaging.createImageDataFromBuffer(pixels.data, {
    width: rectWidth(pixels.bounds),
    height: rectHeight(pixels.bounds),
    components: pixels.components,
    chunky: true,
    colorSpace: pixels.colorSpace,
    ...(pixels.colorProfile ? { colorProfile: pixels.colorProfile } : {}),
  });
  try {
    await ps.imaging.putPixels({ documentID: doc.id, layerID: layer.id, imageData, replace: true, targetBounds: placeAt(pixels.bounds) });
  } finally {
    await imageData.dispose();
  }
  const stillThere = findLayer(doc, original.id) ?? original;
  stillThere.visible = false;
  return layer.id;
}
