/**
 * The protocol validators: every message kind accepted when valid, each bad field rejected with a
 * reason, results are fresh objects without extra keys, and fake byte buffers never pass.
 */
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { REMOVE_QUALITIES } from '@cutout/core';
import { LIMITS, QUALITIES, WIRE_ERROR_CODES, isWireErrorCode, parseFrameMessage, parseHostMessage, type FrameMessage, type HostMessage } from '@cutout/protocol';

const image = (w: number, h: number) => ({ width: w, height: h, data: new Uint8Array(w * h * 4) });
const gray = (w: number, h: number) => ({ width: w, height: h, data: new Uint8Array(w * h) });
const png = (n = 16) => new Uint8Array(n).fill(137);
const req = (method: string, payload?: unknown, extra: Record<string, unknown> = {}) => ({ v: 1, kind: 'request', id: 'a1', method, payload, ...extra });
const remove = (payload: Record<string, unknown>) => req('remove', { image: image(2, 2), ...payload });
const caps = { webgpu: false, shaderF16: false, crossOriginIsolated: false, simd: true, cacheStorage: true, indexedDb: true, secureContext: true };
const timings = { preprocess: 1, inference: 2.5, refine: 3, compose: 0 };
const removeValue = (extra: Record<string, unknown> = {}) => ({ matte: gray(2, 2), output: 'mask', backend: 'wasm', model: 'isnet-fp32-web', timings, ...extra });
const result = (method: string, value: unknown) => ({ v: 1, kind: 'result', id: 'r', result: { method, value } });

function host(value: unknown): HostMessage {
  const r = parseHostMessage(value);
  if (!r.ok) throw new Error(`rejected: ${r.reason}`);
  return r.message;
}
function hostReason(value: unknown): string {
  const r = parseHostMessage(value);
  if (r.ok) throw new Error(`accepted an invalid message: ${JSON.stringify(value)}`);
  return r.reason;
}
function frame(value: unknown): FrameMessage {
  const r = parseFrameMessage(value);
  if (!r.ok) throw new Error(`rejected: ${r.reason}`);
  return r.message;
}
function frameReason(value: unknown): string {
  const r = parseFrameMessage(value);
  if (r.ok) throw new Error(`accepted an invalid message: ${JSON.stringify(value)}`);
  return r.reason;
}

/** Every object in the tree is a plain object (or a plain Uint8Array), none of them from `input`. */
function expectFresh(output: unknown, input: unknown): void {
  const inputs = new Set<unknown>();
  const collect = (v: unknown): void => {
    if (typeof v !== 'object' || v === null || inputs.has(v)) return;
    inputs.add(v);
    if (!(v instanceof Uint8Array)) Object.values(v).forEach(collect);
  };
  collect(input);
  const walk = (v: unknown): void => {
    if (typeof v !== 'object' || v === null) return;
    expect(inputs.has(v)).toBe(false);
    if (v instanceof Uint8Array) return void expect(Object.getPrototypeOf(v)).toBe(Uint8Array.prototype);
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    Object.values(v).forEach(walk);
  };
  walk(output);
}

