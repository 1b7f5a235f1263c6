/**
 * End to end: the built Figma plugin (dist/code.js against the fake figma in Node) with its built
 * UI (dist/ui.html, the real inference frame on WASM) in headless Chromium, loaded as Figma loads
 * it — a null-origin iframe, both as a data: URL and as a sandboxed srcdoc. A rectangle filled with
 * the astronaut sample: "Remove background as editable mask" (FILL) and "Remove background" (CROP);
 * the written mask/cut-out must match the Node core's matte of the same image (same paint
 * transform, so it lines up), and the original's pixels must be untouched. Then the panel (a
 * button pressed in the real frame runs on the selection, the plugin stays open) and the
 * diagnostics command (what the real frame reports about a data: iframe).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { Reassembler, encodeJson, type DiagnosticsResult } from '@cutout/protocol';
import { alphaToBytes, type BackgroundRemover } from '@cutout/core';
import { createNodeRemover } from '@cutout/core-node';
import { runPlugin, type FakeFigma, type FakeScene } from '../figma/fake-figma.js';
import { newFigma, shownImage } from '../figma/plugin-ui-script.js';
import { HAVE_MODELS, MODELS_DIR, ROOT, SAMPLES_DIR } from '../helpers/paths.js';
import { need } from '../helpers/require.js';
import { CHROMIUM, startHarness, type Harness } from '@cutout/tools-browser';

const RUN = need({ models: HAVE_MODELS, chromium: CHROMIUM, built: [join(ROOT, 'figma-plugin', 'dist', 'code.js')] });

interface Session {
  readonly fig: FakeFigma;
  readonly page: Page;
  readonly context: BrowserContext;
  /** The plugin UI iframe. */
  readonly ui: () => Frame;
  /** Resolves with the first plugin → UI request of `method` (seen already or later) that matches. */
  request(method: string, match?: (payload: any) => boolean): Promise<any>;
  /** Resolves with the next plugin → UI request of `method` (not one seen already) that matches. */
  next(method: string, match?: (payload: any) => boolean): Promise<any>;
  /** Resolves with the frame's result value for the first request of `method` it answers. */
  reply(method: string): Promise<any>;
}

