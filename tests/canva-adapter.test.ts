/**
 * The Canva port and adapter against Canva's official fakes (`@canva/*\/test`), with the fakes'
 * never-firing callbacks fired by hand and real `CanvaError`s on the failure paths (NE: the fake
 * error class keeps `.code`). Covers: read (PNG, SVG, animated GIF), stage (upload options:
 * parentRef, aiDisclosure 'none', base64 data URL, thumbnail, size), write (replace saves the
 * draft once; add uses addElementAtPoint; a stale draft writes nothing), error messages.
 */
import { sdk } from './canva/setup.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getTemporaryUrl, upload } from '@canva/asset';
import { addElementAtPoint } from '@canva/design';
import { CanvaError } from '@canva/error';
import { createCanvaPort, targetsOf, type Translate } from '../canva-app/src/canva/canva-port.js';
import { describeFailure } from '../canva-app/src/canva/errors.js';
import { watchImageSelection, watchOverlay, type ContentDraft, type ImageRef, type SelectedImage } from '../canva-app/src/canva/adapter.js';
import { strings } from '../canva-app/src/i18n/strings.js';
import { encodeForUpload, type OutputEncoders } from '../canva-app/src/image/encode-output.js';
import { isAnimatedGif, sniffImage } from '../canva-app/src/image/sniff.js';

// The packages capture `canva_sdk.<path>` at import (ND/NA public.js), and the fakes' functions
// cannot be redefined: as in the starter kit (jest.mock), the modules are mocked, each function
// defaulting to the official fake's own behaviour.
vi.mock('@canva/asset', async (original) => {
  const real = await original<typeof import('@canva/asset')>();
  return { ...real, upload: vi.fn(real.upload), getTemporaryUrl: vi.fn(real.getTemporaryUrl) };
});
vi.mock('@canva/design', async (original) => {
  const real = await original<typeof import('@canva/design')>();
  return { ...real, addElementAtPoint: vi.fn(real.addElementAtPoint) };
});

const t: Translate = (m, v) => `${m.id}${v ? JSON.stringify(v) : ''}`;
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
const SVG = new TextEncoder().encode('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>');
/** A GIF with two 1×1 frames (header, no global table, two image descriptors with data). */
const frame = [0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0x02, 0x02, 0x44, 0x01, 0x00];
const GIF2 = new Uint8Array([...new TextEncoder().encode('GIF89a'), 1, 0, 1, 0, 0, 0, 0, ...frame, ...frame, 0x3b]);
const GIF1 = new Uint8Array([...new TextEncoder().encode('GIF89a'), 1, 0, 1, 0, 0, 0, 0, ...frame, 0x3b]);

/** Fake encoders: PNG/WebP "data URLs" of a chosen length, so the 10 MB fallbacks are tested without a browser. */
const encoders = (pngChars: (w: number) => number, webp = ''): OutputEncoders => ({
  png: async (image) => `data:image/png;base64,${'A'.repeat(pngChars(image.width))}`,
  webp: async () => webp,
});

function draftOf(refs: string[]): ContentDraft<SelectedImage> & { saved: number } {
  const d = {
    contents: refs.map((ref) => ({ ref: ref as ImageRef })),
    saved: 0,
    async save() {
      d.saved++;
    },
  };
  return d;
}

const cutoutResult = (w: number, h: number) => ({
  output: 'cutout' as const,
  backend: 'wasm' as const,
  model: 'isnet-fp32-web',
  timings: { preprocess: 0, inference: 0, refine: 0, compose: 0 },
  cutout: { width: w, height: h, data: new Uint8Array(w * h * 4) },
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.mocked(upload).mockClear();
  vi.mocked(addElementAtPoint).mockClear();
});

