/**
 * The embeddable frame (dist/embed/embed.js) mounted in a host's own document, as Canva runs it:
 * a host page with its own styles, theme attribute and text inputs (pages/embed-host.html). The
 * frame renders into a shadow root: the host's computed styles, <html> attributes and <head> are
 * unchanged; the host's button rule does not reach the frame's buttons; keys typed in the host's
 * inputs do nothing in the frame while the same keys inside it act; unmount removes everything.
 * One small real remove (reduced-size model, WASM on the main thread) runs through the direct pair.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { HAVE_MODELS, ROOT } from '../helpers/paths.js';
import { need } from '../helpers/require.js';
import { CHROMIUM, startHarness, type Harness } from '@cutout/tools-browser';

const RUN = need({ models: HAVE_MODELS, chromium: CHROMIUM, built: [join(ROOT, 'packages', 'frame', 'dist', 'embed', 'embed.js')] });

type Settled = { ok: boolean; value?: any; code?: string; message?: string } | null;
type Entry = { id: string; settled: Settled; done: Promise<unknown> };
type Embed = {
  client: { request(method: string, payload?: unknown): Promise<any> };
  commands: string[];
  snapshot(): unknown;
  inFrame(selector: string): HTMLElement | null;
  mounted: { review: { store: { get(): { job: unknown; brushMode: string; brushSize: number } } } } | null;
  mount(config: unknown): Promise<void>;
  unmount(): Promise<void>;
  frameStyles(): { root: Record<string, string>; h1: Record<string, string>; button: Record<string, string>; theme: string | null };
  start(method: string, payload: unknown): Entry;
  image(width: number, height: number): unknown;
};
declare const embed: Embed;
declare const window: Window & { entries: Record<string, Entry> };

/** What the review holds now (null: no review open), and whether the named request has settled. */
async function reviewState(page: Page, entry: string): Promise<{ open: boolean; brushMode: string; brushSize: number; settled: Settled }> {
  return page.evaluate((name) => {
    const s = embed.mounted!.review.store.get();
    return { open: s.job !== null, brushMode: s.brushMode, brushSize: s.brushSize, settled: window.entries[name]!.settled };
  }, entry);
}

async function startReview(page: Page, name: string, extra: Record<string, unknown> = {}): Promise<void> {
  await page.evaluate(
    ([n, more]) => {
      window.entries ??= {};
      window.entries[n] = embed.start('remove', { image: embed.image(96, 64), interactive: true, output: 'mask', label: n, ...more });
    },
    [name, extra] as const,
  );
  await page.locator('#slot [data-testid=apply]').waitFor(); // playwright's CSS pierces the open shadow root
}

