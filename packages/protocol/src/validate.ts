/**
 * Validation of every message crossing the host ↔ frame boundary. Hand-written on purpose: it
 * must run in the Figma sandbox (no DOM, a bare JS VM) and stay tiny in the Canva bundle.
 * Rules: only own properties are read (never `__proto__` tricks or inherited getters), anything
 * that throws while being read (getters, Proxy traps) makes the message invalid, and the result
 * is a fresh object holding only the validated fields, so later code never sees what the sender
 * added.
 *
 * Types and validators cannot drift apart: every payload and result is read through a field
 * table typed `Fields<T>` (table.ts), which the compiler checks against T — a field added to a
 * message type and not to its table, or marked optional on one side only, does not compile.
 * Field-level checks live in validate-fields.ts.
 */
import { CORE_ERROR_CODES } from '@cutout/core/error-codes';
import {
  BACKEND_CHOICES,
  FRAME_MESSAGE_KINDS,
  HOST_MESSAGE_KINDS,
  HOSTS,
  INFERENCE_MODES,
  LIMITS,
  METHODS,
  MODEL_DELIVERIES,
  MODEL_SOURCES,
  OUTPUT_KINDS,
  PROGRESS_STAGES,
  PROTOCOL_ERROR_CODES,
  QUALITIES,
  THEMES,
  WEB_BACKENDS,
  type AssetPayload,
  type Capabilities,
  type ConfigurePayload,
  type DiagnosticsResult,
  type FrameMessage,
  type HostMessage,
  type PanelCommand,
  type PanelPayload,
  type PayloadOf,
  type PreloadResult,
  type RemovePayload,
  type RemoveResult,
  type RequestMethod,
  type ResultMap,
  type ResultPayload,
  type WireEdgeControls,
  type WireErrorCode,
} from './messages.js';
import { assetBytes, bool, fail, fileBytes, get, gray, int, isInvalid, num, obj, oneOf, rgba, size, str } from './validate-fields.js';
import { fields, opt, req, type Check, type Fields } from './table.js';

export type Parsed<T> =
  | { readonly ok: true; readonly message: T }
  /** `id`: the request id of a message that failed after its id was read, so the frame can answer it. */
  | { readonly ok: false; readonly reason: string; readonly id?: string };

/** The core's codes (a leaf module, no imports) plus the protocol's own; WireErrorCode is exactly their union. */
export const WIRE_ERROR_CODES = [...CORE_ERROR_CODES, ...PROTOCOL_ERROR_CODES] as const satisfies readonly WireErrorCode[];

export function isWireErrorCode(value: unknown): value is WireErrorCode {
  return typeof value === 'string' && (WIRE_ERROR_CODES as readonly string[]).includes(value);
}

/** Longest error message and fallback reason a frame may send. */
export const MAX_ERROR_MESSAGE_LENGTH = 2000;
const MAX_MODEL_ID_LENGTH = 64;

// Curried field checks for the tables.
const text = (max: number, min = 1): Check<string> => (v, what) => str(v, what, max, min);
const choice = <const T extends string>(allowed: readonly T[]): Check<T> => (v, what) => oneOf(v, allowed, what);
const flag: Check<boolean> = (v, what) => bool(v, what);
const between = (min: number, max: number): Check<number> => (v, what) => num(v, what, min, max);
const whole = (min: number, max: number): Check<number> => (v, what) => int(v, what, min, max);
const encodedFile: Check<{ data: Uint8Array }> = (v, what) => ({ data: fileBytes(get(obj(v, what), 'data'), `${what} data`) });
const modelId: Check<string> = (v, what) => {
  const id = str(v, what, MAX_MODEL_ID_LENGTH);
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(id)) fail(`${what} must be a model id (a-z, 0-9, . _ -)`);
  return id;
};
/** A base next to the frame's own page ('./', './assets/'): Photoshop's page in plugin-data: reads the model beside it. */
const PAGE_RELATIVE_BASE = /^\.\/(?:[A-Za-z0-9_-][A-Za-z0-9._-]*\/)*$/;
const modelBaseUrl: Check<string> = (v, what) => {
  const url = str(v, what, LIMITS.maxUrlLength);
  if (PAGE_RELATIVE_BASE.test(url)) return url;
  let protocol = '';
  try {
    protocol = new URL(url).protocol;
  } catch {
    fail(`${what} must be an absolute URL`);
  }
  if (protocol !== 'https:' && protocol !== 'http:') fail(`${what} must be http(s), not ${protocol}`);
  return url;
};
const inputSize: Check<number> = (v, what) => {
  const s = int(v, what, 64, 1024);
  if (s % 64 !== 0) fail(`${what} must be a multiple of 64`);
  return s;
};

