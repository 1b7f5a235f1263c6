/**
 * Shared types of the Photoshop fake: the typed subsets of @types/photoshop 25.0.4 ("DT") that the fake
 * implements, the runtime `constants` tables (DT declares the enums ambiently, so Photoshop supplies the
 * values at run time; the values below are DT dom/Constants.d.ts's, checked against the enum types), and
 * the errors the fake raises.
 */
import type { action, core, imaging } from 'photoshop';
import type * as constants from 'photoshop/dom/Constants';

export type DocumentMode = `${constants.DocumentMode}`;
export type BitsPerChannel = `${constants.BitsPerChannelType}`;
export type LayerKindValue = `${constants.LayerKind}`;
export type Depth = 8 | 16 | 32;
export type ActionDescriptor = Parameters<typeof action.batchPlay>[0][number];
export type ExecutionContext = Parameters<Parameters<typeof core.executeAsModal>[0]>[0];
export type ImagingApi = typeof imaging;

/** Document-coordinate rectangle, right/bottom exclusive (IM L58). */
export interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

const LAYER_KIND = Object.freeze({
  BLACKANDWHITE: 'blackAndWhite', BRIGHTNESSCONTRAST: 'brightnessContrast', CHANNELMIXER: 'channelMixer',
  COLORBALANCE: 'colorBalance', CURVES: 'curves', EXPOSURE: 'exposure', GRADIENTFILL: 'gradientFill',
  GRADIENTMAP: 'gradientMap', HUESATURATION: 'hueSaturation', INVERSION: 'inversion', LEVELS: 'levels',
  NORMAL: 'pixel', PATTERNFILL: 'pattern', PHOTOFILTER: 'photoFilter', POSTERIZE: 'posterize',
  SELECTIVECOLOR: 'selectiveColor', SMARTOBJECT: 'smartObject', SOLIDFILL: 'solidColor', TEXT: 'text',
  THRESHOLD: 'threshold', LAYER3D: 'threeD', VIBRANCE: 'vibrance', VIDEO: 'video', GROUP: 'group',
  COLORLOOKUP: 'colorLookup',
} as const satisfies Record<keyof typeof constants.LayerKind, LayerKindValue>);

const DOCUMENT_MODE = Object.freeze({
  BITMAP: 'bitmapMode', CMYK: 'CMYKColorMode', DUOTONE: 'duotoneMode', GRAYSCALE: 'grayscaleMode',
  INDEXEDCOLOR: 'indexedColorMode', LAB: 'labColorMode', MULTICHANNEL: 'multichannelMode', RGB: 'RGBColorMode',
} as const satisfies Record<keyof typeof constants.DocumentMode, DocumentMode>);

const BITS_PER_CHANNEL = Object.freeze({
  ONE: 'bitDepth1', EIGHT: 'bitDepth8', SIXTEEN: 'bitDepth16', THIRTYTWO: 'bitDepth32',
} as const satisfies Record<keyof typeof constants.BitsPerChannelType, BitsPerChannel>);

/** The subset of `require('photoshop').constants` the fake provides at run time. */
export const FAKE_CONSTANTS = {
  LayerKind: LAYER_KIND as unknown as typeof constants.LayerKind,
  DocumentMode: DOCUMENT_MODE as unknown as typeof constants.DocumentMode,
  BitsPerChannelType: BITS_PER_CHANNEL as unknown as typeof constants.BitsPerChannelType,
};

export function depthOf(bits: BitsPerChannel): Depth {
  if (bits === 'bitDepth8') return 8;
  if (bits === 'bitDepth16') return 16;
  if (bits === 'bitDepth32') return 32;
  throw new Error(`the fake does not model ${bits} documents`);
}

export function bitsOf(depth: Depth): BitsPerChannel {
  return depth === 8 ? 'bitDepth8' : depth === 16 ? 'bitDepth16' : 'bitDepth32';
}

/** An Error with Photoshop's `number` field (EAM L71-94: `e.number == 9` for a modal collision). */
export class PhotoshopError extends Error {
  constructor(message: string, readonly number?: number) {
    super(message);
    this.name = 'Error';
  }
}

/** Photoshop's wording for a command it cannot run now (notes §5: "raises a 'command not available' error"). */
export function notAvailable(what: string): PhotoshopError {
  return new PhotoshopError(`The command “${what}” is not currently available.`, -25920);
}

export function intersect(a: Rect, b: Rect): Rect {
  return { left: Math.max(a.left, b.left), top: Math.max(a.top, b.top), right: Math.min(a.right, b.right), bottom: Math.min(a.bottom, b.bottom) };
}

export function isEmpty(r: Rect): boolean {
  return r.right <= r.left || r.bottom <= r.top;
}

/** Accepts {left,top,right,bottom} or {left,top,width,height} (IM L58). */
export function toRect(b: { left: number; top: number; right?: number; bottom?: number; width?: number; height?: number }): Rect {
  const right = b.right ?? (b.width === undefined ? undefined : b.left + b.width);
  const bottom = b.bottom ?? (b.height === undefined ? undefined : b.top + b.height);
  if (right === undefined || bottom === undefined) throw new PhotoshopError('bounds need right/bottom or width/height');
  return { left: b.left, top: b.top, right, bottom };
}
