// @vitest-environment happy-dom
/**
 * The brush overlay (issue part 5; canva-notes §6, hosts.md §3.3, README): the panel's Refine opens
 * `selected_image_overlay` on the selected image with the panel's brush, and its controls steer it;
 * in the overlay process, Keep / Remove strokes with that size and mode become trimap hints at
 * image size (keep 255, remove 0: the core's codes), the matte is re-solved around them only (no
 * new model run), and Canva closing the overlay with 'completed' saves the cut-out as the panel's
 * replace does (upload with parentRef, the draft's ref replaced), with 'aborted' changes nothing.
 * Canva's official fakes with callbacks fired by hand, real CanvaErrors; the app's views unchanged,
 * the real core on a fake model session (tests/canva/fake-engine.ts), PNGs decoded with sharp.
 */
import './canva/setup.js';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createElement as h } from 'react';
import { getTemporaryUrl, upload } from '@canva/asset';
import { CanvaError } from '@canva/error';
import { alphaToBytes, BackgroundRemover, HINT_KEEP, HINT_REMOVE, type AlphaMatte, type MatteResult } from '@cutout/core';
import { OverlayView } from '../canva-app/src/overlay/overlay-view.js';
import { Panel } from '../canva-app/src/panel/panel.js';
import { hookCanva, resetCanvaMocks, type CanvaHooks, type FakeDraft } from './canva/canva-hooks.js';
import { alerts, button, isDisabled, render, setRange, settle, waitFor, type Rendered } from './canva/dom.js';
import { canvaFakeEngines, TEST_ENV, type FakeEngines } from './canva/fake-engine.js';
import { alphaOfDataUrl, installImageDecoding, pngOf, splitPicture } from './canva/images.js';
import { changes, expectHints } from './canva/strokes.js';
import { Gate } from './helpers/fake-frame-engine.js';

vi.mock('@canva/asset', async (original) => (await import('./canva/sdk-mocks.js')).mockAsset(await original()));
vi.mock('@canva/design', async (original) => (await import('./canva/sdk-mocks.js')).mockDesign(await original()));
vi.mock('@canva/platform', async (original) => (await import('./canva/sdk-mocks.js')).mockPlatform(await original()));

/** The selected image, shown by Canva at half its pixel size (the overlay's box). */
const W = 128;
const H = 96;
const BOX = { left: 100, top: 50, width: W / 2, height: H / 2 };

let canva: CanvaHooks;
let engines: FakeEngines;
let view: Rendered | null = null;
let photo: Uint8Array;

beforeAll(async () => {
  installImageDecoding();
  photo = await pngOf(splitPicture(W, H));
});

beforeEach(() => {
  engines = canvaFakeEngines();
  vi.mocked(getTemporaryUrl).mockImplementation((async ({ ref }: { ref: string }) => ({ type: 'image', ref, url: `https://canva.test/${ref}` })) as unknown as typeof getTemporaryUrl);
  vi.spyOn(globalThis, 'fetch').mockImplementation(async () => new Response(photo.slice()));
  vi.spyOn(console, 'info').mockImplementation(() => undefined);
});

afterEach(() => {
  view?.unmount();
  view = null;
  resetCanvaMocks();
  for (const fn of [upload, getTemporaryUrl]) vi.mocked(fn).mockReset();
});

const brushMessage = (mode: string, size: number): unknown => ({ type: 'cutout.brush', mode, size });
const overlayStates = (): string[] => canva.broadcasts.flatMap((m) => ((m as { type?: string }).type === 'cutout.overlay' ? [(m as { state: string }).state] : []));

describe('Canva panel: Refine opens and steers the overlay', () => {
  it("opens selected_image_overlay with the panel's brush; mode and size reach it; Save / Discard close it completed / aborted", async () => {
    canva = hookCanva();
    const v = (view = render(h(Panel, { env: TEST_ENV, createEngine: engines.createEngine })));
    const refine = (): HTMLButtonElement => button(v.container, 'Refine edges');
    canva.canOpen({ canOpen: false, reason: 'invalid_selection' });
    await waitFor(() => refine(), 'the Refine button');
    expect(isDisabled(refine())).toBe(true);

    const open = vi.fn(async () => 'overlay-1');
    canva.select(['photo']);
    canva.canOpen({ canOpen: true, open });
    await waitFor(() => !isDisabled(refine()), 'Refine to enable');
    refine().click();
    await waitFor(() => v.text().includes('Paint on the image'), 'the brush controls');
    expect(open).toHaveBeenCalledWith({ launchParameters: { brush: { mode: 'remove', size: 30 } } });

    button(v.container, 'Keep').click();
    await waitFor(() => canva.broadcasts.some((m) => JSON.stringify(m) === JSON.stringify(brushMessage('keep', 30))), 'the mode message');
    setRange(v.container.querySelector('input[type="range"]') as HTMLInputElement, 50);
    await waitFor(() => canva.broadcasts.some((m) => JSON.stringify(m) === JSON.stringify(brushMessage('keep', 50))), 'the size message');

    button(v.container, 'Save').click();
    await waitFor(() => canva.closeRequests.length, 'a close request');
    expect(canva.closeRequests).toEqual([{ id: 'overlay-1', reason: 'completed' }]);
    canva.processState('overlay-1', 'closed');
    await waitFor(() => !isDisabled(refine()), 'Refine to come back');

    refine().click();
    await waitFor(() => v.text().includes('Paint on the image'), 'the brush controls again');
    expect(open).toHaveBeenLastCalledWith({ launchParameters: { brush: { mode: 'keep', size: 50 } } });
    button(v.container, 'Discard').click();
    await waitFor(() => canva.closeRequests.length === 2, 'a second close request');
    expect(canva.closeRequests[1]).toEqual({ id: 'overlay-1', reason: 'aborted' });
  });
});

