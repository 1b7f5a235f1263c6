/**
 * Validation of every message crossing the host ↔ frame boundary. Hand-written on purpose: it
 * must run in the Figma sandbox (no DOM, a bare JS VM) and stay tiny in the Canva bundle.
 * Rules: only own properties are read (never `__proto__` tricks or inherited getters), anything
 * that throws while being read is invalid, and the result is a fresh object holding only the
 * validated fields, so later code never sees what the sender added.
 */
import {
  LIMITS,
  type Capabilities,
  type ConfigurePayload,
  type FrameMessage,
  type HostMessage,
  type ProgressStage,
  type RemovePayload,
  type ResultPayload,
  type WireEdgeControls,
  type WireErrorCode,
  type WireGray,
  type WireRgba,
} from './messages.js';

export type Parsed<T> = { readonly ok: true; readonly message: T } | { readonly ok: false; readonly reason: string };

export const WIRE_ERROR_CODES = [
  'cancelled', 'invalid_argument', 'unsupported_image', 'image_too_large', 'empty_image', 'hint_size_mismatch', 'model_missing',
  'model_integrity', 'model_fetch_failed', 'model_invalid_output', 'runtime_unavailable', 'inference_failed', 'gpu_lost', 'io_error',
  'disposed', 'busy', 'bad_request', 'internal',
] as const satisfies readonly WireErrorCode[];
// The runtime list must name every code the type allows (a new CoreErrorCode fails to compile here).
type Missing = Exclude<WireErrorCode, (typeof WIRE_ERROR_CODES)[number]>;
const complete: [Missing] extends [never] ? true : Missing = true;
void complete;
const STAGES: readonly ProgressStage[] = ['download', 'session', 'preprocess', 'inference', 'refine', 'compose', 'review'];

export function isWireErrorCode(value: unknown): value is WireErrorCode {
  return typeof value === 'string' && (WIRE_ERROR_CODES as readonly string[]).includes(value);
}

class Invalid extends Error {}
const fail = (reason: string): never => {
  throw new Invalid(reason);
};

type Rec = Record<string, unknown>;
const has = (o: Rec, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);

function obj(value: unknown, what: string): Rec {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) fail(`${what} must be an object`);
  return value as Rec;
}
/** An own property, or undefined. */
function get(o: Rec, key: string): unknown {
  return has(o, key) ? o[key] : undefined;
}
function str(value: unknown, what: string, max: number): string {
  if (typeof value !== 'string') return fail(`${what} must be a string`);
  if (value.length === 0 || value.length > max) fail(`${what} must have 1..${max} characters`);
  return value;
}
function oneOf<const T extends string>(value: unknown, allowed: readonly T[], what: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) fail(`${what} must be one of ${allowed.join(', ')}`);
  return value as T;
}
function bool(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean') fail(`${what} must be a boolean`);
  return value as boolean;
}
function num(value: unknown, what: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) fail(`${what} must be a number in [${min}, ${max}]`);
  return value === 0 ? 0 : (value as number); // no -0
}
function size(o: Rec, what: string): { width: number; height: number } {
  const width = get(o, 'width');
  const height = get(o, 'height');
  if (!Number.isInteger(width) || !Number.isInteger(height)) return fail(`${what} width and height must be integers`);
  const w = width as number;
  const h = height as number;
  if (w < 1 || h < 1) fail(`${what} is empty (${w}×${h})`);
  if (w > LIMITS.maxSide || h > LIMITS.maxSide || w * h > LIMITS.maxPixels) fail(`${what} is ${w}×${h}; the limit is ${LIMITS.maxSide} px a side and ${LIMITS.maxPixels} pixels`);
  return { width: w, height: h };
}
function bytes(value: unknown, expected: number, what: string): Uint8Array {
  if (!(value instanceof Uint8Array)) return fail(`${what} data must be a Uint8Array`);
  if (value.length !== expected) fail(`${what} data has ${value.length} bytes; ${expected} expected`);
  return value;
}
function rgba(value: unknown, what: string): WireRgba {
  const o = obj(value, what);
  const { width, height } = size(o, what);
  return { width, height, data: bytes(get(o, 'data'), width * height * 4, what) };
}
function gray(value: unknown, what: string): WireGray {
  const o = obj(value, what);
  const { width, height } = size(o, what);
  return { width, height, data: bytes(get(o, 'data'), width * height, what) };
}
function edge(value: unknown): WireEdgeControls {
  const o = obj(value, 'edge');
  const out: { feather?: number; shift?: number; smooth?: number; hard?: boolean } = {};
  const m = LIMITS.maxEdgePx;
  if (get(o, 'feather') !== undefined) out.feather = num(get(o, 'feather'), 'edge.feather', 0, m);
  if (get(o, 'shift') !== undefined) out.shift = num(get(o, 'shift'), 'edge.shift', -m, m);
  if (get(o, 'smooth') !== undefined) out.smooth = num(get(o, 'smooth'), 'edge.smooth', 0, m);
  if (get(o, 'hard') !== undefined) out.hard = bool(get(o, 'hard'), 'edge.hard');
  return out;
}

