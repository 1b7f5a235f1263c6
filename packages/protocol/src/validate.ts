/**
 * Validation of every message crossing the host ↔ frame boundary. Hand-written on purpose: it
 * must run in the Figma sandbox (no DOM, a bare JS VM) and stay tiny in the Canva bundle.
 * Rules: only own properties are read (never `__proto__` tricks or inherited getters), anything
 * that throws while being read (getters, Proxy traps) makes the message invalid, and the result
 * is a fresh object holding only the validated fields, so later code never sees what the sender
 * added. Field-level checks live in validate-fields.ts.
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
  type WireErrorCode,
} from './messages.js';
import { bool, edge, fail, fileBytes, get, gray, int, isInvalid, num, obj, oneOf, rgba, size, str } from './validate-fields.js';

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

export function isWireErrorCode(value: unknown): value is WireErrorCode {
  return typeof value === 'string' && (WIRE_ERROR_CODES as readonly string[]).includes(value);
}

export const PROGRESS_STAGES = ['download', 'session', 'preprocess', 'inference', 'refine', 'compose', 'review'] as const satisfies readonly ProgressStage[];
/** Longest error message and fallback reason a frame may send. */
export const MAX_ERROR_MESSAGE_LENGTH = 2000;
const MAX_MODEL_ID_LENGTH = 64;
const METHODS = ['hello', 'configure', 'preload', 'remove'] as const;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function removePayload(value: unknown): RemovePayload {
  const o = obj(value, 'payload');
  const out: Mutable<RemovePayload> = {};
  const image = get(o, 'image');
  const encoded = get(o, 'encoded');
  if ((image === undefined) === (encoded === undefined)) fail('exactly one of image and encoded is required');
  if (image !== undefined) out.image = rgba(image, 'image');
  else out.encoded = { data: fileBytes(get(obj(encoded, 'encoded'), 'data'), 'encoded data') };
  const hints = get(o, 'hints');
  const hintsEncoded = get(o, 'hintsEncoded');
  if (hints !== undefined && hintsEncoded !== undefined) fail('give hints or hintsEncoded, not both');
  if (hints !== undefined) {
    const h = gray(hints, 'hints');
    const img = out.image; // an encoded image's size is known only once the frame decodes it
    if (img && (h.width !== img.width || h.height !== img.height)) {
      fail(`hints are ${h.width}×${h.height} but the image is ${img.width}×${img.height}; they must match`);
    }
    out.hints = h;
  }
  if (hintsEncoded !== undefined) out.hintsEncoded = { data: fileBytes(get(obj(hintsEncoded, 'hintsEncoded'), 'data'), 'hintsEncoded data') };
  const edgeValue = get(o, 'edge');
  const output = get(o, 'output');
  const interactive = get(o, 'interactive');
  const label = get(o, 'label');
  const png = get(o, 'png');
  const maxOutputSide = get(o, 'maxOutputSide');
  if (edgeValue !== undefined) out.edge = edge(edgeValue);
  if (output !== undefined) out.output = oneOf(output, ['mask', 'cutout'], 'output');
  if (interactive !== undefined) out.interactive = bool(interactive, 'interactive');
  if (label !== undefined) out.label = str(label, 'label', LIMITS.maxLabelLength, 0);
  if (png !== undefined) out.png = bool(png, 'png');
  if (maxOutputSide !== undefined) out.maxOutputSide = int(maxOutputSide, 'maxOutputSide', 1, LIMITS.maxSide);
  return out;
}

function modelBaseUrl(value: unknown): string {
  const url = str(value, 'modelBaseUrl', LIMITS.maxUrlLength);
  let protocol = '';
  try {
    protocol = new URL(url).protocol;
  } catch {
    fail('modelBaseUrl must be an absolute URL');
  }
  if (protocol !== 'https:' && protocol !== 'http:') fail(`modelBaseUrl must be http(s), not ${protocol}`);
  return url;
}