const EDGE: Fields<WireEdgeControls> = {
  feather: opt(between(0, LIMITS.maxEdgePx)),
  shift: opt(between(-LIMITS.maxEdgePx, LIMITS.maxEdgePx)),
  smooth: opt(between(0, LIMITS.maxEdgePx)),
  hard: opt(flag),
};

const CONFIGURE: Fields<ConfigurePayload> = {
  modelBaseUrl: opt(modelBaseUrl),
  backend: opt(choice(BACKEND_CHOICES)),
  theme: opt(choice(THEMES)),
  host: opt(choice(HOSTS)),
  model: opt(modelId),
  inputSize: opt(inputSize),
  inference: opt(choice(INFERENCE_MODES)),
  modelDelivery: opt(choice(MODEL_DELIVERIES)),
};

/** 'models/<file>' or 'ort/<file>': a file name under the model base, nothing that climbs out of it. */
const ASSET_PATH = /^(?:models|ort)\/[A-Za-z0-9_-][A-Za-z0-9._-]*$/;
const ASSET: Fields<AssetPayload> = {
  path: req((v, what) => {
    const path = str(v, what, 200);
    if (!ASSET_PATH.test(path)) fail(`${what} must be models/<file> or ort/<file>`);
    return path;
  }),
  offset: req(whole(0, LIMITS.maxAssetBytes)),
  total: req(whole(1, LIMITS.maxAssetBytes)),
  data: req((v, what) => assetBytes(v, what)),
};

function assetPayload(value: unknown, what: string): AssetPayload {
  const out = fields(value, what, ASSET);
  if (out.offset + out.data.length > out.total) fail(`the piece at ${out.offset} of ${out.data.length} bytes runs past the file's ${out.total} bytes`);
  return out;
}

const REMOVE: Fields<RemovePayload> = {
  image: opt(rgba),
  encoded: opt(encodedFile),
  hints: opt(gray),
  hintsEncoded: opt(encodedFile),
  png: opt(flag),
  maxOutputSide: opt(whole(1, LIMITS.maxSide)),
  edge: opt((v, what) => fields(v, what, EDGE)),
  output: opt(choice(OUTPUT_KINDS)),
  quality: opt(choice(QUALITIES)),
  interactive: opt(flag),
  fixedOutput: opt(flag),
  label: opt(text(LIMITS.maxLabelLength, 0)),
  refine: opt(flag),
};

function removePayload(value: unknown, what: string): RemovePayload {
  const out = fields(value, what, REMOVE);
  if ((out.image === undefined) === (out.encoded === undefined)) fail('exactly one of image and encoded is required');
  if (out.hints !== undefined && out.hintsEncoded !== undefined) fail('give hints or hintsEncoded, not both');
  const { hints, image } = out; // an encoded image's size is known only once the frame decodes it
  if (hints && image && (hints.width !== image.width || hints.height !== image.height)) {
    fail(`hints are ${hints.width}×${hints.height} but the image is ${image.width}×${image.height}; they must match`);
  }
  if (out.refine === false && (out.png === true || out.interactive === true || (out.output ?? 'mask') !== 'mask' || out.hints !== undefined || out.hintsEncoded !== undefined)) {
    fail('refine: false returns the network alpha only: no png, output, hints or interactive with it');
  }
  return out;
}

const COMMAND: Fields<PanelCommand> = {
  id: req(text(LIMITS.maxCommandIdLength)),
  label: req(text(LIMITS.maxLabelLength)),
  enabled: req(flag),
};

