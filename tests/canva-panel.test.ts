// @vitest-environment happy-dom
/**
 * The object panel as a user sees it (React + App UI Kit under `TestAppUiProvider`, Canva's official
 * fakes with callbacks fired by hand, real `CanvaError`s), from the documented behaviour (canva-notes
 * §6/§8/§11, README "Known limits"): the prompt; a selection without a raster image; the working
 * state painted before the model blocks the page; the download with its size, then the run; Canva's
 * errors with what to do; Cancel, Canva closing the panel, the view going away and a selection change
 * (stale draft) mid-run change nothing. The app runs unchanged (frame server, host-kit batch, Canva
 * port, the real core); only the model session is fake (tests/canva/fake-engine.ts).
 */
import './canva/setup.js';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createElement as h } from 'react';
import { getTemporaryUrl, upload } from '@canva/asset';
import { addElementAtPoint } from '@canva/design';
import { CanvaError } from '@canva/error';
import { Panel } from '../canva-app/src/panel/panel.js';
import { hookCanva, resetCanvaMocks, type CanvaHooks } from './canva/canva-hooks.js';
import { alerts, button, collectUncaught, frameClock, isDisabled, render, settle, waitFor, type Rendered } from './canva/dom.js';
import { canvaFakeEngines, FIRST_RUN_BYTES, TEST_ENV, type FakeEngines } from './canva/fake-engine.js';
import { alphaOfDataUrl, installImageDecoding, pngOf, splitPicture } from './canva/images.js';
import { Gate } from './helpers/fake-frame-engine.js';

// As in tests/canva-adapter.test.ts: the SDK functions the packages capture at import are mocked,
// each defaulting to the official fake's own behaviour (tests/canva/sdk-mocks.ts).
vi.mock('@canva/asset', async (original) => (await import('./canva/sdk-mocks.js')).mockAsset(await original()));
vi.mock('@canva/design', async (original) => (await import('./canva/sdk-mocks.js')).mockDesign(await original()));
vi.mock('@canva/platform', async (original) => (await import('./canva/sdk-mocks.js')).mockPlatform(await original()));

const W = 96;
const H = 64;
const SVG = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>');
const PROMPT = 'Select an image in your design to remove its background.';
const WORKING = '[data-testid="cutout-working"]';

/** The files behind Canva's temporary URLs, by image ref. */
const files = new Map<string, Uint8Array>();
let canva: CanvaHooks;
let engines: FakeEngines;
let view: Rendered | null = null;
let uncaught: ReturnType<typeof collectUncaught>;

beforeAll(async () => {
  installImageDecoding();
  files.set('photo', await pngOf(splitPicture(W, H)));
  files.set('logo', SVG);
});

beforeEach(() => {
  uncaught = collectUncaught();
  canva = hookCanva();
  engines = canvaFakeEngines();
  vi.mocked(getTemporaryUrl).mockImplementation((async ({ ref }: { ref: string }) => ({ type: 'image', ref, url: `https://canva.test/${ref}` })) as unknown as typeof getTemporaryUrl);
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (url) => {
    const bytes = files.get(String(url).split('/').pop() ?? '');
    return bytes ? new Response(bytes.slice()) : new Response(null, { status: 404 });
  });
  vi.spyOn(console, 'info').mockImplementation(() => undefined);
});

afterEach(() => {
  uncaught.stop();
  view?.unmount();
  view = null;
  resetCanvaMocks();
  for (const fn of [upload, getTemporaryUrl, addElementAtPoint]) vi.mocked(fn).mockReset();
});

function openPanel(createEngine = engines.createEngine): Rendered {
  view = render(h(Panel, { env: TEST_ENV, createEngine }));
  return view;
}

/** Waits until the panel has rendered a selection (a user cannot click before a frame is painted). */
async function selectionShown(v: Rendered): Promise<void> {
  await waitFor(() => !isDisabled(removeButton(v)), 'the button to enable');
  await settle(20);
}

const working = (): Element | null => document.querySelector(WORKING);
const removeButton = (v: Rendered): HTMLButtonElement => button(v.container, 'Remove background');

/** Selects the photo, presses Remove background and waits until `until` (default: the model run has started). */
async function startOnPhoto(v: Rendered, until = (): unknown => engines.engines[0]?.predictCalls): Promise<ReturnType<CanvaHooks['select']>> {
  const draft = canva.select(['photo']);
  await selectionShown(v);
  removeButton(v).click();
  await waitFor(until, 'the run to get there');
  return draft;
}

