/**
 * The Photoshop side of the host kit's batch runner (HostPort). read: the layer at model size
 * (getPixels targetSize) — only that crosses the bridge. The page answers with the network's own
 * alpha (`refine: false`), so the matte is refined once, here, at full resolution with the core's matting
 * (the layer's own pixels guide it): the same as the core's pipeline on the layer, whatever its size.
 * stage: that refine, plus the cut-out's pixels for a masked layer. write: every change in one history
 * state (write-run.ts). Reads are short modal scopes; nothing is changed before write.
 */
import { decontaminate, type EdgeControls } from '@cutout/core';
import { createMattingRefiner } from '@cutout/core/matting';
import type { HostPort, Skip, Unreadable } from '@cutout/host-kit';
import type { RemoveResult } from '@cutout/protocol';
import { cutoutSamples } from './cutout-pixels.js';
import { inModal } from './modal.js';
import { placePlane } from './pixels.js';
import { findDocument, findLayer, rectOf, sameRect, type Ps } from './ps-api.js';
import { readFullRgba, readModelInput, readNative } from './ps-read.js';
import { bytesToUnit } from './refine-hints.js';
import type { Target } from './targets.js';
import { writeRun, type Staged, type Written } from './write-run.js';

export interface PortOptions {
  readonly ps: Ps;
  readonly isClosed: () => boolean;
  readonly signal: AbortSignal;
  readonly edge: EdgeControls;
  readonly decontaminate: boolean;
  readonly replaceMasks: boolean;
  /** The panel's own stages (the full-resolution refine, the write). */
  readonly onStage?: (name: string, stage: string, fraction: number) => void;
}

export interface PhotoshopPort extends HostPort<Target, Staged> {
  /** What write() wrote (the controller keeps a record of each layer mask for Refine edges). */
  readonly written: Written[];
}

const skip = (reason: string): Unreadable => ({ kind: 'skip', reason });

function stillThere(ps: Ps, t: Target): string | null {
  const doc = findDocument(ps.app, t.documentID);
  if (!doc) return 'was not changed: its document was closed during the run';
  const layer = findLayer(doc, t.layerID);
  if (!layer) return 'was deleted during the run';
  if (!sameRect(rectOf(layer.boundsNoEffects), t.extent)) return 'changed size during the run (run it again)';
  return null;
}

export function createPhotoshopPort(o: PortOptions): PhotoshopPort {
  const { ps } = o;
  const written: Written[] = [];
  return {
    written,
    isClosed: o.isClosed,
    name: (t) => t.name,

    async read(t) {
      const problem = stillThere(ps, t);
      if (problem) return skip(problem);
      const image = await inModal(ps, 'Read layer', () => readModelInput(ps, t.documentID, t.layerID, t.extent));
      return { kind: 'rgba', image };
    },

    async stage(t, result: RemoveResult) {
      const wire = result.matte;
      if (!wire) return skip('came back without a matte');
      const problem = stillThere(ps, t);
      if (problem) return skip(problem);
      o.onStage?.(t.name, 'refine', 0);
      const full = await inModal(ps, 'Read layer', () => readFullRgba(ps, t.documentID, t.layerID, t.extent));
      const lowRes = { width: wire.width, height: wire.height, data: bytesToUnit(wire.data) };
      const refiner = createMattingRefiner({ edge: o.edge });
      const matte = await refiner.refine({ lowRes, image: full.image, signal: o.signal, onProgress: (f) => o.onStage?.(t.name, 'refine', f) });
      const keep = { width: wire.width, height: wire.height, data: wire.data };
      if (t.output !== 'layer') return { mask: placePlane(matte.data, full.bounds, t.extent), lowRes: keep };
      const native = await inModal(ps, 'Read layer', () => readNative(ps, t.documentID, t.layerID, t.extent));
      if (!sameRect(native.bounds, full.bounds) || native.width !== full.image.width || native.height !== full.image.height) return skip('could not be read the same way twice (run it again)');
      o.onStage?.(t.name, 'compose', 0);
      const rgb = t.mode === 'RGBColorMode' && (native.components === 3 || native.components === 4);
      const foreground = o.decontaminate && rgb ? await decontaminate(full.image, matte, o.signal) : undefined;
      const fg = foreground ? { width: foreground.width, height: foreground.height, data: new Uint8Array(foreground.data.buffer, foreground.data.byteOffset, foreground.data.length) } : undefined;
      const cut = cutoutSamples(native, matte.data, full.image, fg);
      return { mask: new Float32Array(0), lowRes: keep, pixels: { data: cut.data, components: cut.components, colorSpace: native.colorSpace, colorProfile: native.colorProfile, bounds: native.bounds } };
    },

    async write(items): Promise<Skip[]> {
      o.onStage?.('', 'write', 0);
      const out = await writeRun(ps, items, { replaceMasks: o.replaceMasks });
      written.push(...out.written);
      return out.skipped;
    },
  };
}
