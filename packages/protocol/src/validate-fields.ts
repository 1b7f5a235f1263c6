/**
 * Field-level checks shared by the host and frame message validators (validate.ts). Each check
 * reads only own properties, throws (via `fail`) with a human-readable reason, and returns a fresh
 * value. Byte buffers are identified through the engine's own typed-array getters, so a Proxy,
 * a subclass overriding `length`, or `Object.create(Uint8Array.prototype)` cannot pass for one.
 */
import { LIMITS, type WireGray, type WireRgba } from './messages.js';

/** Errors thrown by `fail`; kept in a WeakSet so telling them apart never runs hostile code. */
const invalids = new WeakSet<object>();

export const fail = (reason: string): never => {
  const error = new Error(reason);
  invalids.add(error);
  throw error;
};

/** True only for errors thrown by `fail` (`instanceof` would run a thrown Proxy's traps). */
export const isInvalid = (e: unknown): e is Error => typeof e === 'object' && e !== null && invalids.has(e);

export type Rec = Record<string, unknown>;

/** A non-array object (a byte buffer is not a record either). */
export function obj(value: unknown, what: string): Rec {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || ArrayBuffer.isView(value)) fail(`${what} must be an object`);
  return value as Rec;
}

const hasOwn = Object.prototype.hasOwnProperty;
/** An own property, or undefined: never an inherited one (no `__proto__` or prototype tricks). */
export function get(o: Rec, key: string): unknown {
  return hasOwn.call(o, key) ? o[key] : undefined;
}

export function str(value: unknown, what: string, max: number, min = 1): string {
  if (typeof value !== 'string') return fail(`${what} must be a string`);
  if (value.length < min || value.length > max) fail(`${what} must have ${min}..${max} characters (has ${value.length})`);
  return value;
}

export function oneOf<const T extends string>(value: unknown, allowed: readonly T[], what: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) fail(`${what} must be one of ${allowed.join(', ')}`);
  return value as T;
}

export function bool(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean') fail(`${what} must be a boolean`);
  return value as boolean;
}

/** A finite number in [min, max]; -0 comes back as 0. */
export function num(value: unknown, what: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) fail(`${what} must be a finite number in [${min}, ${max}]`);
  return value === 0 ? 0 : (value as number);
}

export function int(value: unknown, what: string, min: number, max: number): number {
  const n = num(value, what, min, max);
  if (!Number.isInteger(n)) fail(`${what} must be an integer`);
  return n;
}

/** Integer width and height, each 1..maxSide, at most maxPixels in all. */
export function size(o: Rec, what: string): { width: number; height: number } {
  const w = get(o, 'width');
  const h = get(o, 'height');
  if (typeof w !== 'number' || typeof h !== 'number' || !Number.isInteger(w) || !Number.isInteger(h)) return fail(`${what} width and height must be integers`);
  if (w < 1 || h < 1) fail(`${what} is empty (${w}×${h})`);
  if (w > LIMITS.maxSide || h > LIMITS.maxSide || w * h > LIMITS.maxPixels) {
    fail(`${what} is ${w}×${h}; the limit is ${LIMITS.maxSide} px a side and ${LIMITS.maxPixels} pixels`);
  }
  return { width: w, height: h };
}

// The engine's own getters: they read internal slots, so nothing the sender defines can fake them.
const typedArrayProto = Object.getPrototypeOf(Uint8Array.prototype) as object;
const getter = (target: object, key: PropertyKey): ((this: unknown) => unknown) | undefined =>
  Object.getOwnPropertyDescriptor(target, key)?.get as ((this: unknown) => unknown) | undefined;
const tagOf = getter(typedArrayProto, Symbol.toStringTag);
const lengthOf = getter(typedArrayProto, 'length');
const bufferOf = getter(typedArrayProto, 'buffer');
const offsetOf = getter(typedArrayProto, 'byteOffset');
const resizableOf = getter(ArrayBuffer.prototype, 'resizable'); // absent on older engines

function isResizable(buffer: unknown): boolean {
  try {
    return resizableOf?.call(buffer) === true;
  } catch {
    return false; // a SharedArrayBuffer: it can only grow, so a fixed view over it stays valid
  }
}

/**
 * A real Uint8Array (any realm) of `min`..`max` bytes, returned as a fresh fixed-length view over
 * the same memory (no copy): own `length` properties, subclasses and foreign prototypes are gone.
 */
function bytes(value: unknown, what: string, min: number, max: number): Uint8Array {
  if (!tagOf || !lengthOf || !bufferOf || !offsetOf || tagOf.call(value) !== 'Uint8Array') return fail(`${what} must be a Uint8Array`);
  const length = lengthOf.call(value) as number;
  if (length < min || length > max) fail(min === max ? `${what} has ${length} bytes; ${min} expected` : `${what} has ${length} bytes; ${min}..${max} allowed`);
  const buffer = bufferOf.call(value) as ArrayBuffer;
  // A length-tracking view over a resizable buffer could shrink after it was checked.
  if (isResizable(buffer)) fail(`${what} must not be backed by a resizable ArrayBuffer`);
  return new Uint8Array(buffer, offsetOf.call(value) as number, length);
}

export function rgba(value: unknown, what: string): WireRgba {
  const o = obj(value, what);
  const { width, height } = size(o, what);
  return { width, height, data: bytes(get(o, 'data'), `${what} data`, width * height * 4, width * height * 4) };
}

export function gray(value: unknown, what: string): WireGray {
  const o = obj(value, what);
  const { width, height } = size(o, what);
  return { width, height, data: bytes(get(o, 'data'), `${what} data`, width * height, width * height) };
}

/** An encoded image file's bytes (PNG, JPEG, …): 8 bytes (a signature) up to LIMITS.maxEncodedBytes. */
export function fileBytes(value: unknown, what: string): Uint8Array {
  return bytes(value, what, 8, LIMITS.maxEncodedBytes);
}

/** A piece of a model file sent by the host: 1 byte up to LIMITS.maxAssetChunkBytes. */
export function assetBytes(value: unknown, what: string): Uint8Array {
  return bytes(value, what, 1, LIMITS.maxAssetChunkBytes);
}
