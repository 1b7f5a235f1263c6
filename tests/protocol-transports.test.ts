/** Transports: Figma's envelope on both sides, the direct pair, the webview endpoint, base64. */
import { describe, expect, it, vi } from 'vitest';
import {
  createDirectPair,
  createFigmaSandboxEndpoint,
  createFigmaUiEndpoint,
  createWebviewEndpoint,
  decodeBase64,
  encodeBase64,
  parseHostMessage,
  type FrameMessage,
  type HostMessage,
} from '@cutout/protocol';

type Ev = { data: unknown; source?: unknown };
const cancel = (id: string): HostMessage => ({ v: 1, kind: 'cancel', id });
const progress = (id: string): FrameMessage => ({ v: 1, kind: 'progress', id, stage: 'inference', fraction: 0.5 });

function fakeWindow() {
  const listeners = new Set<(e: Ev) => void>();
  const posted: Array<{ message: unknown; origin: string }> = [];
  const parent = { postMessage: (message: unknown, origin: string) => void posted.push({ message, origin }) };
  return {
    win: { parent, addEventListener: (_t: 'message', l: (e: Ev) => void) => void listeners.add(l), removeEventListener: (_t: 'message', l: (e: Ev) => void) => void listeners.delete(l) },
    dispatch: (data: unknown, source: unknown = parent) => listeners.forEach((l) => l({ data, source })),
    dispatchEvent: (event: Ev) => listeners.forEach((l) => l(event)),
    posted,
    count: () => listeners.size,
  };
}

describe('figma transport, UI side', () => {
  it('wraps sends in pluginMessage for the parent with targetOrigin *', () => {
    const w = fakeWindow();
    createFigmaUiEndpoint(w.win).send({ v: 1, kind: 'error', id: 'a', code: 'busy', message: 'x' });
    expect(w.posted).toEqual([{ message: { pluginMessage: { v: 1, kind: 'error', id: 'a', code: 'busy', message: 'x' } }, origin: '*' }]);
  });

  it('passes on pluginMessage objects from the parent (or with no source) and logs everything it ignores', () => {
    const w = fakeWindow();
    const logs: string[] = [];
    const ui = createFigmaUiEndpoint(w.win, (m) => logs.push(m));
    const got: unknown[] = [];
    const stop = ui.listen((raw) => got.push(raw));
    const inner = cancel('a');
    w.dispatch({ pluginMessage: inner });
    w.dispatch({ pluginMessage: cancel('b') }, null); // some hosts deliver without a source
    w.dispatch({ pluginMessage: cancel('c') }, { other: 'window' }); // another frame
    w.dispatch(cancel('d')); // no envelope
    w.dispatch('string');
    w.dispatch(null);
    w.dispatch({ pluginMessage: 'text' });
    w.dispatch({ pluginMessage: null });
    w.dispatch(Object.create({ pluginMessage: cancel('e') })); // inherited, not own
    w.dispatch(Object.defineProperty({}, 'pluginMessage', { get: () => { throw new Error('boom'); } }));
    w.dispatchEvent(Object.defineProperty({ source: w.win.parent }, 'data', { get: () => { throw new Error('boom'); } }) as Ev);
    expect(got).toEqual([inner, cancel('b')]);
    expect(got[0]).toBe(inner); // passed on as received: the receiver validates
    expect(logs).toHaveLength(9);
    expect(logs.filter((l) => l.includes('other than the host'))).toHaveLength(1);
    stop();
    expect(w.count()).toBe(0);
    w.dispatch({ pluginMessage: cancel('late') });
    expect(got).toHaveLength(2);
  });
});

