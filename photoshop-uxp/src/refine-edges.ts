/**
 * Refine edges: on a layer whose mask Remove Background wrote (a record in plugin-data:, mask-store.ts),
 * read the mask back (getLayerMask), take the user's strokes since as remove/keep hints and re-solve
 * the edge band from them (the core's refineFromPainting: the hinted closed-form solve, local to the
 * strokes; painted greys kept; strokes exact), and write the mask back as one history state, "Refine
 * Edges". Here: the placement, since the layer's pixels may be trimmed smaller than the mask's extent.
 * The model is not run again: the record keeps the frame's model-size matte. A mask painted entirely
 * black, or not painted at all, is refused with a message: nothing is written.
 */
import { applyHintsInPlace, mergePainting, paintedHints, refineFromPainting } from '@cutout/core';
import { samplesToUnit } from './depth.js';
import { PluginError } from './errors.js';
import type { MaskRecord, MaskStore } from './mask-store.js';
import { inModal, writeInModal } from './modal.js';
import { cropPlane, placePlane } from './pixels.js';
import { depthOf, findLayer, rectHeight, rectOf, rectWidth, sameRect, type Ps, type PsDocument } from './ps-api.js';
import { hasUserMask, readFullRgba, readLayerMask } from './ps-read.js';
import { putMask } from './ps-write.js';
import { bytesToUnit, unitToBytes } from './refine-hints.js';

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
  // Decided over the whole extent, before the layer is read.
  const painted = paintedHints(record.written, placed);
  if (painted.allBlack) throw refuse(`The mask of ${name} is painted entirely black, which hides the whole layer: nothing to refine. Undo the painting or run Remove Background again.`);
  if (painted.removed + painted.kept === 0) {
    throw refuse(`Nothing to refine on ${name}: paint the mask black where background shows and white where the subject was cut, then press Refine edges.`);
  }
  o.onProgress?.(0.1);
  const full = await inModal(ps, 'Read layer', () => readFullRgba(ps, doc.id, layerID, extent));
  // The solve covers the layer's pixels (full.bounds ⊆ extent: getPixels was asked for the extent).
  const onImage = (plane: Float32Array): Float32Array => cropPlane(plane, extent, full.bounds);
  const lowRes = { width: record.lowRes.width, height: record.lowRes.height, data: bytesToUnit(record.lowRes.data) };
  const refined = await refineFromPainting({
    image: full.image,
    lowRes,
    written: Uint8Array.from(onImage(Float32Array.from(record.written))),
    current: onImage(placed),
    edge: record.edge,
    signal: o.signal,
    onProgress: (f) => o.onProgress?.(0.1 + 0.8 * f),
  });
  // Outside the layer's pixels there is no solve (0), but painted greys stay and the strokes win exactly there too.
  const result = mergePainting(placePlane(refined.matte, full.bounds, extent, 0), record.written, placed);
  const size = { width: rectWidth(extent), height: rectHeight(extent) };
  applyHintsInPlace({ ...size, data: result }, { ...size, data: painted.hints });
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
