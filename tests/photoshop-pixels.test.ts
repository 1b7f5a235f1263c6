// Pure pixel logic of the Photoshop panel: depth conversions, layouts, the cut-out's samples, and the
// Refine edges hints taken from the user's mask painting.
import { describe, expect, it } from 'vitest';
import { CHANGED, HINT_UNKNOWN, mergePainting, paintedHints } from '@cutout/core';
import { bytesToDepth, samplesToBytes, samplesToUnit, unitToDepth } from '../photoshop-uxp/src/depth.js';
import { cutoutSamples } from '../photoshop-uxp/src/cutout-pixels.js';
import { cropPlane, placePlane, targetSizeFor, toRgba8 } from '../photoshop-uxp/src/pixels.js';

describe('depth conversions (IM L60-66: 16-bit is 0..32768)', () => {
  it('writes a 0..1 plane at 8, 16 and 32 bits', () => {
    const v = new Float32Array([0, 0.5, 1, 1.5, -0.2]);
    expect(Array.from(unitToDepth(v, 8))).toEqual([0, 128, 255, 255, 0]);
    expect(Array.from(unitToDepth(v, 16))).toEqual([0, 16384, 32768, 32768, 0]);
    expect(Array.from(unitToDepth(v, 32))).toEqual([0, 0.5, 1, 1, 0]);
    expect(unitToDepth(v, 16)).toBeInstanceOf(Uint16Array);
  });

  it('reads any depth back to 0..1 and to bytes', () => {
    expect(Array.from(samplesToUnit(new Uint16Array([0, 16384, 32768])))).toEqual([0, 0.5, 1]);
    expect(Array.from(samplesToBytes(new Float32Array([0, 0.5, 2])))).toEqual([0, 128, 255]);
    expect(Array.from(bytesToDepth(new Uint8Array([0, 255]), 16))).toEqual([0, 32768]);
  });

  it('round-trips every 8-bit value through 16 bits within half a step', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(Array.from(samplesToBytes(bytesToDepth(bytes, 16)))).toEqual(Array.from(bytes));
  });
});

describe('layouts', () => {
  it('turns gray, gray+alpha, RGB and RGBA samples into RGBA bytes', () => {
    expect(Array.from(toRgba8(new Uint8Array([7]), 1, 1, 1).data)).toEqual([7, 7, 7, 255]);
    expect(Array.from(toRgba8(new Uint8Array([7, 9]), 1, 1, 2).data)).toEqual([7, 7, 7, 9]);
    expect(Array.from(toRgba8(new Uint8Array([1, 2, 3]), 1, 1, 3).data)).toEqual([1, 2, 3, 255]);
    expect(Array.from(toRgba8(new Uint16Array([32768, 0, 16384, 32768]), 1, 1, 4).data)).toEqual([255, 0, 128, 255]);
    expect(() => toRgba8(new Uint8Array(5), 1, 1, 4)).toThrow(/needs 4/);
  });

  it('places a plane into a larger extent and crops it back', () => {
    const inner = { left: 11, top: 21, right: 13, bottom: 22 };
    const outer = { left: 10, top: 20, right: 14, bottom: 23 };
    const placed = placePlane(new Float32Array([0.25, 0.75]), inner, outer, 0);
    expect(Array.from(placed)).toEqual([0, 0, 0, 0, 0, 0.25, 0.75, 0, 0, 0, 0, 0]);
    expect(Array.from(cropPlane(placed, outer, inner))).toEqual([0.25, 0.75]);
  });

  it('asks for the model size only when the layer is larger (long side 1024)', () => {
    expect(targetSizeFor(4000, 3000, 1024)).toEqual({ width: 1024 });
    expect(targetSizeFor(3000, 4000, 1024)).toEqual({ height: 1024 });
    expect(targetSizeFor(800, 600, 1024)).toBeNull();
  });
});

describe('masked layer samples', () => {
  it('adds the matte as alpha to opaque RGB and keeps the depth', () => {
    const out = cutoutSamples({ data: new Uint16Array([100, 200, 300, 400, 500, 600]), width: 2, height: 1, components: 3 }, new Float32Array([1, 0.5]));
    expect(out.components).toBe(4);
    expect(Array.from(out.data)).toEqual([100, 200, 300, 32768, 400, 500, 600, 16384]);
  });

  it('multiplies an existing alpha, and adds only the decontamination difference', () => {
    const guide = { width: 1, height: 1, data: new Uint8Array([100, 100, 100, 255]) };
    const fg = { width: 1, height: 1, data: new Uint8Array([110, 90, 100, 255]) };
    const out = cutoutSamples({ data: new Uint8Array([101, 99, 100, 200]), width: 1, height: 1, components: 4 }, new Float32Array([0.5]), guide, fg);
    expect(Array.from(out.data)).toEqual([111, 89, 100, 100]);
  });
});

describe('Refine edges hints from painting', () => {
  const written = new Uint8Array([0, 255, 128, 128, 128, 200]);

  it('takes strokes to near black/white that differ from what was written', () => {
    const current = new Float32Array([0, 1, 0.05, 0.95, 0.5, 200 / 255 + CHANGED / 2]);
    const p = paintedHints(written, current);
    expect(Array.from(p.hints)).toEqual([HINT_UNKNOWN, HINT_UNKNOWN, 0, 255, HINT_UNKNOWN, HINT_UNKNOWN]);
    expect([p.removed, p.kept, p.greys, p.allBlack]).toEqual([1, 1, 0, false]);
  });

  it('counts painted greys, keeps them as painted, and sees an all-black mask', () => {
    const current = new Float32Array([0, 1, 0.3, 0.5, 0.5, 0.8]);
    const p = paintedHints(written, current);
    expect(p.greys).toBe(2);
    const merged = mergePainting(new Float32Array(6).fill(0.6), written, current);
    expect(Array.from(merged).map((v) => Math.round(v * 100) / 100)).toEqual([0.6, 0.6, 0.3, 0.6, 0.6, 0.8]);
    expect(paintedHints(written, new Float32Array(6).fill(0.04)).allBlack).toBe(true);
  });
});
