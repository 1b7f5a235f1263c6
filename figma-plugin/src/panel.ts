/**
 * "Open Cutout panel": the plugin window stays open and acts on the current selection (review F3).
 * The model then downloads once per session instead of once per run: the plugin iframe has no
 * storage and probably no HTTP cache (null origin; review F3, Q5). The panel shows the selection
 * and the actions that apply (a `panel` request, sent on every `selectionchange`); a button
 * pressed in the frame arrives as a `command` and runs that action with the same batch runner as
 * the menu commands. One run at a time; after a run the summary is a notification and the plugin
 * stays open. Each run is committed as its own undo step (FT L272-298).
 */
import { clip } from '@cutout/host-kit';
import type { FrameClient, PanelPayload } from '@cutout/protocol';
import { execute, isOutcome, plan, type Action } from './commands.js';
import { messageOf } from './errors.js';
import { collectTargets, findRefineTarget } from './selection.js';
import { isClosed, log, openSession } from './session.js';

const ACTIONS: ReadonlyArray<{ readonly id: Action; readonly label: string }> = [
  { id: 'remove', label: 'Remove background' },
  { id: 'remove-mask', label: 'Editable mask' },
  { id: 'refine', label: 'Refine…' },
];
const STATUS_MAX = 200; // protocol LIMITS.maxStatusLength

/** What the panel shows for this selection: a status line and which actions apply. */
function panelState(selection: ReadonlyArray<SceneNode>, working: string | null): PanelPayload {
  // Diagnostics never touch the document: always available, even during a run.
  const diagnostics = { id: 'diagnostics', label: 'Diagnostics', enabled: true };
  if (working !== null) return { status: clip(working, STATUS_MAX), commands: [...ACTIONS.map((a) => ({ ...a, enabled: false })), diagnostics] };
  const layer = collectTargets(selection, 'layer');
  const mask = collectTargets(selection, 'mask');
  const only = selection.length === 1 ? selection[0] : undefined;
  const refine = only ? findRefineTarget(only) : null;
  const enabled: Record<Action, boolean> = { remove: layer.targets.length > 0, 'remove-mask': mask.targets.length > 0, refine: refine !== null };
  const count = Math.max(layer.targets.length, mask.targets.length);
  const first = layer.skipped[0] ?? mask.skipped[0];
  let status: string;
  if (selection.length === 0) status = 'Select one or more layers with an image fill.';
  else if (refine && count === 0) status = `${refine.name}: made by Cutout. Refine it, or select another image.`;
  else if (count > 0) status = `${count} image${count === 1 ? '' : 's'} selected${first ? `; ${first.name} ${first.reason}` : ''}`;
  else status = first ? `Nothing to do: ${first.name} ${first.reason}` : 'Select one or more layers with an image fill.';
  return { status: clip(status, STATUS_MAX), commands: [...ACTIONS.map((a) => ({ ...a, enabled: enabled[a.id] })), diagnostics] };
}

/** Asks the frame for its diagnostics; the frame shows them (with Copy). Logged here too. */
export async function showDiagnostics(client: FrameClient): Promise<void> {
  try {
    const d = await client.request('diagnostics', undefined);
    console.log(`[cutout] diagnostics: ${JSON.stringify(d)}`);
  } catch (e) {
    if (!isClosed()) figma.notify(clip(`Diagnostics failed: ${messageOf(e)}`), { error: true });
  }
}

export async function runPanel(): Promise<void> {
  const client = await openSession('Cutout');
  if (!client) return;
  let working: string | null = null;
  const update = (): void => {
    if (isClosed()) return;
    client.request('panel', panelState(figma.currentPage.selection, working)).catch((e: unknown) => {
      if (!isClosed()) log(`panel update failed: ${messageOf(e)}`);
    });
  };

  /** One pressed button. Never throws: a failure becomes a notification and the panel stays open. */
  const act = async (command: string): Promise<void> => {
    if (command === 'diagnostics') return showDiagnostics(client);
    if (command !== 'remove' && command !== 'remove-mask' && command !== 'refine') return log(`ignored an unknown panel command ${command}`);
    if (working !== null) {
      figma.notify('Cutout is still working on the last run.');
      return;
    }
    try {
      const p = plan(command, figma.currentPage.selection);
      if (isOutcome(p)) {
        figma.notify(p.message, { error: p.error });
        return;
      }
      const count = p.kind === 'remove' ? p.targets.length : 1;
      working = `Working on ${count} image${count === 1 ? '' : 's'}…`;
      update();
      const outcome = await execute(client, p);
      if (!outcome || isClosed()) return;
      // The run's writes end here: later runs and the user's own edits are separate undo steps.
      figma.commitUndo();
      figma.notify(outcome.message, { error: outcome.error });
    } catch (e) {
      if (!isClosed()) figma.notify(clip(`Something went wrong: ${messageOf(e)}`), { error: true });
    } finally {
      if (working !== null) {
        working = null;
        update();
      }
    }
  };

  client.onCommand((command) => void act(command));
  // Events run asynchronously and may coalesce (FT L510-545); a page change also fires selectionchange.
  figma.on('selectionchange', update);
  update();
}
