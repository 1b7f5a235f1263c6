/**
 * Fuzzing the protocol boundary with random and hostile values. Seeded (mulberry32), so a failure
 * reproduces: the seed is printed and failures name the iteration. The parsers must never throw,
 * never accept a message that breaks what later code relies on (checked by an independent
 * invariant walk on every accepted message), reject every mutation known to be invalid, keep
 * accepting messages whose mutations are harmless, and never pollute Object.prototype. The
 * webview reassembler must never throw, stay bounded, and round-trip binary exactly.
 */
import { describe, expect, it } from 'vitest';
import {
  LIMITS,
  MAX_PARTIAL_MESSAGES,
  MAX_PENDING_CHARS,
  PROGRESS_STAGES,
  Reassembler,
  WIRE_ERROR_CODES,
  parseFrameMessage,
  parseHostMessage,
  toWire,
} from '@cutout/protocol';

const SEED = 0x5eedc0de;
console.info(`protocol fuzz seed: 0x${SEED.toString(16)}`);

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
type Rnd = () => number;
const pick = <T,>(rnd: Rnd, items: readonly T[]): T => items[Math.floor(rnd() * items.length)] as T;
const int = (rnd: Rnd, lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
type Obj = Record<string, unknown>;

// ---- Hostile values ---------------------------------------------------------------------------
const trap = (): never => {
  throw new Error('trap');
};
const throwingProxy = (): object =>
  new Proxy({}, { get: trap, has: trap, getOwnPropertyDescriptor: trap, ownKeys: trap, getPrototypeOf: trap, defineProperty: trap, deleteProperty: trap, set: trap });
const throwingGetter = (): object => Object.defineProperty({}, 'width', { get: trap, enumerable: true });
/** A chain built iteratively (one child per level, so walking it is linear, not exponential). */
function deep(depth: number): object {
  let node: Obj = { v: 1, kind: 'request', id: 'deep', method: 'remove' };
  const keys = ['payload', 'image', 'value', 'result'];
  for (let i = 0; i < depth; i++) node = { [keys[i % 4]!]: node, v: 1, kind: i % 2 ? 'request' : 'result', id: 'd', method: 'remove' };
  return node;
}
const DEEP = deep(10_000);
function cyclic(): object {
  const o: Obj = { v: 1, kind: 'request', id: 'c', method: 'remove', width: 1, height: 1 };
  o['payload'] = o;
  o['image'] = o;
  o['data'] = o;
  return o;
}
const protoJson = (): object => JSON.parse('{"__proto__":{"width":1,"height":1,"data":null,"polluted":1},"constructor":{"prototype":{"polluted":2}},"prototype":{"polluted":3}}') as object;
const HUGE_STRING = 'x'.repeat(1 << 20);
const HOSTILE: ReadonlyArray<() => unknown> = [
  () => 0, () => -0, () => 1, () => -1, () => 1.5, () => NaN, () => Infinity, () => -Infinity, () => 1e308, () => -1e308, () => 2 ** 53 + 2,
  () => '', () => '1', () => 'x', () => '__proto__', () => 'constructor', () => HUGE_STRING, () => true, () => false, () => null, () => undefined,
  () => [], () => [1, 2, 3], () => ({}), () => 10n, () => Symbol('s'), () => () => 1, () => new Uint8Array(0), () => new Uint8Array(7),
  () => new Uint8Array(1 << 16), () => new Float32Array(4), () => new Uint8ClampedArray(16), () => new ArrayBuffer(16), () => new Date(0),
  throwingProxy, throwingGetter, () => DEEP, cyclic, protoJson, () => Object.create(null), () => new Proxy(new Uint8Array(4), {}),
];
const hostile = (rnd: Rnd): unknown => pick(rnd, HOSTILE)();
/**
 * For the reassembler, which serialises what it gets: without the 10k-deep chain and the 64 KiB
 * Uint8Array (JSON makes it an object of 65,536 keys), each costing milliseconds.
 */
const SHALLOW_HOSTILE = HOSTILE.filter((make) => {
  const v = make();
  return v !== DEEP && !(ArrayBuffer.isView(v) && v.byteLength > 1024);
});
const shallowHostile = (rnd: Rnd): unknown => pick(rnd, SHALLOW_HOSTILE)();

/** Classes for "the type changed": a replacement of another class is invalid in every field. */
function classOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (ArrayBuffer.isView(v)) return v instanceof Uint8Array && Object.getPrototypeOf(v) === Uint8Array.prototype ? 'u8' : 'view';
  if (typeof v === 'number') return Number.isFinite(v) ? 'number' : 'nonfinite';
  return typeof v;
}

// ---- Valid messages ---------------------------------------------------------------------------
const bytes = (rnd: Rnd, n: number): Uint8Array => new Uint8Array(n).map(() => int(rnd, 0, 255));
const rgba = (rnd: Rnd, w: number, h: number) => ({ width: w, height: h, data: bytes(rnd, w * h * 4) });
const gray = (rnd: Rnd, w: number, h: number) => ({ width: w, height: h, data: bytes(rnd, w * h) });
const id = (rnd: Rnd): string => `r${int(rnd, 0, 1e6)}`;
const maybe = (rnd: Rnd, o: Obj): Obj => Object.fromEntries(Object.entries(o).filter(() => rnd() < 0.6));

