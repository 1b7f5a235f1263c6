/**
 * fast-check arbitraries and an independent oracle for the protocol fuzz (tests/protocol-fuzz-*.test.ts):
 * hostile values, every valid host and frame message, mutations with what each must do (be
 * rejected, parse as before, or either), and invariant checks on whatever a parser accepts.
 * Replay a failure with the seed it prints: CUTOUT_FUZZ_SEED=<seed> npx vitest run tests/protocol-fuzz-*.test.ts
 */
import fc from 'fast-check';
import {
  BACKEND_CHOICES, HOSTS, INFERENCE_MODES, LIMITS, MODEL_SOURCES, OUTPUT_KINDS, PROGRESS_STAGES, QUALITIES, THEMES, WEB_BACKENDS, WIRE_ERROR_CODES,
} from '@cutout/protocol';

export type Obj = Record<string, unknown>;
const envSeed = Number(process.env['CUTOUT_FUZZ_SEED']);
/** A fixed default seed, overridable for replay; fast-check prints the seed and path of any failure. */
const SEED = Number.isInteger(envSeed) ? envSeed : 0x5eedc0de;
export const fuzz = (numRuns: number): fc.Parameters<unknown> => ({ seed: SEED, numRuns });
console.info(`protocol fuzz seed ${SEED}; replay: CUTOUT_FUZZ_SEED=${SEED} npx vitest run tests/protocol-fuzz-*.test.ts`);

// ---- Hostile values ---------------------------------------------------------------------------
const trap = (): never => {
  throw new Error('trap');
};
export const throwingProxy = (): object =>
  new Proxy({}, { get: trap, has: trap, getOwnPropertyDescriptor: trap, ownKeys: trap, getPrototypeOf: trap, defineProperty: trap, deleteProperty: trap, set: trap });
const throwingGetter = (): object => Object.defineProperty({}, 'width', { get: trap, enumerable: true });
/** A chain built iteratively (one child per level, so walking it is linear, not exponential). */
function deep(depth: number): object {
  let node: Obj = { v: 1, kind: 'request', id: 'deep', method: 'remove' };
  const keys = ['payload', 'image', 'value', 'result'];
  for (let i = 0; i < depth; i++) node = { [keys[i % 4]!]: node, v: 1, kind: i % 2 ? 'request' : 'result', id: 'd', method: 'remove' };
  return node;
}
export const DEEP = deep(10_000);
export function cyclic(): object {
  const o: Obj = { v: 1, kind: 'request', id: 'c', method: 'remove', width: 1, height: 1 };
  o['payload'] = o;
  o['image'] = o;
  o['data'] = o;
  return o;
}
export const protoJson = (): object =>
  JSON.parse('{"__proto__":{"width":1,"height":1,"data":null,"polluted":1},"constructor":{"prototype":{"polluted":2}},"prototype":{"polluted":3}}') as object;
/** A fake byte buffer: Uint8Array's prototype and an own length, but no internal slots. */
const fakeBytes = (): object => Object.defineProperty(Object.create(Uint8Array.prototype), 'length', { value: 4 });
const HUGE_STRING = 'x'.repeat(1 << 20);
const HOSTILE: ReadonlyArray<() => unknown> = [
  () => 0, () => -0, () => 1, () => -1, () => 1.5, () => NaN, () => Infinity, () => -Infinity, () => 1e308, () => 2 ** 53 + 2,
  () => '', () => 'x', () => '__proto__', () => 'constructor', () => HUGE_STRING, () => true, () => false, () => null, () => undefined,
  () => [], () => [1, 2, 3], () => ({}), () => 10n, () => Symbol('s'), () => () => 1, () => new Uint8Array(0), () => new Uint8Array(7),
  () => new Uint8Array(1 << 16), () => new Float32Array(4), () => new Uint8ClampedArray(16), () => new ArrayBuffer(16), () => new Date(0),
  throwingProxy, throwingGetter, () => DEEP, cyclic, protoJson, () => Object.create(null), () => new Proxy(new Uint8Array(4), {}), fakeBytes,
  () => new (class extends Uint8Array {})(4),
];
const hostileAt = (k: number): unknown => HOSTILE[k % HOSTILE.length]!();
/** For the reassembler, which serialises what it gets: without the 10k-deep chain and the 64 KiB buffer. */
const SHALLOW = HOSTILE.filter((make) => {
  const v = make();
  return v !== DEEP && !(ArrayBuffer.isView(v) && v.byteLength > 1024);
});