describe('host messages: accepted', () => {
  it('hello, preload and cancel, dropping extra keys and payloads', () => {
    expect(host(req('hello'))).toEqual({ v: 1, kind: 'request', id: 'a1', method: 'hello' });
    expect(host(req('preload', { junk: 1 }))).toEqual({ v: 1, kind: 'request', id: 'a1', method: 'preload' });
    expect(host({ v: 1, kind: 'cancel', id: 'a1', junk: 1 })).toEqual({ v: 1, kind: 'cancel', id: 'a1' });
    expect(host({ v: 1, kind: 'cancel', id: 'x'.repeat(LIMITS.maxIdLength) }).id).toHaveLength(LIMITS.maxIdLength);
  });

  it('configure with every field, and with none', () => {
    const payload = { modelBaseUrl: 'https://models.example.com/cutout/', backend: 'webgpu', theme: 'dark', host: 'photoshop', model: 'isnet-fp32-web', inputSize: 256 };
    const input = req('configure', { ...payload, evil: 1 });
    const out = host(input);
    expect(out).toEqual(req('configure', payload));
    expectFresh(out, input);
    expect(host(req('configure', {}))).toEqual(req('configure', {}));
    expect(host(req('configure', { modelBaseUrl: 'http://localhost:8080/m/' })).kind).toBe('request');
  });

  it('remove with raw pixels and every option; fresh objects, same bytes, no extra keys', () => {
    const pixels = { ...image(3, 2), extra: 'x' };
    const input = req('remove', {
      image: pixels,
      hints: gray(3, 2),
      edge: { feather: 1.5, shift: -2, smooth: 0, hard: true, glow: 3 },
      output: 'cutout',
      interactive: true,
      label: 'Rect 1',
      png: true,
      maxOutputSide: 512,
      unknown: { deep: true },
    }, { extra: true });
    const msg = host(input);
    expect(msg).toEqual(req('remove', {
      image: image(3, 2), hints: gray(3, 2), edge: { feather: 1.5, shift: -2, smooth: 0, hard: true }, output: 'cutout', interactive: true, label: 'Rect 1', png: true, maxOutputSide: 512,
    }));
    expect(Object.keys(msg)).toEqual(['v', 'kind', 'id', 'method', 'payload']);
    expectFresh(msg, input);
    if (msg.kind !== 'request' || msg.method !== 'remove') throw new Error('wrong kind');
    // A fresh view over the same memory: no copy of the pixels.
    expect(msg.payload.image!.data.buffer).toBe(pixels.data.buffer);
  });

  it('remove with an encoded image and encoded hints; an empty label; -0 edge values become 0', () => {
    const msg = host(req('remove', { encoded: { data: png() }, hintsEncoded: { data: png(9) }, label: '', edge: { shift: -0 } }));
    if (msg.kind !== 'request' || msg.method !== 'remove') throw new Error('wrong kind');
    expect(msg.payload.encoded!.data).toHaveLength(16);
    expect(msg.payload.hintsEncoded!.data).toHaveLength(9);
    expect(msg.payload.label).toBe('');
    expect(Object.is(msg.payload.edge!.shift, 0)).toBe(true);
  });

  it('Uint8Arrays from another realm, at an offset into a larger buffer, as plain local views', () => {
    const foreign = runInNewContext('new Uint8Array(16)') as Uint8Array;
    expect(foreign instanceof Uint8Array).toBe(false);
    const msg = host(remove({ image: { width: 2, height: 2, data: foreign } }));
    if (msg.kind !== 'request' || msg.method !== 'remove') throw new Error('wrong kind');
    expect(msg.payload.image!.data).toBeInstanceOf(Uint8Array);
    const big = new Uint8Array(100);
    const sub = host(remove({ image: { width: 2, height: 2, data: big.subarray(10, 26) } }));
    if (sub.kind !== 'request' || sub.method !== 'remove') throw new Error('wrong kind');
    expect(sub.payload.image!.data.byteOffset).toBe(10);
  });
});