function validHost(rnd: Rnd): Obj {
  const r = rnd();
  if (r < 0.1) return { v: 1, kind: 'cancel', id: id(rnd) };
  if (r < 0.2) return { v: 1, kind: 'request', id: id(rnd), method: pick(rnd, ['hello', 'preload']) };
  if (r < 0.35) {
    const payload = maybe(rnd, { modelBaseUrl: 'https://models.example.com/m/', backend: pick(rnd, ['auto', 'webgpu', 'wasm']), theme: pick(rnd, ['light', 'dark', 'figma']), host: pick(rnd, ['figma', 'photoshop', 'canva', 'test']), model: 'isnet-fp32-web', inputSize: 64 * int(rnd, 1, 16) });
    return { v: 1, kind: 'request', id: id(rnd), method: 'configure', payload };
  }
  const w = int(rnd, 1, 6);
  const h = int(rnd, 1, 6);
  const source: Obj = rnd() < 0.75 ? { image: rgba(rnd, w, h) } : { encoded: { data: bytes(rnd, int(rnd, 8, 40)) } };
  const hints: Obj = 'image' in source ? (rnd() < 0.5 ? { hints: gray(rnd, w, h) } : {}) : rnd() < 0.3 ? { hintsEncoded: { data: bytes(rnd, 8) } } : {};
  const options = maybe(rnd, {
    edge: maybe(rnd, { feather: rnd() * LIMITS.maxEdgePx, shift: (rnd() * 2 - 1) * LIMITS.maxEdgePx, smooth: int(rnd, 0, 5), hard: rnd() < 0.5 }),
    output: pick(rnd, ['mask', 'cutout']), interactive: rnd() < 0.5, label: 'Layer 1', png: rnd() < 0.5, maxOutputSide: int(rnd, 1, 4096),
  });
  return { v: 1, kind: 'request', id: id(rnd), method: 'remove', payload: { ...source, ...hints, ...options } };
}

const capabilities = (rnd: Rnd): Obj => Object.fromEntries(['webgpu', 'shaderF16', 'crossOriginIsolated', 'simd', 'cacheStorage', 'indexedDb', 'secureContext'].map((k) => [k, rnd() < 0.5]));
function validFrame(rnd: Rnd): Obj {
  const r = rnd();
  if (r < 0.1) return { v: 1, kind: 'ready', capabilities: capabilities(rnd) };
  if (r < 0.3) return { v: 1, kind: 'progress', id: id(rnd), stage: pick(rnd, PROGRESS_STAGES), fraction: rnd(), ...maybe(rnd, { loadedBytes: int(rnd, 0, 1e9), totalBytes: int(rnd, 0, 1e9) }) };
  if (r < 0.4) return { v: 1, kind: 'error', id: id(rnd), code: pick(rnd, WIRE_ERROR_CODES), message: 'it failed' };
  const m = rnd();
  let result: Obj;
  if (m < 0.15) result = { method: 'hello', value: { protocol: 1, capabilities: capabilities(rnd) } };
  else if (m < 0.25) result = { method: 'configure', value: { ok: true } };
  else if (m < 0.4) result = { method: 'preload', value: { backend: pick(rnd, ['webgpu', 'wasm']), model: 'isnet-fp16', source: pick(rnd, ['network', 'cache-storage', 'indexeddb', 'helper-frame', 'memory']), bytes: int(rnd, 0, 2e8) } };
  else {
    const w = int(rnd, 1, 6);
    const h = int(rnd, 1, 6);
    const cut = rnd() < 0.5;
    const value: Obj = {
      matte: gray(rnd, w, h), output: cut ? 'cutout' : 'mask', backend: pick(rnd, ['webgpu', 'wasm']), model: 'isnet-fp32-web',
      timings: { preprocess: rnd() * 10, inference: rnd() * 1000, refine: rnd() * 100, compose: rnd() },
      ...(cut ? { cutout: rgba(rnd, w, h) } : {}),
      ...maybe(rnd, { png: { width: w, height: h, data: bytes(rnd, 20) }, hintsPng: bytes(rnd, 12), fallbackReason: 'no WebGPU' }),
    };
    result = { method: 'remove', value };
  }
  return { v: 1, kind: 'result', id: id(rnd), result };
}

// ---- Mutations ----------------------------------------------------------------------------------
type Path = string[];
function paths(root: unknown): Path[] {
  const out: Path[] = [];
  const walk = (node: unknown, path: Path): void => {
    out.push(path);
    if (typeof node !== 'object' || node === null || ArrayBuffer.isView(node)) return;
    for (const key of Object.keys(node)) walk((node as Obj)[key], [...path, key]);
  };
  walk(root, []);
  return out;
}
const at = (root: unknown, path: Path): unknown => path.reduce<unknown>((n, k) => (n as Obj)[k], root);
function replace(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  (at(root, path.slice(0, -1)) as Obj)[path[path.length - 1]!] = value;
  return root;
}

