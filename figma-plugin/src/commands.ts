/**
 * The three actions on the current selection — Remove background (masked layer), Editable mask,
 * Refine — planned without the UI (so a selection with nothing to do never opens it) and run with
 * the host kit's batch runner. Used by the menu commands (one run, then close) and by the panel
 * (many runs in one session).
 */
import { clip, describeSkip, runBatch, summarise, type BatchOutcome, type Skip } from '@cutout/host-kit';
import type { FrameClient } from '@cutout/protocol';
import { createFigmaPort } from './figma-port.js';
import { findImagePaint, MAX_IMAGE_SIDE } from './paints.js';
import type { Mode } from './plugin-data.js';
import { collectTargets, findRefineTarget, type RefineTarget, type RemoveTarget } from './selection.js';
import { isClosed } from './session.js';
import type { Notes } from './write-back.js';

export type Action = 'remove' | 'remove-mask' | 'refine';

export interface Outcome {
  readonly message: string;
  readonly error: boolean;
}

export type Plan =
  | { readonly kind: 'remove'; readonly mode: Mode; readonly targets: ReadonlyArray<RemoveTarget>; readonly skipped: ReadonlyArray<Skip> }
  | { readonly kind: 'refine'; readonly target: RefineTarget };

const fail = (message: string): Outcome => ({ message, error: true });

function planRemove(mode: Mode, selection: ReadonlyArray<SceneNode>): Plan | Outcome {
  const { targets, skipped } = collectTargets(selection, mode);
  if (targets.length) return { kind: 'remove', mode, targets, skipped };
  const first = skipped[0];
  return fail(first ? clip(`Nothing to do: ${first.name} ${first.reason}`) : 'Select one or more layers with an image fill first.');
}

function planRefine(selection: ReadonlyArray<SceneNode>): Plan | Outcome {
  const only = selection.length === 1 ? selection[0] : undefined;
  const target = only ? findRefineTarget(only) : null;
  if (!target) return fail('Select one layer or group made by "Remove background" to refine it.');
  // F10: the original must still be in the file (an image no paint references may be dropped on reload).
  if (!figma.getImageByHash(target.sourceHash)) return fail('The original image of this layer is no longer in the file.');
  const fills = 'fills' in target.node && Array.isArray(target.node.fills) ? (target.node.fills as ReadonlyArray<Paint>) : [];
  if (!target.paintHash || findImagePaint(fills, target.paintHash) < 0) return fail('The result was replaced since it was made: nothing to refine.');
  return { kind: 'refine', target };
}

/** What an action would do with this selection, or why it cannot. Reads the document only. */
export function plan(action: Action, selection: ReadonlyArray<SceneNode>): Plan | Outcome {
  return action === 'refine' ? planRefine(selection) : planRemove(action === 'remove' ? 'layer' : 'mask', selection);
}

export const isOutcome = (value: Plan | Outcome): value is Outcome => 'message' in value;

function notesOf(notes: Notes): string[] {
  const out: string[] = [];
  if (notes.hiddenFills) out.push(`hid ${notes.hiddenFills} fill${notes.hiddenFills === 1 ? '' : 's'} under the cut-out`);
  if (notes.detachedStyles.length) out.push(`detached the fill style of ${notes.detachedStyles.join(', ')}`);
  return out;
}

/** The outcome of a batch that did not finish writing, or null when it did (or the plugin closed: null too). */
function unfinished(outcome: BatchOutcome): Outcome | null | 'done' {
  if (outcome.status === 'closed' || isClosed()) return null;
  if (outcome.status === 'cancelled') return { message: 'Cancelled: nothing was changed.', error: false };
  if (outcome.status === 'failed') return fail(clip(`Nothing was changed: ${outcome.error?.message ?? 'the plugin window stopped answering'}`));
  return 'done';
}

/** Runs a plan on an open frame; null when the plugin was closed meanwhile (nothing is written then). */
export async function execute(client: FrameClient, p: Plan): Promise<Outcome | null> {
  const port = createFigmaPort(isClosed);
  if (p.kind === 'remove') {
    const outcome = await runBatch({
      client,
      port,
      targets: p.targets,
      skipped: p.skipped,
      request: { output: p.mode === 'layer' ? 'cutout' : 'mask', png: true, maxOutputSide: MAX_IMAGE_SIDE },
    });
    const early = unfinished(outcome);
    if (early !== 'done') return early;
    return { message: summarise(p.mode === 'layer' ? 'Removed the background of' : 'Masked', outcome.written, outcome.skipped, notesOf(port.notes)), error: outcome.written === 0 };
  }
  const t = p.target;
  const hints = t.record.hintsHash ? figma.getImageByHash(t.record.hintsHash) : null;
  const hintsBytes = hints ? await hints.getBytesAsync() : undefined;
  if (isClosed()) return null;
  const outcome = await runBatch({
    client,
    port,
    targets: [t],
    // fixedOutput: the refine writes back into what exists, so the frame offers no output choice, and a
    // reply of the other kind is refused by the runner (F2).
    request: { output: t.mode === 'layer' ? 'cutout' : 'mask', png: true, maxOutputSide: MAX_IMAGE_SIDE, interactive: true, fixedOutput: true, ...(hintsBytes ? { hintsEncoded: { data: hintsBytes } } : {}) },
  });
  const early = unfinished(outcome);
  if (early !== 'done') return early;
  const why = outcome.skipped[0];
  if (outcome.written === 0 || why) return fail(clip(`Nothing was changed: ${describeSkip(why ?? { name: t.name, reason: 'could not be written' }, true)}`));
  const notes = notesOf(port.notes);
  return { message: clip(`${t.mode === 'layer' ? 'Cut-out' : 'Mask'} updated.${notes.length ? ` (${notes.join(', ')})` : ''}`), error: false };
}