describe('Canva adapter with the official fakes', () => {
  it('fires selection changes by hand and reads the draft', async () => {
    let onChange: ((e: unknown) => void) | undefined;
    vi.spyOn(sdk.design.v2.designInteraction.selection, 'registerOnChange').mockImplementation((opts: any) => {
      expect(opts.scope).toBe('image');
      onChange = opts.onChange;
      return () => undefined;
    });
    const seen: number[] = [];
    watchImageSelection((e) => seen.push(e.count));
    onChange?.({ scope: 'image', count: 2, read: async () => draftOf(['a', 'b']) });
    onChange?.({ scope: 'image', count: 0, read: async () => draftOf([]) });
    expect(seen).toEqual([2, 0]);
  });

  it('maps overlay availability, and opens with launch parameters', async () => {
    let onCanOpen: ((e: unknown) => void) | undefined;
    vi.spyOn(sdk.design.v2.designInteraction.overlay, 'registerOnCanOpen').mockImplementation((opts: any) => {
      onCanOpen = opts.onCanOpen;
      return () => undefined;
    });
    const open = vi.fn(async () => 'overlay-process');
    const seen: unknown[] = [];
    watchOverlay((a) => seen.push(a));
    onCanOpen?.({ canOpen: false, reason: 'invalid_selection' });
    onCanOpen?.({ canOpen: true, open });
    expect(seen[0]).toEqual({ canOpen: false, reason: 'invalid_selection' });
    const a = seen[1] as { canOpen: true; open(p: unknown): Promise<string> };
    expect(await a.open({ brush: { mode: 'keep', size: 10 } })).toBe('overlay-process');
    expect(open).toHaveBeenCalledWith({ launchParameters: { brush: { mode: 'keep', size: 10 } } });
  });

  it('reads a PNG, and skips an SVG and an animated GIF with a reason', async () => {
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (url) => new Response(String(url).endsWith('svg') ? SVG : String(url).endsWith('gif') ? GIF2 : PNG));
    const getUrl = vi.mocked(getTemporaryUrl);
    const port = createCanvaPort({ draft: draftOf(['x']), mode: 'replace', t, isStale: () => false, isClosed: () => false });
    getUrl.mockResolvedValueOnce({ type: 'image', ref: 'x' as ImageRef, url: 'https://img/x.png' });
    expect(await port.read({ index: 0, ref: 'x' as ImageRef, name: 'x' })).toEqual({ kind: 'encoded', data: PNG });
    getUrl.mockResolvedValueOnce({ type: 'image', ref: 'x' as ImageRef, url: 'https://img/x.svg' });
    expect(await port.read({ index: 0, ref: 'x' as ImageRef, name: 'x' })).toEqual({ kind: 'skip', reason: 'cutout.svg' });
    getUrl.mockResolvedValueOnce({ type: 'image', ref: 'x' as ImageRef, url: 'https://img/x.gif' });
    expect(await port.read({ index: 0, ref: 'x' as ImageRef, name: 'x' })).toEqual({ kind: 'skip', reason: 'cutout.animatedGif' });
  });

  it('uploads the cut-out with parentRef, aiDisclosure none, a base64 data URL and the input size', async () => {
    const port = createCanvaPort({ draft: draftOf(['orig']), mode: 'replace', t, isStale: () => false, isClosed: () => false, encoders: encoders(() => 100) });
    const staged = await port.stage({ index: 0, ref: 'orig' as ImageRef, name: 'Photo' }, cutoutResult(30, 20));
    expect(staged).toEqual({ ref: 'image-id-123', downscaledTo: null }); // the fake's ref (NA fake_content_client.js)
    const opts = vi.mocked(upload).mock.calls[0]![0] as any;
    expect(opts).toMatchObject({ type: 'image', mimeType: 'image/png', parentRef: 'orig', aiDisclosure: 'none', width: 30, height: 20 });
    expect(opts.url).toMatch(/^data:image\/png;base64,/);
    expect(opts.thumbnailUrl).toMatch(/^data:image\/png;base64,/);
    expect(opts.name).toContain('Photo');
  });

  it('turns a refused upload (real CanvaError) into a skip the user can act on', async () => {
    for (const code of ['quota_exceeded', 'rate_limited', 'user_offline', 'permission_denied'] as const) {
      vi.mocked(upload).mockRejectedValueOnce(new CanvaError({ code, message: 'refused' }));
      const port = createCanvaPort({ draft: draftOf(['o']), mode: 'replace', t, isStale: () => false, isClosed: () => false, encoders: encoders(() => 10) });
      expect(await port.stage({ index: 0, ref: 'o' as ImageRef, name: 'P' }, cutoutResult(2, 2))).toEqual({ kind: 'skip', reason: `cutout.${code}` });
    }
    expect(describeFailure(new CanvaError({ code: 'bad_request', message: 'x' }))).toMatchObject({ message: strings.canvaOther, values: { code: 'bad_request' } });
    expect(describeFailure(Object.assign(new Error('down'), { code: 'model_fetch_failed' })).message).toBe(strings.modelFetch);
  });

  it('replace: sets every ref and saves the draft once; add: adds each; stale: writes nothing', async () => {
    const draft = draftOf(['a', 'b']);
    const items = targetsOf(draft, (i) => `img ${i}`).map((target, i) => ({ target, staged: { ref: `new-${i}` as ImageRef, downscaledTo: null } }));
    const replace = createCanvaPort({ draft, mode: 'replace', t, isStale: () => false, isClosed: () => false });
    expect(await replace.write(items)).toEqual([]);
    expect(draft.contents.map((c) => c.ref)).toEqual(['new-0', 'new-1']);
    expect(draft.saved).toBe(1);

    const add = vi.mocked(addElementAtPoint);
    const fresh = draftOf(['a', 'b']);
    expect(await createCanvaPort({ draft: fresh, mode: 'add', t, isStale: () => false, isClosed: () => false }).write(items)).toEqual([]);
    expect(add).toHaveBeenCalledTimes(2);
    expect(add.mock.calls[0]![0]).toMatchObject({ type: 'image', ref: 'new-0' });
    expect(fresh.saved).toBe(0);

    const stale = draftOf(['a', 'b']);
    const skipped = await createCanvaPort({ draft: stale, mode: 'replace', t, isStale: () => true, isClosed: () => false }).write(items);
    expect(skipped.map((s) => s.reason)).toEqual(['cutout.stale', 'cutout.stale']);
    expect(stale.saved).toBe(0);
    expect(stale.contents.map((c) => c.ref)).toEqual(['a', 'b']);
  });

  it('a save refused by Canva (stale or deleted) skips every image with its message', async () => {
    const draft = draftOf(['a']);
    draft.save = async () => {
      throw new CanvaError({ code: 'not_found', message: 'gone' });
    };
    const items = [{ target: { index: 0, ref: 'a' as ImageRef, name: 'a' }, staged: { ref: 'n' as ImageRef, downscaledTo: null } }];
    const out = await createCanvaPort({ draft, mode: 'replace', t, isStale: () => false, isClosed: () => false }).write(items);
    expect(out).toEqual([{ name: 'a', reason: 'cutout.canvaOther{"code":"not_found"}' }]);
  });
});