const E = LIMITS.maxEdgePx;
/** Values known to be invalid for a field, by its key (and its parent's key for byte buffers). */
function outOfRange(path: Path): unknown[] | null {
  const key = path[path.length - 1];
  const parent = path[path.length - 2];
  switch (key) {
    case 'v': return [2, 0, '1'];
    case 'width': case 'height': return [0, -1, -0, 1.5, LIMITS.maxSide + 1, 1e308, 2 ** 31];
    case 'data':
      return parent === 'encoded' || parent === 'hintsEncoded' || parent === 'png' ? [new Uint8Array(3), new Uint8Array(0)] : [new Uint8Array(1), new Uint8Array(0)];
    case 'hintsPng': return [new Uint8Array(7)];
    case 'fraction': return [-0.01, 1.01];
    case 'feather': case 'smooth': return [-1, E + 1];
    case 'shift': return [E + 0.5, -E - 1];
    case 'preprocess': case 'inference': case 'refine': case 'compose': return [-1, 1e12];
    case 'loadedBytes': case 'totalBytes': return [-1, 2 ** 60];
    case 'inputSize': return [32, 100, 2048, 64.5];
    case 'maxOutputSide': return [0, 1.5, LIMITS.maxSide + 1];
    case 'id': return ['', 'x'.repeat(LIMITS.maxIdLength + 1)];
    case 'label': return ['x'.repeat(LIMITS.maxLabelLength + 1)];
    case 'modelBaseUrl': return ['ftp://x/', 'not a url', `https://x.example/${'a'.repeat(LIMITS.maxUrlLength)}`, 'javascript:1'];
    case 'model': return path[0] === 'result' ? ['', 'x'.repeat(65)] : ['', 'A B', '../x', 'x'.repeat(65)];
    case 'message': return ['x'.repeat(2001)];
    case 'fallbackReason': return ['x'.repeat(2001)];
    case 'kind': case 'method': case 'stage': case 'code': case 'output': case 'backend': case 'theme': case 'host': case 'source':
      return ['bogus', '__proto__', 'constructor', 'toString', ''];
    case 'ok': return [false];
    case 'protocol': return [2];
    default: return null;
  }
}

/** Fields every message of the generated shapes must have (by key; some depend on the message). */
const REQUIRED = new Set(['v', 'kind', 'id', 'method', 'payload', 'image', 'encoded', 'width', 'height', 'data', 'stage', 'fraction', 'result', 'value', 'matte', 'timings',
  'preprocess', 'inference', 'refine', 'compose', 'capabilities', 'webgpu', 'shaderF16', 'crossOriginIsolated', 'simd', 'cacheStorage', 'indexedDb', 'secureContext',
  'protocol', 'ok', 'source', 'code', 'message']);
function isRequired(path: Path): boolean {
  const key = path[path.length - 1];
  if (key === undefined) return true;
  if (key === 'output' || key === 'backend' || key === 'model') return path[0] === 'result';
  // A remove result's matte is optional when a png stands in for it.
  if (key === 'matte') return false;
  return REQUIRED.has(key);
}

type Expect = 'invalid' | 'same' | 'unknown';
/**
 * Applies one mutation at `path` (a path of the pristine message, not inside an earlier mutation);
 * says whether the result must be rejected, must parse exactly as before, or may do either.
 */
function mutate(rnd: Rnd, root: unknown, path: Path, harmlessOnly = false): { value: unknown; expect: Expect; what: string } {
  const node = at(root, path);
  const isObject = typeof node === 'object' && node !== null && !ArrayBuffer.isView(node);
  const op = harmlessOnly ? 0.78 + rnd() * 0.12 : rnd();
  const where = path.join('.') || '(root)';
  if (op < 0.12) {
    if (path.length === 0) return { value: undefined, expect: 'invalid', what: 'root deleted' };
    const parent = at(root, path.slice(0, -1)) as Obj;
    const key = path[path.length - 1]!;
    if (rnd() < 0.5) {
      delete parent[key];
      return { value: root, expect: isRequired(path) ? 'invalid' : 'unknown', what: `deleted ${where}` };
    }
    // Moved to the prototype: an inherited field is as good as absent.
    const value = parent[key];
    delete parent[key];
    Object.setPrototypeOf(parent, { [key]: value });
    return { value: root, expect: isRequired(path) ? 'invalid' : 'unknown', what: `${where} inherited` };
  }
  if (op < 0.4) {
    const value = hostile(rnd);
    // undefined is as good as absent, and most fields are optional.
    const expect = (value !== undefined || isRequired(path)) && classOf(value) !== classOf(node) ? 'invalid' : 'unknown';
    return { value: replace(root, path, value), expect, what: `${where} = hostile ${classOf(value)}` };
  }
  if (op < 0.6) {
    const values = outOfRange(path);
    if (values) return { value: replace(root, path, pick(rnd, values)), expect: 'invalid', what: `${where} out of range` };
    return { value: replace(root, path, hostile(rnd)), expect: 'unknown', what: `${where} replaced` };
  }
  if (op < 0.66 && isObject) return { value: replace(root, path, Object.values(node)), expect: 'invalid', what: `${where} as an array` };
  if (op < 0.72 && isObject) return { value: replace(root, path, throwingProxy()), expect: 'invalid', what: `${where} as a throwing proxy` };
  if (op < 0.78 && path.length > 0) {
    Object.defineProperty(at(root, path.slice(0, -1)), path[path.length - 1]!, { get: trap, enumerable: true, configurable: true });
    return { value: root, expect: 'invalid', what: `${where} as a throwing getter` };
  }
  if (op < 0.84 && isObject) {
    const keys = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'junk'];
    for (const key of keys) if (rnd() < 0.5) Object.defineProperty(node, key, { value: rnd() < 0.5 ? hostile(rnd) : { polluted: true }, enumerable: true, configurable: true, writable: true });
    Object.defineProperty(node, 'trap', { get: trap, enumerable: true, configurable: true }); // never read: not a protocol field
    return { value: root, expect: 'same', what: `junk keys on ${where}` };
  }
  if (op < 0.9 && isObject) return { value: replace(root, path, new Proxy(node, {})), expect: 'same', what: `${where} in a transparent proxy` };
  if (op < 0.95 && isObject && 'width' in node && 'data' in node) {
    const big = pick(rnd, [[LIMITS.maxSide, LIMITS.maxSide], [8192, 8192], [LIMITS.maxSide, 1], [4096, 4096]] as const);
    const keepsFileBytes = path[path.length - 1] === 'png'; // a png's size is not tied to its bytes
    if (rnd() < 0.5) return { value: replace(root, path, { ...node, width: big[0], height: big[1] }), expect: keepsFileBytes && big[0] * big[1] <= LIMITS.maxPixels ? 'unknown' : 'invalid', what: `${where} huge with small data` };
    // Resized consistently (the right byte count): hints and cutout then differ from image and matte.
    const key = path[path.length - 1];
    if (key === 'hints' || key === 'cutout' || key === 'image' || key === 'matte') {
      const grow = key === 'hints' || key === 'cutout' ? [1, 0] : [0, 1];
      const w = ((node as Obj)['width'] as number) + grow[0]!;
      const h = ((node as Obj)['height'] as number) + grow[1]!;
      const channels = key === 'hints' || key === 'matte' ? 1 : 4;
      return { value: replace(root, path, { width: w, height: h, data: new Uint8Array(w * h * channels) }), expect: grow[0] ? 'invalid' : 'unknown', what: `${where} resized` };
    }
  }
  return { value: replace(root, path, rnd() < 0.5 ? root : DEEP), expect: 'unknown', what: `${where} cyclic or deep` };
}

