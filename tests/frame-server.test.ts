/**
 * FrameServer in Node, end to end through the protocol's in-process pair and host client, with a
 * fake engine (tests/helpers/fake-frame-engine.ts): queue bounds, busy, duplicate ids, cancel of
 * queued and running work, reconfigure, malformed requests, panel, diagnostics and reply shapes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createDirectPair, createFrameClient, isFrameError, parseFrameMessage, type FrameClient, type FrameMessage, type HostEndpoint } from '@cutout/protocol';
import { FrameServer, MAX_QUEUED } from '../packages/frame/src/frame-server.js';
import { INITIAL_STATE, Store, type FrameState } from '../packages/frame/src/frame-state.js';
import type { ReviewJob, ReviewUi } from '../packages/frame/src/review.js';
import { fakeEngines, Gate, MODEL_BYTES, TEST_CAPS, testImage, type FakeEngine } from './helpers/fake-frame-engine.js';

interface Setup {
  readonly server: FrameServer;
  readonly client: FrameClient;
  readonly host: HostEndpoint;
  readonly store: Store<FrameState>;
  readonly engines: FakeEngine[];
  /** Every message the frame sent, validated. */
  readonly seen: FrameMessage[];
  /** Resolves with the first frame message (already seen or later) that matches. */
  waitFor(match: (m: FrameMessage) => boolean): Promise<FrameMessage>;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function setup(options: { ui?: ReviewUi } = {}): Promise<Setup> {
  const [host, frame] = createDirectPair();
  const seen: FrameMessage[] = [];
  const waiters: Array<{ match: (m: FrameMessage) => boolean; resolve: (m: FrameMessage) => void }> = [];
  const unlisten = host.listen((raw) => {
    const parsed = parseFrameMessage(raw);
    if (!parsed.ok) throw new Error(`the frame sent an invalid message: ${parsed.reason}`);
    seen.push(parsed.message);
    for (const w of [...waiters]) {
      if (!w.match(parsed.message)) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(parsed.message);
    }
  });
  const client = createFrameClient(host, { readyTimeoutMs: 5000 });
  const { createEngine, engines } = fakeEngines();
  const store = new Store<FrameState>(INITIAL_STATE);
  const server = new FrameServer({ endpoint: frame, caps: TEST_CAPS, config: { modelBaseUrl: 'https://models.test/', backend: 'auto', model: undefined, inputSize: undefined }, store, ui: options.ui, log: () => undefined, createEngine });
  server.start();
  await client.ready;
  cleanups.push(async () => {
    client.close();
    unlisten();
    await server.stop();
  });
  const waitFor = (match: (m: FrameMessage) => boolean): Promise<FrameMessage> => {
    const found = seen.find(match);
    return found ? Promise.resolve(found) : new Promise((resolve) => waiters.push({ match, resolve }));
  };
  return { server, client, host, store, engines, seen, waitFor };
}

const codeOf = (p: Promise<unknown>): Promise<string> => p.then(() => 'resolved', (e: unknown) => (isFrameError(e) ? e.code : `not a FrameError: ${String(e)}`));

/** Starts a remove that holds the engine until `gate` opens; resolves once it is running. */
async function holdRunning(s: Setup): Promise<{ gate: Gate; pending: ReturnType<FrameClient['start']> }> {
  await s.client.request('preload', undefined); // the engine exists before the held run
  const engine = s.engines.at(-1)!;
  const gate = new Gate();
  engine.gate = gate;
  const started = engine.nextPredict();
  const pending = s.client.start('remove', { image: testImage() });
  await started;
  return { gate, pending };
}