function encoded(value: unknown, what: string): { data: Uint8Array } {
  const o = obj(value, what);
  const data = get(o, 'data');
  if (!(data instanceof Uint8Array)) return fail(`${what} data must be a Uint8Array`);
  if (data.length < 8 || data.length > LIMITS.maxEncodedBytes) fail(`${what} has ${data.length} bytes; 8..${LIMITS.maxEncodedBytes} allowed`);
  return { data };
}

function removePayload(value: unknown): RemovePayload {
  const o = obj(value, 'payload');
  const out: { -readonly [K in keyof RemovePayload]: RemovePayload[K] } = {};
  const hasImage = get(o, 'image') !== undefined;
  const hasEncoded = get(o, 'encoded') !== undefined;
  if (hasImage === hasEncoded) fail('exactly one of image and encoded is required');
  const image = hasImage ? rgba(get(o, 'image'), 'image') : undefined;
  if (image) out.image = image;
  else out.encoded = encoded(get(o, 'encoded'), 'encoded');
  if (get(o, 'hints') !== undefined) {
    const hints = gray(get(o, 'hints'), 'hints');
    if (image && (hints.width !== image.width || hints.height !== image.height)) {
      fail(`hints are ${hints.width}×${hints.height} but the image is ${image.width}×${image.height}; they must match`);
    }
    out.hints = hints;
  }
  if (get(o, 'hintsEncoded') !== undefined) {
    if (out.hints) fail('give hints or hintsEncoded, not both');
    out.hintsEncoded = encoded(get(o, 'hintsEncoded'), 'hintsEncoded');
  }
  if (get(o, 'edge') !== undefined) out.edge = edge(get(o, 'edge'));
  if (get(o, 'output') !== undefined) out.output = oneOf(get(o, 'output'), ['mask', 'cutout'], 'output');
  if (get(o, 'interactive') !== undefined) out.interactive = bool(get(o, 'interactive'), 'interactive');
  if (get(o, 'label') !== undefined) out.label = str(get(o, 'label'), 'label', LIMITS.maxLabelLength);
  if (get(o, 'png') !== undefined) out.png = bool(get(o, 'png'), 'png');
  if (get(o, 'maxOutputSide') !== undefined) {
    const side = num(get(o, 'maxOutputSide'), 'maxOutputSide', 1, LIMITS.maxSide);
    if (!Number.isInteger(side)) fail('maxOutputSide must be an integer');
    out.maxOutputSide = side;
  }
  return out;
}