describe('host messages: rejected with a reason', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['null', null, /object/],
    ['an array', [], /object/],
    ['a string', 'hello', /object/],
    ['a Uint8Array', new Uint8Array(4), /object/],
    ['v 2', { ...req('hello'), v: 2 }, /version/],
    ['v "1"', { ...req('hello'), v: '1' }, /version/],
    ['unknown kind', { ...req('hello'), kind: 'reply' }, /kind/],
    ['empty id', { ...req('hello'), id: '' }, /id/],
    ['long id', { ...req('hello'), id: 'x'.repeat(LIMITS.maxIdLength + 1) }, /id/],
    ['numeric id', { ...req('hello'), id: 7 }, /id/],
    ['unknown method', req('explode'), /method/],
    ['inherited method', { ...req('hello'), method: 'toString' }, /method/],
    ['no payload', req('remove'), /payload/],
    ['payload array', req('remove', [image(1, 1)]), /payload/],
    ['neither image nor encoded', req('remove', {}), /exactly one/],
    ['both image and encoded', remove({ encoded: { data: png() } }), /exactly one/],
    ['empty image', remove({ image: image(0, 0) }), /empty/],
    ['negative width', remove({ image: { width: -2, height: 2, data: new Uint8Array(0) } }), /empty/],
    ['short data', remove({ image: { width: 2, height: 2, data: new Uint8Array(15) } }), /15 bytes; 16 expected/],
    ['long data', remove({ image: { width: 2, height: 2, data: new Uint8Array(17) } }), /17 bytes/],
    ['fractional width', remove({ image: { width: 1.5, height: 2, data: new Uint8Array(12) } }), /integers/],
    ['NaN height', remove({ image: { width: 1, height: NaN, data: new Uint8Array(4) } }), /integers/],
    ['string width', remove({ image: { width: '2', height: 2, data: new Uint8Array(16) } }), /integers/],
    ['side over the limit', remove({ image: { width: LIMITS.maxSide + 1, height: 1, data: new Uint8Array(4) } }), /limit/],
    ['pixels over the limit', remove({ image: { width: LIMITS.maxSide, height: LIMITS.maxSide, data: new Uint8Array(4) } }), /limit/],
    ['1e308 width', remove({ image: { width: 1e308, height: 1, data: new Uint8Array(4) } }), /limit/],
    ['data as an array', remove({ image: { width: 1, height: 1, data: [0, 0, 0, 0] } }), /Uint8Array/],
    ['data as Uint8ClampedArray', remove({ image: { width: 1, height: 1, data: new Uint8ClampedArray(4) } }), /Uint8Array/],
    ['data as Float32Array', remove({ image: { width: 1, height: 1, data: new Float32Array(1) } }), /Uint8Array/],
    ['image as an array', remove({ image: [1, 1, new Uint8Array(4)] }), /image must be an object/],
    ['hints of another size', remove({ image: image(4, 3), hints: gray(3, 4) }), /hints are 3×4 but the image is 4×3/],
    ['hints with RGBA bytes', remove({ hints: image(2, 2) }), /hints data has 16 bytes; 4 expected/],
    ['hints and hintsEncoded', remove({ hints: gray(2, 2), hintsEncoded: { data: png() } }), /not both/],
    ['tiny encoded file', req('remove', { encoded: { data: new Uint8Array(3) } }), /encoded data has 3 bytes/],
    ['negative feather', remove({ edge: { feather: -1 } }), /feather/],
    ['NaN shift', remove({ edge: { shift: Number.NaN } }), /shift/],
    ['shift over the limit', remove({ edge: { shift: -(LIMITS.maxEdgePx + 1) } }), /shift/],
    ['infinite smooth', remove({ edge: { smooth: Infinity } }), /smooth/],
    ['string hard', remove({ edge: { hard: 'yes' } }), /hard/],
    ['edge as an array', remove({ edge: [1] }), /edge/],
    ['unknown output', remove({ output: 'png' }), /output/],
    ['unknown quality', remove({ quality: 'ultra' }), /quality must be one of standard, high/],
    ['boolean quality', remove({ quality: true }), /quality/],
    ['string interactive', remove({ interactive: 'yes' }), /interactive/],
    ['long label', remove({ label: 'x'.repeat(LIMITS.maxLabelLength + 1) }), /label/],
    ['numeric png', remove({ png: 1 }), /png/],
    ['string refine', remove({ refine: 'no' }), /refine/],
    ['refine: false with png', remove({ refine: false, png: true }), /network alpha only/],
    ['refine: false with a cut-out', remove({ refine: false, output: 'cutout' }), /network alpha only/],
    ['refine: false with hints', remove({ refine: false, hints: gray(2, 2) }), /network alpha only/],
    ['refine: false, interactive', remove({ refine: false, interactive: true }), /network alpha only/],
    ['fractional maxOutputSide', remove({ maxOutputSide: 10.5 }), /maxOutputSide/],
    ['javascript: URL', req('configure', { modelBaseUrl: 'javascript:alert(1)' }), /http/],
    ['file: URL', req('configure', { modelBaseUrl: 'file:///etc/' }), /http/],
    ['relative URL', req('configure', { modelBaseUrl: '/relative' }), /absolute/],
    ['long URL', req('configure', { modelBaseUrl: `https://x.example/${'a'.repeat(LIMITS.maxUrlLength)}` }), /modelBaseUrl/],
    ['unknown backend', req('configure', { backend: 'webgl' }), /backend/],
    ['unknown theme', req('configure', { theme: 'neon' }), /theme/],
    ['unknown host', req('configure', { host: 'gimp' }), /host/],
    ['inputSize not a multiple of 64', req('configure', { inputSize: 100 }), /64/],
    ['inputSize too large', req('configure', { inputSize: 2048 }), /inputSize/],
    ['path in a model id', req('configure', { model: '../../etc/passwd' }), /model/],
  ];
  it.each(cases)('%s', (_name, value, pattern) => {
    expect(hostReason(value)).toMatch(pattern);
  });
});

