// Test host page: embeds the built frame in one of three ways and speaks the protocol to it
// through Figma's {pluginMessage} envelope, the way the Figma sandbox does (structured clone).
//   ?mode=src     same-origin iframe (secure, storage)
//   ?mode=srcdoc  sandboxed srcdoc iframe: null origin, secure context, no storage
//   ?mode=data    data: URL iframe: null origin, NOT a secure context (Figma's UI iframe)
const params = new URLSearchParams(location.search);
const mode = params.get('mode') ?? 'src';
const frameUrl = new URL('/frame/frame.html', location.href).href;

const events = [];
const pending = new Map();
let counter = 0;
let resolveReady;
const ready = new Promise((r) => (resolveReady = r));

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

window.addEventListener('message', (event) => {
  if (event.source !== iframe.contentWindow) return;
  const msg = event.data && event.data.pluginMessage;
  if (!msg || typeof msg !== 'object') return;
  events.push(summarise(msg));
  if (msg.kind === 'ready') return resolveReady(msg);
  const entry = pending.get(msg.id);
  if (!entry) return;
  if (msg.kind === 'progress') entry.progress.push({ stage: msg.stage, fraction: msg.fraction, loadedBytes: msg.loadedBytes, totalBytes: msg.totalBytes });
  if (msg.kind === 'result') { pending.delete(msg.id); entry.resolve({ ok: true, result: msg.result, progress: entry.progress }); }
  if (msg.kind === 'error') { pending.delete(msg.id); entry.resolve({ ok: false, code: msg.code, message: msg.message, progress: entry.progress }); }
});
document.body.appendChild(iframe);

function summarise(msg) {
  return { kind: msg.kind, id: msg.id, stage: msg.stage, code: msg.code };
}

function post(message) {
  iframe.contentWindow.postMessage({ pluginMessage: message }, '*');
}

async function loadRaw(name) {
  const meta = await (await fetch(`/work/${name}.json`)).json();
  const data = new Uint8Array(await (await fetch(`/work/${name}.rgba`)).arrayBuffer());
  return { width: meta.width, height: meta.height, data };
}

window.host = {
  mode,
  ready,
  events,
  /** Sends a request; resolves with {ok, result|code, progress}. */
  request(method, payload, id = `r${++counter}`) {
    return new Promise((resolve) => {
      pending.set(id, { resolve, progress: [] });
      post({ v: 1, kind: 'request', id, method, payload });
    });
  },
  /** Starts a request and returns its id without waiting. */
  start(method, payload, id = `r${++counter}`) {
    const done = this.request(method, payload, id);
    window.host.results[id] = done;
    return id;
  },
  results: {},
  cancel(id) { post({ v: 1, kind: 'cancel', id }); },
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
        matte: { width: v.matte.width, height: v.matte.height, base64: toBase64(v.matte.data) },
        cutout: v.cutout ? { width: v.cutout.width, height: v.cutout.height, base64: toBase64(v.cutout.data) } : undefined,
      },
    },
  };
};