describe.skipIf(!RUN)('embeddable frame in a host document (Chromium)', () => {
  let h: Harness;
  let page: Page;
  let before: unknown;
  beforeAll(async () => {
    h = await startHarness();
    const context = await h.browser.newContext({ viewport: { width: 900, height: 1000 } });
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || process.env['CUTOUT_BROWSER_LOG']) console.log(`[browser ${m.type()}] ${m.text()}`);
    });
    await page.goto(`${h.baseUrl}harness/embed-host.html`);
    await page.waitForFunction(() => (globalThis as unknown as { embed?: unknown }).embed !== undefined);
    before = await page.evaluate(() => embed.snapshot());
    await page.evaluate(() => embed.mount({ modelBaseUrl: undefined, backend: 'auto', model: undefined, inputSize: undefined }));
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it('mounts without touching the host document, and styles its own elements', async () => {
    expect(await page.evaluate(() => embed.snapshot())).toEqual(before);
    // A panel gives the frame buttons to compare with the host's button rule.
    await page.evaluate(() => embed.client.request('panel', { status: 'Select an image', commands: [{ id: 'remove', label: 'Remove background', enabled: false }] }));
    const frame = await page.evaluate(() => embed.frameStyles());
    expect(frame.theme).toBe('light');
    expect(frame.h1).toEqual({ 'font-size': '13px', 'box-sizing': 'border-box' });
    expect(frame.button['background-color']).not.toBe('rgb(255, 0, 0)');
    expect(frame.button['box-sizing']).toBe('border-box');
    expect(frame.root).toMatchObject({ 'background-color': 'rgb(255, 255, 255)', 'font-size': '12px', 'letter-spacing': 'normal', 'text-transform': 'none' });
    // The theme goes on the frame's root, never on the host's <html>.
    await page.evaluate(() => embed.client.request('configure', { theme: 'dark' }));
    expect(await page.evaluate(() => embed.frameStyles())).toMatchObject({ theme: 'dark', root: { 'background-color': 'rgb(50, 50, 50)' } });
    expect(await page.evaluate(() => document.documentElement.getAttribute('data-theme'))).toBe('host-theme');
    expect(await page.evaluate(() => embed.snapshot())).toEqual(before);
  });

  it('runs a real remove through the direct pair (reduced model, WASM on the main thread)', async () => {
    const out = await page.evaluate(async (base) => {
      await embed.client.request('configure', { modelBaseUrl: base, model: 'isnet-fp32-web-dynamic', inputSize: 256, backend: 'wasm', inference: 'main-thread', theme: 'light' });
      const value = await embed.client.request('remove', { image: embed.image(96, 64) });
      const diagnostics = await embed.client.request('diagnostics');
      const m = value.matte.data as Uint8Array;
      // The subject (a disc in the middle) should be kept more than the corners.
      const at = (x: number, y: number): number => m[y * 96 + x]!;
      return { width: value.matte.width, height: value.matte.height, backend: value.backend, model: value.model, centre: at(48, 32), corner: at(2, 2), diagnostics };
    }, h.baseUrl);
    expect(out).toMatchObject({ width: 96, height: 64, backend: 'wasm', model: 'isnet-fp32-web-dynamic' });
    expect(out.centre).toBeGreaterThan(out.corner);
    expect(out.diagnostics).toMatchObject({ origin: h.baseUrl.replace(/\/$/, ''), scheme: 'http:', inference: 'main-thread', model: 'isnet-fp32-web-dynamic', backend: 'wasm', helperFrame: false });
    expect(out.diagnostics.modelBytes).toBeGreaterThan(1e6);
    expect(['network', 'cache-storage', 'indexeddb', 'memory']).toContain(out.diagnostics.modelSource);
  }, 180_000);

  it('ignores keys typed in the host (inputs, textarea, contenteditable, body) and acts on keys inside the frame', async () => {
    await startReview(page, 'keys');
    const start = await reviewState(page, 'keys');
    expect(start).toMatchObject({ open: true, brushMode: 'keep', settled: null });
    for (const target of ['#host-input', '#host-textarea', '#host-editable', '#host-title']) {
      await page.click(target);
      for (const key of ['r', ']', ']', '[', 'Enter', 'Escape']) await page.keyboard.press(key);
      // keyboard.press returns once the page has handled the event: these are settled facts.
      expect(await reviewState(page, 'keys'), target).toEqual(start);
      if (target === '#host-input') expect(await page.inputValue(target)).toBe('r]][');
      await page.keyboard.press('Control+z');
      expect(await reviewState(page, 'keys'), target).toEqual(start);
    }
    // Inside the frame: a click on its text focuses the frame's root; its keys now act.
    await page.click('#slot h1');
    await page.keyboard.press('r');
    await page.keyboard.press(']');
    expect(await reviewState(page, 'keys')).toMatchObject({ brushMode: 'remove', brushSize: start.brushSize + 2 });
    await page.keyboard.press('[');
    await page.keyboard.press('k');
    expect(await reviewState(page, 'keys')).toMatchObject({ brushMode: 'keep', brushSize: start.brushSize, settled: null });
    await page.keyboard.press('Enter');
    await page.evaluate(() => window.entries['keys']!.done);
    const applied = await reviewState(page, 'keys');
    expect(applied.open).toBe(false);
    expect(applied.settled).toMatchObject({ ok: true, value: { output: 'mask', matte: { width: 96, height: 64 } } });

    await startReview(page, 'escape');
    await page.click('#host-input');
    await page.keyboard.press('Escape');
    expect((await reviewState(page, 'escape')).settled).toBeNull();
    await page.click('#slot [data-testid=brush-remove]');
    await page.keyboard.press('Escape');
    await page.evaluate(() => window.entries['escape']!.done);
    expect((await reviewState(page, 'escape')).settled).toMatchObject({ ok: false, code: 'cancelled' });
    expect(await page.evaluate(() => embed.snapshot())).toEqual(before);
  }, 120_000);

  it('offers no output choice when the host fixes the output, and replies with that output', async () => {
    await startReview(page, 'offered');
    expect(await page.locator('#slot [data-testid=output-choice]').count()).toBe(1);
    await page.click('#slot [data-testid=cancel]');
    await page.evaluate(() => window.entries['offered']!.done);
    await startReview(page, 'fixed', { output: 'cutout', fixedOutput: true });
    expect(await page.locator('#slot [data-testid=output-choice]').count()).toBe(0);
    expect(await page.locator('#slot [data-testid=output-fixed]').textContent()).toContain('masked layer');
    await page.click('#slot [data-testid=apply]');
    await page.evaluate(() => window.entries['fixed']!.done);
    expect((await reviewState(page, 'fixed')).settled).toMatchObject({ ok: true, value: { output: 'cutout', cutout: { width: 96, height: 64 } } });
  }, 120_000);

  it('shows the host panel and sends the pressed command', async () => {
    await page.evaluate(() =>
      embed.client.request('panel', { status: '1 image selected', commands: [{ id: 'remove', label: 'Remove background', enabled: true }, { id: 'refine', label: 'Refine', enabled: false }] }),
    );
    expect(await page.locator('#slot [data-testid=panel-status]').textContent()).toBe('1 image selected');
    expect(await page.locator('#slot [data-command=refine]').isDisabled()).toBe(true);
    // embed.commands is filled by the host page's client.onCommand, registered before the frame mounted.
    await page.click('#slot [data-command=remove]');
    await page.waitForFunction(() => embed.commands.length > 0);
    expect(await page.evaluate(() => embed.commands)).toEqual(['remove']);
  });

  it('lists diagnostics in a collapsible section with Copy', async () => {
    await page.click('#slot [data-testid=diagnostics] summary');
    const text = await page.locator('#slot [data-testid=diagnostics-text]').inputValue();
    expect(text).toContain('Model: isnet-fp32-web-dynamic on wasm');
    expect(text).toContain('Inference runs in: the main thread');
    await page.click('#slot [data-testid=diagnostics-copy]');
    // Headless Chromium may deny the clipboard: then the text is selected for a manual copy.
    await page.locator('#slot .diagnostics .status').filter({ hasText: /Copied|Selected/ }).waitFor();
    const status = await page.locator('#slot .diagnostics .status').textContent();
    if (status?.startsWith('Selected')) {
      const selected = await page.evaluate(() => {
        const area = embed.inFrame('[data-testid=diagnostics-text]') as HTMLTextAreaElement;
        return area.value.slice(area.selectionStart, area.selectionEnd);
      });
      expect(selected).toBe(text);
    }
  });

  it('unmounts completely, and mounts again on the same element', async () => {
    await page.evaluate(() => embed.unmount());
    expect(await page.evaluate(() => document.getElementById('slot')!.shadowRoot!.childNodes.length)).toBe(0);
    expect(await page.evaluate(() => embed.snapshot())).toEqual(before);
    await page.evaluate(() => embed.mount({ modelBaseUrl: undefined, backend: 'auto', model: undefined, inputSize: undefined }));
    expect(await page.locator('#slot h1').textContent()).toBe('Remove background');
    await page.evaluate(() => embed.unmount());
    expect(await page.evaluate(() => embed.snapshot())).toEqual(before);
  });
});
