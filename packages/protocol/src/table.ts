/**
 * Field tables: one check per field of a message type, typed so that the compiler rejects a
 * table that misses a field, names one the type does not have, or disagrees on whether it is
 * optional. `fields` reads only the table's keys (own properties), so the result holds nothing
 * the sender added.
 */
import { get, obj } from './validate-fields.js';

/** Checks one value (`what` names it in the reason) and returns a fresh, validated copy. */
export type Check<T> = (value: unknown, what: string) => T;

interface Optional<V> {
  readonly optional: true;
  readonly check: Check<V>;
}
interface Required<V> {
  readonly optional: false;
  readonly check: Check<V>;
}

type OptionalKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? K : never }[keyof T];

/** A check for every field of T; optional fields must use `opt`, required ones `req`. */
export type Fields<T> = {
  readonly [K in keyof T]-?: K extends OptionalKeys<T> ? Optional<Exclude<T[K], undefined>> : Required<T[K]>;
};

export const opt = <V>(check: Check<V>): Optional<V> => ({ optional: true, check });
export const req = <V>(check: Check<V>): Required<V> => ({ optional: false, check });

/** Names whose fields are reported bare ('image', not 'payload.image'). */
const TOP_LEVEL = new Set(['payload', 'result.value']);

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Reads an object field by field through its table. A missing required field fails like a wrong one. */
export function fields<T>(value: unknown, what: string, table: Fields<T>): T {
  const o = obj(value, what);
  const out: Partial<Mutable<T>> = {};
  for (const key of Object.keys(table) as Array<keyof T & string>) {
    const entry = table[key] as Optional<unknown> | Required<unknown>;
    const v = get(o, key);
    if (v === undefined && entry.optional) continue;
    out[key] = entry.check(v, TOP_LEVEL.has(what) ? key : `${what}.${key}`) as T[typeof key];
  }
  return out as T;
}
