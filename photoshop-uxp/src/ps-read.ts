/**
 * Reads from Photoshop, each image data disposed in `finally` (IM L121-128). Layer pixels come in
 * document coordinates over the layer's `boundsNoEffects` (IM L168; Adobe's tiler does the same, ITZ
 * pixelEffects.js L24-51); the returned `sourceBounds` are the region trimmed to pixel content (IM L144).
 * The model input asks getPixels for `targetSize` (long side 1024), so only a model-sized image crosses
 * the bridge; with a targetSize the returned bounds are relative to a pyramid level (IM L166) and are not used.
 */
import type { Samples } from './depth.js';
import { toRgba8, targetSizeFor, type Rgba8 } from './pixels.js';
import { rectHeight, rectOf, rectWidth, type ImageData, type Ps, type Rect } from './ps-api.js';

/** The model's input side: the frame resizes to 1024² anyway (models/*.json input shape). */
const MODEL_SIDE = 1024;

async function dataOf(imageData: ImageData): Promise<Samples> {
  return (await imageData.getData({ chunky: true })) as Samples;
}

/** The layer at most MODEL_SIDE on its long side, 8-bit RGB(A). */
export async function readModelInput(ps: Ps, documentID: number, layerID: number, extent: Rect): Promise<Rgba8> {
  const size = targetSizeFor(rectWidth(extent), rectHeight(extent), MODEL_SIDE);
  const { imageData } = await ps.imaging.getPixels({ documentID, layerID, sourceBounds: extent, ...(size ? { targetSize: size } : {}), colorSpace: 'RGB', componentSize: 8 });
  try {
    return toRgba8(await dataOf(imageData), imageData.width, imageData.height, imageData.components);
  } finally {
    await imageData.dispose();
  }
}

export interface FullPixels {
  readonly image: Rgba8;
  /** Where the pixels lie in the document (the extent trimmed to content). */
  readonly bounds: Rect;
}

/** The layer at full resolution, 8-bit RGB(A): the guide of the refine. */
export async function readFullRgba(ps: Ps, documentID: number, layerID: number, extent: Rect): Promise<FullPixels> {
  const { imageData, sourceBounds } = await ps.imaging.getPixels({ documentID, layerID, sourceBounds: extent, colorSpace: 'RGB', componentSize: 8 });
  try {
    return { image: toRgba8(await dataOf(imageData), imageData.width, imageData.height, imageData.components), bounds: rectOf(sourceBounds) };
  } finally {
    await imageData.dispose();
  }
}

export interface NativePixels {
  readonly data: Samples;
  readonly width: number;
  readonly height: number;
  readonly components: number;
  readonly colorSpace: string;
  readonly colorProfile: string;
  readonly bounds: Rect;
}

/** The layer's pixels in the document's own colour space and depth (the masked-layer output keeps them). */
export async function readNative(ps: Ps, documentID: number, layerID: number, extent: Rect): Promise<NativePixels> {
  const { imageData, sourceBounds } = await ps.imaging.getPixels({ documentID, layerID, sourceBounds: extent, componentSize: -1 });
  try {
    const data = await dataOf(imageData);
    const { width, height, components, colorSpace, colorProfile } = imageData;
    return { data, width, height, components, colorSpace, colorProfile, bounds: rectOf(sourceBounds) };
  } finally {
    await imageData.dispose();
  }
}

/** The layer's user mask (one gray component at document depth) and where it lies. */
export async function readLayerMask(ps: Ps, documentID: number, layerID: number, extent: Rect): Promise<{ data: Samples; bounds: Rect; width: number; height: number }> {
  const { imageData, sourceBounds } = await ps.imaging.getLayerMask({ documentID, layerID, kind: 'user', sourceBounds: extent });
  try {
    return { data: await dataOf(imageData), bounds: rectOf(sourceBounds), width: imageData.width, height: imageData.height };
  } finally {
    await imageData.dispose();
  }
}

/** Whether the layer has a user (pixel) mask: batchPlay get `hasUserMask` (notes §5, public plugin code). */
export async function hasUserMask(ps: Ps, documentID: number, layerID: number): Promise<boolean> {
  const [reply] = await ps.action.batchPlay([{ _obj: 'get', _target: [{ _property: 'hasUserMask' }, { _ref: 'layer', _id: layerID }, { _ref: 'document', _id: documentID }] }], {});
  return (reply as { hasUserMask?: unknown } | undefined)?.hasUserMask === true;
}
