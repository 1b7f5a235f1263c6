/**
 * A scripted stand-in for the inference frame on the UI side of the fake (Node tests of the
 * plugin's branches): answers configure, and answers remove with a synthetic matte encoded as a
 * real PNG (sharp), honouring maxOutputSide as the frame does. The real frame is tested in
 * Chromium (tests/browser/figma-e2e.test.ts).
 */
import sharp from 'sharp';
import type { FakeFigma } from './fake-figma.js';

export interface ScriptOptions {
  /** Reply to the n-th remove (0-based) with this error code instead of a result. */
  readonly failAt?: { index: number; code: string };
  /** Called before the n-th remove is answered (e.g. to delete a node mid-run). */
  readonly beforeReply?: (index: number) => void | Promise<void>;
  /** Extra raw messages to send to the plugin first (hostile input). */
  readonly hostile?: unknown[];
}

export interface ScriptLog {
  readonly requests: Array<{ method: string; payload: any }>;
}

const caps = { webgpu: false, shaderF16: false, crossOriginIsolated: false, simd: true, cacheStorage: false, indexedDb: false, secureContext: false };

export function scriptUi(fig: FakeFigma, options: ScriptOptions = {}): ScriptLog {
  const log: ScriptLog = { requests: [] };
  let removes = 0;
  const reply = (m: unknown): void => fig.ui.fromUi(m);
  fig.ui.uiSide = (raw) => {
    const m = raw as { kind: string; id: string; method: string; payload: any };
    if (m.kind !== 'request') return;
    log.requests.push({ method: m.method, payload: m.payload });
    if (m.method === 'configure') return reply({ v: 1, kind: 'result', id: m.id, result: { method: 'configure', value: { ok: true } } });
    if (m.method !== 'remove') return;
    const index = removes++;
    void (async () => {
      await options.beforeReply?.(index);
      if (options.failAt?.index === index) return reply({ v: 1, kind: 'error', id: m.id, code: options.failAt.code, message: `scripted ${options.failAt.code}` });
      reply({ v: 1, kind: 'progress', id: m.id, stage: 'inference', fraction: 1 });
      const meta = await sharp(m.payload.encoded.data).metadata();
      const w = meta.width!;
      const h = meta.height!;
      const scale = Math.min(1, (m.payload.maxOutputSide ?? Infinity) / Math.max(w, h));
      const ow = Math.max(1, Math.round(w * scale));
      const oh = Math.max(1, Math.round(h * scale));
      // A disc matte (smaller after a refine, as if strokes removed some): opaque in the middle.
      const rgba = Buffer.alloc(ow * oh * 4, 255);
      for (let y = 0; y < oh; y++) for (let x = 0; x < ow; x++) rgba[(y * ow + x) * 4 + 3] = Math.hypot(x - ow / 2, y - oh / 2) < Math.min(ow, oh) / (m.payload.interactive ? 4 : 3) ? 255 : 0;
      const png = new Uint8Array(await sharp(rgba, { raw: { width: ow, height: oh, channels: 4 } }).png().toBuffer());
      const hintsPng = m.payload.interactive ? new Uint8Array(await sharp({ create: { width: w, height: h, channels: 3, background: { r: 255, g: 255, b: 255 } } }).png().toBuffer()) : undefined;
      reply({
        v: 1,
        kind: 'result',
        id: m.id,
        result: {
          method: 'remove',
          value: { matte: { width: w, height: h, data: new Uint8Array(w * h) }, png: { data: png, width: ow, height: oh }, ...(hintsPng ? { hintsPng } : {}), output: m.payload.output, backend: 'wasm', model: 'scripted', timings: { preprocess: 0, inference: 0, refine: 0, compose: 0 } },
        },
      });
    })();
  };
  const waitShown = setInterval(() => {
    if (!fig.uiShown) return;
    clearInterval(waitShown);
    for (const h of options.hostile ?? []) reply(h);
    reply({ v: 1, kind: 'ready', capabilities: caps });
  }, 1);
  void fig.whenClosed().then(() => clearInterval(waitShown));
  return log;
}