/**
 * Random trees of hostile leaves under protocol-looking keys, generated as a plan and built inside
 * the property (fast-check must never touch a throwing proxy or getter while cloning or printing).
 */
export type Plan = number | Plan[] | { kind: string | null; entries: Array<[string, Plan]> };
export const plan: fc.Arbitrary<Plan> = fc.letrec<{ node: Plan; array: Plan[]; object: Plan }>((t) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.nat(), t('array'), t('object')),
  array: fc.array(t('node'), { maxLength: 3 }),
  object: fc.record({
    kind: fc.option(fc.constantFrom('request', 'cancel', 'ready', 'progress', 'result', 'error', 'command')) as fc.Arbitrary<string | null>,
    entries: fc.array(fc.tuple(fc.constantFrom('v', 'kind', 'id', 'method', 'payload', 'image', 'width', 'height', 'data', 'result', 'value', 'matte', '__proto__', 'constructor', 'capabilities', 'code', 'commands', 'command'), t('node')), { maxLength: 5 }),
  }),
})).node;
export function build(p: Plan, shallow = false): unknown {
  if (typeof p === 'number') return shallow ? SHALLOW[p % SHALLOW.length]!() : hostileAt(p);
  if (Array.isArray(p)) return p.map((c) => build(c, shallow));
  const o: Obj = p.kind === null ? {} : { v: 1, kind: p.kind, id: 'x' };
  for (const [k, v] of p.entries) Object.defineProperty(o, k, { value: build(v, shallow), enumerable: true, configurable: true, writable: true });
  return o;
}

// ---- Valid messages ---------------------------------------------------------------------------
const E = LIMITS.maxEdgePx;
const num = (min: number, max: number) => fc.double({ min, max, noNaN: true }).map((x) => x + 0); // no -0 (parsed as 0)
const int = (min: number, max: number) => fc.integer({ min, max });
const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
const id = fc.string({ minLength: 1, maxLength: 12 });
const pixels = (channels: number, w: number, h: number) => bytes(w * h * channels).map((data) => ({ width: w, height: h, data }));
const size = fc.tuple(int(1, 6), int(1, 6));
const file = fc.uint8Array({ minLength: 8, maxLength: 40 }).map((data) => ({ data }));
/** A record of optional fields (each present or absent). */
const some = <T extends Obj>(fields: { [K in keyof T]: fc.Arbitrary<T[K]> }) => fc.record(fields, { requiredKeys: [] });
const request = (method: string, payload?: fc.Arbitrary<unknown>) =>
  fc.record({ id, ...(payload ? { payload } : {}) }).map((r) => ({ v: 1, kind: 'request', method, ...r }) as Obj);
const commands = fc.array(fc.record({ id: fc.string({ minLength: 1, maxLength: 8 }), label: fc.string({ minLength: 1, maxLength: 12 }), enabled: fc.boolean() }), { maxLength: LIMITS.maxCommands });

const removePayload = fc.tuple(size, fc.nat(3)).chain(([[w, h], shape]) => {
  const source = shape === 0 ? fc.record({ encoded: file, hintsEncoded: fc.option(file, { nil: undefined }) }) : fc.record({ image: pixels(4, w, h), hints: fc.option(pixels(1, w, h), { nil: undefined }) });
  const options = some({
    edge: some({ feather: num(0, E), shift: num(-E, E), smooth: num(0, E), hard: fc.boolean() }),
    output: fc.constantFrom(...OUTPUT_KINDS), quality: fc.constantFrom(...QUALITIES), interactive: fc.boolean(), fixedOutput: fc.boolean(), label: fc.string({ maxLength: 20 }), png: fc.boolean(), maxOutputSide: int(1, 4096),
  });
  return fc.tuple(source, options).map(([s, o]) => ({ ...Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)), ...o }));
});

export const validHost: fc.Arbitrary<Obj> = fc.oneof(
  fc.record({ id }).map((r) => ({ v: 1, kind: 'cancel', ...r })),
  request('hello'), request('preload'), request('diagnostics'),
  request('configure', some({
    modelBaseUrl: fc.webUrl().filter((u) => u.length <= LIMITS.maxUrlLength), backend: fc.constantFrom(...BACKEND_CHOICES), theme: fc.constantFrom(...THEMES),
    host: fc.constantFrom(...HOSTS), model: fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,20}$/), inputSize: int(1, 16).map((n) => 64 * n), inference: fc.constantFrom(...INFERENCE_MODES),
  })),
  request('panel', fc.record({ status: fc.string({ maxLength: 30 }), commands })),
  { arbitrary: request('remove', removePayload), weight: 4 },
);

