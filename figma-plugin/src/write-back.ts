/**
 * Writing results into the document: masked layer and refine. Everything here is synchronous and
 * runs after the last await of a run, so one run is one undo step (FT L272-298). Each write reads
 * the node's fills again and finds its paint by image hash (F7): a paint replaced, removed or
 * reordered during the run is never overwritten by a stale copy. The new image keeps the current
 * paint's settings (scale mode, crop transform, rotation, filters), so it lines up in FILL, FIT,
 * CROP and TILE.
 */
import { PluginError } from './errors.js';
import { fillsOf, findImagePaint, hiddenHintsPaint, hiddenPaint, withImage } from './paints.js';
import { RELAUNCH, writeRecord } from './plugin-data.js';
import type { RefineTarget, RemoveTarget } from './selection.js';

/** A result kept between its arrival and the write: only image hashes (F5: no PNG held in the sandbox). */
export interface Staged {
  readonly hash: string;
  readonly hintsHash: string | undefined;
  /** Width of the image being replaced / width of the result (> 1 when the result was scaled down to 4096, F14). */
  readonly ratio: number;
}

/** What a run did besides writing, for the summary. */
export interface Notes {
  /** Lower visible paints hidden under cut-outs (F13). */
  hiddenFills: number;
  /** Names of layers whose fill style was detached by writing their fills (F21). */
  readonly detachedStyles: string[];
}

function paintAt(fills: ReadonlyArray<Paint>, hash: string, what: string): { index: number; paint: ImagePaint } {
  const index = findImagePaint(fills, hash);
  if (index < 0) throw new PluginError('changed', what);
  return { index, paint: fills[index] as ImagePaint };
}

function noteStyle(node: SceneNode & MinimalFillsMixin, notes: Notes): void {
  // Writing fills replaces a styled paint with a local one; fillStyleId is read-only under dynamic-page (FT L8806).
  const style = (node as Partial<MinimalFillsMixin>).fillStyleId;
  if (typeof style === 'string' && style !== '') notes.detachedStyles.push(node.name);
}

/**
 * Masked layer: the image paint becomes the cut-out. Below it, hidden: the original (still in the
 * file and one click away in the Fill panel, F10) and the hints. Lower visible paints are hidden
 * too (F13): a solid under the image would otherwise show through where the background was, and
 * the user asked for it to go; hiding is undone with the run and keeps every paint.
 */
export function applyLayer(t: RemoveTarget, s: Staged, notes: Notes): SceneNode {
  const node = t.node;
  const previous = t.previous;
  // The hints of an earlier refine belong to the old result: a new run starts again.
  const fills = fillsOf(node).filter((p) => !(previous?.hintsHash && p.type === 'IMAGE' && p.imageHash === previous.hintsHash && p.visible === false));
  const { index, paint } = paintAt(fills, t.paintHash, 'had its image replaced during the run');
  const originalHash = previous?.originalHash ?? t.paintHash;
  const keepsOriginal = findImagePaint(fills, originalHash) >= 0 && originalHash !== t.paintHash;
  const out: Paint[] = [];
  fills.forEach((p, i) => {
    if (i < index && p.visible !== false) {
      out.push({ ...p, visible: false });
      notes.hiddenFills++;
    } else if (i !== index) out.push(p);
    if (i !== index) return;
    if (s.hintsHash) out.push(hiddenHintsPaint(s.hintsHash));
    if (!keepsOriginal) out.push(hiddenPaint(paint, originalHash));
    out.push(withImage(paint, s.hash, s.ratio));
  });
  noteStyle(node, notes);
  node.fills = out;
  writeRecord(node, { v: 1, mode: 'layer', originalHash, resultHash: s.hash, ...(s.hintsHash ? { hintsHash: s.hintsHash } : {}) });
  node.setRelaunchData(RELAUNCH);
  return node;
}

/** Refine: only the result paint (found by its hash, F15) gets the new image; the hints paint is replaced. */
export function applyRefine(t: RefineTarget, s: Staged, notes: Notes): SceneNode {
  const node = t.node;
  const oldHints = t.record.hintsHash;
  const fills = fillsOf(node).filter((p) => !(s.hintsHash && oldHints && p.type === 'IMAGE' && p.imageHash === oldHints && p.visible === false));
  const { index, paint } = paintAt(fills, t.paintHash, 'had its result replaced since it was made (nothing to refine)');
  const out = fills.slice();
  out[index] = withImage(paint, s.hash, s.ratio);
  const below: Paint[] = [];
  if (s.hintsHash) below.push(hiddenHintsPaint(s.hintsHash));
  // A layer made before the original was kept as a hidden paint gets one now (F10).
  if (t.mode === 'layer' && findImagePaint(out, t.record.originalHash) < 0) below.push(hiddenPaint(paint, t.record.originalHash));
  out.splice(index, 0, ...below);
  if (t.mode === 'layer') noteStyle(node, notes);
  node.fills = out;
  const hintsHash = s.hintsHash ?? oldHints;
  writeRecord(t.owner, { v: 1, mode: t.mode, originalHash: t.record.originalHash, resultHash: s.hash, ...(hintsHash ? { hintsHash } : {}) });
  for (const n of new Set<SceneNode>([t.owner, node])) n.setRelaunchData(RELAUNCH);
  return t.owner;
}
