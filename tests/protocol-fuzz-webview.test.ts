/**
 * Fuzzing the Photoshop webview reassembler with fast-check: whatever arrives (real chunks in any
 * interleaving, duplicates, changed counts, forged chunks, junk strings, hostile trees), it never
 * throws, stays within its bounds and never completes a message that differs from the one sent;
 * buffers round-trip whole and chunked. Replay: CUTOUT_FUZZ_SEED=<seed printed> npx vitest run tests/protocol-fuzz-webview.test.ts
 */
import { randomBytes as nodeRandomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_PARTIAL_MESSAGES, MAX_PENDING_CHARS, Reassembler, parseHostMessage, toWire } from '@cutout/protocol';
import { DEEP, build, cyclic, fuzz, plan, same, throwingProxy, validHost, type Obj, type Plan } from './helpers/protocol-arbitraries.js';

const randomBytes = (n: number): Uint8Array => new Uint8Array(nodeRandomBytes(n));
const viaBridge = (piece: unknown): unknown => JSON.parse(JSON.stringify(piece)); // what Photoshop's bridge does

/** One delivery: the next piece of one of three messages in flight, a replay or forgery, junk, or a hostile tree. */
type Op =
  | { t: 'piece'; flight: number; asString: boolean }
  | { t: 'replay'; flight: number; bumpCount: boolean }
  | { t: 'forged'; mid: unknown; seq: unknown; count: unknown; text: unknown; odd: number | null; asString: boolean }
  | { t: 'junk'; raw: string }
  | { t: 'tree'; plan: Plan; special: number | null };
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 7, arbitrary: fc.record({ t: fc.constant('piece' as const), flight: fc.nat(2), asString: fc.boolean() }) },
  fc.record({ t: fc.constant('replay' as const), flight: fc.nat(2), bumpCount: fc.boolean() }),
  { weight: 6, arbitrary: fc.record({
    t: fc.constant('forged' as const), mid: fc.oneof(fc.nat(11).map((i) => `g${i}`), fc.constantFrom('', 'x'.repeat(100), 5, null)), seq: fc.constantFrom(0, 1, 2, -1, 5, 0.5, NaN, '0'),
    count: fc.constantFrom(1, 2, 3, 0, -1, 1.5, NaN, 1e9, 2 ** 40, '2'), text: fc.constantFrom('{"a":', '1}', '', 7, null, { t: 1 }, ['x'], '"x"'), odd: fc.option(fc.nat(3)), asString: fc.boolean(),
  }) },
  // A plausible first piece of a message that never completes: partials pile up until the oldest is dropped.
  { weight: 2, arbitrary: fc.record({ t: fc.constant('forged' as const), mid: fc.nat(11).map((i) => `g${i}`), seq: fc.constant(0), count: fc.constant(3), text: fc.constant('{"a":'), odd: fc.constant(null), asString: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('junk' as const), raw: fc.constantFrom('{not json', '', 'null', '[]', '{"$bytes":"@@@@"}', '{"a":{"$bytes":"AAAA"}}', '{"$bytes":"AAA"}', '{"__proto__":{"polluted":1}}', '"str"', '1e999') }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('tree' as const), plan, special: fc.option(fc.nat(1), { freq: 50 }) }) },
);
/** What each of the three flights carries: a valid host message padded with a blob so that it spans several chunks. */
const flightMessage = fc.tuple(validHost, fc.integer({ min: 1000, max: 3000 })).map(([m, n]) => ({ ...m, blob: new Uint8Array(n).map((_, i) => (i * 31 + n) & 255) }));

describe('protocol fuzz: webview reassembler', () => {
  it('never throws, stays bounded and never completes a wrong message', () => {
    let completed = 0;
    let dropped = false;
    fc.assert(
      fc.property(fc.array(flightMessage, { minLength: 3, maxLength: 3 }), fc.array(op, { minLength: 1, maxLength: 150 }), (messages, ops) => {
        const r = new Reassembler((line) => void (dropped ||= line.includes('dropped partial')));
        const flights = messages.map((original) => ({ original, pieces: toWire(original, 1024).map(viaBridge), next: 0 }));
        for (const o of ops) {
          let raw: unknown;
          let flight: (typeof flights)[number] | undefined;
          if (o.t === 'piece') {
            flight = flights[o.flight]!;
            if (flight.next >= flight.pieces.length) continue;
            raw = flight.pieces[flight.next++];
            if (o.asString) raw = JSON.stringify(raw);
          } else if (o.t === 'replay') {
            const f = flights[o.flight]!;
            const piece = f.pieces[Math.max(0, f.next - 1)] as { $chunk: Obj };
            raw = o.bumpCount ? { $chunk: { ...piece.$chunk, count: (piece.$chunk['count'] as number) + 1 } } : piece;
          } else if (o.t === 'forged') {
            raw = o.odd !== null ? { $chunk: [null, [], 'x', throwingProxy()][o.odd] } : { $chunk: { mid: o.mid, seq: o.seq, count: o.count, text: o.text } };
            if (o.asString && o.odd !== 3) raw = JSON.stringify(raw);
          } else if (o.t === 'junk') raw = o.raw;
          else raw = o.special !== null ? [DEEP, cyclic()][o.special] : build(o.plan, true);
          const out = r.accept(raw); // a throw fails the property
          if (r.pending > MAX_PARTIAL_MESSAGES || r.pendingCharacters > MAX_PENDING_CHARS || r.pendingCharacters < 0) return false;
          if (out !== null && typeof out === 'object' && flight && flight.next >= flight.pieces.length) {
            completed++;
            if (!same(out, flight.original)) return false;
          }
        }
        return true;
      }),
      fuzz(250),
    );
    expect(completed).toBeGreaterThan(20);
    expect(dropped).toBe(true);
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
        const big = randomBytes(6 * 1024 * 1024 + 1);
    const messages: Obj[] = [
      { v: 1, kind: 'result', id: 'z', result: { method: 'configure', value: { ok: true } }, blobs: [new Uint8Array(0), new Uint8Array([7]), randomBytes(2), randomBytes(3)] },
      { v: 1, kind: 'request', id: 'one', method: 'remove', payload: { encoded: { data: new Uint8Array([255]) }, nested: { deeper: [new Uint8Array(0)] } } },
      { v: 1, kind: 'request', id: 'big', method: 'remove', payload: { image: { width: 1, height: 1, data: randomBytes(4) }, extra: big, label: 'ü ✓ "quotes" \\ \n' } },
      { v: 1, kind: 'request', id: 'px', method: 'remove', payload: { image: { width: 640, height: 480, data: randomBytes(640 * 480 * 4) }, label: 'x' } },
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
    const emoji = { v: 1, kind: 'request', id: 'e', method: 'remove', payload: { encoded: { data: randomBytes(9) }, label: 'x😀'.repeat(3000) } };
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