const capabilities = fc.record(Object.fromEntries(['webgpu', 'shaderF16', 'crossOriginIsolated', 'simd', 'cacheStorage', 'indexedDb', 'secureContext'].map((k) => [k, fc.boolean()])));
const modelId = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,20}$/);
const removeResult = size.chain(([w, h]) =>
  fc.record({
    output: fc.constantFrom(...OUTPUT_KINDS), backend: fc.constantFrom(...WEB_BACKENDS), model: modelId,
    timings: fc.record({ preprocess: num(0, 10), inference: num(0, 1000), refine: num(0, 100), compose: num(0, 1) }),
    // The matte is optional when a png stands in for it; a cutout needs the matte.
    out: fc.oneof(
      fc.record({ matte: pixels(1, w, h) }, { requiredKeys: ['matte'] }).chain((m) => fc.option(pixels(4, w, h), { nil: undefined }).map((cutout) => (cutout ? { ...m, cutout } : m))),
      fc.record({ png: fc.record({ width: int(1, 4096), height: int(1, 4096), data: fc.uint8Array({ minLength: 8, maxLength: 30 }) }) }),
    ),
    extra: some({ hintsPng: fc.uint8Array({ minLength: 8, maxLength: 16 }), fallbackReason: fc.string({ maxLength: 20 }) }),
  }).map(({ out, extra, ...r }) => ({ ...r, ...out, ...extra })),
);
const diagnostics = fc.record({
  origin: fc.string({ maxLength: 30 }), scheme: fc.constantFrom('https', 'data', 'null'), secureContext: fc.boolean(), crossOriginIsolated: fc.boolean(),
  webgpuAdapter: fc.string({ maxLength: 20 }), shaderF16: fc.boolean(), cacheStorage: fc.boolean(), indexedDb: fc.boolean(), helperFrame: fc.boolean(),
  inference: fc.constantFrom(...INFERENCE_MODES), model: fc.oneof(fc.constant(''), modelId), modelSource: fc.constantFrom(...MODEL_SOURCES, 'none'),
  modelBytes: fc.maxSafeNat(), backend: fc.constantFrom(...WEB_BACKENDS, 'none'), userAgent: fc.string({ maxLength: 40 }),
});
const result = (method: string, value: fc.Arbitrary<unknown>) => value.map((v) => ({ method, value: v }));
export const validFrame: fc.Arbitrary<Obj> = fc.oneof(
  capabilities.map((c) => ({ v: 1, kind: 'ready', capabilities: c })),
  fc.record({ command: fc.string({ minLength: 1, maxLength: 64 }) }).map((r) => ({ v: 1, kind: 'command', ...r })),
  fc.record({ id, stage: fc.constantFrom(...PROGRESS_STAGES), fraction: num(0, 1) }).chain((r) =>
    some({ loadedBytes: fc.maxSafeNat(), totalBytes: fc.maxSafeNat() }).map((o) => ({ v: 1, kind: 'progress', ...r, ...o }))),
  fc.record({ id, code: fc.constantFrom(...WIRE_ERROR_CODES), message: fc.string({ maxLength: 40 }) }).map((r) => ({ v: 1, kind: 'error', ...r })),
  { weight: 5, arbitrary: fc.record({ id, result: fc.oneof(
    result('hello', capabilities.map((c) => ({ protocol: 1, capabilities: c }))), result('configure', fc.constant({ ok: true })), result('panel', fc.constant({ ok: true })),
    result('preload', fc.record({ backend: fc.constantFrom(...WEB_BACKENDS), model: modelId, source: fc.constantFrom(...MODEL_SOURCES), bytes: fc.maxSafeNat() })),
    result('diagnostics', diagnostics), { weight: 3, arbitrary: result('remove', removeResult) },
  ) }).map((r) => ({ v: 1, kind: 'result', ...r })) },
);

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

/** Classes for "the type changed": a replacement of another class is invalid in every field. */
function classOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (ArrayBuffer.isView(v)) return v instanceof Uint8Array && Object.getPrototypeOf(v) === Uint8Array.prototype ? 'u8' : 'view';
  if (typeof v === 'number') return Number.isFinite(v) ? 'number' : 'nonfinite';
  return typeof v;
}