// ---- Independent invariant checks on accepted messages ---------------------------------------
function checker() {
  const problems: string[] = [];
  const fail = (what: string): void => void problems.push(what);
  const plain = (o: unknown, keys: string[], required: string[], what: string): o is Obj => {
    if (typeof o !== 'object' || o === null || Object.getPrototypeOf(o) !== Object.prototype || Array.isArray(o)) {
      fail(`${what}: not a plain object`);
      return false;
    }
    for (const k of Object.keys(o)) if (!keys.includes(k)) fail(`${what}: extra key ${k}`);
    for (const k of required) if (!Object.prototype.hasOwnProperty.call(o, k)) fail(`${what}: missing ${k}`);
    return true;
  };
  const finite = (v: unknown, lo: number, hi: number, what: string): void => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi || Object.is(v, -0)) fail(`${what}: ${String(v)}`);
  };
  const str = (v: unknown, lo: number, hi: number, what: string): void => {
    if (typeof v !== 'string' || v.length < lo || v.length > hi) fail(`${what}: bad string`);
  };
  const oneOf = (v: unknown, values: readonly string[], what: string): void => {
    if (typeof v !== 'string' || !values.includes(v)) fail(`${what}: ${String(v)}`);
  };
  const u8 = (v: unknown, lo: number, hi: number, what: string): void => {
    if (!(v instanceof Uint8Array) || Object.getPrototypeOf(v) !== Uint8Array.prototype || v.length < lo || v.length > hi || v.byteLength !== v.length) fail(`${what}: bad bytes`);
  };
  const pixels = (o: unknown, channels: number, what: string): [number, number] => {
    if (!plain(o, ['width', 'height', 'data'], ['width', 'height', 'data'], what)) return [0, 0];
    const { width: w, height: h } = o as { width: number; height: number };
    if (!Number.isInteger(w) || !Number.isInteger(h) || w < 1 || h < 1 || w > LIMITS.maxSide || h > LIMITS.maxSide || w * h > LIMITS.maxPixels) fail(`${what}: size`);
    u8(o['data'], w * h * channels, w * h * channels, `${what}.data`);
    return [w, h];
  };
  const caps = (o: unknown): void => {
    const keys = ['webgpu', 'shaderF16', 'crossOriginIsolated', 'simd', 'cacheStorage', 'indexedDb', 'secureContext'];
    if (plain(o, keys, keys, 'capabilities')) for (const k of keys) if (typeof o[k] !== 'boolean') fail(`capabilities.${k}`);
  };
  function host(m: unknown): void {
    if (!plain(m, ['v', 'kind', 'id', 'method', 'payload'], ['v', 'kind', 'id'], 'host')) return;
    if (m['v'] !== 1) fail('v');
    str(m['id'], 1, LIMITS.maxIdLength, 'id');
    if (m['kind'] === 'cancel') return void plain(m, ['v', 'kind', 'id'], [], 'cancel');
    if (m['kind'] !== 'request') return fail('kind');
    const p = m['payload'];
    switch (m['method']) {
      case 'hello': case 'preload': return void plain(m, ['v', 'kind', 'id', 'method'], [], 'no payload');
      case 'configure': {
        if (!plain(p, ['modelBaseUrl', 'backend', 'theme', 'host', 'model', 'inputSize'], [], 'configure')) return;
        if (p['modelBaseUrl'] !== undefined && !/^https?:\/\//.test(String(p['modelBaseUrl']))) fail('modelBaseUrl');
        if (p['backend'] !== undefined) oneOf(p['backend'], ['auto', 'webgpu', 'wasm'], 'backend');
        if (p['inputSize'] !== undefined && (!Number.isInteger(p['inputSize']) || (p['inputSize'] as number) % 64 !== 0)) fail('inputSize');
        return;
      }
      case 'remove': {
        if (!plain(p, ['image', 'encoded', 'hints', 'hintsEncoded', 'png', 'maxOutputSide', 'edge', 'output', 'interactive', 'label'], [], 'remove')) return;
        if ((p['image'] === undefined) === (p['encoded'] === undefined)) fail('image xor encoded');
        const size = p['image'] !== undefined ? pixels(p['image'], 4, 'image') : null;
        if (p['encoded'] !== undefined && plain(p['encoded'], ['data'], ['data'], 'encoded')) u8((p['encoded'] as Obj)['data'], 8, LIMITS.maxEncodedBytes, 'encoded');
        if (p['hints'] !== undefined) {
          const hs = pixels(p['hints'], 1, 'hints');
          if (size && (hs[0] !== size[0] || hs[1] !== size[1])) fail('hints size');
        }
        if (p['edge'] !== undefined && plain(p['edge'], ['feather', 'shift', 'smooth', 'hard'], [], 'edge')) {
          const e = p['edge'] as Obj;
          if (e['feather'] !== undefined) finite(e['feather'], 0, E, 'feather');
          if (e['shift'] !== undefined) finite(e['shift'], -E, E, 'shift');
          if (e['smooth'] !== undefined) finite(e['smooth'], 0, E, 'smooth');
          if (e['hard'] !== undefined && typeof e['hard'] !== 'boolean') fail('hard');
        }
        if (p['output'] !== undefined) oneOf(p['output'], ['mask', 'cutout'], 'output');
        if (p['label'] !== undefined) str(p['label'], 0, LIMITS.maxLabelLength, 'label');
        if (p['interactive'] !== undefined && typeof p['interactive'] !== 'boolean') fail('interactive');
        return;
      }
      default: return fail('method');
    }
  }
  function frame(m: unknown): void {
    if (!plain(m, ['v', 'kind', 'id', 'capabilities', 'stage', 'fraction', 'loadedBytes', 'totalBytes', 'result', 'code', 'message'], ['v', 'kind'], 'frame')) return;
    if (m['v'] !== 1) fail('v');
    if (m['kind'] === 'ready') return caps(m['capabilities']);
    str(m['id'], 1, LIMITS.maxIdLength, 'id');
    if (m['kind'] === 'progress') {
      oneOf(m['stage'], PROGRESS_STAGES, 'stage');
      finite(m['fraction'], 0, 1, 'fraction');
      if (m['loadedBytes'] !== undefined) finite(m['loadedBytes'], 0, Number.MAX_SAFE_INTEGER, 'loadedBytes');
      return;
    }
    if (m['kind'] === 'error') {
      oneOf(m['code'], WIRE_ERROR_CODES, 'code');
      return str(m['message'], 0, 2000, 'message');
    }
    if (m['kind'] !== 'result' || !plain(m['result'], ['method', 'value'], ['method', 'value'], 'result')) return fail('kind');
    const { method, value } = m['result'] as Obj;
    if (method === 'remove') {
      if (!plain(value, ['matte', 'png', 'hintsPng', 'cutout', 'output', 'backend', 'model', 'fallbackReason', 'timings'], ['output', 'backend', 'model', 'timings'], 'remove')) return;
      if (value['matte'] === undefined && value['png'] === undefined) fail('neither matte nor png');
      const ms = value['matte'] === undefined ? undefined : pixels(value['matte'], 1, 'matte');
      if (value['cutout'] !== undefined) {
        const cs = pixels(value['cutout'], 4, 'cutout');
        if (!ms) fail('cutout without a matte');
        else if (cs[0] !== ms[0] || cs[1] !== ms[1]) fail('cutout size');
      }
      if (value['hintsPng'] !== undefined) u8(value['hintsPng'], 8, LIMITS.maxEncodedBytes, 'hintsPng');
      oneOf(value['backend'], ['webgpu', 'wasm'], 'backend');
      const t = value['timings'] as Obj;
      if (plain(t, ['preprocess', 'inference', 'refine', 'compose'], ['preprocess', 'inference', 'refine', 'compose'], 'timings')) for (const v of Object.values(t)) finite(v, 0, 1e9, 'timing');
    } else if (method === 'hello') {
      if (plain(value, ['protocol', 'capabilities'], ['protocol', 'capabilities'], 'hello')) caps(value['capabilities']);
    } else if (method === 'configure') {
      if (plain(value, ['ok'], ['ok'], 'configure') && value['ok'] !== true) fail('ok');
    } else if (method === 'preload') {
      if (plain(value, ['backend', 'model', 'source', 'bytes'], ['backend', 'model', 'source', 'bytes'], 'preload')) {
        oneOf(value['source'], ['network', 'cache-storage', 'indexeddb', 'helper-frame', 'memory'], 'source');
        finite(value['bytes'], 0, Number.MAX_SAFE_INTEGER, 'bytes');
        if (!Number.isInteger(value['bytes'])) fail('bytes');
      }
    } else fail('result.method');
  }
  return { problems, host, frame };
}

