/**
 * Fuzzing the protocol boundary with random and hostile values (seeded, so a failure reproduces):
 * the parsers never throw, never accept a message that breaks the invariants later code relies on,
 * and never pollute Object.prototype; the webview reassembler never throws and stays bounded.
 */
import { describe, expect, it } from 'vitest';
import { MAX_PARTIAL_MESSAGES, Reassembler, parseFrameMessage, parseHostMessage, toWire, type HostMessage } from '@cutout/protocol';

const SEED = 0x5eed_c0de;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WEIRD: unknown[] = [0, -0, 1, -1, 1.5, NaN, Infinity, -Infinity, 1e308, 2 ** 53, '', 'x', '__proto__', true, false, null, undefined, [], {}, 10n, Symbol('s'), () => 1, new Uint8Array(0), new Uint8Array(7), new Float32Array(4), new Date(0)];
const KEYS = ['v', 'kind', 'id', 'method', 'payload', 'image', 'hints', 'width', 'height', 'data', 'edge', 'feather', 'shift', 'output', 'interactive', 'modelBaseUrl', 'backend', '__proto__', 'constructor', 'prototype', 'stage', 'fraction', 'result', 'value', 'matte', 'code', 'message'];

function randomValue(rnd: () => number, depth: number): unknown {
  const r = rnd();
  if (depth > 4 || r < 0.4) return WEIRD[Math.floor(rnd() * WEIRD.length)];
  if (r < 0.55) return Array.from({ length: Math.floor(rnd() * 4) }, () => randomValue(rnd, depth + 1));
  const o: Record<string, unknown> = {};
  const n = Math.floor(rnd() * 6);
  for (let i = 0; i < n; i++) Object.defineProperty(o, KEYS[Math.floor(rnd() * KEYS.length)]!, { value: randomValue(rnd, depth + 1), enumerable: true, configurable: true, writable: true });
  return o;
}

function validRemove(rnd: () => number): Record<string, any> {
  const w = 1 + Math.floor(rnd() * 8);
  const h = 1 + Math.floor(rnd() * 8);
  return {
    v: 1,
    kind: 'request',
    id: `id${Math.floor(rnd() * 1e6)}`,
    method: 'remove',
    payload: { image: { width: w, height: h, data: new Uint8Array(w * h * 4) }, hints: { width: w, height: h, data: new Uint8Array(w * h) }, edge: { feather: 1, shift: -1 }, output: 'mask' },
  };
}

/** Deletes or replaces one field somewhere in the tree. */
function mutate(rnd: () => number, msg: Record<string, any>): unknown {
  const paths = [['v'], ['kind'], ['id'], ['method'], ['payload'], ['payload', 'image'], ['payload', 'image', 'width'], ['payload', 'image', 'height'], ['payload', 'image', 'data'], ['payload', 'hints'], ['payload', 'hints', 'width'], ['payload', 'hints', 'data'], ['payload', 'edge', 'feather'], ['payload', 'edge', 'shift'], ['payload', 'output']];
  const path = paths[Math.floor(rnd() * paths.length)]!;
  let target = msg;
  for (const key of path.slice(0, -1)) target = target[key];
  const last = path.at(-1)!;
  if (rnd() < 0.3) delete target[last];
  else target[last] = WEIRD[Math.floor(rnd() * WEIRD.length)];
  return msg;
}

function checkInvariants(m: HostMessage): void {
  expect(m.v).toBe(1);
  expect(typeof m.id).toBe('string');
  if (m.kind === 'request' && m.method === 'remove') {
    const { image, hints, edge } = m.payload;
    if (!image) return void expect(m.payload.encoded?.data).toBeInstanceOf(Uint8Array);
    expect(Number.isInteger(image.width) && image.width > 0 && Number.isInteger(image.height) && image.height > 0).toBe(true);
    expect(image.data).toBeInstanceOf(Uint8Array);
    expect(image.data.length).toBe(image.width * image.height * 4);
    if (hints) {
      expect(hints.width).toBe(image.width);
      expect(hints.data.length).toBe(image.width * image.height);
    }
    for (const v of [edge?.feather, edge?.shift, edge?.smooth]) if (v !== undefined) expect(Number.isFinite(v)).toBe(true);
  }
}