const BAD_NAMES = ['bogus', '__proto__', 'constructor', 'toString', ''];
const long = (n: number): string => 'x'.repeat(n + 1);
/** Values known to be invalid for a field, by its key (and its parent's key). */
function outOfRange(path: Path): unknown[] | null {
  const key = path[path.length - 1];
  const parent = path[path.length - 2];
  if (parent === 'commands') return [null, { id: 'a', label: 'b' }];
  if (path.includes('commands')) return key === 'enabled' ? ['true'] : ['', long(LIMITS.maxLabelLength)]; // command id or label
  switch (key) {
    case 'v': return [2, 0, '1'];
    case 'width': case 'height': return [0, -1, 1.5, LIMITS.maxSide + 1, 1e308, 2 ** 31];
    case 'data': return parent === 'encoded' || parent === 'hintsEncoded' || parent === 'png' ? [new Uint8Array(3), new Uint8Array(0)] : [new Uint8Array(1), new Uint8Array(0)];
    case 'hintsPng': return [new Uint8Array(7)];
    case 'fraction': return [-0.01, 1.01];
    case 'feather': case 'smooth': return [-1, E + 1];
    case 'shift': return [E + 0.5, -E - 1];
    case 'preprocess': case 'inference': case 'refine': case 'compose': return [-1, 1e12]; // 'inference' is also a mode name: a number is wrong there too
    case 'loadedBytes': case 'totalBytes': case 'bytes': case 'modelBytes': return [-1, 2 ** 60];
    case 'inputSize': return [32, 100, 2048, 64.5];
    case 'maxOutputSide': return [0, 1.5, LIMITS.maxSide + 1];
    case 'id': return ['', long(LIMITS.maxIdLength)];
    case 'command': return ['', long(LIMITS.maxCommandIdLength)];
    case 'label': return [long(LIMITS.maxLabelLength)];
    case 'status': return [long(LIMITS.maxStatusLength)];
    case 'commands': return [Array.from({ length: LIMITS.maxCommands + 1 }, () => ({ id: 'a', label: 'b', enabled: true })), {}];
    case 'origin': case 'scheme': case 'webgpuAdapter': case 'userAgent': return [long(LIMITS.maxDiagnosticsText)];
    case 'modelBaseUrl': return ['ftp://x/', 'not a url', `https://x.example/${'a'.repeat(LIMITS.maxUrlLength)}`, 'javascript:1'];
    case 'model': return path[0] === 'result' ? [long(64)] : ['', 'A B', '../x', long(64)];
    case 'message': case 'fallbackReason': return [long(2000)];
    case 'kind': case 'method': case 'stage': case 'code': case 'output': case 'quality': case 'backend': case 'theme': case 'host': case 'source': case 'modelSource': return BAD_NAMES;
    case 'ok': return [false];
    case 'protocol': return [2];
    default: return null;
  }
}

const REQUIRED = new Set(['v', 'kind', 'id', 'method', 'payload', 'image', 'encoded', 'width', 'height', 'data', 'stage', 'fraction', 'result', 'value', 'timings',
  'preprocess', 'refine', 'compose', 'capabilities', 'webgpu', 'shaderF16', 'crossOriginIsolated', 'simd', 'cacheStorage', 'indexedDb', 'secureContext',
  'protocol', 'ok', 'source', 'code', 'message', 'bytes', 'status', 'commands', 'enabled', 'command', 'origin', 'scheme', 'webgpuAdapter', 'helperFrame',
  'modelSource', 'modelBytes', 'userAgent']);
function isRequired(path: Path): boolean {
  const key = path[path.length - 1];
  if (key === undefined || /^\d+$/.test(key) || path.includes('commands')) return true; // the root, an entry of commands, and its fields
  if (key === 'output' || key === 'backend' || key === 'model' || key === 'inference') return path[0] === 'result'; // optional in configure
  return REQUIRED.has(key); // a remove result's matte is optional when a png stands in for it (png optional when a matte does)
}

