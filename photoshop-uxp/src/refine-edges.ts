/**
 * Refine edges: on a layer whose mask Remove Background wrote (a record in plugin-data:, mask-store.ts),
 * read the mask back (getLayerMask), take the user's strokes since (refine-hints.ts) as remove/keep
 * hints, re-solve the edge band with the core's hinted closed-form solve (createMattingRefiner with
 * hints: the band is extended around the strokes and the solve stays local to them), and write the
 * mask back as one history state, "Refine Edges". The model is not run again: the record keeps the
 * frame's model-size matte. A mask painted entirely black is refused with a message: nothing is written.
 */
import { HINT_KEEP, HINT_REMOVE } from '@cutout/core';
import { createMattingRefiner } from '@cutout/core/matting';
import { samplesToUnit } from './depth.js';
import { PluginError } from './errors.js';
import type { MaskRecord, MaskStore } from './mask-store.js';
import { inModal, writeInModal } from './modal.js';
import { cropPlane, placePlane } from './pixels.js';
import { depthOf, findLayer, rectOf, sameRect, type Ps, type PsDocument } from './ps-api.js';
import { hasUserMask, readFullRgba, readLayerMask } from './ps-read.js';
import { putMask } from './ps-write.js';
import { bytesToUnit, mergePainting, paintedHints, unitToBytes } from './refine-hints.js';

export interface RefineOutcome {
  readonly message: string;
  readonly removed: number;
  readonly kept: number;
}

const refuse = (message: string): PluginError => new PluginError('refine_refused', message);

/** The record for the one selected layer, checked against the document as it is now. */
async function recordFor(doc: PsDocument, store: MaskStore): Promise<{ record: MaskRecord; layerID: number; name: string }> {
  const layers = Array.from(doc.activeLayers);
  const layer = layers[0];
  if (layers.length !== 1 || !layer) throw refuse('Select the one layer whose mask you painted, then press Refine edges.');
  const record = await store.load(doc.id, layer.id);
  if (!record || record.documentTitle !== doc.title) throw refuse(`${layer.name} has no mask written by Remove Background in this Photoshop session: run Remove Background (Layer mask) first.`);
  if (!sameRect(rectOf(layer.boundsNoEffects), record.extent)) throw refuse(`${layer.name} changed size since Remove Background: run Remove Background again.`);
  return { record, layerID: layer.id, name: layer.name };
}

export interface RefineOptions {
  readonly ps: Ps;
  readonly store: MaskStore;
  readonly signal?: AbortSignal;
  readonly onProgress?: (fraction: number) => void;
}

export async function refineEdges(o: RefineOptions): Promise<RefineOutcome> {
  const { ps, store } = o;
  const doc = ps.app.activeDocument;
  if (!doc) throw refuse('Open a document first.');
  const depth = depthOf(String(doc.bitsPerChannel));
  if (depth === null || depth === 32) throw refuse('Refine edges works in 8- and 16-bit documents.');
  const { record, layerID, name } = await recordFor(doc, store);
  if (!(await hasUserMask(ps, doc.id, layerID))) throw refuse(`${name} has no layer mask any more: run Remove Background again.`);
  const extent = record.extent;
  const mask = await inModal(ps, 'Read mask', () => readLayerMask(ps, doc.id, layerID, extent));
  // Outside what getLayerMask returned the mask is as written (NaN marks it, then the written value fills in).
  const placed = placePlane(samplesToUnit(mask.data), mask.bounds, extent, Number.NaN);
  for (let i = 0; i < placed.length; i++) if (Number.isNaN(placed[i])) placed[i] = (record.written[i] as number) / 255;
  const painted = paintedHints(record.written, placed);
  if (painted.allBlack) throw refuse(`The mask of ${name} is painted entirely black, which hides the whole layer: nothing to refine. Undo the painting or run Remove Background again.`);
  if (painted.removed + painted.kept === 0) {
    throw refuse(`Nothing to refine on ${name}: paint the mask black where background shows and white where the subject was cut, then press Refine edges.`);
  }
  o.onProgress?.(0.1);
  const full = await inModal(ps, 'Read layer', () => readFullRgba(ps, doc.id, layerID, extent));
  const hintsOnImage = cropPlane(Float32Array.from(painted.hints), extent, full.bounds);
  const hints = { width: full.image.width, height: full.image.height, data: Uint8Array.from(hintsOnImage) };
  const lowRes = { width: record.lowRes.width, height: record.lowRes.height, data: bytesToUnit(record.lowRes.data) };
  const refiner = createMattingRefiner({ edge: record.edge });
  const solved = await refiner.refine({ lowRes, image: full.image, hints, signal: o.signal, onProgress: (f) => o.onProgress?.(0.1 + 0.8 * f) });
  const result = mergePainting(placePlane(solved.data, full.bounds, extent, 0), record.written, placed);
  // The strokes win exactly, over the whole extent (the solve applied them only where the layer has pixels).
  for (let i = 0; i < result.length; i++) if (painted.hints[i] === HINT_REMOVE) result[i] = 0;
  else if (painted.hints[i] === HINT_KEEP) result[i] = 1;
  await writeInModal(ps, doc.id, 'Refine Edges', async (scope) => {
    scope.checkCancelled();
    if (!findLayer(doc, layerID)) throw refuse(`${name} was deleted during the refine.`);
    await putMask(ps, doc.id, layerID, result, extent, depth);
    scope.progress(1);
  });
  await store.save({ ...record, written: unitToBytes(result) });
  o.onProgress?.(1);
  return { message: `Refined the edges of ${name} from your strokes (${painted.removed} px remove, ${painted.kept} px keep).`, removed: painted.removed, kept: painted.kept };
}