describe('protocol fuzz', () => {
  it(`survives 30,000 random and mutated messages (seed ${SEED.toString(16)})`, () => {
    const rnd = mulberry32(SEED);
    let accepted = 0;
    for (let i = 0; i < 30_000; i++) {
      const value = i % 3 === 0 ? randomValue(rnd, 0) : mutate(rnd, validRemove(rnd));
      const host = parseHostMessage(value);
      const frame = parseFrameMessage(value);
      if (host.ok) {
        accepted++;
        checkInvariants(host.message);
      }
      expect(typeof frame.ok).toBe('boolean');
    }
    expect(accepted).toBeGreaterThan(100); // the mutations leave some messages valid
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('width');
  });

  it('survives hostile shapes: __proto__ keys, cycles, deep nesting, proxies, throwing getters', () => {
    const proto = JSON.parse('{"v":1,"kind":"request","id":"p","method":"remove","payload":{"__proto__":{"image":{"width":1,"height":1,"data":null}}}}');
    expect(parseHostMessage(proto).ok).toBe(false);
    const cyclic: Record<string, unknown> = { v: 1, kind: 'request', id: 'c', method: 'remove' };
    cyclic['payload'] = cyclic;
    expect(parseHostMessage(cyclic).ok).toBe(false);
    let deep: unknown = { v: 1 };
    for (let i = 0; i < 10_000; i++) deep = { payload: deep, v: 1, kind: 'request', id: 'd', method: 'remove' };
    expect(parseHostMessage(deep).ok).toBe(false);
    const throwing = new Proxy({ v: 1 }, { get: () => { throw new Error('trap'); }, getOwnPropertyDescriptor: () => { throw new Error('trap'); } });
    expect(parseHostMessage(throwing).ok).toBe(false);
    expect(parseFrameMessage(throwing).ok).toBe(false);
    expect(({} as Record<string, unknown>)['image']).toBeUndefined();
  });

  it('the webview reassembler never throws and keeps at most a bounded number of partial messages', () => {
    const rnd = mulberry32(SEED + 1);
    const logs: string[] = [];
    const r = new Reassembler((m) => logs.push(m));
    for (let i = 0; i < 20_000; i++) {
      const kind = rnd();
      let value: unknown;
      if (kind < 0.5) value = { $chunk: { mid: `m${Math.floor(rnd() * 50)}`, seq: Math.floor(rnd() * 6) - 1, count: Math.floor(rnd() * 5), text: rnd() < 0.9 ? '{"a":' : 7 } };
      else if (kind < 0.7) {
        try {
          value = JSON.stringify(randomValue(rnd, 0) ?? null);
        } catch {
          value = '"bigint"'; // JSON cannot carry BigInt; the bridge would not either
        }
      }
      else if (kind < 0.8) value = '{not json';
      else if (kind < 0.9) value = { $bytes: rnd() < 0.5 ? 'AAAA' : '@@@' };
      else value = randomValue(rnd, 0);
      expect(() => r.accept(value)).not.toThrow();
      expect(r.pending).toBeLessThanOrEqual(MAX_PARTIAL_MESSAGES);
    }
    expect(logs.length).toBeGreaterThan(0);
  });

  it('round-trips messages with 0-byte, 1-byte and multi-MB buffers, chunked and interleaved', () => {
    const rnd = mulberry32(SEED + 2);
    const make = (w: number, h: number, id: string): HostMessage => {
      const data = new Uint8Array(w * h * 4);
      for (let i = 0; i < data.length; i++) data[i] = Math.floor(rnd() * 256);
      return { v: 1, kind: 'request', id, method: 'remove', payload: { image: { width: w, height: h, data }, label: 'x' } };
    };
    const big = make(1200, 900, 'big'); // 4.3 MB of pixels → ~5.8 M characters of base64
    const small = make(1, 1, 'small');
    const zero = { v: 1, kind: 'result', id: 'z', result: { method: 'configure', value: { ok: true } }, extra: new Uint8Array(0) };
    const r = new Reassembler();
    const a = toWire(big, 256 * 1024);
    const b = toWire(small, 256 * 1024);
    expect(a.length).toBeGreaterThan(10);
    const out: unknown[] = [];
    // Interleave two messages' chunks.
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (i < a.length) out.push(r.accept(JSON.parse(JSON.stringify(a[i]))));
      if (i < b.length) out.push(r.accept(JSON.parse(JSON.stringify(b[i]))));
    }
    for (const piece of toWire(zero)) out.push(r.accept(JSON.parse(JSON.stringify(piece))));
    const whole = out.filter((x) => x !== null);
    expect(whole).toHaveLength(3);
    const parsedBig = parseHostMessage(whole.find((m: any) => m.id === 'big'));
    if (!parsedBig.ok || parsedBig.message.kind !== 'request' || parsedBig.message.method !== 'remove') throw new Error('big message lost');
    const sent = big.kind === 'request' && big.method === 'remove' ? big.payload.image!.data : new Uint8Array();
    // Buffer.equals: vitest's deep equality walks typed arrays element by element (seconds for MBs).
    expect(Buffer.from(parsedBig.message.payload.image!.data).equals(Buffer.from(sent))).toBe(true);
    expect(parsedBig.message.payload.image!.width).toBe(1200);
    expect(whole.find((m: any) => m.id === 'small')).toEqual(small);
    expect((whole.find((m: any) => m.id === 'z') as any).extra).toEqual(new Uint8Array(0));
  });
});