export type Expect = 'invalid' | 'same' | 'unknown';
const MUTATIONS = ['delete', 'inherit', 'hostile', 'outOfRange', 'array', 'throwingProxy', 'throwingGetter', 'junk', 'transparentProxy', 'huge', 'resize', 'cyclic'] as const;
const HARMLESS = ['junk', 'transparentProxy'] as const;
export type Mutation = { readonly at: number; readonly op: (typeof MUTATIONS)[number]; readonly k: number };
const mutation = (ops: readonly Mutation['op'][] = MUTATIONS): fc.Arbitrary<Mutation> => fc.record({ at: fc.nat(), op: fc.constantFrom(...ops), k: fc.nat() });

/** Applies one mutation at `path`; says whether the result must be rejected, parse as before, or may do either. */
function mutate(root: unknown, path: Path, { op, k }: Mutation): { value: unknown; expect: Expect } {
  const node = at(root, path);
  const isObject = typeof node === 'object' && node !== null && !ArrayBuffer.isView(node);
  const parent = path.length > 0 ? (at(root, path.slice(0, -1)) as Obj) : null;
  const key = path[path.length - 1]!;
  const unknown = (value: unknown) => ({ value, expect: 'unknown' as const });
  switch (op) {
    case 'delete': case 'inherit': {
      if (!parent) return { value: undefined, expect: 'invalid' };
      const value = parent[key];
      delete parent[key];
      if (op === 'inherit') Object.setPrototypeOf(parent, { [key]: value }); // an inherited field is as good as absent
      return { value: root, expect: isRequired(path) ? 'invalid' : 'unknown' };
    }
    case 'hostile': {
      const value = hostileAt(k);
      // undefined is as good as absent, and most fields are optional.
      return { value: replace(root, path, value), expect: (value !== undefined || isRequired(path)) && classOf(value) !== classOf(node) ? 'invalid' : 'unknown' };
    }
    case 'outOfRange': {
      const values = outOfRange(path);
      return values ? { value: replace(root, path, values[k % values.length]), expect: 'invalid' } : unknown(replace(root, path, hostileAt(k)));
    }
    case 'array': return isObject && !Array.isArray(node) ? { value: replace(root, path, Object.values(node)), expect: 'invalid' } : unknown(root);
    case 'throwingProxy': return isObject ? { value: replace(root, path, throwingProxy()), expect: 'invalid' } : unknown(root);
    case 'throwingGetter':
      if (!parent) return unknown(root);
      Object.defineProperty(parent, key, { get: trap, enumerable: true, configurable: true });
      return { value: root, expect: 'invalid' };
    case 'junk': {
      if (!isObject || Array.isArray(node)) return unknown(root);
      ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'junk'].forEach((name, i) => {
        if ((k >> i) & 1) Object.defineProperty(node, name, { value: (k >> (i + 6)) & 1 ? hostileAt(k + i) : { polluted: true }, enumerable: true, configurable: true, writable: true });
      });
      Object.defineProperty(node, 'trap', { get: trap, enumerable: true, configurable: true }); // never read: not a protocol field
      return { value: root, expect: 'same' };
    }
    case 'transparentProxy': return isObject ? { value: replace(root, path, new Proxy(node, {})), expect: 'same' } : unknown(root);
    case 'huge': {
      if (!isObject || !('width' in node)) return unknown(root);
      const [w, h] = [[LIMITS.maxSide, LIMITS.maxSide], [8192, 8192], [LIMITS.maxSide, 1], [4096, 4096]][k % 4]!;
      const fileBytes = key === 'png'; // a png's size is not tied to its bytes
      return { value: replace(root, path, { ...node, width: w, height: h }), expect: fileBytes && w! * h! <= LIMITS.maxPixels ? 'unknown' : 'invalid' };
    }
    case 'resize': {
      // Resized consistently (the right byte count): hints and cutout then differ from image and matte.
      if (!isObject || !['hints', 'cutout', 'image', 'matte'].includes(key)) return unknown(root);
      const follower = key === 'hints' || key === 'cutout';
      const w = ((node as Obj)['width'] as number) + (follower ? 1 : 0);
      const h = ((node as Obj)['height'] as number) + (follower ? 0 : 1);
      const channels = key === 'hints' || key === 'matte' ? 1 : 4;
      return { value: replace(root, path, { width: w, height: h, data: new Uint8Array(w * h * channels) }), expect: follower ? 'invalid' : 'unknown' };
    }
    case 'cyclic': return unknown(replace(root, path, k % 2 ? root : DEEP));
  }
}