describe('upload encoding and input sniffing', () => {
  const image = { width: 1000, height: 500, data: new Uint8Array(1000 * 500 * 4) };
  it('keeps a PNG that fits, falls back to real WebP, then downscales', async () => {
    const limit = 1000;
    expect((await encodeForUpload(image, encoders(() => 500), limit)).mimeType).toBe('image/png');
    const webp = await encodeForUpload(image, encoders(() => 5000, 'data:image/webp;base64,AAAA'), limit);
    expect(webp).toMatchObject({ mimeType: 'image/webp', width: 1000, height: 500, downscaled: false });
    // A browser without a WebP encoder answers PNG: not taken as WebP; the image is downscaled instead.
    const down = await encodeForUpload(image, encoders((w) => w * 2, 'data:image/png;base64,AAAA'), limit);
    expect(down.mimeType).toBe('image/png');
    expect(down.downscaled).toBe(true);
    expect(down.width).toBeLessThan(1000);
    expect(down.dataUrl.length).toBeLessThanOrEqual(limit);
    expect(down.width / down.height).toBeCloseTo(2, 1);
  });
  it('recognises formats and animated GIFs', () => {
    expect(sniffImage(PNG)).toBe('png');
    expect(sniffImage(SVG)).toBe('svg');
    expect(sniffImage(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpeg');
    expect(isAnimatedGif(GIF2)).toBe(true);
    expect(isAnimatedGif(GIF1)).toBe(false);
    expect(isAnimatedGif(PNG)).toBe(false);
  });
});