describe('host messages: hostile shapes', () => {
  it('treats throwing getters and proxies as invalid, never throwing itself', () => {
    const getter = Object.defineProperty({ v: 1, kind: 'request', method: 'hello' }, 'id', { get() { throw new Error('boom'); }, enumerable: true });
    expect(hostReason(getter)).toMatch(/unreadable/);
    const trap = () => { throw new Error('trap'); };
    const proxy = new Proxy({}, { get: trap, has: trap, getOwnPropertyDescriptor: trap, ownKeys: trap, getPrototypeOf: trap });
    expect(parseHostMessage(proxy).ok).toBe(false);
    // A thrown value that is itself hostile: `instanceof` on it would throw again.
    const evilError = new Proxy({}, { getPrototypeOf: trap, get: trap });
    const throwsEvil = Object.defineProperty({ v: 1 }, 'kind', { get() { throw evilError; }, enumerable: true });
    expect(parseHostMessage(throwsEvil).ok).toBe(false);
    const revocable = Proxy.revocable({}, {});
    revocable.revoke();
    expect(parseHostMessage(revocable.proxy).ok).toBe(false);
  });

  it('does not read inherited properties or __proto__ keys', () => {
    expect(parseHostMessage(Object.create({ v: 1, kind: 'request', id: 'p', method: 'hello' })).ok).toBe(false);
    const viaJson = JSON.parse('{"v":1,"kind":"request","id":"j","method":"remove","payload":{"__proto__":{"image":{"width":1,"height":1,"data":null}}}}');
    expect(hostReason(viaJson)).toMatch(/exactly one/);
    const protoOnly = JSON.parse('{"__proto__":{"v":1,"kind":"cancel","id":"x"}}');
    expect(parseHostMessage(protoOnly).ok).toBe(false);
    expect(({} as Record<string, unknown>)['image']).toBeUndefined();
  });

  it('accepts a null-prototype object and a transparent Proxy, returning plain objects', () => {
    const bare = Object.assign(Object.create(null), { v: 1, kind: 'cancel', id: 'n' });
    expect(Object.getPrototypeOf(host(bare))).toBe(Object.prototype);
    expect(host(new Proxy(req('hello'), {}))).toEqual({ v: 1, kind: 'request', id: 'a1', method: 'hello' });
  });

  it('is not fooled by fake byte buffers', () => {
    const data = (d: unknown) => remove({ image: { width: 2, height: 2, data: d } });
    const lyingProxy = new Proxy(new Uint8Array(4), { get: (t, k) => (k === 'length' ? 16 : Reflect.get(t, k)) });
    expect(hostReason(data(lyingProxy))).toMatch(/Uint8Array/);
    expect(hostReason(data(Object.create(Uint8Array.prototype, { length: { value: 16 } })))).toMatch(/Uint8Array/);
    class Lying extends Uint8Array {
      override get length(): number {
        return 16;
      }
    }
    expect(hostReason(data(new Lying(4)))).toMatch(/4 bytes; 16 expected/);
    expect(hostReason(data(Object.defineProperty(new Uint8Array(4), 'length', { value: 16 })))).toMatch(/4 bytes; 16 expected/);
    expect(hostReason(data({ length: 16, byteLength: 16, buffer: new ArrayBuffer(16) }))).toMatch(/Uint8Array/);
    // A length-tracking view over a resizable buffer could shrink after validation.
    const Resizable = ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => ArrayBuffer;
    const resizable = new Resizable(16, { maxByteLength: 64 });
    if ((resizable as { resizable?: boolean }).resizable === true) expect(hostReason(data(new Uint8Array(resizable)))).toMatch(/resizable/);
    // A detached buffer has no bytes left.
    const detached = new Uint8Array(16);
    structuredClone(detached.buffer, { transfer: [detached.buffer] });
    expect(hostReason(data(detached))).toMatch(/0 bytes/);
    // A subclass instance passes as its bytes, returned as a plain Uint8Array.
    class Tagged extends Uint8Array {}
    const ok = host(data(new Tagged(16)));
    if (ok.kind !== 'request' || ok.method !== 'remove') throw new Error('wrong kind');
    expect(Object.getPrototypeOf(ok.payload.image!.data)).toBe(Uint8Array.prototype);
  });
});