describe('figma transport, sandbox side', () => {
  function fakeUi() {
    const callbacks = new Set<(m: unknown, p: { origin: string }) => void>();
    const posted: unknown[] = [];
    const api = {
      postMessage: (m: unknown) => void posted.push(m),
      on: (_t: 'message', cb: (m: unknown, p: { origin: string }) => void) => void callbacks.add(cb),
      off: (_t: 'message', cb: (m: unknown, p: { origin: string }) => void) => void callbacks.delete(cb),
    };
    return { api, posted, callbacks, deliver: (m: unknown) => callbacks.forEach((cb) => cb(m, { origin: 'null' })) };
  }

  it('posts unwrapped messages through figma.ui and receives them unwrapped', () => {
    const ui = fakeUi();
    const logs: string[] = [];
    const sandbox = createFigmaSandboxEndpoint(ui.api, (m) => logs.push(m));
    const got: unknown[] = [];
    const stop = sandbox.listen((m) => got.push(m));
    const bytes = new Uint8Array([1, 2, 3]);
    sandbox.send({ v: 1, kind: 'request', id: 'q', method: 'remove', payload: { encoded: { data: bytes } } });
    expect(ui.posted).toEqual([{ v: 1, kind: 'request', id: 'q', method: 'remove', payload: { encoded: { data: bytes } } }]);
    ui.deliver({ v: 1, kind: 'ready' });
    ui.deliver('not an object');
    ui.deliver(undefined);
    expect(got).toEqual([{ v: 1, kind: 'ready' }]);
    expect(logs).toHaveLength(2);
    stop();
    expect(ui.callbacks.size).toBe(0);
  });
});

describe('direct transport', () => {
  it('delivers asynchronously, in order, in both directions, the same object', async () => {
    const [a, b] = createDirectPair();
    const atB: unknown[] = [];
    const atA: unknown[] = [];
    b.listen((m) => atB.push(m));
    a.listen((m) => atA.push(m));
    const first = cancel('1');
    a.send(first);
    a.send(cancel('2'));
    b.send(progress('3'));
    expect(atB).toHaveLength(0); // not inside send
    await Promise.resolve();
    expect(atB).toEqual([cancel('1'), cancel('2')]);
    expect(atB[0]).toBe(first);
    expect(atA).toEqual([progress('3')]);
    // The host side cannot send a frame message, nor the frame side a host message.
    // @ts-expect-error a FrameMessage on a HostEndpoint
    expect(() => a.send(progress('x'))).not.toThrow();
    // @ts-expect-error a HostMessage on a FrameEndpoint
    expect(() => b.send(cancel('y'))).not.toThrow();
  });

  it('queues re-entrant sends behind the current delivery, like postMessage', async () => {
    const [a, b] = createDirectPair();
    const order: string[] = [];
    b.listen((m) => {
      const id = (m as { id: string }).id;
      order.push(`b got ${id}`);
      if (id === 'ping') b.send(progress('pong'));
      order.push(`b done ${id}`);
    });
    a.listen((m) => order.push(`a got ${(m as { id: string }).id}`));
    a.send(cancel('ping'));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(order).toEqual(['b got ping', 'b done ping', 'a got pong']);
  });

  it('stops delivering after unsubscribe; a throwing handler does not stop the others', async () => {
    const logs: unknown[] = [];
    const [a, b] = createDirectPair((m, d) => logs.push([m, d]));
    const got: string[] = [];
    const stop = b.listen(() => got.push('first'));
    b.listen(() => {
      throw new Error('handler bug');
    });
    b.listen(() => got.push('third'));
    a.send(cancel('x'));
    await Promise.resolve();
    expect(got).toEqual(['first', 'third']);
    expect(logs).toHaveLength(1);
    stop();
    a.send(cancel('y'));
    await Promise.resolve();
    expect(got).toEqual(['first', 'third', 'third']);
  });
});