const PANEL: Fields<PanelPayload> = {
  status: req(text(LIMITS.maxStatusLength, 0)),
  commands: req((v, what) => {
    if (!Array.isArray(v)) return fail(`${what} must be an array`);
    const length = v.length;
    if (length > LIMITS.maxCommands) fail(`${what} has ${length} entries; at most ${LIMITS.maxCommands}`);
    const out: PanelCommand[] = [];
    for (let i = 0; i < length; i++) out.push(fields(get(v as unknown as Record<string, unknown>, String(i)), `${what}[${i}]`, COMMAND));
    return out;
  }),
};

const none: Check<undefined> = () => undefined;

/** The payload check of every method (a method added to METHODS without one does not compile). */
const PAYLOADS: { readonly [M in RequestMethod]: Check<PayloadOf<M>> } = {
  hello: none,
  configure: (v, what) => fields(v, what, CONFIGURE),
  preload: none,
  remove: removePayload,
  panel: (v, what) => fields(v, what, PANEL),
  diagnostics: none,
  asset: assetPayload,
};

const CAPABILITIES: Fields<Capabilities> = {
  webgpu: req(flag),
  shaderF16: req(flag),
  crossOriginIsolated: req(flag),
  simd: req(flag),
  cacheStorage: req(flag),
  indexedDb: req(flag),
  secureContext: req(flag),
};
const capabilities: Check<Capabilities> = (v, what) => fields(v, what, CAPABILITIES);

const ms = between(0, 1e9);
const REMOVE_RESULT: Fields<RemoveResult> = {
  matte: opt(gray),
  png: opt((v, what) => {
    const p = obj(v, what);
    return { ...size(p, what), data: fileBytes(get(p, 'data'), `${what} data`) };
  }),
  hintsPng: opt((v, what) => fileBytes(v, what)),
  cutout: opt(rgba),
  output: req(choice(OUTPUT_KINDS)),
  backend: req(choice(WEB_BACKENDS)),
  model: req(modelId),
  fallbackReason: opt(text(MAX_ERROR_MESSAGE_LENGTH, 0)),
  timings: req((v, what) => fields(v, what, { preprocess: req(ms), inference: req(ms), refine: req(ms), compose: req(ms) })),
};

function removeResult(value: unknown, what: string): RemoveResult {
  const out = fields(value, what, REMOVE_RESULT);
  const { cutout, matte } = out;
  if (cutout && matte && (cutout.width !== matte.width || cutout.height !== matte.height)) {
    fail(`cutout is ${cutout.width}×${cutout.height} but the matte is ${matte.width}×${matte.height}; they must match`);
  }
  if (!matte && !out.png) fail(`${what} has neither a matte nor a png`);
  if (cutout && !matte) fail(`${what} has a cutout without a matte`);
  return out;
}

const PRELOAD_RESULT: Fields<PreloadResult> = {
  backend: req(choice(WEB_BACKENDS)),
  model: req(modelId),
  source: req(choice(MODEL_SOURCES)),
  bytes: req(whole(0, Number.MAX_SAFE_INTEGER)),
};

const diagText = text(LIMITS.maxDiagnosticsText, 0);
const DIAGNOSTICS: Fields<DiagnosticsResult> = {
  origin: req(diagText),
  scheme: req(diagText),
  secureContext: req(flag),
  crossOriginIsolated: req(flag),
  webgpuAdapter: req(diagText),
  shaderF16: req(flag),
  cacheStorage: req(flag),
  indexedDb: req(flag),
  helperFrame: req(flag),
  inference: req(choice(INFERENCE_MODES)),
  model: req(text(MAX_MODEL_ID_LENGTH, 0)),
  modelSource: req(choice([...MODEL_SOURCES, 'none'] as const)),
  modelBytes: req(whole(0, Number.MAX_SAFE_INTEGER)),
  backend: req(choice([...WEB_BACKENDS, 'none'] as const)),
  userAgent: req(diagText),
};

const ok: Check<{ ok: true }> = (v, what) => {
  if (get(obj(v, what), 'ok') !== true) fail(`${what} must be { ok: true }`);
  return { ok: true };
};

