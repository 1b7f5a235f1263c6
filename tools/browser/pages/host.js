// Test host page: embeds the built frame in one of three ways and speaks the protocol to it
// through Figma's {pluginMessage} envelope, the way the Figma sandbox does (structured clone),
// with the same host-side client every adapter uses.
//   ?mode=src     same-origin iframe (secure, storage)
//   ?mode=srcdoc  sandboxed srcdoc iframe: null origin, secure context, no storage
//   ?mode=data    data: URL iframe: null origin, NOT a secure context (Figma's UI iframe)
import { createFrameClient } from '/protocol/protocol.js';
import { iframeEndpoint } from './iframe-endpoint.js';

const params = new URLSearchParams(location.search);
const mode = params.get('mode') ?? 'src';
const frameUrl = new URL('/frame/frame.html', location.href).href;

const events = [];
const listeners = new Set();
/** Test names of requests ('first', 'to-cancel') ↔ the client's request ids. */
const idOf = new Map();
const nameOf = new Map();
let counter = 0;

const iframe = document.createElement('iframe');
iframe.style.cssText = 'width:400px;height:760px;border:1px solid #ccc';
iframe.setAttribute('title', 'Remove background');
const html = await (await fetch(frameUrl)).text();
if (mode === 'srcdoc') {
  iframe.setAttribute('sandbox', 'allow-scripts');
  iframe.srcdoc = html;
} else if (mode === 'data') {
  const bytes = new TextEncoder().encode(html);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  iframe.src = `data:text/html;base64,${btoa(bin)}`;
} else {
  iframe.src = frameUrl;
}

// The host side of the protocol is the shared client (@cutout/protocol, bundled by the build);
// this page only supplies the transport: Figma's {pluginMessage} envelope to and from the iframe.
const endpoint = iframeEndpoint(iframe);
// Every frame message, as the tests see it: ids are the tests' request names.
endpoint.listen((msg) => {
  const named = typeof msg.id === 'string' && nameOf.has(msg.id) ? { ...msg, id: nameOf.get(msg.id) } : msg;
  events.push(summarise(named));
  for (const listener of listeners) listener(named);
});
const client = createFrameClient(endpoint, { idPrefix: 'host-', readyTimeoutMs: 120_000, log: (m) => console.warn(`[host] ${m}`) });
document.body.appendChild(iframe);

function summarise(msg) {
  return { kind: msg.kind, id: msg.id, stage: msg.stage, code: msg.code };
}

async function loadRaw(name) {
  const meta = await (await fetch(`/work/${name}.json`)).json();
  const data = new Uint8Array(await (await fetch(`/work/${name}.rgba`)).arrayBuffer());
  return { width: meta.width, height: meta.height, data };
}

/** The arrival time on the shared clock (performance.timeOrigin + now), comparable across frames. */
const now = () => performance.timeOrigin + performance.now();

window.host = {
  mode,
  ready: client.ready,
  events,
  /** Sends a request; resolves with {ok, result|code, message, progress, at} (never rejects). */
  request(method, payload, name) {
    return this.results[this.start(method, payload, name)];
  },
  /** Starts a request and returns its name (given or generated) without waiting; the reply lands in results[name]. */
  start(method, payload, name = `r${++counter}`) {
    const progress = [];
    const pending = client.start(method, payload, { onProgress: (p) => progress.push({ ...p, at: now() }) });
    idOf.set(name, pending.id);
    nameOf.set(pending.id, name);
    this.results[name] = pending.result.then(
      (value) => ({ ok: true, result: { method, value }, progress, at: now() }),
      (e) => ({ ok: false, code: e.code ?? 'internal', message: e.message, progress, at: now() }),
    );
    return name;
  },
  results: {},
  /** Calls `listener` with every message from the frame (event-driven tests); returns an unsubscribe. */
  on(listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  cancel(name) { client.cancel(idOf.get(name) ?? name); },
  raw(value) { iframe.contentWindow.postMessage(value, '*'); },
  loadRaw,
  /** remove on a raw image staged by the test under /work/. */
  async removeRaw(name, extra = {}, id) {
    const image = await loadRaw(name);
    const t0 = performance.now();
    const reply = await this.request('remove', { image, ...extra }, id);
    return slim({ ...reply, ms: performance.now() - t0 });
  },
  slim,
};

function toBase64(bytes) {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** Replies without the big buffers: mattes as base64, cut-outs summarised. */
function slim(reply) {
  if (!reply.ok || reply.result.method !== 'remove') return reply;
  const v = reply.result.value;
  return {
    ...reply,
    result: {
      method: 'remove',
      value: {
        ...v,
        matte: v.matte ? { width: v.matte.width, height: v.matte.height, base64: toBase64(v.matte.data) } : undefined,
        cutout: v.cutout ? { width: v.cutout.width, height: v.cutout.height, base64: toBase64(v.cutout.data) } : undefined,
      },
    },
  };
};