describe('frame messages', () => {
  it('accepts ready, progress, every result and error; fresh objects without extra keys', () => {
    const ready = { v: 1, kind: 'ready', capabilities: { ...caps, extra: true } };
    expect(frame(ready)).toEqual({ v: 1, kind: 'ready', capabilities: caps });
    expectFresh(frame(ready), ready);
    expect(frame({ v: 1, kind: 'progress', id: 'a', stage: 'download', fraction: 0.5, loadedBytes: 5, totalBytes: 10, eta: 3 }))
      .toEqual({ v: 1, kind: 'progress', id: 'a', stage: 'download', fraction: 0.5, loadedBytes: 5, totalBytes: 10 });
    expect(frame({ v: 1, kind: 'progress', id: 'a', stage: 'review', fraction: 1 })).toEqual({ v: 1, kind: 'progress', id: 'a', stage: 'review', fraction: 1 });
    expect(frame(result('hello', { protocol: 1, capabilities: caps }))).toEqual(result('hello', { protocol: 1, capabilities: caps }));
    expect(frame(result('configure', { ok: true, extra: 1 }))).toEqual(result('configure', { ok: true }));
    expect(frame(result('preload', { backend: 'webgpu', model: 'isnet-fp16', source: 'cache-storage', bytes: 88_000_000 }))).toEqual(result('preload', { backend: 'webgpu', model: 'isnet-fp16', source: 'cache-storage', bytes: 88_000_000 }));
    const expected = removeValue({ cutout: image(2, 2), output: 'cutout', png: { width: 2, height: 2, data: png() }, hintsPng: png(), fallbackReason: 'WebGPU failed' });
    const input = result('remove', { ...expected, junk: 1 });
    const out = frame(input);
    expect(out).toEqual(result('remove', expected));
    expectFresh(out, input);
    expect(frame(result('remove', removeValue()))).toEqual(result('remove', removeValue()));
    for (const code of WIRE_ERROR_CODES) expect(frame({ v: 1, kind: 'error', id: 'a', code, message: '' }).kind).toBe('error');
    expect(frame({ v: 1, kind: 'error', id: 'a', code: 'busy', message: 'x'.repeat(2000) }).kind).toBe('error');
  });

  const cases: Array<[string, unknown, RegExp]> = [
    ['v 0', { v: 0, kind: 'ready', capabilities: caps }, /version/],
    ['a host kind', { v: 1, kind: 'cancel', id: 'a' }, /kind/],
    ['a missing capability', { v: 1, kind: 'ready', capabilities: { ...caps, simd: undefined } }, /capabilities.simd/],
    ['a string capability', { v: 1, kind: 'ready', capabilities: { ...caps, webgpu: 'true' } }, /capabilities.webgpu/],
    ['progress without id', { v: 1, kind: 'progress', stage: 'download', fraction: 0 }, /id/],
    ['fraction above 1', { v: 1, kind: 'progress', id: 'a', stage: 'download', fraction: 1.5 }, /fraction/],
    ['negative fraction', { v: 1, kind: 'progress', id: 'a', stage: 'download', fraction: -0.1 }, /fraction/],
    ['NaN fraction', { v: 1, kind: 'progress', id: 'a', stage: 'download', fraction: NaN }, /fraction/],
    ['unknown stage', { v: 1, kind: 'progress', id: 'a', stage: 'teleport', fraction: 0 }, /stage/],
    ['negative loadedBytes', { v: 1, kind: 'progress', id: 'a', stage: 'download', fraction: 0, loadedBytes: -1 }, /loadedBytes/],
    ['infinite totalBytes', { v: 1, kind: 'progress', id: 'a', stage: 'download', fraction: 0, totalBytes: Infinity }, /totalBytes/],
    ['unknown error code', { v: 1, kind: 'error', id: 'a', code: 'EACCES', message: 'x' }, /error code/],
    ['inherited error code', { v: 1, kind: 'error', id: 'a', code: 'constructor', message: 'x' }, /error code/],
    ['long error message', { v: 1, kind: 'error', id: 'a', code: 'busy', message: 'x'.repeat(2001) }, /message/],
    ['non-string error message', { v: 1, kind: 'error', id: 'a', code: 'busy', message: { text: 'x' } }, /message/],
    ['unknown result method', result('explode', {}), /result.method/],
    ['result value missing', { v: 1, kind: 'result', id: 'r', result: { method: 'configure' } }, /result.value/],
    ['configure result not ok', result('configure', { ok: false }), /ok: true/],
    ['hello result of protocol 2', result('hello', { protocol: 2, capabilities: caps }), /protocol/],
    ['preload result with backend auto', result('preload', { backend: 'auto', model: 'm', source: 'network', bytes: 1 }), /backend/],
    ['preload result of unknown source', result('preload', { backend: 'wasm', model: 'm', source: 'ftp', bytes: 1 }), /source/],
    ['remove result with short matte', result('remove', removeValue({ matte: { width: 2, height: 2, data: new Uint8Array(3) } })), /matte data has 3 bytes/],
    ['remove result with RGBA matte', result('remove', removeValue({ matte: image(2, 2) })), /matte data has 16 bytes; 4 expected/],
    ['remove result with a cutout of another size', result('remove', removeValue({ cutout: image(3, 2) })), /cutout is 3×2 but the matte is 2×2/],
    ['remove result with backend auto', result('remove', removeValue({ backend: 'auto' })), /backend/],
    ['remove result with an empty model', result('remove', removeValue({ model: '' })), /model/],
    ['remove result with a NaN timing', result('remove', removeValue({ timings: { ...timings, refine: NaN } })), /timings.refine/],
    ['remove result without timings', result('remove', removeValue({ timings: undefined })), /timings/],
    ['remove result with a png of no size', result('remove', removeValue({ png: { data: png() } })), /png/],
    ['remove result with hintsPng as an array', result('remove', removeValue({ hintsPng: [1, 2, 3] })), /hintsPng/],
  ];
  it.each(cases)('rejects %s', (_name, value, pattern) => {
    expect(frameReason(value)).toMatch(pattern);
  });
});