/** The result check of every method. */
const RESULTS: { readonly [M in RequestMethod]: Check<ResultMap[M]> } = {
  hello: (v, what) => {
    const o = obj(v, what);
    if (get(o, 'protocol') !== 1) fail('unsupported protocol version (protocol must be 1)');
    return { protocol: 1, capabilities: capabilities(get(o, 'capabilities'), 'capabilities') };
  },
  configure: ok,
  preload: (v, what) => fields(v, what, PRELOAD_RESULT),
  remove: removeResult,
  panel: ok,
  diagnostics: (v, what) => fields(v, what, DIAGNOSTICS),
  asset: ok,
};

function checkVersion(o: Record<string, unknown>): void {
  if (get(o, 'v') !== 1) fail('unsupported protocol version (v must be 1)');
}

function hostMessage(value: unknown, salvage: { id?: string }): HostMessage {
  const o = obj(value, 'message');
  checkVersion(o);
  const kind = oneOf(get(o, 'kind'), HOST_MESSAGE_KINDS, 'kind');
  const id = str(get(o, 'id'), 'id', LIMITS.maxIdLength);
  if (kind === 'cancel') return { v: 1, kind, id };
  salvage.id = id;
  const method = oneOf(get(o, 'method'), METHODS, 'method');
  return payloadRequest(id, method, get(o, 'payload'));
}

function payloadRequest<M extends RequestMethod>(id: string, method: M, payload: unknown): HostMessage {
  const check = PAYLOADS[method] as Check<PayloadOf<M>>;
  const checked = check(payload, 'payload');
  // Methods without a payload get none (not an own `payload: undefined` key).
  return (checked === undefined ? { v: 1, kind: 'request', id, method } : { v: 1, kind: 'request', id, method, payload: checked }) as HostMessage;
}

function resultPayload(value: unknown): ResultPayload {
  const o = obj(value, 'result');
  const method = oneOf(get(o, 'method'), METHODS, 'result.method');
  const check = RESULTS[method] as Check<ResultMap[typeof method]>;
  return { method, value: check(get(o, 'value'), 'result.value') } as ResultPayload;
}

function frameMessage(value: unknown): FrameMessage {
  const o = obj(value, 'message');
  checkVersion(o);
  const kind = oneOf(get(o, 'kind'), FRAME_MESSAGE_KINDS, 'kind');
  if (kind === 'ready') return { v: 1, kind, capabilities: capabilities(get(o, 'capabilities'), 'capabilities') };
  if (kind === 'command') return { v: 1, kind, command: str(get(o, 'command'), 'command', LIMITS.maxCommandIdLength) };
  const id = str(get(o, 'id'), 'id', LIMITS.maxIdLength);
  switch (kind) {
    case 'progress': {
      const loaded = get(o, 'loadedBytes');
      const total = get(o, 'totalBytes');
      return {
        v: 1,
        kind,
        id,
        stage: oneOf(get(o, 'stage'), PROGRESS_STAGES, 'stage'),
        fraction: num(get(o, 'fraction'), 'fraction', 0, 1),
        ...(loaded !== undefined ? { loadedBytes: num(loaded, 'loadedBytes', 0, Number.MAX_SAFE_INTEGER) } : {}),
        ...(total !== undefined ? { totalBytes: num(total, 'totalBytes', 0, Number.MAX_SAFE_INTEGER) } : {}),
      };
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

function parse<T>(value: unknown, run: (v: unknown, salvage: { id?: string }) => T): Parsed<T> {
  const salvage: { id?: string } = {};
  try {
    return { ok: true, message: run(value, salvage) };
  } catch (e) {
    const id = salvage.id !== undefined ? { id: salvage.id } : {};
    if (isInvalid(e)) return { ok: false, reason: e.message, ...id };
    // A getter or Proxy trap threw, or the engine ran out of stack on a hostile shape. Reading
    // e.name could itself throw (a hostile thrown object), so only typeof is used here.
    return { ok: false, reason: `unreadable message (a property read threw: ${typeof e})`, ...id };
  }
}

/** Validates a message a host adapter sent to the frame. Never throws. */
export const parseHostMessage = (value: unknown): Parsed<HostMessage> => parse(value, hostMessage);
/** Validates a message the frame sent to a host adapter. Never throws. */
export const parseFrameMessage = (value: unknown): Parsed<FrameMessage> => parse(value, (v) => frameMessage(v));