/** Applies mutations at paths of the pristine message of which none lies inside another. */
function mutateAll(base: Obj, mutations: readonly Mutation[]): { value: unknown; expect: Expect } {
  const all = paths(base);
  const chosen: Array<[Path, Mutation]> = [];
  const nested = (a: Path, b: Path): boolean => a.length <= b.length && a.every((key, j) => b[j] === key);
  for (const m of mutations) {
    const path = all[m.at % all.length]!;
    if (!chosen.some(([c]) => nested(c, path) || nested(path, c))) chosen.push([path, m]);
  }
  let value: unknown = base;
  const expects: Expect[] = [];
  for (const [path, m] of chosen) {
    const r = mutate(value, path, m);
    value = r.value;
    expects.push(r.expect);
  }
  return { value, expect: expects.includes('invalid') ? 'invalid' : expects.includes('unknown') ? 'unknown' : 'same' };
}

/** Deep equality that compares byte buffers by content and sees no prototypes. */
export function same(a: unknown, b: unknown): boolean {
  if (a instanceof Uint8Array || b instanceof Uint8Array) return a instanceof Uint8Array && b instanceof Uint8Array && Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return Object.is(a, b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && same((a as Obj)[k], (b as Obj)[k]));
}

export const snapshot = (): string[] => [Object.prototype, Array.prototype, Function.prototype, Uint8Array.prototype].map((p) => Reflect.ownKeys(p).map(String).sort().join());