describe('webview transport', () => {
  function bridge(chunkChars?: number) {
    // Both directions stringify and parse every message, as Photoshop's bridge does.
    const panelWindow = new EventTarget();
    const webviewWindow = new EventTarget();
    const sizes: number[] = [];
    const carry = (to: EventTarget) => (m: unknown) => {
      const text = JSON.stringify(m);
      sizes.push(text.length);
      queueMicrotask(() => to.dispatchEvent(new MessageEvent('message', { data: JSON.parse(text) })));
    };
    const options = chunkChars === undefined ? {} : { chunkChars };
    const panel = createWebviewEndpoint({ send: carry(webviewWindow), target: panelWindow as never }, options);
    const frame = createWebviewEndpoint({ send: carry(panelWindow), target: webviewWindow as never }, options);
    return { panel, frame, sizes };
  }
  const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

  it('carries binary both ways through the JSON-only bridge in bounded chunks', async () => {
    const { panel, frame, sizes } = bridge(4096);
    const atFrame: unknown[] = [];
    const atPanel: unknown[] = [];
    frame.listen((m) => atFrame.push(m));
    panel.listen((m) => atPanel.push(m));
    const data = new Uint8Array(64 * 64 * 4).map((_, i) => i & 255);
    const msg: HostMessage = { v: 1, kind: 'request', id: 'w', method: 'remove', payload: { image: { width: 64, height: 64, data } } };
    panel.send(msg);
    frame.send({ v: 1, kind: 'progress', id: 'w', stage: 'inference', fraction: 0.5 });
    await flush();
    expect(sizes.length).toBeGreaterThan(5);
    for (const size of sizes) expect(size).toBeLessThan(4096 + 200);
    expect(atFrame).toHaveLength(1);
    const parsed = parseHostMessage(atFrame[0]);
    expect(parsed.ok && parsed.message).toEqual(msg);
    expect(atPanel).toEqual([{ v: 1, kind: 'progress', id: 'w', stage: 'inference', fraction: 0.5 }]);
  });

  it('sends small messages whole and drops garbage without throwing', async () => {
    const target = new EventTarget();
    const logs: string[] = [];
    const endpoint = createWebviewEndpoint({ send: () => undefined, target: target as never }, { log: (m) => logs.push(m) });
    const got: unknown[] = [];
    const stop = endpoint.listen((m) => got.push(m));
    for (const data of ['{bad', { $chunk: { mid: 'm', seq: 5, count: 2, text: 'x' } }, { $chunk: null }, '{"$bytes":"!!!!"}']) {
      expect(() => target.dispatchEvent(new MessageEvent('message', { data }))).not.toThrow();
    }
    target.dispatchEvent(new MessageEvent('message', { data: '{"v":1,"kind":"cancel","id":"s"}' }));
    expect(got).toEqual([cancel('s')]);
    expect(logs).toHaveLength(4);
    stop();
    target.dispatchEvent(new MessageEvent('message', { data: { v: 1, kind: 'cancel', id: 't' } }));
    expect(got).toHaveLength(1);
    const sent: unknown[] = [];
    createWebviewEndpoint({ send: (m) => sent.push(m), target: target as never }).send(cancel('small'));
    expect(sent).toEqual([cancel('small')]);
  });

  it('rejects a chunk size too small to carry the largest message', () => {
    const port = { send: () => undefined, target: new EventTarget() as never };
    expect(() => createWebviewEndpoint(port, { chunkChars: 10 })).toThrow(RangeError);
    expect(() => createWebviewEndpoint(port, { chunkChars: 1.5e3 + 0.5 })).toThrow(RangeError);
  });
});

describe('base64', () => {
  function random(n: number, seed: number): Uint8Array {
    let x = seed >>> 0 || 1;
    return new Uint8Array(n).map(() => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0), x >>> 24));
  }

  it('matches Node Buffer on random data of every length up to 1000', () => {
    for (let n = 0; n <= 1000; n++) {
      const bytes = random(n, n + 1);
      const text = encodeBase64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64'));
      const back = decodeBase64(text);
      expect(back).toBeInstanceOf(Uint8Array);
      expect(Buffer.from(back).equals(Buffer.from(bytes))).toBe(true);
    }
  });

  it('encodes a view at an offset, and a multi-MB buffer, like Buffer', () => {
    const big = random(3 * 1024 * 1024 + 2, 7);
    expect(encodeBase64(big.subarray(5, 1005))).toBe(Buffer.from(big.subarray(5, 1005)).toString('base64'));
    const text = encodeBase64(big);
    expect(text).toBe(Buffer.from(big).toString('base64'));
    expect(Buffer.from(decodeBase64(text)).equals(Buffer.from(big))).toBe(true);
  });

  it('works without TextDecoder (the Figma sandbox and bare VMs)', async () => {
    vi.resetModules();
    vi.stubGlobal('TextDecoder', undefined);
    try {
      const bare = await import('../packages/protocol/src/base64.js');
      for (const n of [0, 1, 2, 3, 100, 20_000, 100_001]) {
        const bytes = random(n, n + 3);
        expect(bare.encodeBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
      }
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('rejects invalid input with an Error', () => {
    const bad = ['A', 'AA', 'AAA', 'AAAAA', 'AA=A', '@@@@', 'A===', '====', 'AB=C', '=AAA', 'AAAA====', 'é234', 'AA\u0100A', 'AA A', 'AA\nA', 'AA-_', '\u0000AAA'];
    for (const text of bad) expect(() => decodeBase64(text), JSON.stringify(text)).toThrow(Error);
    expect(() => decodeBase64(42 as unknown as string)).toThrow(Error);
    expect(decodeBase64('')).toEqual(new Uint8Array(0));
  });
});