/** Deep equality that compares byte buffers by content (fast for MBs) and sees no prototypes. */
function same(a: unknown, b: unknown): boolean {
  if (a instanceof Uint8Array || b instanceof Uint8Array) return a instanceof Uint8Array && b instanceof Uint8Array && Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return Object.is(a, b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && same((a as Obj)[k], (b as Obj)[k]));
}

function randomValue(rnd: Rnd, depth: number, leaf: (rnd: Rnd) => unknown = hostile): unknown {
  const r = rnd();
  if (depth > 4 || r < 0.35) return leaf(rnd);
  if (r < 0.5) return Array.from({ length: int(rnd, 0, 3) }, () => randomValue(rnd, depth + 1, leaf));
  const keys = ['v', 'kind', 'id', 'method', 'payload', 'image', 'width', 'height', 'data', 'result', 'value', 'matte', '__proto__', 'constructor', 'prototype', 'capabilities', 'code'];
  const o: Obj = rnd() < 0.2 ? { v: 1, kind: pick(rnd, ['request', 'cancel', 'ready', 'progress', 'result', 'error']), id: 'x' } : {};
  for (let i = int(rnd, 0, 5); i > 0; i--) Object.defineProperty(o, pick(rnd, keys), { value: randomValue(rnd, depth + 1, leaf), enumerable: true, configurable: true, writable: true });
  return o;
}