describe('error codes', () => {
  it('lists every wire error code once and guards them', () => {
    expect(new Set(WIRE_ERROR_CODES).size).toBe(WIRE_ERROR_CODES.length);
    for (const code of WIRE_ERROR_CODES) expect(isWireErrorCode(code)).toBe(true);
    for (const bad of ['', 'BUSY', 'toString', '__proto__', 1, null, undefined, {}]) expect(isWireErrorCode(bad)).toBe(false);
  });
});

describe('panel, diagnostics, commands and png-only replies', () => {
  const diagnostics = {
    origin: 'null', scheme: 'data:', secureContext: false, crossOriginIsolated: false, webgpuAdapter: '', shaderF16: false, cacheStorage: false,
    indexedDb: false, helperFrame: true, inference: 'worker', model: 'isnet-fp32-web', modelSource: 'helper-frame', modelBytes: 176_000_000, backend: 'wasm',
    userAgent: 'Chromium',
  };

  it('accepts a panel request, diagnostics, a command, fixedOutput and the inference mode; drops extra keys', () => {
    const panel = { status: '2 images selected', commands: [{ id: 'remove', label: 'Remove background', enabled: true, junk: 1 }], junk: 2 };
    expect(host(req('panel', panel))).toEqual(req('panel', { status: '2 images selected', commands: [{ id: 'remove', label: 'Remove background', enabled: true }] }));
    expect(host(req('diagnostics', { junk: 1 }))).toEqual({ v: 1, kind: 'request', id: 'a1', method: 'diagnostics' });
    expect(host(remove({ interactive: true, fixedOutput: true }))).toMatchObject({ payload: { interactive: true, fixedOutput: true } });
    expect(host(remove({ refine: false }))).toMatchObject({ payload: { refine: false } });
    expect(host(remove({ quality: 'high' }))).toMatchObject({ payload: { quality: 'high' } });
    expect(host(remove({ refine: false, quality: 'standard' }))).toMatchObject({ payload: { refine: false, quality: 'standard' } });
    expect(host(req('configure', { inference: 'main-thread' }))).toEqual(req('configure', { inference: 'main-thread' }));
    expect(frame({ v: 1, kind: 'command', command: 'remove', junk: 1 })).toEqual({ v: 1, kind: 'command', command: 'remove' });
    expect(frame(result('diagnostics', { ...diagnostics, junk: 1 }))).toEqual(result('diagnostics', diagnostics));
    expect(frame(result('panel', { ok: true }))).toEqual(result('panel', { ok: true }));
  });

  it("a remove's quality is one of the core's (the protocol keeps its own list: it imports no core code)", () => {
    expect(QUALITIES).toEqual(REMOVE_QUALITIES);
  });

  it('a remove result may carry only a png (no matte); it must carry one of them, and a cut-out needs its matte', () => {
    const pngOnly = { output: 'cutout', backend: 'wasm', model: 'isnet-fp32-web', timings, png: { width: 2, height: 2, data: png() } };
    expect(frame(result('remove', pngOnly))).toEqual(result('remove', pngOnly));
    const { png: _png, ...neither } = pngOnly;
    expect(frameReason(result('remove', neither))).toMatch(/neither a matte nor a png/);
    expect(frameReason(result('remove', { ...pngOnly, cutout: image(2, 2) }))).toMatch(/cutout without a matte/);
  });

  it('rejects bad panels, commands, diagnostics and modes with a reason', () => {
    const command = { id: 'remove', label: 'Remove', enabled: true };
    expect(hostReason(req('panel', { status: 'x', commands: 'remove' }))).toMatch(/commands must be an array/);
    expect(hostReason(req('panel', { status: 'x', commands: Array(LIMITS.maxCommands + 1).fill(command) }))).toMatch(/at most/);
    expect(hostReason(req('panel', { status: 'x', commands: [{ ...command, enabled: 'yes' }] }))).toMatch(/enabled must be a boolean/);
    expect(hostReason(req('panel', { commands: [] }))).toMatch(/status must be a string/);
    expect(hostReason(req('configure', { inference: 'gpu-thread' }))).toMatch(/inference must be one of/);
    expect(frameReason({ v: 1, kind: 'command', command: '' })).toMatch(/command must have/);
    expect(frameReason(result('diagnostics', { ...diagnostics, modelSource: 'disk' }))).toMatch(/modelSource/);
    const { userAgent: _ua, ...short } = diagnostics;
    expect(frameReason(result('diagnostics', short))).toMatch(/userAgent/);
  });

  it('a request that fails after its id was read carries that id, so the frame can answer it', () => {
    const r = parseHostMessage(req('remove', { image: image(2, 2), output: 'poster' }));
    expect(r).toMatchObject({ ok: false, id: 'a1' });
    expect(parseHostMessage({ v: 1, kind: 'request', id: 7, method: 'hello' })).not.toHaveProperty('id');
    expect(parseHostMessage({ v: 2, kind: 'request', id: 'a1', method: 'hello' })).not.toHaveProperty('id');
  });
});
