/**
 * The masked pixel layer's pixels: the layer's own samples, in the document's colour space and depth,
 * with the matte as (or multiplied into) their alpha. In RGB documents the colours at soft edges can be
 * decontaminated: the core estimates the foreground colour in 8 bits, and only the difference it made
 * is added to the original samples, so a 16-bit layer keeps its depth wherever nothing changed.
 */
import { FULL, depthOfSamples, type Samples } from './depth.js';
import type { Rgba8 } from './pixels.js';

export interface NativeSamples {
  readonly data: Samples;
  readonly width: number;
  readonly height: number;
  /** 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA. */
  readonly components: number;
}

export interface CutoutSamples {
  readonly data: Samples;
  readonly components: number;
}

const clampTo = (v: number, max: number, integer: boolean): number => {
  const c = Math.min(max, Math.max(0, v));
  return integer ? Math.round(c) : c;
};

/**
 * `matte` is 0..1 per pixel of `native`; `guide` and `foreground` (optional, both 8-bit RGBA of the same
 * size) are the photo as the core saw it and its decontaminated colours.
 */
export function cutoutSamples(native: NativeSamples, matte: Float32Array, guide?: Rgba8, foreground?: Rgba8): CutoutSamples {
  const { data, width, height, components } = native;
  const n = width * height;
  if (matte.length !== n) throw new RangeError(`matte has ${matte.length} values; the layer has ${n} pixels`);
  if (data.length !== n * components) throw new RangeError('image data size does not match its dimensions');
  const hasAlpha = components === 2 || components === 4;
  const colours = hasAlpha ? components - 1 : components;
  const outComponents = colours + 1;
  const depth = depthOfSamples(data);
  const max = FULL[depth];
  const integer = depth !== 32;
  const out: Samples = depth === 8 ? new Uint8Array(n * outComponents) : depth === 16 ? new Uint16Array(n * outComponents) : new Float32Array(n * outComponents);
  const shift = guide && foreground && colours === 3 ? { guide: guide.data, fg: foreground.data, scale: max / 255 } : null;
  for (let i = 0; i < n; i++) {
    const s = i * components;
    const o = i * outComponents;
    for (let c = 0; c < colours; c++) {
      let v = data[s + c] as number;
      if (shift) v += ((shift.fg[i * 4 + c] as number) - (shift.guide[i * 4 + c] as number)) * shift.scale;
      out[o + c] = clampTo(v, max, integer);
    }
    const a = hasAlpha ? (data[s + components - 1] as number) : max;
    out[o + colours] = clampTo(a * Math.min(1, Math.max(0, matte[i] as number)), max, integer);
  }
  return { data: out, components: outComponents };
}