const snapshot = () => [Object.prototype, Array.prototype, Function.prototype, Uint8Array.prototype].map((p) => Reflect.ownKeys(p).map(String).sort().join());

describe('protocol fuzz', () => {
  it(`parsers: 36,000 random, mutated and hostile values (seed 0x${SEED.toString(16)})`, () => {
    const before = snapshot();
    const rnd = mulberry32(SEED);
    const check = checker();
    const failures: string[] = [];
    const tally = { accepted: 0, rejected: 0, invalid: 0, same: 0 };
    const run = (i: number, what: string, parse: typeof parseHostMessage | typeof parseFrameMessage, value: unknown): ReturnType<typeof parseHostMessage> | null => {
      try {
        return parse(value) as ReturnType<typeof parseHostMessage>;
      } catch (e) {
        failures.push(`#${i} ${what}: threw ${String(e)}`);
        return null;
      }
    };
    for (let i = 0; i < 36_000; i++) {
      const family = i % 3; // 0: host mutated, 1: frame mutated, 2: random tree
      const isHost = family === 0 || (family === 2 && rnd() < 0.5);
      const parse = isHost ? parseHostMessage : parseFrameMessage;
      let value: unknown;
      let expectation: Expect = 'unknown';
      let what = 'random tree';
      let reference: unknown = null;
      if (family === 2) value = rnd() < 0.1 ? protoJson() : randomValue(rnd, 0);
      else {
        const base = family === 0 ? validHost(rnd) : validFrame(rnd);
        const first = run(i, 'valid base', parse, base);
        if (!first?.ok) failures.push(`#${i} valid ${family === 0 ? 'host' : 'frame'} message rejected: ${first && !first.ok ? first.reason : ''}`);
        else reference = first.message;
        value = base;
        // 1–3 mutations at paths of which none lies inside another, so each lands where it aimed.
        const chosen: Path[] = [];
        // Now and then only harmless mutations (junk keys, transparent proxies) on objects.
        const harmlessOnly = rnd() < 0.15;
        const candidates = paths(base).filter((p) => !harmlessOnly || (typeof at(base, p) === 'object' && !ArrayBuffer.isView(at(base, p))));
        for (let k = int(rnd, 1, 3); k > 0; k--) {
          const path = pick(rnd, candidates);
          const nested = (a: Path, b: Path): boolean => a.length <= b.length && a.every((key, j) => b[j] === key);
          if (!chosen.some((c) => nested(c, path) || nested(path, c))) chosen.push(path);
        }
        const whats: string[] = [];
        const expects: Expect[] = [];
        for (const path of chosen) {
          const m = mutate(rnd, value, path, harmlessOnly);
          value = m.value;
          whats.push(m.what);
          expects.push(m.expect);
        }
        // Any mutation known to be invalid makes the message invalid (paths are independent).
        expectation = expects.includes('invalid') ? 'invalid' : expects.includes('unknown') ? 'unknown' : 'same';
        what = whats.join('; ');
      }
      const hostResult = run(i, what, parseHostMessage, value);
      const frameResult = run(i, what, parseFrameMessage, value);
      for (const [r, f] of [[hostResult, check.host], [frameResult, check.frame]] as const) {
        if (!r) continue;
        if (r.ok) {
          const n = check.problems.length;
          f(r.message);
          if (check.problems.length > n) failures.push(`#${i} ${what}: accepted with ${check.problems.slice(n).join(', ')}`);
        } else if (typeof r.reason !== 'string' || r.reason.length === 0) failures.push(`#${i}: empty reason`);
      }
      const own = parse === parseHostMessage ? hostResult : frameResult;
      if (!own) continue;
      own.ok ? tally.accepted++ : tally.rejected++;
      if (expectation === 'invalid') {
        tally.invalid++;
        if (own.ok) failures.push(`#${i} ${what}: accepted a message known to be invalid`);
      } else if (expectation === 'same' && reference !== null) {
        tally.same++;
        if (!own.ok) failures.push(`#${i} ${what}: rejected a harmless mutation: ${own.reason}`);
        else if (!same(own.message, reference)) failures.push(`#${i} ${what}: a harmless mutation changed the result`);
      }
      if (failures.length > 20) break;
    }
    console.info(`protocol fuzz: ${JSON.stringify(tally)}`);
    expect(failures).toEqual([]);
    expect(tally.accepted).toBeGreaterThan(1000);
    expect(tally.invalid).toBeGreaterThan(5000);
    expect(tally.same).toBeGreaterThan(1000);
    expect(snapshot()).toEqual(before);
    expect(({} as Obj)['polluted']).toBeUndefined();
    expect(Object.getPrototypeOf(Object.prototype)).toBeNull();
  });

  it('parsers: fixed hostile shapes (deep, cyclic, __proto__ JSON, proxies, BigInt, Symbol, functions)', () => {
    const before = snapshot();
    const values: unknown[] = [
      DEEP, cyclic(), protoJson(), throwingProxy(), throwingGetter(), 10n, Symbol('x'), () => 1, Object.create(null),
      JSON.parse('{"v":1,"kind":"request","id":"p","method":"remove","payload":{"__proto__":{"image":{"width":1,"height":1,"data":null}}}}'),
      JSON.parse('{"v":1,"kind":"cancel","id":"p","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}'),
      new Proxy({ v: 1, kind: 'cancel', id: 'p' }, { getOwnPropertyDescriptor: () => ({ value: 1, configurable: true, enumerable: true }) }),
    ];
    for (const value of values) {
      expect(() => parseHostMessage(value)).not.toThrow();
      expect(() => parseFrameMessage(value)).not.toThrow();
    }
    expect(parseHostMessage(values[10]).ok).toBe(true); // extra keys ignored, even __proto__ ones
    expect(snapshot()).toEqual(before);
    expect(({} as Obj)['polluted']).toBeUndefined();
  });
});

