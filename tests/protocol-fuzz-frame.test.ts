/**
 * Fuzzing the frame → host parser with fast-check (every frame kind and result method).
 * Replay: CUTOUT_FUZZ_SEED=<seed printed> npx vitest run tests/protocol-fuzz-frame.test.ts
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFrameMessage, parseHostMessage } from '@cutout/protocol';
import { fuzz, parserProperties, snapshot, validFrame, type Obj } from './helpers/protocol-arbitraries.js';

const props = parserProperties('frame', validFrame, parseFrameMessage, parseHostMessage);

describe('protocol fuzz: frame messages', () => {
  const before = snapshot();
  it('accepts every valid message as a fresh equal copy', () => fc.assert(props.valid, fuzz(1500)));
  it('rejects known-invalid mutations, keeps harmless ones, never throws or accepts an unsound message', () => fc.assert(props.mutated, fuzz(12_000)));
  it('never throws on random hostile trees', () => fc.assert(props.random, fuzz(1500)));
  it('left no prototype polluted, and the mutations hit both invalid and harmless cases', () => {
    expect(props.tally.invalid).toBeGreaterThan(2500);
    expect(props.tally.same).toBeGreaterThan(500);
    expect(snapshot()).toEqual(before);
    expect(({} as Obj)['polluted']).toBeUndefined();
  });
});