function configurePayload(value: unknown): ConfigurePayload {
  const o = obj(value, 'payload');
  const out: { -readonly [K in keyof ConfigurePayload]: ConfigurePayload[K] } = {};
  if (get(o, 'modelBaseUrl') !== undefined) {
    const url = str(get(o, 'modelBaseUrl'), 'modelBaseUrl', LIMITS.maxUrlLength);
    let parsed: URL | null = null;
    try {
      parsed = new URL(url);
    } catch {
      fail('modelBaseUrl must be an absolute URL');
    }
    if (parsed && parsed.protocol !== 'https:' && parsed.protocol !== 'http:') fail('modelBaseUrl must be http(s)');
    out.modelBaseUrl = url;
  }
  if (get(o, 'backend') !== undefined) out.backend = oneOf(get(o, 'backend'), ['auto', 'webgpu', 'wasm'], 'backend');
  if (get(o, 'theme') !== undefined) out.theme = oneOf(get(o, 'theme'), ['light', 'dark', 'figma'], 'theme');
  if (get(o, 'host') !== undefined) out.host = oneOf(get(o, 'host'), ['figma', 'photoshop', 'canva', 'test'], 'host');
  if (get(o, 'model') !== undefined) {
    const model = str(get(o, 'model'), 'model', 64);
    if (!/^[a-z0-9][a-z0-9._-]*$/.test(model)) fail('model must be a model id (a-z, 0-9, . _ -)');
    out.model = model;
  }
  if (get(o, 'inputSize') !== undefined) {
    const s = num(get(o, 'inputSize'), 'inputSize', 64, 1024);
    if (!Number.isInteger(s) || s % 64 !== 0) fail('inputSize must be a multiple of 64');
    out.inputSize = s;
  }
  return out;
}

function hostMessage(value: unknown): HostMessage {
  const o = obj(value, 'message');
  if (get(o, 'v') !== 1) fail('unsupported protocol version');
  const kind = oneOf(get(o, 'kind'), ['request', 'cancel'], 'kind');
  const id = str(get(o, 'id'), 'id', LIMITS.maxIdLength);
  if (kind === 'cancel') return { v: 1, kind, id };
  const method = oneOf(get(o, 'method'), ['hello', 'configure', 'preload', 'remove'], 'method');
  const payload = get(o, 'payload');
  switch (method) {
    case 'hello':
    case 'preload':
      return { v: 1, kind, id, method };
    case 'configure':
      return { v: 1, kind, id, method, payload: configurePayload(payload) };
    case 'remove':
      return { v: 1, kind, id, method, payload: removePayload(payload) };
  }
}

function capabilities(value: unknown): Capabilities {
  const o = obj(value, 'capabilities');
  const keys = ['webgpu', 'shaderF16', 'crossOriginIsolated', 'simd', 'cacheStorage', 'indexedDb', 'secureContext'] as const;
  const out = {} as { -readonly [K in keyof Capabilities]: boolean };
  for (const k of keys) out[k] = bool(get(o, k), `capabilities.${k}`);
  return out;
}

function timings(value: unknown): { preprocess: number; inference: number; refine: number; compose: number } {
  const o = obj(value, 'timings');
  const t = (k: string): number => num(get(o, k), `timings.${k}`, 0, 1e9);
  return { preprocess: t('preprocess'), inference: t('inference'), refine: t('refine'), compose: t('compose') };
}

