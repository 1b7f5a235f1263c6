/**
 * Fuzzing the host → frame parser with fast-check: valid messages parse to fresh equal copies,
 * known-invalid mutations are rejected, harmless ones change nothing, nothing hostile throws or
 * pollutes a prototype. Replay: CUTOUT_FUZZ_SEED=<seed printed> npx vitest run tests/protocol-fuzz-host.test.ts
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFrameMessage, parseHostMessage } from '@cutout/protocol';
import { DEEP, cyclic, fuzz, parserProperties, protoJson, snapshot, throwingProxy, validHost, type Obj } from './helpers/protocol-arbitraries.js';

const props = parserProperties('host', validHost, parseHostMessage, parseFrameMessage);

describe('protocol fuzz: host messages', () => {
  const before = snapshot();
  it('accepts every valid message as a fresh equal copy', () => fc.assert(props.valid, fuzz(1500)));
  it('rejects known-invalid mutations, keeps harmless ones, never throws or accepts an unsound message', () => fc.assert(props.mutated, fuzz(12_000)));
  it('never throws on random hostile trees', () => fc.assert(props.random, fuzz(1500)));

  it('fixed hostile shapes (deep, cyclic, __proto__ JSON, proxies, BigInt, Symbol, functions)', () => {
    const values: unknown[] = [
      DEEP, cyclic(), protoJson(), throwingProxy(), 10n, Symbol('x'), () => 1, Object.create(null),
      JSON.parse('{"v":1,"kind":"request","id":"p","method":"remove","payload":{"__proto__":{"image":{"width":1,"height":1,"data":null}}}}'),
      JSON.parse('{"v":1,"kind":"cancel","id":"p","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}'),
      new Proxy({ v: 1, kind: 'cancel', id: 'p' }, { getOwnPropertyDescriptor: () => ({ value: 1, configurable: true, enumerable: true }) }),
    ];
    for (const value of values) {
      expect(() => parseHostMessage(value)).not.toThrow();
      expect(() => parseFrameMessage(value)).not.toThrow();
    }
    expect(parseHostMessage(values[9]).ok).toBe(true); // extra keys ignored, even __proto__ ones
  });

  it('left no prototype polluted, and the mutations hit both invalid and harmless cases', () => {
    expect(props.tally.invalid).toBeGreaterThan(2500);
    expect(props.tally.same).toBeGreaterThan(500);
    expect(snapshot()).toEqual(before);
    expect(({} as Obj)['polluted']).toBeUndefined();
    expect(Object.getPrototypeOf(Object.prototype)).toBeNull();
  });
});