// ---- Webview reassembler ------------------------------------------------------------------------
const viaBridge = (piece: unknown): unknown => JSON.parse(JSON.stringify(piece)); // what Photoshop's bridge does

describe('webview reassembler fuzz', () => {
  it(`never throws, stays bounded and never completes a wrong message (seed 0x${(SEED + 1).toString(16)})`, () => {
    const rnd = mulberry32(SEED + 1);
    const logs: string[] = [];
    const r = new Reassembler((m) => logs.push(m));
    const failures: string[] = [];
    let completed = 0;
    type Flight = { original: Obj; pieces: unknown[]; next: number };
    const flights: Flight[] = [];
    const newFlight = (): void => {
      const original = validHost(rnd);
      if (original['kind'] === 'request' && original['method'] === 'remove') (original['payload'] as Obj)['image'] = rgba(rnd, 20, int(rnd, 10, 30));
      else (original as Obj)['blob'] = bytes(rnd, int(rnd, 1000, 3000));
      flights.push({ original, pieces: toWire(original, 1024).map(viaBridge), next: 0 });
    };
    for (let i = 0; i < 20_000; i++) {
      const op = rnd();
      let raw: unknown;
      let flight: Flight | undefined;
      if (op < 0.35) {
        if (flights.length < 3) newFlight();
        flight = pick(rnd, flights);
        raw = flight.pieces[flight.next++];
        if (rnd() < 0.1) raw = JSON.stringify(raw); // as a string now and then
      } else if (op < 0.4 && flights.length > 0) {
        const f = pick(rnd, flights); // a duplicate or a changed count for a real message
        const piece = f.pieces[Math.max(0, f.next - 1)] as { $chunk: Obj };
        raw = rnd() < 0.5 ? piece : { $chunk: { ...piece.$chunk, count: (piece.$chunk['count'] as number) + 1 } };
      } else if (op < 0.7) {
        const count = pick(rnd, [1, 2, 3, 0, -1, 1.5, NaN, 1e9, 2 ** 40, '2']);
        const seq = pick(rnd, [0, 1, 2, -1, 5, 0.5, NaN, '0']);
        const text = pick<unknown>(rnd, ['{"a":', '1}', '', 7, null, { t: 1 }, ['x'], '"x"']);
        const mid = pick<unknown>(rnd, ['g0', 'g1', 'g2', 'g3', 'g4', 'g5', '', 'x'.repeat(100), 5, null]);
        raw = rnd() < 0.1 ? { $chunk: pick(rnd, [null, [], 'x', throwingProxy()]) } : { $chunk: { mid, seq, count, text } };
        if (rnd() < 0.2) {
          try {
            raw = JSON.stringify(raw);
          } catch {
            // the throwing proxy cannot be a string; deliver it as it is
          }
        }
      } else if (op < 0.8) {
        raw = pick<unknown>(rnd, ['{not json', '', 'null', '[]', '{"$bytes":"@@@@"}', '{"a":{"$bytes":"AAAA"}}', '{"$bytes":"AAA"}', '{"__proto__":{"polluted":1}}', '"str"', '1e999']);
      } else raw = i % 1000 === 0 ? pick(rnd, [DEEP, cyclic()]) : randomValue(rnd, 0, shallowHostile);
      let out: unknown;
      try {
        out = r.accept(raw);
      } catch (e) {
        failures.push(`#${i}: threw ${String(e)}`);
        continue;
      }
      if (r.pending > MAX_PARTIAL_MESSAGES) failures.push(`#${i}: ${r.pending} partial messages`);
      if (r.pendingCharacters > MAX_PENDING_CHARS || r.pendingCharacters < 0) failures.push(`#${i}: ${r.pendingCharacters} pending characters`);
      if (flight && flight.next >= flight.pieces.length) flights.splice(flights.indexOf(flight), 1);
      if (out !== null && typeof out === 'object' && flight && flight.next >= flight.pieces.length) {
        completed++;
        if (!same(out, flight.original)) failures.push(`#${i}: a reassembled message differs from the one sent`);
      }
      if (failures.length > 20) break;
    }
    expect(failures).toEqual([]);
    expect(completed).toBeGreaterThan(20);
    expect(logs.some((l) => l.includes('dropped partial'))).toBe(true);
    expect(({} as Obj)['polluted']).toBeUndefined();
  });

  it('drops the oldest partial message beyond the limit and logs it', () => {
    const logs: string[] = [];
    const r = new Reassembler((m) => logs.push(m));
    const wires = Array.from({ length: MAX_PARTIAL_MESSAGES + 1 }, (_, i) => toWire({ i, blob: new Uint8Array(3000) }, 1024).map(viaBridge));
    for (const w of wires) expect(r.accept(w[0])).toBeNull();
    expect(r.pending).toBe(MAX_PARTIAL_MESSAGES);
    expect(logs.filter((l) => l.includes('dropped partial'))).toHaveLength(1);
    // The dropped (first) message never completes; the newest does.
    for (const piece of wires[0]!.slice(1)) expect(r.accept(piece)).toBeNull();
    const last = wires[MAX_PARTIAL_MESSAGES]!;
    let out: unknown = null;
    for (const piece of last.slice(1)) out = r.accept(piece);
    expect((out as Obj)['i']).toBe(MAX_PARTIAL_MESSAGES);
  });

  it('round-trips 0-byte, 1-byte, odd-length and multi-MB buffers, whole, chunked, as strings and interleaved', () => {
    const rnd = mulberry32(SEED + 2);
    const big = bytes(rnd, 6 * 1024 * 1024 + 1);
    const messages: Obj[] = [
      { v: 1, kind: 'result', id: 'z', result: { method: 'configure', value: { ok: true } }, blobs: [new Uint8Array(0), new Uint8Array([7]), bytes(rnd, 2), bytes(rnd, 3)] },
      { v: 1, kind: 'request', id: 'one', method: 'remove', payload: { encoded: { data: new Uint8Array([255]) }, nested: { deeper: [new Uint8Array(0)] } } },
      { v: 1, kind: 'request', id: 'big', method: 'remove', payload: { image: { width: 1, height: 1, data: bytes(rnd, 4) }, extra: big, label: 'ü ✓ "quotes" \\ \n' } },
      { v: 1, kind: 'request', id: 'px', method: 'remove', payload: { image: rgba(rnd, 640, 480), label: 'x' } },
    ];
    for (const chunkChars of [1024, 64 * 1024, 512 * 1024]) {
      for (const asString of [false, true]) {
        const r = new Reassembler();
        for (const message of messages) {
          const pieces = toWire(message, chunkChars);
          let out: unknown = null;
          pieces.forEach((piece, i) => {
            out = r.accept(asString ? JSON.stringify(piece) : viaBridge(piece));
            if (i < pieces.length - 1) expect(out).toBeNull();
          });
          expect(same(out, message)).toBe(true);
        }
        expect(r.pending).toBe(0);
        expect(r.pendingCharacters).toBe(0);
      }
    }
    // Chunks never split a surrogate pair (a bridge transcoding each piece to UTF-8 would break it).
    const emoji = { v: 1, kind: 'request', id: 'e', method: 'remove', payload: { encoded: { data: bytes(rnd, 9) }, label: 'x😀'.repeat(3000) } };
    for (const offset of [0, 1]) {
      const pieces = toWire({ ...emoji, pad: 'p'.repeat(offset) }, 1024) as Array<{ $chunk: { text: string } }>;
      for (const piece of pieces) expect(/^[\udc00-\udfff]|[\ud800-\udbff]$/.test(piece.$chunk.text)).toBe(false);
      const r = new Reassembler();
      let out: unknown = null;
      for (const piece of pieces) out = r.accept(viaBridge(piece));
      expect(same(out, { ...emoji, pad: 'p'.repeat(offset) })).toBe(true);
    }
    // Two chunked messages interleaved piece by piece.
    const r = new Reassembler();
    const a = toWire(messages[2], 256 * 1024);
    const b = toWire(messages[3], 256 * 1024);
    expect(a.length).toBeGreaterThan(10);
    expect(b.length).toBeGreaterThan(1);
    const outputs: unknown[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (i < a.length) outputs.push(r.accept(viaBridge(a[i])));
      if (i < b.length) outputs.push(r.accept(viaBridge(b[i])));
    }
    const whole = outputs.filter((x) => x !== null);
    expect(whole).toHaveLength(2);
    expect(same(whole.find((m) => (m as Obj)['id'] === 'big'), messages[2])).toBe(true);
    expect(same(whole.find((m) => (m as Obj)['id'] === 'px'), messages[3])).toBe(true);
    const parsed = parseHostMessage(whole.find((m) => (m as Obj)['id'] === 'px'));
    expect(parsed.ok).toBe(true);
  });
});
