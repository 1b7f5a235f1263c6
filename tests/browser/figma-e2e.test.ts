/**
 * End to end: the built Figma plugin (dist/code.js against the fake figma in Node) with its built
 * UI (dist/ui.html, the real inference frame on WASM) in headless Chromium, loaded as Figma loads
 * it — a null-origin iframe, both as a data: URL and as a sandboxed srcdoc. A rectangle filled with
 * the astronaut sample: "Remove background as editable mask" (FILL) and "Remove background" (CROP);
 * the written mask/cut-out must match the Node core's matte of the same image (same paint
 * transform, so it lines up), and the original's pixels must be untouched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { Reassembler, encodeJson } from '@cutout/protocol';
import { alphaToBytes, type BackgroundRemover } from '@cutout/core';
import { createNodeRemover } from '@cutout/core/node';
import { FakeFigma, runPlugin, type FakeScene } from '../figma/fake-figma.js';
import { HAVE_MODELS, MODELS_DIR, ROOT, SAMPLES_DIR } from '../helpers/paths.js';
import { CHROMIUM, startHarness, type Harness } from './harness.js';

const RUN = HAVE_MODELS && existsSync(CHROMIUM) && existsSync(join(ROOT, 'figma-plugin', 'dist', 'code.js'));

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
    const remover: BackgroundRemover = await createNodeRemover({ modelsDir: MODELS_DIR, modelId: 'isnet-fp32' });
    try {
      nodeMatte = alphaToBytes((await remover.matte({ width: info.width, height: info.height, data: new Uint8Array(data) })).matte);
    } finally {
      await remover.dispose();
    }
  }, 180_000);
  afterAll(async () => {
    await h?.close();
  });

  async function runInFigma(mode: 'data' | 'srcdoc', command: string, paint: Partial<ImagePaint>): Promise<{ fig: FakeFigma; node: FakeScene; originalHash: string }> {
    const fig = new FakeFigma();
    const image = fig.createImage(photo);
    const node = fig.createNode('RECTANGLE', 'Astronaut');
    node.resize(300, 200);
    node.fills = [{ type: 'IMAGE', scaleMode: 'FILL', imageHash: image.hash, ...paint } as ImagePaint];
    fig.currentPage.selection = [node];
    fig.command = command;
    const context = await h.browser.newContext();
    const page = await context.newPage();
    const reassemble = new Reassembler();
    await page.exposeFunction('toSandbox', (text: string) => fig.ui.fromUi(reassemble.accept(text)));
    await page.goto(`${h.baseUrl}harness/figma-host.html?mode=${mode}`);
    await page.waitForFunction(() => (window as unknown as { figmaHost?: unknown }).figmaHost !== undefined);
    fig.ui.uiSide = (message) => void page.evaluate((text) => (window as any).figmaHost.toUi(text), encodeJson(message)).catch(() => undefined);
    const shown = new Promise<void>((resolve) => {
      const t = setInterval(() => {
        if (!fig.uiShown) return;
        clearInterval(t);
        void page.evaluate(([w, hh]) => (window as any).figmaHost.show(w, hh), [fig.uiShown.options?.width ?? 300, fig.uiShown.options?.height ?? 200]).then(() => resolve());
      }, 5);
    });
    fig.commitUndo();
    runPlugin(code, fig, html);
    await shown;
    await fig.whenClosed();
    await context.close();
    return { fig, node, originalHash: image.hash };
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

  async function alphaOf(fig: FakeFigma, hash: string): Promise<{ alpha: Uint8Array; width: number; rgb: Uint8Array }> {
    const bytes = await fig.getImageByHash(hash)!.getBytesAsync();
    const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const alpha = new Uint8Array(info.width * info.height);
    for (let i = 0; i < alpha.length; i++) alpha[i] = data[i * 4 + 3]!;
    return { alpha, width: info.width, rgb: new Uint8Array(data) };
  }

  it('editable mask, FILL, in a data: URL iframe (WASM, no storage)', async () => {
    const { fig, node, originalHash } = await runInFigma('data', 'remove-mask', { scaleMode: 'FILL' });
    expect(fig.closeMessage).toBe('Masked 1 image');
    const group = node.parent as FakeScene;
    expect(group.type).toBe('GROUP');
    const mask = group.children[0]!;
    expect(mask.isMask).toBe(true);
    const paint = (mask.fills as ReadonlyArray<ImagePaint>)[0]!;
    expect(paint.scaleMode).toBe('FILL');
    const { alpha, width } = await alphaOf(fig, paint.imageHash!);
    expect(width).toBe(512);
    compare(alpha, 'data: iframe, editable mask');
    // The original's fill and pixels are untouched.
    expect((node.fills as ReadonlyArray<ImagePaint>)[0]!.imageHash).toBe(originalHash);
    expect(Buffer.from(await fig.getImageByHash(originalHash)!.getBytesAsync()).equals(Buffer.from(photo))).toBe(true);
  }, 240_000);

  it('masked layer, CROP with imageTransform, in a sandboxed srcdoc iframe', async () => {
    const imageTransform: Transform = [[0.6, 0, 0.2], [0, 0.6, 0.1]];
    const { fig, node, originalHash } = await runInFigma('srcdoc', 'remove', { scaleMode: 'CROP', imageTransform });
    expect(fig.closeMessage).toBe('Removed the background of 1 image');
    const paint = (node.fills as ReadonlyArray<ImagePaint>)[0]!;
    expect(paint).toMatchObject({ scaleMode: 'CROP', imageTransform });
    expect(paint.imageHash).not.toBe(originalHash);
    const { alpha } = await alphaOf(fig, paint.imageHash!);
    compare(alpha, 'srcdoc iframe, masked layer');
    expect(JSON.parse(node.getPluginData('cutout')).originalHash).toBe(originalHash);
    fig.triggerUndo();
    expect((node.fills as ReadonlyArray<ImagePaint>)[0]!.imageHash).toBe(originalHash);
  }, 240_000);
});