describe.skipIf(!RUN)('Figma plugin end to end (built code.js + built ui.html in Chromium)', () => {
  let h: Harness;
  let code: string;
  let html: string;
  let photo: Uint8Array;
  let nodeMatte: Uint8Array;
  beforeAll(async () => {
    h = await startHarness({ extraStatic: { '/figma/': join(ROOT, 'figma-plugin', 'dist') } });
    // The plugin bakes its model base URL in at build time; point the built code at this server.
    code = (await readFile(join(ROOT, 'figma-plugin', 'dist', 'code.js'), 'utf8')).replaceAll('http://127.0.0.1:8787/', h.baseUrl);
    html = await readFile(join(ROOT, 'figma-plugin', 'dist', 'ui.html'), 'utf8');
    photo = new Uint8Array(await readFile(join(SAMPLES_DIR, 'astronaut.png')));
    const { data, info } = await sharp(photo).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const remover: BackgroundRemover = await createNodeRemover({ modelsDir: MODELS_DIR, modelId: 'isnet-int8' });
    try {
      nodeMatte = alphaToBytes((await remover.matte({ width: info.width, height: info.height, data: new Uint8Array(data) })).matte);
    } finally {
      await remover.dispose();
    }
  }, 180_000);
  afterAll(async () => {
    await h?.close();
  });

  function astronaut(fig: FakeFigma, paint: Partial<ImagePaint>): { node: FakeScene; originalHash: string } {
    const image = fig.createImage(photo);
    const node = fig.createNode('RECTANGLE', 'Astronaut');
    node.resize(300, 200);
    node.fills = [{ type: 'IMAGE', scaleMode: 'FILL', imageHash: image.hash, ...paint } as ImagePaint];
    return { node, originalHash: image.hash };
  }

  /** Starts `command` with the real frame as its UI, relayed between Node and the page as Figma relays it. */
  async function start(fig: FakeFigma, mode: 'data' | 'srcdoc', command: string): Promise<Session> {
    fig.command = command;
    const context = await h.browser.newContext();
    const page = await context.newPage();
    const reassemble = new Reassembler();
    const replies: Array<{ method: string; value: unknown }> = [];
    const replyWaiters: Array<{ method: string; resolve: (value: unknown) => void }> = [];
    await page.exposeFunction('toSandbox', (text: string) => {
      const message = reassemble.accept(text) as { kind?: string; result?: { method: string; value: unknown } } | undefined;
      if (message?.kind === 'result' && message.result) {
        replies.push(message.result);
        for (const w of replyWaiters.filter((x) => x.method === message.result!.method)) {
          replyWaiters.splice(replyWaiters.indexOf(w), 1);
          w.resolve(message.result.value);
        }
      }
      fig.ui.fromUi(message);
    });
    await page.goto(`${h.baseUrl}harness/figma-host.html?mode=${mode}`);
    await page.waitForFunction(() => (window as unknown as { figmaHost?: unknown }).figmaHost !== undefined);
    const seen: Array<{ method: string; payload: any }> = [];
    const waiters: Array<{ test: (r: { method: string; payload: any }) => boolean; resolve: (payload: any) => void }> = [];
    fig.ui.uiSide = (message) => {
      const m = message as { kind?: string; method?: string; payload?: unknown };
      if (m.kind === 'request' && m.method) {
        const r = { method: m.method, payload: m.payload };
        seen.push(r);
        for (const w of waiters.filter((x) => x.test(r))) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(r.payload);
        }
      }
      void page.evaluate((text) => (window as any).figmaHost.toUi(text), encodeJson(message)).catch(() => undefined);
    };
    const shown = fig.whenUiShown().then(() => page.evaluate(([w, hh]) => (window as any).figmaHost.show(w, hh), [fig.uiShown!.options?.width ?? 300, fig.uiShown!.options?.height ?? 200]));
    fig.commitUndo();
    runPlugin(code, fig, html);
    await shown;
    const ui = (): Frame => {
      const f = page.frames().find((x) => x !== page.mainFrame());
      if (!f) throw new Error('the plugin UI iframe is not there');
      return f;
    };
    const next = (method: string, match: (payload: any) => boolean = () => true): Promise<any> =>
      new Promise((resolve) => waiters.push({ test: (r) => r.method === method && match(r.payload), resolve }));
    const request = (method: string, match: (payload: any) => boolean = () => true): Promise<any> => {
      const found = seen.find((r) => r.method === method && match(r.payload));
      return found ? Promise.resolve(found.payload) : next(method, match);
    };
    const reply = (method: string): Promise<any> => {
      const found = replies.find((r) => r.method === method);
      return found ? Promise.resolve(found.value) : new Promise((resolve) => replyWaiters.push({ method, resolve }));
    };
    return { fig, page, context, ui, request, next, reply };
  }

  function compare(alpha: Uint8Array, what: string): void {
    let sum = 0;
    let max = 0;
    for (let i = 0; i < alpha.length; i++) {
      const d = Math.abs(alpha[i]! - nodeMatte[i]!);
      sum += d;
      if (d > max) max = d;
    }
    console.log(`${what}: written alpha vs Node core matte: mean |Δ| ${(sum / alpha.length).toFixed(4)}/255, max ${max}/255`);
    expect(sum / alpha.length).toBeLessThan(0.05);
    expect(max).toBeLessThanOrEqual(4);
  }

  async function alphaOf(fig: FakeFigma, hash: string): Promise<{ alpha: Uint8Array; width: number }> {
    const bytes = await fig.getImageByHash(hash)!.getBytesAsync();
    const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const alpha = new Uint8Array(info.width * info.height);
    for (let i = 0; i < alpha.length; i++) alpha[i] = data[i * 4 + 3]!;
    return { alpha, width: info.width };
  }

  it('editable mask, FILL, in a data: URL iframe (WASM, no storage)', async () => {
    const fig = newFigma();
    const { node, originalHash } = astronaut(fig, { scaleMode: 'FILL' });
    fig.currentPage.selection = [node];
    const s = await start(fig, 'data', 'remove-mask');
    await fig.whenClosed();
    await s.context.close();
    expect(fig.closeMessage).toBe('Masked 1 image');
    const group = node.parent as FakeScene;
    expect(group.type).toBe('GROUP');
    const mask = group.children[0]!;
    expect(mask.isMask).toBe(true);
    const paint = shownImage(mask);
    expect(paint.scaleMode).toBe('FILL');
    const { alpha, width } = await alphaOf(fig, paint.imageHash!);
    expect(width).toBe(512);
    compare(alpha, 'data: iframe, editable mask');
    // The original's fill and pixels are untouched.
    expect(shownImage(node).imageHash).toBe(originalHash);
    expect(Buffer.from(await fig.getImageByHash(originalHash)!.getBytesAsync()).equals(Buffer.from(photo))).toBe(true);
  }, 240_000);

  it('masked layer, CROP with imageTransform, in a sandboxed srcdoc iframe', async () => {
    const imageTransform: Transform = [[0.6, 0, 0.2], [0, 0.6, 0.1]];
    const fig = newFigma();
    const { node, originalHash } = astronaut(fig, { scaleMode: 'CROP', imageTransform });
    fig.currentPage.selection = [node];
    const s = await start(fig, 'srcdoc', 'remove');
    await fig.whenClosed();
    await s.context.close();
    expect(fig.closeMessage).toBe('Removed the background of 1 image');
    const paint = shownImage(node);
    expect(paint).toMatchObject({ scaleMode: 'CROP', imageTransform });
    expect(paint.imageHash).not.toBe(originalHash);
    // The original stays in the fill list, hidden (F10).
    expect((node.fills as ReadonlyArray<ImagePaint>)[0]).toMatchObject({ imageHash: originalHash, visible: false });
    compare((await alphaOf(fig, paint.imageHash!)).alpha, 'srcdoc iframe, masked layer');
    expect(JSON.parse(node.getPluginData('cutout')).originalHash).toBe(originalHash);
    fig.triggerUndo();
    expect(node.fills).toHaveLength(1);
    expect(shownImage(node).imageHash).toBe(originalHash);
  }, 240_000);

  it('panel in a srcdoc iframe: the real frame shows the selection, its button runs the action, the plugin stays open', async () => {
    const fig = newFigma();
    const { node } = astronaut(fig, { scaleMode: 'FILL' });
    const s = await start(fig, 'srcdoc', 'panel');
    await s.request('panel');
    fig.user.select([node]);
    await s.request('panel', (p) => p.status === '1 image selected');
    // The frame renders the host's buttons; the enabled one is pressed as a user would.
    const working = s.next('panel', (p) => p.status.startsWith('Working'));
    await s.ui().click('button[data-command="remove-mask"]:not([disabled])', { timeout: 30_000 });
    await working;
    // The run ends with a notification, then a panel update for the new selection (the group).
    await s.next('panel', (p) => !p.status.startsWith('Working'));
    expect(fig.notifications.at(-1)!.message).toBe('Masked 1 image');
    expect(fig.closed).toBe(false);
    expect((node.parent as FakeScene).type).toBe('GROUP');
    // The frame draws the update after the plugin sends it: wait for it, as a user's eye would.
    await expect.poll(async () => s.ui().locator('[data-testid="panel-status"]').textContent(), { timeout: 30_000 }).not.toMatch(/^Working/);
    fig.userCloses();
    await s.context.close();
  }, 240_000);

  it('diagnostics in a data: iframe: the real frame answers (null origin, not a secure context) and the plugin stays open', async () => {
    const fig = newFigma();
    const s = await start(fig, 'data', 'diagnostics');
    await s.request('diagnostics');
    const d = (await s.reply('diagnostics')) as DiagnosticsResult;
    console.log(`diagnostics of a data: iframe: ${JSON.stringify(d)}`);
    expect(d).toMatchObject({ origin: 'null', secureContext: false, indexedDb: false });
    expect(d.scheme).toMatch(/^data:?$/);
    expect(fig.closed).toBe(false);
    fig.userCloses();
    await s.context.close();
  }, 120_000);
});