/** The design is as before: no upload, nothing saved or added, no success toast. */
function expectDesignUnchanged(draft: ReturnType<CanvaHooks['select']>): void {
  expect(upload).not.toHaveBeenCalled();
  expect(addElementAtPoint).not.toHaveBeenCalled();
  expect(draft.saves).toEqual([]);
  expect(draft.contents).toEqual([{ ref: 'photo' }]);
  expect(canva.toasts).toEqual([]);
}

describe('Canva panel: what the user sees', () => {
  it('idle: asks for an image; nothing is downloaded or run until the user acts', async () => {
    const v = openPanel();
    await waitFor(() => v.text().includes(PROMPT), 'the prompt');
    expect(isDisabled(removeButton(v))).toBe(true);
    expect(isDisabled(button(v.container, 'Refine edges'))).toBe(true);
    expect(working()).toBeNull();
    expect(engines.engines).toEqual([]);
    expect(fetch).not.toHaveBeenCalled();
  });

  it('a selection with no image in it (e.g. text: the image scope reports 0) brings the prompt back', async () => {
    const v = openPanel();
    canva.select(['photo']);
    await waitFor(() => v.text().includes('1 image selected'), 'the count');
    expect(isDisabled(removeButton(v))).toBe(false);
    canva.select([]);
    await waitFor(() => v.text().includes(PROMPT), 'the prompt');
    expect(isDisabled(removeButton(v))).toBe(true);
  });

  it('a selected image that is not a raster picture (SVG) is refused with the reason; no model, no change', async () => {
    const v = openPanel();
    const draft = canva.select(['logo']);
    await selectionShown(v);
    removeButton(v).click();
    const [alert] = await waitFor(() => (alerts(v.container).length ? alerts(v.container) : null), 'an alert');
    expect(alert).toContain('Nothing was changed');
    expect(alert).toContain('it is an SVG (a vector graphic has no background pixels to remove)');
    expect(engines.engines.map((e) => e.predictCalls)).not.toContain(1);
    expect(upload).not.toHaveBeenCalled();
    expect(draft.saves).toEqual([]);
  });

  it('paints the working state before the model blocks the page (engine created, model run)', async () => {
    const clock = frameClock(); // frames every 16 ms, as in a browser
    let framesAtCommit: number | null = null;
    const observer = new MutationObserver(() => (framesAtCommit ??= working() ? clock.frames : null));
    observer.observe(document.body, { childList: true, subtree: true });
    const seen: Array<{ what: string; working: string | null; framesSinceCommit: number }> = [];
    engines = canvaFakeEngines((what) => seen.push({ what, working: working()?.textContent ?? null, framesSinceCommit: clock.frames - (framesAtCommit ?? clock.frames) }));
    const v = openPanel();
    canva.select(['photo']);
    await selectionShown(v);
    removeButton(v).click();
    await waitFor(() => canva.toasts.length, 'the run to finish');
    observer.disconnect();
    expect(seen.map((s) => s.what)).toEqual(['create', 'predict']);
    for (const s of seen) {
      expect(s.working, `working state at ${s.what}`).toContain('Working: the page may pause while the model runs');
      expect(s.framesSinceCommit, `frames painted with the working state before ${s.what}`).toBeGreaterThanOrEqual(1);
    }
  });

  it('first run: the model download with its size, then the run; then the image is replaced by its cut-out', async () => {
    const downloadGate = new Gate();
    const gate = new Gate();
    Object.assign(engines, { download: [{ loadedBytes: 0, totalBytes: FIRST_RUN_BYTES }, { loadedBytes: 12_000_000, totalBytes: FIRST_RUN_BYTES }], downloadGate, gate });
    const v = openPanel();
    const draft = await startOnPhoto(v, () => working()?.textContent?.includes('Downloading the model once: 12 of 60 MB'));
    expect(working()?.querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow')).toBe('20');
    expect(isDisabled(removeButton(v))).toBe(true);
    downloadGate.open();
    await waitFor(() => working()?.textContent?.includes('Removing the background (1 of 1)'), 'the model run');
    gate.open();
    await waitFor(() => canva.toasts.length, 'the success toast');
    expect(canva.toasts).toEqual(['Background removed from 1 image']);
    expect(draft.saves).toEqual([['image-id-123']]); // the fake upload's ref, saved once
    const opts = vi.mocked(upload).mock.calls[0]![0] as unknown as Record<string, unknown>;
    expect(opts).toMatchObject({ type: 'image', mimeType: 'image/png', parentRef: 'photo', aiDisclosure: 'none', width: W, height: H });
    const cut = await alphaOfDataUrl(opts['url'] as string);
    expect([cut.width, cut.height]).toEqual([W, H]);
    expect(cut.alpha[10 * W + 5]).toBe(0); // background (left)
    expect(cut.alpha[10 * W + W - 5]).toBe(255); // subject (right)
    await waitFor(() => !working(), 'the working state to end');
    expect(alerts(v.container)).toEqual([]);
  });

  it("Canva's errors are shown with what to do (real CanvaErrors); the design is unchanged", async () => {
    const v = openPanel();
    vi.mocked(upload).mockRejectedValueOnce(new CanvaError({ code: 'quota_exceeded', message: 'Upload quota exceeded' }));
    const draft = await startOnPhoto(v);
    const [full] = await waitFor(() => (alerts(v.container).length ? alerts(v.container) : null), 'an alert');
    expect(full).toContain('Your Canva storage is full. Free some space in your uploads and try again.');
    expect(draft.saves).toEqual([]);
    expect(draft.contents).toEqual([{ ref: 'photo' }]);
    expect(canva.toasts).toEqual([]);

    // The temporary URL is rate-limited (20 calls / 10 s, canva-notes §2).
    vi.mocked(getTemporaryUrl).mockRejectedValueOnce(new CanvaError({ code: 'rate_limited', message: 'Too many requests' }));
    const again = canva.select(['photo']);
    await selectionShown(v);
    removeButton(v).click();
    await waitFor(() => alerts(v.container).some((a) => a.includes('Wait a few seconds and try again')), 'the rate-limit message');
    expect(again.saves).toEqual([]);

    // Reading the selection itself refused.
    canva.select(['photo'], new CanvaError({ code: 'user_offline', message: 'offline' }));
    await selectionShown(v);
    removeButton(v).click();
    await waitFor(() => alerts(v.container).some((a) => a.includes('You are offline. Reconnect and try again.')), 'the offline message');
  });

  it('Cancel during the run stops it: nothing is uploaded, the design is unchanged, no error', async () => {
    const gate = new Gate();
    engines.gate = gate;
    const v = openPanel();
    const draft = await startOnPhoto(v);
    button(v.container, 'Cancel').click();
    await waitFor(() => !working(), 'the working state to end');
    gate.open();
    await settle(100);
    expectDesignUnchanged(draft);
    expect(alerts(v.container)).toEqual([]);
    expect(isDisabled(removeButton(v))).toBe(false);
    expect(uncaught.errors).toEqual([]);
  });

  it('Canva closes the panel mid-run (setOnDispose): nothing is written, the model is released, nothing is thrown', async () => {
    const gate = new Gate();
    engines.gate = gate;
    const v = openPanel();
    const draft = await startOnPhoto(v);
    await canva.dispose('aborted');
    expect(engines.engines[0]?.disposed).toBe(true);
    gate.open();
    await settle(100);
    v.unmount();
    view = null;
    await settle(50);
    expectDesignUnchanged(draft);
    expect(uncaught.errors).toEqual([]);
  });

  it('the panel view unmounted mid-run changes nothing and throws nothing', async () => {
    const gate = new Gate();
    engines.gate = gate;
    const v = openPanel();
    const draft = await startOnPhoto(v);
    v.unmount();
    view = null;
    gate.open();
    await settle(300);
    expectDesignUnchanged(draft);
    expect(engines.engines[0]?.disposed).toBe(true);
    expect(uncaught.errors).toEqual([]);
  });

  it('the selection changes while it runs (stale draft): nothing is replaced; the user is told to select and retry', async () => {
    const gate = new Gate();
    engines.gate = gate;
    const v = openPanel();
    const draft = await startOnPhoto(v);
    canva.select(['another']);
    gate.open();
    const [alert] = await waitFor(() => (alerts(v.container).length ? alerts(v.container) : null), 'an alert');
    expect(alert).toContain('the image changed or was deleted while it was being processed; select it and try again');
    expect(draft.saves).toEqual([]);
    expect(draft.contents).toEqual([{ ref: 'photo' }]);
    expect(canva.toasts).toEqual([]);
  });
});