describe('FrameServer with a fake engine', () => {
  it('refuses a request with busy when the queue is full, and runs the rest', async () => {
    const s = await setup();
    const { gate, pending } = await holdRunning(s);
    const queued = Array.from({ length: MAX_QUEUED }, () => s.client.start('remove', { image: testImage(8, 8) }));
    const refused = s.client.request('remove', { image: testImage(8, 8) });
    expect(await codeOf(refused)).toBe('busy');
    expect(s.store.get().queued).toBe(MAX_QUEUED);
    gate.open();
    await pending.result;
    for (const q of queued) expect((await q.result).output).toBe('mask');
    expect(s.engines[0]!.predictCalls).toBe(1 + MAX_QUEUED);
    expect(s.store.get().running).toBe(false);
  });

  it('refuses configure with busy while a request runs', async () => {
    const s = await setup();
    const { gate, pending } = await holdRunning(s);
    expect(await codeOf(s.client.request('configure', { inputSize: 512 }))).toBe('busy');
    gate.open();
    await pending.result;
    expect(s.engines[0]!.disposed).toBe(false);
  });

  it('answers a duplicate request id with bad_request and keeps the first request', async () => {
    const s = await setup();
    const { gate, pending } = await holdRunning(s);
    const queuedId = 'dup-1';
    s.host.send({ v: 1, kind: 'request', id: queuedId, method: 'preload', payload: undefined });
    s.host.send({ v: 1, kind: 'request', id: queuedId, method: 'preload', payload: undefined });
    const error = await s.waitFor((m) => m.kind === 'error' && m.id === queuedId);
    expect(error).toMatchObject({ kind: 'error', code: 'bad_request' });
    gate.open();
    await pending.result;
    const result = await s.waitFor((m) => m.kind === 'result' && m.id === queuedId);
    expect(result).toMatchObject({ result: { method: 'preload', value: { model: 'fake-model', bytes: MODEL_BYTES } } });
  });

  it('cancels a queued request without running it', async () => {
    const s = await setup();
    const { gate, pending } = await holdRunning(s);
    const queued = s.client.start('remove', { image: testImage() });
    queued.cancel();
    expect(await codeOf(queued.result)).toBe('cancelled');
    expect(s.store.get().queued).toBe(0);
    gate.open();
    await pending.result;
    expect(s.engines[0]!.predictCalls).toBe(1);
  });

  it('cancels the running request, and the next one runs', async () => {
    const s = await setup();
    const { pending } = await holdRunning(s);
    pending.cancel();
    expect(await codeOf(pending.result)).toBe('cancelled');
    s.engines[0]!.gate = null;
    expect((await s.client.request('remove', { image: testImage() })).output).toBe('mask');
    expect(s.store.get().phase).toBe('idle');
  });

  it('disposes the engine on a reconfigure that changes it, and passes the new config to the factory', async () => {
    const s = await setup();
    await s.client.request('preload', undefined);
    await s.client.request('configure', { theme: 'dark' }); // no engine setting changed: kept
    expect(s.engines).toHaveLength(1);
    expect(s.engines[0]!.disposed).toBe(false);
    await s.client.request('configure', { model: 'other-model', inputSize: 512, inference: 'main-thread' });
    expect(s.engines[0]!.disposed).toBe(true);
    const preload = await s.client.request('preload', undefined);
    expect(preload.model).toBe('other-model');
    expect(s.engines).toHaveLength(2);
    expect(s.engines[1]!.config).toMatchObject({ model: 'other-model', inputSize: 512, inference: 'main-thread', modelBaseUrl: 'https://models.test/' });
  });

  it('answers a malformed request with bad_request carrying its id', async () => {
    const s = await setup();
    s.host.send({ v: 1, kind: 'request', id: 'bad-1', method: 'remove', payload: {} } as never);
    const error = await s.waitFor((m) => m.kind === 'error' && m.id === 'bad-1');
    expect(error).toMatchObject({ code: 'bad_request' });
  });

  it('shows a panel and sends enabled commands to the host, none while a job runs', async () => {
    const s = await setup();
    const commands: string[] = [];
    s.client.onCommand((c) => commands.push(c));
    const panel = { status: '2 images selected', commands: [{ id: 'remove', label: 'Remove background', enabled: true }, { id: 'refine', label: 'Refine', enabled: false }] };
    expect(await s.client.request('panel', panel)).toEqual({ ok: true });
    expect(s.store.get().panel).toEqual(panel);
    s.server.sendCommand('refine'); // disabled by the host: not sent
    s.server.sendCommand('unknown');
    const { gate, pending } = await holdRunning(s);
    s.server.sendCommand('remove'); // a job runs: not sent
    gate.open();
    await pending.result;
    s.server.sendCommand('remove');
    await s.waitFor((m) => m.kind === 'command');
    expect(commands).toEqual(['remove']); // messages arrive in order: the ignored ones would be first
  });

  it('answers diagnostics before and after the model loads', async () => {
    const s = await setup();
    const before = await s.client.request('diagnostics', undefined);
    expect(before).toMatchObject({ model: '', modelSource: 'none', modelBytes: 0, backend: 'none', inference: 'worker', helperFrame: false });
    expect(before).toMatchObject({ webgpuAdapter: 'Test vendor test-arch', cacheStorage: false, indexedDb: false, secureContext: true, crossOriginIsolated: false });
    expect(typeof before.origin).toBe('string');
    expect(typeof before.userAgent).toBe('string');
    await s.client.request('remove', { image: testImage() });
    const after = await s.client.request('diagnostics', undefined);
    expect(after).toMatchObject({ model: 'fake-model', modelSource: 'network', modelBytes: MODEL_BYTES, backend: 'wasm' });
  });

  it('replies to png: true with the PNG only (no matte, no cut-out)', async () => {
    const s = await setup();
    for (const output of ['mask', 'cutout'] as const) {
      const value = await s.client.request('remove', { image: testImage(40, 30), png: true, output, maxOutputSide: 20 });
      expect(value.matte).toBeUndefined();
      expect(value.cutout).toBeUndefined();
      expect(value.output).toBe(output);
      expect(value.png).toMatchObject({ width: 20, height: 15 });
      expect([...value.png!.data.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    }
    const raw = await s.client.request('remove', { image: testImage(40, 30) });
    expect(raw.matte).toMatchObject({ width: 40, height: 30 });
    expect(raw.png).toBeUndefined();
  });

  it('replies to refine: false with the network alpha at the model size, unrefined', async () => {
    const s = await setup();
    const image = testImage(40, 30);
    const value = await s.client.request('remove', { image, refine: false });
    expect(value.timings.refine).toBe(0);
    const engine = s.engines[0]!;
    const { lowRes } = await (await engine.ensure()).remover.predict(image);
    expect(value.matte).toMatchObject({ width: lowRes.width, height: lowRes.height });
    expect([...value.matte!.data]).toEqual(Array.from(lowRes.data, (v) => Math.round(v * 255)));
    expect(lowRes.width === 40 && lowRes.height === 30).toBe(false);
  });

  it("runs the request's quality, else the one the user chose in the frame ('high': mirror run averaged in)", async () => {
    const s = await setup();
    const image = testImage(40, 30);
    const values = async (payload: Record<string, unknown>): Promise<number[]> => [...new Set((await s.client.request('remove', { image, refine: false, ...payload })).matte!.data)].sort((a, b) => a - b);
    // The fake network says background on the left half, subject on the right: its mirror image says the opposite.
    expect(await values({})).toEqual([0, 255]);
    s.store.set({ quality: 'high' });
    expect(await values({})).toEqual([128]);
    expect(await values({ quality: 'standard' })).toEqual([0, 255]);
    s.store.set({ quality: 'standard' });
    expect(await values({ quality: 'high' })).toEqual([128]);
    expect(s.engines[0]!.qualities).toEqual(['standard', 'high', 'standard', 'high']);
  });

  it('keeps the requested output when fixedOutput is set, whatever the review returns', async () => {
    const jobs: ReviewJob[] = [];
    // A review UI that always answers 'mask' (what a user choice could do without fixedOutput).
    const ui: ReviewUi = {
      review: async (job) => (jobs.push(job), { matte: job.matte, hints: job.hints, edge: job.edge, output: 'mask' }),
      askRetry: async () => false,
    };
    const s = await setup({ ui });
    const fixed = await s.client.request('remove', { image: testImage(), interactive: true, output: 'cutout', fixedOutput: true });
    expect(fixed.output).toBe('cutout');
    expect(fixed.cutout).toBeDefined();
    expect(jobs[0]!.fixedOutput).toBe(true);
    const free = await s.client.request('remove', { image: testImage(), interactive: true, output: 'cutout' });
    expect(free.output).toBe('mask');
    expect(jobs[1]!.fixedOutput).toBe(false);
  });
});
