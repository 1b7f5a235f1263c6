/**
 * The host kit: the protocol's host-side client (ids, progress, cancel, a ready that times out
 * with a code, replies checked against the method asked) and the batch runner behind HostPort
 * (skip reasons, nothing written until every image is done, cancel / close / a frame that never
 * boots write nothing, a result of the wrong kind is refused). The frame side here is scripted
 * over the in-process transport; the real frame answers the same client in the browser tests.
 */
import { describe, expect, it } from 'vitest';
import { createDirectPair, createFrameClient, isFrameError, parseHostMessage, type FrameEndpoint, type FrameMessage, type HostRequest, type RemoveResult } from '@cutout/protocol';
import { runBatch, summarise, type HostPort, type Skip } from '@cutout/host-kit';

const caps = { webgpu: false, shaderF16: false, crossOriginIsolated: false, simd: true, cacheStorage: false, indexedDb: false, secureContext: true };
const png = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 0, 0]);

function removeResult(output: 'mask' | 'cutout'): RemoveResult {
  return { png: { data: png, width: 1, height: 1 }, output, backend: 'wasm', model: 'scripted', timings: { preprocess: 0, inference: 0, refine: 0, compose: 0 } };
}

/** A scripted frame: validates every host message and answers with `answer`. */
function scriptedFrame(frame: FrameEndpoint, answer: (request: HostRequest, send: (m: FrameMessage) => void) => void, options: { ready?: boolean } = {}) {
  const seen: Array<{ kind: string; id: string; method?: string }> = [];
  frame.listen((raw) => {
    const parsed = parseHostMessage(raw);
    if (!parsed.ok) throw new Error(parsed.reason);
    const m = parsed.message;
    seen.push({ kind: m.kind, id: m.id, ...(m.kind === 'request' ? { method: m.method } : {}) });
    if (m.kind === 'cancel') return frame.send({ v: 1, kind: 'error', id: m.id, code: 'cancelled', message: 'cancelled by the host' });
    answer(m, (reply) => frame.send(reply));
  });
  if (options.ready !== false) frame.send({ v: 1, kind: 'ready', capabilities: caps });
  return seen;
}

describe('frame client', () => {
  it('matches replies by id, routes progress, and rejects a result for another method', async () => {
    const [host, frame] = createDirectPair();
    const client = createFrameClient(host);
    scriptedFrame(frame, (m, send) => {
      if (m.method === 'configure') return send({ v: 1, kind: 'result', id: m.id, result: { method: 'configure', value: { ok: true } } });
      if (m.method === 'preload') {
        send({ v: 1, kind: 'progress', id: m.id, stage: 'download', fraction: 0.5, loadedBytes: 5, totalBytes: 10 });
        return send({ v: 1, kind: 'result', id: m.id, result: { method: 'preload', value: { backend: 'wasm', model: 'm', source: 'network', bytes: 10 } } });
      }
      // Wrong kind of answer: a configure result for a hello.
      send({ v: 1, kind: 'result', id: m.id, result: { method: 'configure', value: { ok: true } } });
    });
    expect(await client.ready).toEqual(caps);
    const progress: number[] = [];
    const [configured, preloaded] = await Promise.all([
      client.request('configure', { backend: 'wasm' }),
      client.request('preload', undefined, { onProgress: (p) => progress.push(p.fraction) }),
    ]);
    expect(configured).toEqual({ ok: true });
    expect(preloaded).toMatchObject({ source: 'network', bytes: 10 });
    expect(progress).toEqual([0.5]);
    const wrong = await client.request('hello', undefined).catch((e: unknown) => e);
    expect(isFrameError(wrong, 'bad_reply')).toBe(true);
    client.close();
  });

  it('ready rejects with ready_timeout when the frame never boots, and close rejects what is pending', async () => {
    const [host] = createDirectPair();
    const client = createFrameClient(host, { readyTimeoutMs: 30 });
    const error = await client.ready.catch((e: unknown) => e);
    expect(isFrameError(error, 'ready_timeout')).toBe(true);
    const pending = client.request('hello', undefined);
    client.close('plugin closed');
    await expect(pending).rejects.toMatchObject({ code: 'closed', message: 'plugin closed' });
    await expect(client.request('hello', undefined)).rejects.toMatchObject({ code: 'closed' });
  });

  it('cancel() and an aborted signal send a cancel for that id; the request settles with cancelled', async () => {
    const [host, frame] = createDirectPair();
    const client = createFrameClient(host);
    const seen = scriptedFrame(frame, () => undefined); // never answers by itself
    await client.ready;
    const a = client.start('preload', undefined);
    const controller = new AbortController();
    const b = client.start('preload', undefined, { signal: controller.signal });
    a.cancel();
    controller.abort();
    await expect(a.result).rejects.toMatchObject({ code: 'cancelled' });
    await expect(b.result).rejects.toMatchObject({ code: 'cancelled' });
    expect(seen.filter((s) => s.kind === 'cancel').map((s) => s.id)).toEqual([a.id, b.id]);
    expect(a.id).not.toBe(b.id);
  });

  it('delivers panel commands and ignores malformed frame messages', async () => {
    const [host, frame] = createDirectPair();
    const logs: string[] = [];
    const client = createFrameClient(host, { log: (m) => logs.push(m) });
    const commands: string[] = [];
    client.onCommand((c) => commands.push(c));
    frame.send({ v: 1, kind: 'command', command: 'remove' });
    frame.send({ v: 1, kind: 'command', command: '' } as FrameMessage);
    await new Promise<void>((r) => queueMicrotask(r));
    await Promise.resolve();
    expect(commands).toEqual(['remove']);
    expect(logs.some((l) => /malformed/.test(l))).toBe(true);
    client.close();
  });
});