function configurePayload(value: unknown): ConfigurePayload {
  const o = obj(value, 'payload');
  const out: Mutable<ConfigurePayload> = {};
  const base = get(o, 'modelBaseUrl');
  const backend = get(o, 'backend');
  const theme = get(o, 'theme');
  const host = get(o, 'host');
  const model = get(o, 'model');
  const inputSize = get(o, 'inputSize');
  if (base !== undefined) out.modelBaseUrl = modelBaseUrl(base);
  if (backend !== undefined) out.backend = oneOf(backend, ['auto', 'webgpu', 'wasm'], 'backend');
  if (theme !== undefined) out.theme = oneOf(theme, ['light', 'dark', 'figma'], 'theme');
  if (host !== undefined) out.host = oneOf(host, ['figma', 'photoshop', 'canva', 'test'], 'host');
  if (model !== undefined) {
    const id = str(model, 'model', MAX_MODEL_ID_LENGTH);
    if (!/^[a-z0-9][a-z0-9._-]*$/.test(id)) fail('model must be a model id (a-z, 0-9, . _ -)');
    out.model = id;
  }
  if (inputSize !== undefined) {
    const s = int(inputSize, 'inputSize', 64, 1024);
    if (s % 64 !== 0) fail('inputSize must be a multiple of 64');
    out.inputSize = s;
  }
  return out;
}

function hostMessage(value: unknown): HostMessage {
  const o = obj(value, 'message');
  if (get(o, 'v') !== 1) fail('unsupported protocol version (v must be 1)');
  const kind = oneOf(get(o, 'kind'), ['request', 'cancel'], 'kind');
  const id = str(get(o, 'id'), 'id', LIMITS.maxIdLength);
  if (kind === 'cancel') return { v: 1, kind, id };
  const method = oneOf(get(o, 'method'), METHODS, 'method');
  switch (method) {
    case 'hello':
    case 'preload':
      return { v: 1, kind, id, method };
    case 'configure':
      return { v: 1, kind, id, method, payload: configurePayload(get(o, 'payload')) };
    case 'remove':
      return { v: 1, kind, id, method, payload: removePayload(get(o, 'payload')) };
  }
}

function capabilities(value: unknown): Capabilities {
  const o = obj(value, 'capabilities');
  const b = (k: keyof Capabilities): boolean => bool(get(o, k), `capabilities.${k}`);
  return { webgpu: b('webgpu'), shaderF16: b('shaderF16'), crossOriginIsolated: b('crossOriginIsolated'), simd: b('simd'), cacheStorage: b('cacheStorage'), indexedDb: b('indexedDb'), secureContext: b('secureContext') };
}

function timings(value: unknown): { preprocess: number; inference: number; refine: number; compose: number } {
  const o = obj(value, 'timings');
  const t = (k: string): number => num(get(o, k), `timings.${k}`, 0, 1e9);
  return { preprocess: t('preprocess'), inference: t('inference'), refine: t('refine'), compose: t('compose') };
}

function removeResult(v: Record<string, unknown>): Extract<ResultPayload, { method: 'remove' }>['value'] {
  const matte = gray(get(v, 'matte'), 'matte');
  const cutoutValue = get(v, 'cutout');
  const pngValue = get(v, 'png');
  const hintsPngValue = get(v, 'hintsPng');
  const fallbackValue = get(v, 'fallbackReason');
  const cutout = cutoutValue === undefined ? undefined : rgba(cutoutValue, 'cutout');
  if (cutout && (cutout.width !== matte.width || cutout.height !== matte.height)) {
    fail(`cutout is ${cutout.width}×${cutout.height} but the matte is ${matte.width}×${matte.height}; they must match`);
  }
  let png: { data: Uint8Array; width: number; height: number } | undefined;
  if (pngValue !== undefined) {
    const p = obj(pngValue, 'png');
    png = { ...size(p, 'png'), data: fileBytes(get(p, 'data'), 'png data') };
  }
  const hintsPng = hintsPngValue === undefined ? undefined : fileBytes(hintsPngValue, 'hintsPng');
  const fallbackReason = fallbackValue === undefined ? undefined : str(fallbackValue, 'fallbackReason', MAX_ERROR_MESSAGE_LENGTH, 0);
  return {
    matte,
    ...(cutout ? { cutout } : {}),
    ...(png ? { png } : {}),
    ...(hintsPng ? { hintsPng } : {}),
    output: oneOf(get(v, 'output'), ['mask', 'cutout'], 'output'),
    backend: oneOf(get(v, 'backend'), ['webgpu', 'wasm'], 'backend'),
    model: str(get(v, 'model'), 'model', MAX_MODEL_ID_LENGTH),
    ...(fallbackReason !== undefined ? { fallbackReason } : {}),
    timings: timings(get(v, 'timings')),
  };
}

