/**
 * Figma plugin entry (sandbox: no DOM). Menu commands:
 *   remove       → masked layer (the image fill becomes the cut-out)
 *   remove-mask  → editable mask (group of [ALPHA mask, untouched original])
 *   refine       → reopen a plugin-made node with the brush; strokes re-solve the matte in place
 * Pixels never leave the machine: the UI iframe (the inference frame) decodes, runs the model,
 * and returns PNG bytes. All document changes happen after every image is done, so a cancel or a
 * closed plugin changes nothing, and a run is one undo step (the plugin never calls commitUndo).
 */
import { applyLayer, applyMask, applyRefine, findRefineTarget } from './write-back.js';
import { collectTargets, isGif, type Mode, type Skip, type Target } from './selection.js';
import { UiClient, UiError } from './ui-client.js';

declare const __MODEL_BASE__: string;

/** Figma's createImage limit (px a side). */
const MAX_IMAGE_SIDE = 4096;
const UI_SIZE = { width: 360, height: 640 };

let closed = false;
figma.on('close', () => {
  closed = true;
});

function summary(done: number, skipped: Skip[], verb: string): string {
  const parts = [`${verb} ${done} image${done === 1 ? '' : 's'}`];
  if (skipped.length) parts.push(`skipped ${skipped.length}: ${skipped.map((s) => `${s.name} ${s.reason}`).join('; ')}`);
  const text = parts.join(', ');
  return text.length > 100 ? `${text.slice(0, 97)}…` : text;
}

function openUi(): UiClient {
  figma.showUI(__html__, { ...UI_SIZE, themeColors: true, title: 'Remove background' });
  return new UiClient(figma.ui);
}

async function configure(ui: UiClient): Promise<void> {
  await ui.ready;
  await ui.request('configure', { modelBaseUrl: __MODEL_BASE__, theme: 'figma', host: 'figma' });
}

interface Done {
  readonly target: Target;
  readonly png: Uint8Array;
  readonly hintsPng: Uint8Array | undefined;
}

async function removeBackground(mode: Mode): Promise<void> {
  const { targets, skipped } = collectTargets(figma.currentPage.selection, mode);
  if (targets.length === 0) {
    figma.notify(skipped.length ? `Nothing to do: ${skipped[0]?.name} ${skipped[0]?.reason}` : 'Select one or more layers with an image fill first.', { error: true });
    figma.closePlugin();
    return;
  }
  const ui = openUi();
  await configure(ui);
  const done: Done[] = [];
  for (const [i, target] of targets.entries()) {
    const image = figma.getImageByHash(target.paint.imageHash);
    if (!image) {
      skipped.push({ name: target.node.name, reason: 'has an image Figma cannot find' });
      continue;
    }
    const bytes = await image.getBytesAsync();
    if (isGif(bytes)) {
      skipped.push({ name: target.node.name, reason: 'is a GIF (its animation would be lost)' });
      continue;
    }
    try {
      const result = await ui.request('remove', {
        encoded: { data: bytes },
        output: mode === 'layer' ? 'cutout' : 'mask',
        png: true,
        maxOutputSide: MAX_IMAGE_SIDE,
        label: targets.length > 1 ? `${target.node.name} (${i + 1} of ${targets.length})` : target.node.name,
      });
      if (!result.png) throw new UiError('internal', 'the UI returned no image');
      done.push({ target, png: result.png.data, hintsPng: result.hintsPng });
    } catch (e) {
      if (e instanceof UiError && e.code === 'cancelled') {
        if (!closed) figma.closePlugin('Cancelled: nothing was changed.');
        return;
      }
      skipped.push({ name: target.node.name, reason: `failed (${e instanceof Error ? e.message : String(e)})` });
    }
    if (closed) return;
  }
  if (closed) return;
  let written = 0;
  for (const { target, png, hintsPng } of done) {
    if (target.node.removed) {
      skipped.push({ name: target.node.name, reason: 'was deleted during the run' });
      continue;
    }
    try {
      const hash = figma.createImage(png).hash;
      const hintsHash = hintsPng ? figma.createImage(hintsPng).hash : undefined;
      if (mode === 'layer') applyLayer(target, hash, hintsHash);
      else applyMask(target, hash, hintsHash);
      written++;
    } catch (e) {
      skipped.push({ name: target.node.name, reason: `could not be written (${e instanceof Error ? e.message : String(e)})` });
    }
  }
  figma.closePlugin(summary(written, skipped, mode === 'layer' ? 'Removed the background of' : 'Masked'));
}

async function refine(): Promise<void> {
  const selected = figma.currentPage.selection[0];
  const target = selected && figma.currentPage.selection.length === 1 ? findRefineTarget(selected) : null;
  if (!target) {
    figma.notify('Select one layer or group made by "Remove background" to refine it.', { error: true });
    figma.closePlugin();
    return;
  }
  const original = figma.getImageByHash(target.record.originalHash);
  if (!original) {
    figma.notify('The original image of this layer is no longer in the file.', { error: true });
    figma.closePlugin();
    return;
  }
  const ui = openUi();
  await configure(ui);
  const hintsImage = target.record.hintsHash ? figma.getImageByHash(target.record.hintsHash) : null;
  try {
    const result = await ui.request('remove', {
      encoded: { data: await original.getBytesAsync() },
      ...(hintsImage ? { hintsEncoded: { data: await hintsImage.getBytesAsync() } } : {}),
      output: target.record.mode === 'layer' ? 'cutout' : 'mask',
      png: true,
      maxOutputSide: MAX_IMAGE_SIDE,
      interactive: true,
      label: target.owner.name,
    });
    if (closed) return;
    if (target.owner.removed) {
      figma.closePlugin('The layer was deleted while refining: nothing was changed.');
      return;
    }
    if (!result.png) throw new UiError('internal', 'the UI returned no image');
    const hash = figma.createImage(result.png.data).hash;
    const hintsHash = result.hintsPng ? figma.createImage(result.hintsPng).hash : undefined;
    applyRefine(target, hash, hintsHash);
    figma.closePlugin('Mask updated.');
  } catch (e) {
    if (closed) return;
    if (e instanceof UiError && e.code === 'cancelled') figma.closePlugin('Cancelled: nothing was changed.');
    else figma.closePlugin(`Refine failed: ${e instanceof Error ? e.message : String(e)}`.slice(0, 100));
  }
}

const command = figma.command;
const run = command === 'refine' ? refine() : removeBackground(command === 'remove-mask' ? 'mask' : 'layer');
run.catch((e: unknown) => {
  if (!closed) figma.closePlugin(`Something went wrong: ${e instanceof Error ? e.message : String(e)}`.slice(0, 100));
});
