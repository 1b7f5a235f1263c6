// Which layers the Photoshop panel works on, and its modal scope (history committed on return,
// rolled back on exception, the modal-collision and Esc messages), on plain objects: no Photoshop here.
import { describe, expect, it } from 'vitest';
import { collectTargets, documentProblem } from '../photoshop-uxp/src/targets.js';
import { inModal, writeInModal } from '../photoshop-uxp/src/modal.js';
import { isPluginError } from '../photoshop-uxp/src/errors.js';
import type { Ps, PsDocument, PsLayer } from '../photoshop-uxp/src/ps-api.js';

let nextId = 1;
function layer(over: Partial<PsLayer> & { kind?: string } = {}): PsLayer {
  return { id: nextId++, name: `L${nextId}`, kind: 'pixel', isBackgroundLayer: false, allLocked: false, pixelsLocked: false, visible: true, parent: null, boundsNoEffects: { left: 0, top: 0, right: 10, bottom: 10 }, ...over } as PsLayer;
}
function doc(active: PsLayer[], over: Record<string, unknown> = {}): PsDocument {
  return { id: 7, title: 'a.psd', width: 100, height: 80, mode: 'RGBColorMode', bitsPerChannel: 'bitDepth8', activeLayers: active, layers: active, artboards: [], ...over } as unknown as PsDocument;
}

describe('targets', () => {
  it('refuses no document, Indexed, Bitmap, 32-bit and oversized documents', () => {
    expect(collectTargets(null, 'mask').problem).toMatch(/Open a document/);
    expect(documentProblem(doc([], { mode: 'indexedColorMode' }))).toMatch(/Indexed/);
    expect(documentProblem(doc([], { mode: 'bitmapMode' }))).toMatch(/Bitmap/);
    expect(documentProblem(doc([], { bitsPerChannel: 'bitDepth32' }))).toMatch(/32-bit/);
    expect(documentProblem(doc([], { width: 30000, height: 20000 }))).toMatch(/30000×20000/);
    expect(documentProblem(doc([], { mode: 'CMYKColorMode', bitsPerChannel: 'bitDepth16' }))).toBeNull();
  });

  it('keeps pixel layers and gives every other kind a reason', () => {
    const good = layer({ name: 'photo' });
    const bg = layer({ name: 'Background', isBackgroundLayer: true, allLocked: true });
    const bad = [
      layer({ name: 'g', kind: 'group' } as never),
      layer({ name: 't', kind: 'text' } as never),
      layer({ name: 'so', kind: 'smartObject' } as never),
      layer({ name: 'fill', kind: 'solidColor' } as never),
      layer({ name: 'curves', kind: 'curves' } as never),
      layer({ name: 'locked', allLocked: true }),
      layer({ name: 'empty', boundsNoEffects: { left: 0, top: 0, right: 0, bottom: 0 } }),
    ];
    const c = collectTargets(doc([good, bg, ...bad]), 'mask');
    expect(c.targets.map((t) => t.name)).toEqual(['photo', 'Background']);
    expect(c.targets[1]?.isBackground).toBe(true);
    expect(c.skipped.map((s) => s.reason)).toEqual([
      expect.stringMatching(/group/),
      expect.stringMatching(/text layer/),
      expect.stringMatching(/smart object/),
      expect.stringMatching(/fill layer/),
      expect.stringMatching(/adjustment/),
      expect.stringMatching(/locked/),
      'is empty',
    ]);
  });

  it('names an artboard, and keeps one layer for a selection', () => {
    const board = layer({ name: 'board', kind: 'group' } as never);
    expect(collectTargets(doc([board], { artboards: [board] }), 'mask').skipped[0]?.reason).toMatch(/artboard/);
    const c = collectTargets(doc([layer({ name: 'a' }), layer({ name: 'b' })]), 'selection');
    expect(c.targets.map((t) => t.name)).toEqual(['a']);
    expect(c.skipped[0]?.reason).toMatch(/one layer at a time/);
  });

  it('refuses a masked layer in CMYK but not a layer mask', () => {
    const d = doc([layer({ name: 'p' })], { mode: 'CMYKColorMode' });
    expect(collectTargets(d, 'layer').targets).toHaveLength(0);
    expect(collectTargets(d, 'mask').targets).toHaveLength(1);
  });
});

/** executeAsModal as EAM describes it: suspended history committed on return, rolled back on exception. */
function modalStub(options: { busy?: boolean; cancel?: boolean } = {}) {
  const log: string[] = [];
  const ps = {
    core: {
      executeAsModal: async (fn: (ctx: any) => Promise<unknown>, o: { commandName: string }) => {
        if (options.busy) throw Object.assign(new Error('Plugin X is in a modal state'), { number: 9 });
        log.push(`modal ${o.commandName}`);
        let open: number | null = null;
        const ctx = {
          isCancelled: false,
          onCancel: undefined as undefined | (() => void),
          reportProgress: (p: { value: number }) => log.push(`progress ${p.value}`),
          hostControl: {
            suspendHistory: async (p: { name: string }) => (log.push(`suspend ${p.name}`), (open = 1), { historySuspensionID: 1 }),
            resumeHistory: async (_s: unknown, commit: boolean) => (log.push(`resume ${commit}`), (open = null)),
          },
        };
        try {
          if (options.cancel) {
            ctx.isCancelled = true;
            ctx.onCancel?.();
          }
          return await fn(ctx);
        } finally {
          if (open !== null) log.push('rolled back');
        }
      },
    },
  } as unknown as Ps;
  return { ps, log };
}

describe('modal scope', () => {
  it('commits one history state on return', async () => {
    const { ps, log } = modalStub();
    expect(await writeInModal(ps, 7, 'Remove Background', async (s) => (s.progress(0.5), 42))).toBe(42);
    expect(log).toEqual(['modal Remove Background', 'suspend Remove Background', 'progress 0.5', 'resume true']);
  });

  it('lets an exception through unresumed, so Photoshop rolls it back', async () => {
    const { ps, log } = modalStub();
    await expect(writeInModal(ps, 7, 'Remove Background', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(log).toContain('rolled back');
    expect(log).not.toContain('resume true');
  });

  it('names a modal collision and a cancel', async () => {
    await expect(inModal(modalStub({ busy: true }).ps, 'Read', async () => 1)).rejects.toThrow(/Another plugin is busy \(Plugin X is in a modal state\); try again when it finishes/);
    const e = await writeInModal(modalStub({ cancel: true }).ps, 7, 'Remove Background', async (s) => s.checkCancelled()).catch((x: unknown) => x);
    expect(isPluginError(e, 'cancelled')).toBe(true);
  });
});