function resultPayload(value: unknown): ResultPayload {
  const o = obj(value, 'result');
  const method = oneOf(get(o, 'method'), ['hello', 'configure', 'preload', 'remove'], 'result.method');
  const v = obj(get(o, 'value'), 'result.value');
  const backend = (): 'webgpu' | 'wasm' => oneOf(get(v, 'backend'), ['webgpu', 'wasm'], 'backend');
  switch (method) {
    case 'hello':
      if (get(v, 'protocol') !== 1) fail('unsupported protocol version');
      return { method, value: { protocol: 1, capabilities: capabilities(get(v, 'capabilities')) } };
    case 'configure':
      if (get(v, 'ok') !== true) fail('configure result must be { ok: true }');
      return { method, value: { ok: true } };
    case 'preload':
      return {
        method,
        value: { backend: backend(), model: str(get(v, 'model'), 'model', 64), source: oneOf(get(v, 'source'), ['network', 'cache-storage', 'indexeddb', 'memory'], 'source') },
      };
    case 'remove': {
      const matte = gray(get(v, 'matte'), 'matte');
      const cutout = get(v, 'cutout') === undefined ? undefined : rgba(get(v, 'cutout'), 'cutout');
      if (cutout && (cutout.width !== matte.width || cutout.height !== matte.height)) fail('cutout and matte sizes differ');
      let png: { data: Uint8Array; width: number; height: number } | undefined;
      if (get(v, 'png') !== undefined) {
        const p = obj(get(v, 'png'), 'png');
        png = { ...size(p, 'png'), data: encoded(p, 'png').data };
      }
      const hintsPng = get(v, 'hintsPng') === undefined ? undefined : encoded({ data: get(v, 'hintsPng') }, 'hintsPng').data;
      const fallbackReason = get(v, 'fallbackReason') === undefined ? undefined : str(get(v, 'fallbackReason'), 'fallbackReason', 4000);
      return {
        method,
        value: {
          matte,
          ...(cutout ? { cutout } : {}),
          ...(png ? { png } : {}),
          ...(hintsPng ? { hintsPng } : {}),
          output: oneOf(get(v, 'output'), ['mask', 'cutout'], 'output'),
          backend: backend(),
          model: str(get(v, 'model'), 'model', 64),
          ...(fallbackReason ? { fallbackReason } : {}),
          timings: timings(get(v, 'timings')),
        },
      };
    }
  }
}

function frameMessage(value: unknown): FrameMessage {
  const o = obj(value, 'message');
  if (get(o, 'v') !== 1) fail('unsupported protocol version');
  const kind = oneOf(get(o, 'kind'), ['ready', 'progress', 'result', 'error'], 'kind');
  if (kind === 'ready') return { v: 1, kind, capabilities: capabilities(get(o, 'capabilities')) };
  const id = str(get(o, 'id'), 'id', LIMITS.maxIdLength);
  switch (kind) {
    case 'progress': {
      const out: { -readonly [K in keyof Extract<FrameMessage, { kind: 'progress' }>]: Extract<FrameMessage, { kind: 'progress' }>[K] } = {
        v: 1,
        kind,
        id,
        stage: oneOf(get(o, 'stage'), STAGES, 'stage'),
        fraction: num(get(o, 'fraction'), 'fraction', 0, 1),
      };
      if (get(o, 'loadedBytes') !== undefined) out.loadedBytes = num(get(o, 'loadedBytes'), 'loadedBytes', 0, Number.MAX_SAFE_INTEGER);
      if (get(o, 'totalBytes') !== undefined) out.totalBytes = num(get(o, 'totalBytes'), 'totalBytes', 0, Number.MAX_SAFE_INTEGER);
      return out;
    }
    case 'result':
      return { v: 1, kind, id, result: resultPayload(get(o, 'result')) };
    case 'error': {
      const code = get(o, 'code');
      if (!isWireErrorCode(code)) return fail('unknown error code');
      const message = get(o, 'message');
      if (typeof message !== 'string' || message.length > 2000) return fail('error message must be a string of ≤ 2000 characters');
      return { v: 1, kind, id, code, message };
    }
  }
}

function parse<T>(value: unknown, run: (v: unknown) => T): Parsed<T> {
  try {
    return { ok: true, message: run(value) };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, reason: e.message };
    // A getter or Proxy trap threw, or a stack overflow on a hostile shape.
    return { ok: false, reason: `unreadable message (${e instanceof Error ? e.name : typeof e})` };
  }
}

export const parseHostMessage = (value: unknown): Parsed<HostMessage> => parse(value, hostMessage);
export const parseFrameMessage = (value: unknown): Parsed<FrameMessage> => parse(value, frameMessage);