// ---- Independent invariant checks on accepted messages ---------------------------------------
/** Problems with an accepted message: what later code relies on, written apart from the validators. */
function problems(side: 'host' | 'frame', message: unknown): string[] {
  const out: string[] = [];
  const fail = (what: string): void => void out.push(what);
  const plain = (o: unknown, keys: string[], required: string[], what: string): o is Obj => {
    if (typeof o !== 'object' || o === null || Object.getPrototypeOf(o) !== Object.prototype || Array.isArray(o)) return fail(`${what}: not a plain object`), false;
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
  const bools = (o: Obj, keys: string[]): void => keys.forEach((k) => typeof o[k] !== 'boolean' && fail(k));
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
  const CAPS = ['webgpu', 'shaderF16', 'crossOriginIsolated', 'simd', 'cacheStorage', 'indexedDb', 'secureContext'];
  const caps = (o: unknown): void => void (plain(o, CAPS, CAPS, 'capabilities') && bools(o, CAPS));
  const m = message;
  if (side === 'host') {
    if (!plain(m, ['v', 'kind', 'id', 'method', 'payload'], ['v', 'kind', 'id'], 'host')) return out;
    if (m['v'] !== 1) fail('v');
    str(m['id'], 1, LIMITS.maxIdLength, 'id');
    if (m['kind'] === 'cancel') return plain(m, ['v', 'kind', 'id'], [], 'cancel'), out;
    if (m['kind'] !== 'request') return fail('kind'), out;
    const p = m['payload'];
    switch (m['method']) {
      case 'hello': case 'preload': case 'diagnostics': plain(m, ['v', 'kind', 'id', 'method'], [], 'no payload'); break;
      case 'configure':
        if (!plain(p, ['modelBaseUrl', 'backend', 'theme', 'host', 'model', 'inputSize', 'inference'], [], 'configure')) break;
        if (p['modelBaseUrl'] !== undefined && !/^https?:\/\//.test(String(p['modelBaseUrl']))) fail('modelBaseUrl');
        if (p['backend'] !== undefined) oneOf(p['backend'], BACKEND_CHOICES, 'backend');
        if (p['inference'] !== undefined) oneOf(p['inference'], INFERENCE_MODES, 'inference');
        if (p['model'] !== undefined && !/^[a-z0-9][a-z0-9._-]{0,63}$/.test(String(p['model']))) fail('model');
        if (p['inputSize'] !== undefined && (!Number.isInteger(p['inputSize']) || (p['inputSize'] as number) % 64 !== 0)) fail('inputSize');
        break;
      case 'panel':
        if (!plain(p, ['status', 'commands'], ['status', 'commands'], 'panel')) break;
        str(p['status'], 0, LIMITS.maxStatusLength, 'status');
        if (!Array.isArray(p['commands']) || p['commands'].length > LIMITS.maxCommands) fail('commands');
        else for (const c of p['commands'] as unknown[]) if (plain(c, ['id', 'label', 'enabled'], ['id', 'label', 'enabled'], 'command')) {
          str(c['id'], 1, LIMITS.maxCommandIdLength, 'command id');
          bools(c, ['enabled']);
        }
        break;
      case 'remove': {
        if (!plain(p, ['image', 'encoded', 'hints', 'hintsEncoded', 'png', 'maxOutputSide', 'edge', 'output', 'quality', 'interactive', 'fixedOutput', 'label'], [], 'remove')) break;
        if ((p['image'] === undefined) === (p['encoded'] === undefined)) fail('image xor encoded');
        if (p['hints'] !== undefined && p['hintsEncoded'] !== undefined) fail('hints and hintsEncoded');
        const size = p['image'] !== undefined ? pixels(p['image'], 4, 'image') : null;
        for (const k of ['encoded', 'hintsEncoded']) if (p[k] !== undefined && plain(p[k], ['data'], ['data'], k)) u8((p[k] as Obj)['data'], 8, LIMITS.maxEncodedBytes, k);
        if (p['hints'] !== undefined) {
          const hs = pixels(p['hints'], 1, 'hints');
          if (size && (hs[0] !== size[0] || hs[1] !== size[1])) fail('hints size');
        }
        if (p['edge'] !== undefined && plain(p['edge'], ['feather', 'shift', 'smooth', 'hard'], [], 'edge')) {
          const e = p['edge'] as Obj;
          if (e['feather'] !== undefined) finite(e['feather'], 0, E, 'feather');
          if (e['shift'] !== undefined) finite(e['shift'], -E, E, 'shift');
          if (e['smooth'] !== undefined) finite(e['smooth'], 0, E, 'smooth');
          if (e['hard'] !== undefined) bools(e, ['hard']);
        }
        if (p['output'] !== undefined) oneOf(p['output'], OUTPUT_KINDS, 'output');
        if (p['quality'] !== undefined) oneOf(p['quality'], QUALITIES, 'quality');
        if (p['label'] !== undefined) str(p['label'], 0, LIMITS.maxLabelLength, 'label');
        for (const k of ['png', 'interactive', 'fixedOutput']) if (p[k] !== undefined) bools(p, [k]);
        break;
      }
      default: fail('method');
    }
    return out;
  }
  if (!plain(m, ['v', 'kind', 'id', 'capabilities', 'stage', 'fraction', 'loadedBytes', 'totalBytes', 'result', 'code', 'message', 'command'], ['v', 'kind'], 'frame')) return out;
  if (m['v'] !== 1) fail('v');
  if (m['kind'] === 'ready') return caps(m['capabilities']), out;
  if (m['kind'] === 'command') return str(m['command'], 1, LIMITS.maxCommandIdLength, 'command'), out;
  str(m['id'], 1, LIMITS.maxIdLength, 'id');
  if (m['kind'] === 'progress') {
    oneOf(m['stage'], PROGRESS_STAGES, 'stage');
    finite(m['fraction'], 0, 1, 'fraction');
    for (const k of ['loadedBytes', 'totalBytes']) if (m[k] !== undefined) finite(m[k], 0, Number.MAX_SAFE_INTEGER, k);
    return out;
  }
  if (m['kind'] === 'error') return oneOf(m['code'], WIRE_ERROR_CODES, 'code'), str(m['message'], 0, 2000, 'message'), out;
  if (m['kind'] !== 'result' || !plain(m['result'], ['method', 'value'], ['method', 'value'], 'result')) return fail('kind'), out;
  const { method, value } = m['result'] as Obj;
  if (method === 'remove') {
    if (!plain(value, ['matte', 'png', 'hintsPng', 'cutout', 'output', 'backend', 'model', 'fallbackReason', 'timings'], ['output', 'backend', 'model', 'timings'], 'remove')) return out;
    if (value['matte'] === undefined && value['png'] === undefined) fail('neither matte nor png');
    const ms = value['matte'] === undefined ? undefined : pixels(value['matte'], 1, 'matte');
    if (value['cutout'] !== undefined) {
      const cs = pixels(value['cutout'], 4, 'cutout');
      if (!ms) fail('cutout without a matte');
      else if (cs[0] !== ms[0] || cs[1] !== ms[1]) fail('cutout size');
    }
    if (value['png'] !== undefined && plain(value['png'], ['width', 'height', 'data'], ['width', 'height', 'data'], 'png')) u8((value['png'] as Obj)['data'], 8, LIMITS.maxEncodedBytes, 'png');
    if (value['hintsPng'] !== undefined) u8(value['hintsPng'], 8, LIMITS.maxEncodedBytes, 'hintsPng');
    oneOf(value['backend'], WEB_BACKENDS, 'backend');
    const t = value['timings'];
    if (plain(t, ['preprocess', 'inference', 'refine', 'compose'], ['preprocess', 'inference', 'refine', 'compose'], 'timings')) for (const v of Object.values(t)) finite(v, 0, 1e9, 'timing');
  } else if (method === 'hello') {
    if (plain(value, ['protocol', 'capabilities'], ['protocol', 'capabilities'], 'hello')) caps(value['capabilities']);
  } else if (method === 'configure' || method === 'panel') {
    if (plain(value, ['ok'], ['ok'], method) && value['ok'] !== true) fail('ok');
  } else if (method === 'preload') {
    if (plain(value, ['backend', 'model', 'source', 'bytes'], ['backend', 'model', 'source', 'bytes'], 'preload')) {
      oneOf(value['source'], MODEL_SOURCES, 'source');
      if (!Number.isSafeInteger(value['bytes']) || (value['bytes'] as number) < 0) fail('bytes');
    }
  } else if (method === 'diagnostics') {
    const KEYS = ['origin', 'scheme', 'secureContext', 'crossOriginIsolated', 'webgpuAdapter', 'shaderF16', 'cacheStorage', 'indexedDb', 'helperFrame', 'inference', 'model', 'modelSource', 'modelBytes', 'backend', 'userAgent'];
    if (plain(value, KEYS, KEYS, 'diagnostics')) {
      bools(value, ['secureContext', 'crossOriginIsolated', 'shaderF16', 'cacheStorage', 'indexedDb', 'helperFrame']);
      for (const k of ['origin', 'scheme', 'webgpuAdapter', 'userAgent']) str(value[k], 0, LIMITS.maxDiagnosticsText, k);
      oneOf(value['inference'], INFERENCE_MODES, 'inference');
      oneOf(value['modelSource'], [...MODEL_SOURCES, 'none'], 'modelSource');
      oneOf(value['backend'], [...WEB_BACKENDS, 'none'], 'backend');
      if (!Number.isSafeInteger(value['modelBytes']) || (value['modelBytes'] as number) < 0) fail('modelBytes');
    }
  } else fail('result.method');
  return out;
}

/** The parser properties both sides share; `parse` is the side's own parser, `other` the opposite one. */
export function parserProperties(side: 'host' | 'frame', valid: fc.Arbitrary<Obj>, parse: (v: unknown) => Parsed, other: (v: unknown) => Parsed) {
  const sound = (r: Parsed, s: 'host' | 'frame'): boolean => (r.ok ? problems(s, r.message).length === 0 : typeof r.reason === 'string' && r.reason.length > 0);
  const otherSide = side === 'host' ? 'frame' : 'host';
  const tally = { invalid: 0, same: 0, accepted: 0 };
  return {
    tally,
    /** Every valid message is accepted as a fresh, equal copy with no extra keys. */
    valid: fc.property(valid, (m) => {
      const r = parse(m);
      return r.ok && r.message !== m && same(r.message, m) && problems(side, r.message).length === 0;
    }),
    /** Mutated messages: neither parser throws or accepts an unsound message; known-invalid ones are rejected, harmless ones parse as before. */
    mutated: fc.property(valid, fc.array(mutation(), { minLength: 1, maxLength: 3 }), fc.boolean(), (base, mutations, harmlessOnly) => {
      const reference = parse(base);
      const { value, expect } = mutateAll(structuredClone(base), harmlessOnly ? mutations.map((m) => ({ ...m, op: HARMLESS[m.k % 2]! })) : mutations);
      const r = parse(value);
      if (!sound(r, side) || !sound(other(value), otherSide)) return false;
      tally[expect === 'unknown' ? 'accepted' : expect] += expect === 'unknown' ? Number(r.ok) : 1;
      if (expect === 'invalid') return !r.ok;
      return expect !== 'same' || (r.ok && reference.ok && same(r.message, reference.message));
    }),
    /** Random trees of hostile values: never a throw, never an unsound message. */
    random: fc.property(plan, (p) => {
      const value = build(p);
      return sound(parse(value), side) && sound(other(value), otherSide);
    }),
  };
}
export type Parsed = { readonly ok: true; readonly message: unknown } | { readonly ok: false; readonly reason: string };