describe('Canva overlay: the brush on the selected image', () => {
  let refine: ReturnType<typeof spyRefine>;
  const spyRefine = () => vi.spyOn(BackgroundRemover.prototype, 'refineFrom');
  /** The matte of the n-th re-solve (0: the overlay's first matte, before any stroke). */
  const matteAt = async (n: number): Promise<AlphaMatte> => ((await refine.mock.results[n]!.value) as MatteResult).matte;

  /** Opens the overlay process on the selected photo and waits until it says it is ready. */
  async function openOverlay(brush: { mode: string; size: number }): Promise<{ draft: FakeDraft; canvas: HTMLCanvasElement }> {
    canva = hookCanva({ surface: 'selected_image_overlay', launchParams: { brush } });
    const draft = canva.select(['photo']); // selected before the overlay opens: fires on registration
    refine = spyRefine();
    view = render(h(OverlayView, { env: TEST_ENV, createEngine: engines.createEngine }));
    await waitFor(() => overlayStates().includes('ready'), 'the overlay to be ready');
    const canvas = view.container.querySelector('canvas') as HTMLCanvasElement;
    // happy-dom lays nothing out: the overlay's box, as Canva sizes it over the image.
    canvas.getBoundingClientRect = () => ({ ...BOX, x: BOX.left, y: BOX.top, right: BOX.left + BOX.width, bottom: BOX.top + BOX.height, toJSON: () => BOX });
    return { draft, canvas };
  }

  /** Paints a stroke given in image pixels, as pointer events on the overlay (CSS pixels), and waits for the re-solve. */
  async function paint(canvas: HTMLCanvasElement, from: readonly [number, number], to: readonly [number, number]): Promise<void> {
    const readyBefore = overlayStates().filter((s) => s === 'ready').length;
    const at = ([x, y]: readonly [number, number]) => ({ clientX: BOX.left + (x * BOX.width) / W, clientY: BOX.top + (y * BOX.height) / H, pointerId: 1, bubbles: true });
    canvas.dispatchEvent(new PointerEvent('pointerdown', at(from)));
    canvas.dispatchEvent(new PointerEvent('pointermove', at([(from[0] + to[0]) / 2, (from[1] + to[1]) / 2])));
    canvas.dispatchEvent(new PointerEvent('pointermove', at(to)));
    canvas.dispatchEvent(new PointerEvent('pointerup', at(to)));
    await waitFor(() => overlayStates().filter((s) => s === 'ready').length > readyBefore, 'the re-solve');
  }

  // Brush sizes are CSS pixels on the overlay; the image is shown at half size, so radius = size / 2 × 2.
  const removeStroke = { from: [100, 16], to: [112, 16], r: 8, code: HINT_REMOVE } as const; // on the subject
  const keepStroke = { from: [20, 72], to: [32, 72], r: 6, code: HINT_KEEP } as const; // on the background

  it('strokes with the panel’s mode and size become hints at image size; the matte changes only near them; no new model run', async () => {
    const { canvas } = await openOverlay({ mode: 'remove', size: 8 });
    await paint(canvas, removeStroke.from, removeStroke.to);
    await canva.message('panel-process', brushMessage('keep', 6)); // the panel's controls changed
    await paint(canvas, keepStroke.from, keepStroke.to);

    expect(refine).toHaveBeenCalledTimes(3); // the first matte, then once per stroke
    expect(refine.mock.calls[0]![2]?.hints).toBeUndefined();
    for (const call of refine.mock.calls.slice(1)) expect([call[0].width, call[0].height, call[2]!.hints!.width, call[2]!.hints!.height]).toEqual([W, H, W, H]);
    expectHints(refine.mock.calls[1]![2]!.hints!, [removeStroke]);
    expectHints(refine.mock.calls[2]![2]!.hints!, [removeStroke, keepStroke]);
    expect(engines.engines.map((e) => e.predictCalls)).toEqual([1]); // the network ran once

    const [first, afterRemove, afterKeep] = [await matteAt(0), await matteAt(1), await matteAt(2)];
    const removed = changes(first, afterRemove, [removeStroke]);
    expect(removed.length).toBeGreaterThan(0);
    expect(Math.max(...removed), 'farthest change from the Remove stroke (px)').toBeLessThanOrEqual(16);
    // Each re-solve takes every stroke so far: it may move the edge near either, nowhere else.
    const both = changes(afterRemove, afterKeep, [removeStroke, keepStroke]);
    expect(Math.max(...both), 'farthest change from the strokes (px)').toBeLessThanOrEqual(16);
    expect(changes(afterRemove, afterKeep, [keepStroke]).filter((d) => d <= 16).length, 'changes at the Keep stroke').toBeGreaterThan(0);
    expect(afterKeep.data[16 * W + 106]).toBe(0); // painted out of the subject
    expect(afterKeep.data[72 * W + 26]).toBe(1); // painted into the cut-out
  });

  it("Canva closes it with 'completed': the cut-out is saved as Replace does (upload with parentRef, ref replaced)", async () => {
    const { draft, canvas } = await openOverlay({ mode: 'remove', size: 8 });
    await paint(canvas, removeStroke.from, removeStroke.to);
    await canva.dispose('completed');

    expect(upload).toHaveBeenCalledTimes(1);
    const opts = vi.mocked(upload).mock.calls[0]![0] as unknown as Record<string, unknown>;
    expect(opts).toMatchObject({ type: 'image', mimeType: 'image/png', parentRef: 'photo', aiDisclosure: 'none', width: W, height: H, name: 'Background removed' });
    expect(opts['thumbnailUrl']).toMatch(/^data:image\/png;base64,/);
    expect(draft.saves).toEqual([['image-id-123']]);
    const saved = await alphaOfDataUrl(opts['url'] as string);
    expect([saved.width, saved.height]).toEqual([W, H]);
    const matte = alphaToBytes(await matteAt(1));
    expect(Math.max(...saved.alpha.map((a, i) => Math.abs(a - matte[i]!)))).toBeLessThanOrEqual(1);
    expect(saved.alpha[16 * W + 106]).toBe(0);
    expect(engines.engines[0]?.disposed).toBe(true);
  });

  it("Canva closes it with 'aborted' (Discard, a click outside): nothing is uploaded, the design is unchanged", async () => {
    const { draft, canvas } = await openOverlay({ mode: 'remove', size: 8 });
    await paint(canvas, removeStroke.from, removeStroke.to);
    await canva.dispose('aborted');
    expect(upload).not.toHaveBeenCalled();
    expect(draft.saves).toEqual([]);
    expect(draft.contents).toEqual([{ ref: 'photo' }]);
    expect(engines.engines[0]?.disposed).toBe(true);
  });

  it('closed while still preparing (the model run not done): nothing is saved, no failure is reported', async () => {
    engines.gate = new Gate(); // the model run never finishes
    canva = hookCanva({ surface: 'selected_image_overlay', launchParams: { brush: { mode: 'keep', size: 20 } } });
    const draft = canva.select(['photo']);
    view = render(h(OverlayView, { env: TEST_ENV, createEngine: engines.createEngine }));
    await waitFor(() => engines.engines[0]?.predictCalls, 'the model run to start');
    await canva.dispose('completed');
    await settle(50);
    expect(upload).not.toHaveBeenCalled();
    expect(draft.saves).toEqual([]);
    expect(engines.engines[0]?.disposed).toBe(true);
    expect(overlayStates()).toEqual(['loading']);
  });

  it("a refused save (real CanvaError) changes nothing and the panel is told what to do", async () => {
    const { draft, canvas } = await openOverlay({ mode: 'remove', size: 8 });
    await paint(canvas, removeStroke.from, removeStroke.to);
    vi.mocked(upload).mockRejectedValueOnce(new CanvaError({ code: 'quota_exceeded', message: 'Upload quota exceeded' }));
    await canva.dispose('completed');
    expect(draft.saves).toEqual([]);
    expect(draft.contents).toEqual([{ ref: 'photo' }]);
    expect(engines.engines[0]?.disposed).toBe(true);
    const failed = canva.broadcasts.find((m) => (m as { state?: string }).state === 'failed') as { message?: string } | undefined;
    expect(failed?.message).toBe('Your Canva storage is full. Free some space in your uploads and try again.');
  });

  it('the panel shows what the overlay reports: preparing, then a failure with its message', async () => {
    canva = hookCanva();
    const v = (view = render(h(Panel, { env: TEST_ENV, createEngine: engines.createEngine })));
    canva.select(['photo']);
    canva.canOpen({ canOpen: true, open: async () => 'overlay-1' });
    await waitFor(() => !isDisabled(button(v.container, 'Refine edges')), 'Refine to enable');
    button(v.container, 'Refine edges').click();
    await waitFor(() => v.text().includes('Paint on the image'), 'the brush controls');
    await canva.message('overlay-1', { type: 'cutout.overlay', state: 'loading' });
    await waitFor(() => v.text().includes('Preparing the brush…'), 'the preparing state');
    await canva.message('overlay-1', { type: 'cutout.overlay', state: 'failed', message: 'You are offline. Reconnect and try again.' });
    canva.processState('overlay-1', 'closed');
    await waitFor(() => alerts(v.container).some((a) => a.includes('You are offline. Reconnect and try again.')), 'the failure');
    await canva.message('overlay-1', { type: 'something else', state: 'failed', message: 'ignored' });
    expect(v.text()).not.toContain('ignored');
  });
});
