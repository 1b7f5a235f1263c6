/**
 * Figma plugin entry (sandbox: no DOM). Menu commands (manifest.json):
 *   remove       → masked layer (the image fill becomes the cut-out; the original stays as a hidden paint)
 *   remove-mask  → editable mask (group of [ALPHA mask, untouched original])
 *   refine       → reopen a plugin-made result with the brush; strokes re-solve the matte in place
 *   panel        → the window stays open and acts on the current selection (one model download per session)
 *   diagnostics  → the window shows what Figma's iframe offers (origin, WebGPU, storage, model source), with Copy
 * Pixels never leave the machine: the UI iframe (the inference frame) decodes, runs the model and
 * returns PNG bytes. All document changes happen after every image is done, so a cancel or a
 * closed plugin changes nothing, and a run is one undo step.
 */
import { clip } from '@cutout/host-kit';
import { execute, isOutcome, plan, type Action } from './commands.js';
import { messageOf } from './errors.js';
import { runPanel, showDiagnostics } from './panel.js';
import { closeWith, isClosed, openSession } from './session.js';

const TITLES: Record<Action, string> = { remove: 'Remove background', 'remove-mask': 'Remove background', refine: 'Refine mask' };

/** A menu command: plan without the UI, run once, close with the summary. */
async function runOnce(action: Action): Promise<void> {
  const p = plan(action, figma.currentPage.selection);
  if (isOutcome(p)) {
    figma.notify(p.message, { error: p.error });
    closeWith();
    return;
  }
  const client = await openSession(TITLES[action]);
  if (!client) return;
  const outcome = await execute(client, p);
  if (outcome) closeWith(outcome.message);
}

/** Diagnostics: the frame shows its view; the plugin stays open until the user closes it. */
async function runDiagnostics(): Promise<void> {
  const client = await openSession('Cutout diagnostics');
  if (client) await showDiagnostics(client);
}

function actionOf(command: string): Action {
  return command === 'refine' ? 'refine' : command === 'remove-mask' ? 'remove-mask' : 'remove';
}

// figma.command is the clicked menu item's or relaunch button's command (FT L25).
const command = figma.command;
const run = command === 'panel' ? runPanel() : command === 'diagnostics' ? runDiagnostics() : runOnce(actionOf(command));
run.catch((e: unknown) => {
  if (!isClosed()) closeWith(clip(`Something went wrong: ${messageOf(e)}`));
});
