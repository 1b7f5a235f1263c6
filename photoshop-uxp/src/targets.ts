/**
 * Which layers a run works on: the active pixel layers of the active document (several = a batch),
 * each refused with a reason a user can act on. Groups, text, smart objects (refused, not rasterized:
 * a rasterized copy would leave the user's layer unmasked and add layers they did not ask for —
 * Layer ▸ Rasterize first), fill, adjustment, video and 3D layers, artboards, locked and empty layers.
 * Documents: Indexed, Bitmap, Duotone and Multichannel are refused; Grayscale, CMYK and Lab are read as
 * RGB (getPixels colorSpace 'RGB', IM L139-162); 32-bit documents are refused: their pixels are linear,
 * unbounded HDR values that the model and the matting were neither trained nor tuned on (convert to
 * 16 bits first). Documents and layers over the protocol's limits (LIMITS: 16384 px a side, 64 MP)
 * are refused: the full-resolution refine and the mask buffers must fit in the panel's memory.
 */
import type { Skip } from '@cutout/host-kit';
import { LIMITS } from '@cutout/protocol';
import { depthOf, rectHeight, rectOf, rectWidth, type Depth, type PsDocument, type PsLayer, type Rect } from './ps-api.js';

export type OutputChoice = 'mask' | 'layer' | 'selection';

export interface Target {
  readonly documentID: number;
  readonly layerID: number;
  readonly name: string;
  /** The layer's pixels in document coordinates (boundsNoEffects). */
  readonly extent: Rect;
  readonly isBackground: boolean;
  readonly depth: Depth;
  /** RGB documents are read as they are; Grayscale, CMYK and Lab are converted to RGB by getPixels. */
  readonly mode: string;
  readonly output: OutputChoice;
}

const SHAPE_OR_FILL = 'is a shape or fill layer, not pixels (rasterize it first: Layer ▸ Rasterize ▸ Layer)';

const KIND_REASON: Record<string, string> = {
  group: 'is a group (select the pixel layers inside it)',
  text: 'is a text layer (rasterize it first: Layer ▸ Rasterize ▸ Type)',
  smartObject: 'is a smart object (rasterize it first: Layer ▸ Rasterize ▸ Smart Object)',
  // A shape layer reads as a fill layer (with a vector mask): DT LayerKind has no "shape" kind (inference).
  solidColor: SHAPE_OR_FILL,
  gradientFill: SHAPE_OR_FILL,
  pattern: SHAPE_OR_FILL,
  video: 'is a video layer',
  threeD: 'is a 3D layer',
};

const MODE_REASON: Record<string, string> = {
  indexedColorMode: 'Indexed Color documents are not supported: convert to RGB first (Image ▸ Mode ▸ RGB Color).',
  bitmapMode: 'Bitmap documents are not supported: convert to Grayscale or RGB first (Image ▸ Mode).',
  duotoneMode: 'Duotone documents are not supported: convert to RGB first (Image ▸ Mode ▸ RGB Color).',
  multichannelMode: 'Multichannel documents are not supported: convert to RGB first (Image ▸ Mode ▸ RGB Color).',
};

const READ_AS_RGB = new Set(['RGBColorMode', 'grayscaleMode', 'CMYKColorMode', 'labColorMode']);

const tooLarge = (w: number, h: number): boolean => w > LIMITS.maxSide || h > LIMITS.maxSide || w * h > LIMITS.maxPixels;
const limitWords = `the limit is ${LIMITS.maxSide} px a side and ${LIMITS.maxPixels / (1024 * 1024)} MP`;

/** Why a whole document cannot be used, or null. */
export function documentProblem(doc: Pick<PsDocument, 'width' | 'height' | 'mode' | 'bitsPerChannel'>): string | null {
  const mode = String(doc.mode);
  const reason = MODE_REASON[mode];
  if (reason) return reason;
  if (!READ_AS_RGB.has(mode)) return `Documents in ${mode} are not supported.`;
  const depth = depthOf(String(doc.bitsPerChannel));
  if (depth === null) return 'Only 8- and 16-bit documents are supported.';
  if (depth === 32) return '32-bit documents are not supported (their HDR pixels are outside what the model was trained on): convert to 16 bits first (Image ▸ Mode ▸ 16 Bits/Channel).';
  if (tooLarge(doc.width, doc.height)) return `The document is ${doc.width}×${doc.height} px; ${limitWords}.`;
  return null;
}

function isArtboard(doc: PsDocument, layer: PsLayer): boolean {
  return Array.from(doc.artboards ?? []).some((a) => a.id === layer.id);
}

/** Why one layer cannot be used for `output`, or null. */
function layerProblem(doc: PsDocument, layer: PsLayer, output: OutputChoice): string | null {
  const kind = String(layer.kind);
  if (kind === 'group' && isArtboard(doc, layer)) return 'is an artboard (select the pixel layers on it)';
  if (kind !== 'pixel') return KIND_REASON[kind] ?? 'is an adjustment layer, not pixels';
  const extent = rectOf(layer.boundsNoEffects);
  if (rectWidth(extent) <= 0 || rectHeight(extent) <= 0) return 'is empty';
  if (tooLarge(rectWidth(extent), rectHeight(extent))) return `is ${rectWidth(extent)}×${rectHeight(extent)} px; ${limitWords}`;
  if (output === 'selection' || layer.isBackgroundLayer) return null; // a selection changes no layer; a Background is converted first
  if (layer.allLocked) return 'is locked (unlock it in the Layers panel)';
  if (output === 'mask' && layer.pixelsLocked) return 'has its pixels locked (unlock it in the Layers panel)';
  const mode = String(doc.mode);
  if (output === 'layer' && mode !== 'RGBColorMode' && mode !== 'grayscaleMode') return 'is in a CMYK or Lab document: choose Layer mask (a masked layer is written in RGB and Grayscale documents)';
  return null;
}

export interface Collected {
  readonly targets: Target[];
  readonly skipped: Skip[];
  /** Set when nothing can run at all (no document, an unsupported document, nothing selected). */
  readonly problem: string | null;
}

/** The run's targets in the active document. Reads the document only. */
export function collectTargets(doc: PsDocument | null | undefined, output: OutputChoice): Collected {
  if (!doc) return { targets: [], skipped: [], problem: 'Open a document first.' };
  const docProblem = documentProblem(doc);
  if (docProblem) return { targets: [], skipped: [], problem: docProblem };
  const depth = depthOf(String(doc.bitsPerChannel)) as Depth;
  const targets: Target[] = [];
  const skipped: Skip[] = [];
  for (const layer of Array.from(doc.activeLayers)) {
    const reason = layerProblem(doc, layer, output);
    if (reason) skipped.push({ name: layer.name, reason });
    else targets.push({ documentID: doc.id, layerID: layer.id, name: layer.name, extent: rectOf(layer.boundsNoEffects), isBackground: layer.isBackgroundLayer, depth, mode: String(doc.mode), output });
  }
  if (targets.length === 0 && skipped.length === 0) return { targets, skipped, problem: 'Select one or more pixel layers in the Layers panel first.' };
  if (output === 'selection' && targets.length > 1) {
    // One document has one selection: a batch would keep only the last layer's.
    const [first, ...rest] = targets;
    return { targets: first ? [first] : [], skipped: [...skipped, ...rest.map((t) => ({ name: t.name, reason: 'was left out: a selection comes from one layer at a time' }))], problem: null };
  }
  return { targets, skipped, problem: targets.length ? null : `Nothing to do: ${skipped.map((s) => `${s.name} ${s.reason}`).join('; ')}` };
}
