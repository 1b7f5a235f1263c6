/**
 * Refiner: turns the network's soft alpha (model resolution) into a full-resolution matte.
 * The bilinear refiner is the baseline; the matting pass plugs in behind the same interface.
 */
import { clampUnit } from './clamp.js';
import { throwIfAborted } from './errors.js';
import type { AlphaMatte, RgbaImage } from './image.js';
import { applyHintsInPlace, type HintMask } from './hints.js';
import { resamplePlane } from './resample.js';

export interface RefineInput {
  readonly lowRes: AlphaMatte;
  readonly image: RgbaImage;
  readonly hints?: HintMask | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((fraction: number) => void) | undefined;
}

export interface Refiner {
  readonly name: string;
  refine(input: RefineInput): Promise<AlphaMatte>;
}

export const bilinearRefiner: Refiner = {
  name: 'bilinear',
  async refine({ lowRes, image, hints, signal, onProgress }) {
    throwIfAborted(signal);
    const { width, height } = image;
    const data = new Float32Array(width * height);
    resamplePlane(lowRes.data, lowRes.width, lowRes.height, data, width, height, true);
    clampUnit(data);
    const matte: AlphaMatte = { width, height, data };
    if (hints) applyHintsInPlace(matte, hints);
    onProgress?.(1);
    return matte;
  },
};
