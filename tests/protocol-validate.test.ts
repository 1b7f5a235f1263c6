/** The protocol validators: every message kind accepted when valid, each bad field rejected with a reason. */
import { describe, expect, it } from 'vitest';
import { parseFrameMessage, parseHostMessage, type HostMessage } from '@cutout/protocol';

const image = (w: number, h: number) => ({ width: w, height: h, data: new Uint8Array(w * h * 4) });
const gray = (w: number, h: number) => ({ width: w, height: h, data: new Uint8Array(w * h) });
const req = (method: string, payload?: any, extra: Record<string, unknown> = {}) => ({ v: 1, kind: 'request', id: 'a1', method, payload, ...extra });

function ok(value: unknown): HostMessage {
  const r = parseHostMessage(value);
  if (!r.ok) throw new Error(r.reason);
  return r.message;
}
function reason(value: unknown): string {
  const r = parseHostMessage(value);
  if (r.ok) throw new Error('accepted an invalid message');
  return r.reason;
}

describe('host messages', () => {
  it('accepts every valid request and cancel, returning fresh objects without extra keys', () => {
    expect(ok(req('hello'))).toEqual({ v: 1, kind: 'request', id: 'a1', method: 'hello' });
    expect(ok(req('preload'))).toEqual({ v: 1, kind: 'request', id: 'a1', method: 'preload' });
    expect(ok({ v: 1, kind: 'cancel', id: 'a1', junk: 1 })).toEqual({ v: 1, kind: 'cancel', id: 'a1' });
    const cfg = ok(req('configure', { modelBaseUrl: 'https://models.example.com/cutout/', backend: 'auto', theme: 'figma', host: 'figma', model: 'isnet-fp32-web', inputSize: 256, evil: 1 }));
    expect(cfg).toEqual(req('configure', { modelBaseUrl: 'https://models.example.com/cutout/', backend: 'auto', theme: 'figma', host: 'figma', model: 'isnet-fp32-web', inputSize: 256 }));
    const input = req('remove', { image: image(3, 2), hints: gray(3, 2), edge: { feather: 1.5, shift: -2, smooth: 0, hard: true }, output: 'cutout', interactive: true, label: 'Rect 1' }, { extra: true });
    const msg = ok(input);
    expect(msg).not.toBe(input);
    expect(Object.keys(msg)).toEqual(['v', 'kind', 'id', 'method', 'payload']);
    expect(msg.kind === 'request' && msg.method === 'remove' && msg.payload.image!.data).toBe(input.payload.image.data);
  });

  it('rejects bad fields with a reason', () => {
    expect(reason(null)).toMatch(/object/);
    expect(reason([])).toMatch(/object/);
    expect(reason({ ...req('hello'), v: 2 })).toMatch(/version/);
    expect(reason({ ...req('hello'), id: '' })).toMatch(/id/);
    expect(reason({ ...req('hello'), id: 'x'.repeat(129) })).toMatch(/id/);
    expect(reason(req('explode'))).toMatch(/method/);
    expect(reason(req('remove', { image: image(0, 0) }))).toMatch(/empty/);
    expect(reason(req('remove', { image: { width: 2, height: 2, data: new Uint8Array(15) } }))).toMatch(/15 bytes/);
    expect(reason(req('remove', { image: { width: 1.5, height: 2, data: new Uint8Array(12) } }))).toMatch(/integers/);
    expect(reason(req('remove', { image: { width: 20000, height: 2, data: new Uint8Array(4) } }))).toMatch(/limit/);
    expect(reason(req('remove', { image: { width: 2, height: 2, data: [0, 0, 0, 0] } }))).toMatch(/Uint8Array/);
    expect(reason(req('remove', { image: image(4, 3), hints: gray(3, 4) }))).toMatch(/3×4.*4×3/);
    expect(reason(req('remove', { image: image(2, 2), edge: { feather: -1 } }))).toMatch(/feather/);
    expect(reason(req('remove', { image: image(2, 2), edge: { shift: Number.NaN } }))).toMatch(/shift/);
    expect(reason(req('remove', { image: image(2, 2), edge: { smooth: Infinity } }))).toMatch(/smooth/);
    expect(reason(req('remove', { image: image(2, 2), output: 'png' }))).toMatch(/output/);
    expect(reason(req('remove', { image: image(2, 2), interactive: 'yes' }))).toMatch(/interactive/);
    expect(reason(req('configure', { modelBaseUrl: 'javascript:alert(1)' }))).toMatch(/http/);
    expect(reason(req('configure', { modelBaseUrl: '/relative' }))).toMatch(/absolute/);
    expect(reason(req('configure', { backend: 'webgl' }))).toMatch(/backend/);
    expect(reason(req('configure', { inputSize: 100 }))).toMatch(/64/);
    expect(reason(req('configure', { model: '../../etc/passwd' }))).toMatch(/model/);
  });

  it('treats throwing getters and proxies as invalid, never throwing itself', () => {
    const getter = Object.defineProperty({ v: 1, kind: 'request', method: 'hello' }, 'id', { get() { throw new Error('boom'); }, enumerable: true });
    expect(parseHostMessage(getter).ok).toBe(false);
    const proxy = new Proxy({}, { get() { throw new Error('trap'); }, has() { throw new Error('trap'); }, getOwnPropertyDescriptor() { throw new Error('trap'); } });
    expect(parseHostMessage(proxy).ok).toBe(false);
  });

  it('does not read inherited properties', () => {
    const inherited = Object.create({ v: 1, kind: 'request', id: 'p', method: 'hello' });
    expect(parseHostMessage(inherited).ok).toBe(false);
  });
});

describe('frame messages', () => {
  const caps = { webgpu: false, shaderF16: false, crossOriginIsolated: false, simd: true, cacheStorage: false, indexedDb: false, secureContext: false };
  it('accepts ready, progress, result and error', () => {
    expect(parseFrameMessage({ v: 1, kind: 'ready', capabilities: caps }).ok).toBe(true);
    expect(parseFrameMessage({ v: 1, kind: 'progress', id: 'a', stage: 'download', fraction: 0.5, loadedBytes: 5, totalBytes: 10 }).ok).toBe(true);
    const remove = { method: 'remove', value: { matte: gray(2, 2), cutout: image(2, 2), output: 'cutout', backend: 'wasm', model: 'isnet-fp32-web', timings: { preprocess: 1, inference: 2, refine: 3, compose: 4 } } };
    expect(parseFrameMessage({ v: 1, kind: 'result', id: 'a', result: remove }).ok).toBe(true);
    expect(parseFrameMessage({ v: 1, kind: 'error', id: 'a', code: 'model_integrity', message: 'bad' }).ok).toBe(true);
  });
  it('rejects out-of-range progress, unknown codes and mismatched result sizes', () => {
    expect(parseFrameMessage({ v: 1, kind: 'progress', id: 'a', stage: 'download', fraction: 1.5 }).ok).toBe(false);
    expect(parseFrameMessage({ v: 1, kind: 'progress', id: 'a', stage: 'teleport', fraction: 0 }).ok).toBe(false);
    expect(parseFrameMessage({ v: 1, kind: 'error', id: 'a', code: 'EACCES', message: 'x' }).ok).toBe(false);
    const bad = { method: 'remove', value: { matte: gray(2, 2), cutout: image(3, 2), output: 'cutout', backend: 'wasm', model: 'm', timings: { preprocess: 0, inference: 0, refine: 0, compose: 0 } } };
    expect(parseFrameMessage({ v: 1, kind: 'result', id: 'a', result: bad }).ok).toBe(false);
  });
});
