/**
 * The one write of a Remove Background run: every staged result, in one executeAsModal with one
 * suspended history state ("Remove Background"). Document and layers are looked up again by id on
 * entry: a layer deleted (or resized) during the run is skipped with a reason, not guessed at. A
 * Background layer is converted first (for a layer mask); an existing user mask is replaced only when
 * the user agreed in the panel beforehand (`replaceMasks`).
 */
import type { Skip, WriteItem } from '@cutout/host-kit';
import { writeInModal } from './modal.js';
import { findDocument, findLayer, rectOf, sameRect, type Ps } from './ps-api.js';
import { hasUserMask } from './ps-read.js';
import { convertBackground, putMask, putMaskedLayer, putSelection, type LayerPixels } from './ps-write.js';
import type { Target } from './targets.js';

export interface Staged {
  /** The matte (0..1) over the target's extent: the layer mask or the selection. Empty for a masked layer. */
  readonly mask: Float32Array;
  /** The frame's matte at model size, kept for Refine edges. */
  readonly lowRes: { readonly width: number; readonly height: number; readonly data: Uint8Array };
  /** The cut-out's pixels (masked layer output only). */
  readonly pixels?: LayerPixels | undefined;
}

export interface Written {
  readonly target: Target;
  /** The layer that now carries the result (a converted Background has a new id). */
  readonly layerID: number;
  readonly staged: Staged;
}

export interface WriteRunOptions {
  readonly replaceMasks: boolean;
  readonly historyName?: string;
}

export async function writeRun(ps: Ps, items: ReadonlyArray<WriteItem<Target, Staged>>, options: WriteRunOptions): Promise<{ skipped: Skip[]; written: Written[] }> {
  const skipped: Skip[] = [];
  const written: Written[] = [];
  const first = items[0];
  if (!first) return { skipped, written };
  const documentID = first.target.documentID;
  if (!findDocument(ps.app, documentID)) {
    return { skipped: items.map((i) => ({ name: i.target.name, reason: 'was not changed: its document was closed during the run' })), written };
  }
  await writeInModal(ps, documentID, options.historyName ?? 'Remove Background', async (scope) => {
    const doc = findDocument(ps.app, documentID);
    if (!doc) {
      for (const i of items) skipped.push({ name: i.target.name, reason: 'was not changed: its document was closed during the run' });
      return;
    }
    for (const [index, { target, staged }] of items.entries()) {
      scope.checkCancelled();
      scope.progress(index / items.length, `Writing ${target.name}`);
      const found = findLayer(doc, target.layerID);
      if (!found) {
        skipped.push({ name: target.name, reason: 'was deleted during the run' });
        continue;
      }
      if (!sameRect(rectOf(found.boundsNoEffects), target.extent)) {
        skipped.push({ name: target.name, reason: 'changed size during the run (run it again)' });
        continue;
      }
      if (target.output === 'selection') {
        await putSelection(ps, documentID, staged.mask, target.extent, target.depth);
        written.push({ target, layerID: found.id, staged });
      } else if (target.output === 'layer') {
        if (!staged.pixels) throw new Error(`no cut-out pixels were prepared for ${target.name}`);
        await putMaskedLayer(ps, doc, found, staged.pixels);
        written.push({ target, layerID: found.id, staged });
      } else {
        let layer = found;
        if (layer.isBackgroundLayer) layer = await convertBackground(ps, doc);
        else if (!options.replaceMasks && (await hasUserMask(ps, documentID, layer.id))) {
          skipped.push({ name: target.name, reason: 'has a layer mask, which was kept (agree to replace it to write a new one)' });
          continue;
        }
        await putMask(ps, documentID, layer.id, staged.mask, target.extent, target.depth);
        written.push({ target, layerID: layer.id, staged });
      }
    }
    scope.progress(1);
  });
  return { skipped, written };
}
