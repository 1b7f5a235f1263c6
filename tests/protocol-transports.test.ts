/** Transports: Figma's envelope on both sides, the direct pair, the webview endpoint, base64. */
import { describe, expect, it } from 'vitest';
import { createDirectPair, createFigmaSandboxEndpoint, createFigmaUiEndpoint, createWebviewEndpoint, decodeBase64, encodeBase64, parseHostMessage } from '@cutout/protocol';

function fakeWindow() {
  const listeners = new Set<(e: { data: unknown; source?: unknown }) => void>();
  const posted: Array<{ message: unknown; origin: string }> = [];
  const parent = { postMessage: (message: unknown, origin: string) => posted.push({ message, origin }) };
  return {
    win: { parent, addEventListener: (_t: 'message', l: (e: { data: unknown; source?: unknown }) => void) => listeners.add(l), removeEventListener: (_t: 'message', l: (e: { data: unknown; source?: unknown }) => void) => listeners.delete(l) },
    dispatch: (data: unknown, source: unknown = parent) => listeners.forEach((l) => l({ data, source })),
    posted,
    count: () => listeners.size,
  };
}

describe('figma transport', () => {
  it('UI side wraps in pluginMessage, accepts only its parent and pluginMessage objects, and logs the rest', () => {
    const w = fakeWindow();
    const logs: string[] = [];
    const ui = createFigmaUiEndpoint(w.win, (m) => logs.push(m));
    const got: unknown[] = [];
    const stop = ui.listen((raw) => got.push(raw));
    ui.send({ v: 1, kind: 'error', id: 'a', code: 'busy', message: 'x' });
    expect(w.posted[0]).toEqual({ message: { pluginMessage: { v: 1, kind: 'error', id: 'a', code: 'busy', message: 'x' } }, origin: '*' });
    w.dispatch({ pluginMessage: { v: 1, kind: 'cancel', id: 'a' } });
    w.dispatch({ pluginMessage: { v: 1, kind: 'cancel', id: 'b' } }, { other: 'window' });
    w.dispatch({ v: 1, kind: 'cancel', id: 'c' });
    w.dispatch('string');
    expect(got).toEqual([{ v: 1, kind: 'cancel', id: 'a' }]);
    expect(logs).toHaveLength(3);
    stop();
    expect(w.count()).toBe(0);
  });

  it('sandbox side posts through figma.ui and receives unwrapped messages', () => {
    const callbacks = new Set<(m: unknown, p: { origin: string }) => void>();
    const posted: unknown[] = [];
    const api = { postMessage: (m: unknown) => posted.push(m), on: (_t: 'message', cb: (m: unknown, p: { origin: string }) => void) => callbacks.add(cb), off: (_t: 'message', cb: (m: unknown, p: { origin: string }) => void) => callbacks.delete(cb) };
    const sandbox = createFigmaSandboxEndpoint(api);
    const got: unknown[] = [];
    const stop = sandbox.listen((m) => got.push(m));
    sandbox.send({ v: 1, kind: 'cancel', id: 'q' });
    callbacks.forEach((cb) => cb({ v: 1, kind: 'ready' }, { origin: 'null' }));
    expect(posted).toEqual([{ v: 1, kind: 'cancel', id: 'q' }]);
    expect(got).toEqual([{ v: 1, kind: 'ready' }]);
    stop();
    expect(callbacks.size).toBe(0);
  });
});

describe('direct transport', () => {
  it('delivers asynchronously in both directions', async () => {
    const [a, b] = createDirectPair();
    const got: unknown[] = [];
    b.listen((m) => got.push(m));
    a.send({ v: 1, kind: 'cancel', id: 'x' });
    expect(got).toHaveLength(0);
    await Promise.resolve();
    expect(got).toEqual([{ v: 1, kind: 'cancel', id: 'x' }]);
  });
});

describe('webview transport', () => {
  it('carries binary through a JSON-only bridge in bounded chunks', () => {
    const target = new EventTarget();
    const wire: string[] = [];
    // The bridge stringifies and parses every message, as Photoshop's does.
    const sender = createWebviewEndpoint({ send: (m) => wire.push(JSON.stringify(m)), target: { addEventListener() {}, removeEventListener() {} } }, { chunkChars: 4096 });
    const receiver = createWebviewEndpoint({ send: () => undefined, target: target as never });
    const got: unknown[] = [];
    receiver.listen((m) => got.push(m));
    const data = new Uint8Array(64 * 64 * 4).map((_, i) => i & 255);
    const msg = { v: 1, kind: 'request', id: 'w', method: 'remove', payload: { image: { width: 64, height: 64, data } } } as const;
    sender.send(msg);
    expect(wire.length).toBeGreaterThan(5);
    for (const text of wire) {
      expect(text.length).toBeLessThan(4096 + 200);
      const event = new MessageEvent('message', { data: JSON.parse(text) });
      target.dispatchEvent(event);
    }
    expect(got).toHaveLength(1);
    const parsed = parseHostMessage(got[0]);
    expect(parsed.ok && parsed.message).toEqual(msg);
  });
});

describe('base64', () => {
  it('matches Node Buffer on random data of every length up to 1000', () => {
    for (let n = 0; n <= 1000; n++) {
      const bytes = new Uint8Array(n).map(() => Math.floor(Math.random() * 256));
      const text = encodeBase64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64'));
      expect(decodeBase64(text)).toEqual(bytes);
    }
  });
  it('rejects invalid input', () => {
    for (const bad of ['A', 'AA=A', '@@@@', 'AAA', 'A===', 'AB=C', 'é234']) expect(() => decodeBase64(bad), bad).toThrow();
  });
});