type Target = { name: string; bytes?: Uint8Array; gone?: boolean };

function port(events: string[], options: { closedAfter?: number } = {}): HostPort<Target, string> & { written: string[] } {
  let staged = 0;
  const written: string[] = [];
  return {
    written,
    name: (t) => t.name,
    read: async (t) => (t.bytes ? { kind: 'encoded', data: t.bytes } : { kind: 'skip', reason: 'has no image' }),
    stage: (t) => {
      staged++;
      events.push(`stage ${t.name}`);
      return `hash-${t.name}`;
    },
    write: (items) => {
      events.push('write');
      const skips: Skip[] = [];
      for (const { target, staged: s } of items) {
        if (target.gone) skips.push({ name: target.name, reason: 'was deleted during the run' });
        else written.push(s);
      }
      return skips;
    },
    isClosed: () => options.closedAfter !== undefined && staged >= options.closedAfter,
  };
}

function frameAnswering(outputOf: (index: number) => 'mask' | 'cutout' | 'fail' | 'cancel' | 'hang') {
  const [host, frame] = createDirectPair();
  let n = 0;
  scriptedFrame(frame, (m, send) => {
    if (m.method !== 'remove') return;
    const what = outputOf(n++);
    if (what === 'hang') return;
    if (what === 'cancel') return send({ v: 1, kind: 'error', id: m.id, code: 'cancelled', message: 'The user cancelled.' });
    if (what === 'fail') return send({ v: 1, kind: 'error', id: m.id, code: 'unsupported_image', message: 'cannot decode' });
    send({ v: 1, kind: 'progress', id: m.id, stage: 'inference', fraction: 0.5 });
    send({ v: 1, kind: 'result', id: m.id, result: { method: 'remove', value: removeResult(what) } });
  });
  return createFrameClient(host);
}

const bytes = new Uint8Array(16);

describe('batch runner', () => {
  it('stages as results arrive, writes once at the end, and keeps every skip reason', async () => {
    const events: string[] = [];
    const p = port(events);
    const client = frameAnswering((i) => (i === 1 ? 'fail' : 'cutout'));
    const targets: Target[] = [{ name: 'A', bytes }, { name: 'B', bytes }, { name: 'C' }, { name: 'D', bytes, gone: true }];
    const progress: string[] = [];
    p.progress = (e) => progress.push(`${e.name} ${e.stage} ${e.fraction}`);
    const outcome = await runBatch({ client, port: p, targets, request: { output: 'cutout', png: true }, skipped: [{ name: 'E', reason: 'is locked' }] });
    expect(outcome.status).toBe('done');
    expect(outcome.written).toBe(1);
    expect(events).toEqual(['stage A', 'stage D', 'write']);
    expect(p.written).toEqual(['hash-A']);
    expect(outcome.skipped.map((s) => `${s.name}: ${s.reason}`)).toEqual(['E: is locked', 'B: failed (cannot decode)', 'C: has no image', 'D: was deleted during the run']);
    expect(progress).toContain('A inference 0.5');
    expect(summarise('Removed the background of', outcome.written, outcome.skipped).length).toBeLessThanOrEqual(100);
  });

  it('refuses a result of the wrong output kind (a mask where a cut-out was asked for)', async () => {
    const events: string[] = [];
    const outcome = await runBatch({ client: frameAnswering(() => 'mask'), port: port(events), targets: [{ name: 'A', bytes }], request: { output: 'cutout', png: true } });
    expect(outcome.written).toBe(0);
    expect(outcome.skipped[0]?.reason).toMatch(/returned a mask where a cutout was asked for/);
    expect(events).toEqual(['write']);
  });

  it('a cancel in the frame ends the batch with nothing written', async () => {
    const events: string[] = [];
    const outcome = await runBatch({ client: frameAnswering((i) => (i === 1 ? 'cancel' : 'mask')), port: port(events), targets: [{ name: 'A', bytes }, { name: 'B', bytes }, { name: 'C', bytes }], request: { output: 'mask', png: true } });
    expect(outcome.status).toBe('cancelled');
    expect(events).toEqual(['stage A']);
  });

  it('an aborted signal cancels the image in flight; closing the plugin writes nothing', async () => {
    const events: string[] = [];
    const controller = new AbortController();
    const client = frameAnswering(() => 'hang');
    const running = runBatch({ client, port: port(events), targets: [{ name: 'A', bytes }], request: { output: 'mask', png: true }, signal: controller.signal });
    await client.ready;
    controller.abort();
    expect((await running).status).toBe('cancelled');
    const closedEvents: string[] = [];
    const closed = await runBatch({ client: frameAnswering(() => 'mask'), port: port(closedEvents, { closedAfter: 1 }), targets: [{ name: 'A', bytes }, { name: 'B', bytes }], request: { output: 'mask', png: true } });
    expect(closed.status).toBe('closed');
    expect(closedEvents).toEqual(['stage A']);
  });

  it('a frame that never sends ready fails the batch with ready_timeout and writes nothing', async () => {
    const [host] = createDirectPair();
    const events: string[] = [];
    const outcome = await runBatch({ client: createFrameClient(host, { readyTimeoutMs: 20 }), port: port(events), targets: [{ name: 'A', bytes }], request: { output: 'mask', png: true } });
    expect(outcome).toMatchObject({ status: 'failed', written: 0, error: { code: 'ready_timeout' } });
    expect(events).toEqual([]);
  });
});