function resultPayload(value: unknown): ResultPayload {
  const o = obj(value, 'result');
  const method = oneOf(get(o, 'method'), METHODS, 'result.method');
  const v = obj(get(o, 'value'), 'result.value');
  switch (method) {
    case 'hello':
      if (get(v, 'protocol') !== 1) fail('unsupported protocol version (protocol must be 1)');
      return { method, value: { protocol: 1, capabilities: capabilities(get(v, 'capabilities')) } };
    case 'configure':
      if (get(v, 'ok') !== true) fail('configure result must be { ok: true }');
      return { method, value: { ok: true } };
    case 'preload':
      return {
        method,
        value: {
          backend: oneOf(get(v, 'backend'), ['webgpu', 'wasm'], 'backend'),
          model: str(get(v, 'model'), 'model', MAX_MODEL_ID_LENGTH),
          source: oneOf(get(v, 'source'), ['network', 'cache-storage', 'indexeddb', 'memory'], 'source'),
        },
      };
    case 'remove':
      return { method, value: removeResult(v) };
  }
}

function frameMessage(value: unknown): FrameMessage {
  const o = obj(value, 'message');
  if (get(o, 'v') !== 1) fail('unsupported protocol version (v must be 1)');
  const kind = oneOf(get(o, 'kind'), ['ready', 'progress', 'result', 'error'], 'kind');
  if (kind === 'ready') return { v: 1, kind, capabilities: capabilities(get(o, 'capabilities')) };
  const id = str(get(o, 'id'), 'id', LIMITS.maxIdLength);
  switch (kind) {
    case 'progress': {
      const out: Mutable<Extract<FrameMessage, { kind: 'progress' }>> = {
        v: 1,
        kind,
        id,
        stage: oneOf(get(o, 'stage'), PROGRESS_STAGES, 'stage'),
        fraction: num(get(o, 'fraction'), 'fraction', 0, 1),
      };
      const loaded = get(o, 'loadedBytes');
      const total = get(o, 'totalBytes');
      if (loaded !== undefined) out.loadedBytes = num(loaded, 'loadedBytes', 0, Number.MAX_SAFE_INTEGER);
      if (total !== undefined) out.totalBytes = num(total, 'totalBytes', 0, Number.MAX_SAFE_INTEGER);
      return out;
    }
    case 'result':
      return { v: 1, kind, id, result: resultPayload(get(o, 'result')) };
    case 'error': {
      const code = get(o, 'code');
      if (!isWireErrorCode(code)) return fail('unknown error code');
      return { v: 1, kind, id, code, message: str(get(o, 'message'), 'error message', MAX_ERROR_MESSAGE_LENGTH, 0) };
    }
  }
}

function parse<T>(value: unknown, run: (v: unknown) => T): Parsed<T> {
  try {
    return { ok: true, message: run(value) };
  } catch (e) {
    if (isInvalid(e)) return { ok: false, reason: e.message };
    // A getter or Proxy trap threw, or the engine ran out of stack on a hostile shape. Reading
    // e.name could itself throw (a hostile thrown object), so only typeof is used here.
    return { ok: false, reason: `unreadable message (a property read threw: ${typeof e})` };
  }
}

/** Validates a message a host adapter sent to the frame. Never throws. */
export const parseHostMessage = (value: unknown): Parsed<HostMessage> => parse(value, hostMessage);
/** Validates a message the frame sent to a host adapter. Never throws. */
export const parseFrameMessage = (value: unknown): Parsed<FrameMessage> => parse(value, frameMessage);
