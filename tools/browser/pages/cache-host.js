// Figma-like host for the model cache tests (tests/browser/figma-cache.test.ts). Each open() is one
// plugin run: a new UI iframe holding the built frame, in one of the forms a Figma client may use;
// close() removes it, as Figma does when the plugin closes. The page itself stays, so every run
// happens in the same browser context, as consecutive plugin runs in one Figma window do.
//   data       a data: URL iframe: null origin, not a secure context
//   srcdoc     a sandboxed srcdoc iframe (sandbox="allow-scripts"): null origin, secure context
//   navigated  a data: URL iframe whose script navigates it to the frame page on another origin
//              (Figma's hosted UI: figma.showUI('<script>window.location.href = "https://…"</script>'))
// Messages use Figma's {pluginMessage} envelope, structured-cloned, through the shared protocol
// client (one client per run, as each plugin run has its own), as in host.js.
import { createFrameClient } from '/protocol/protocol.js';
import { iframeEndpoint } from './iframe-endpoint.js';

const frameHtml = await (await fetch('/frame/frame.html')).text();
let iframe = null;
let client = null;

function dataUrl(html) {
  const bytes = new TextEncoder().encode(html);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `data:text/html;base64,${btoa(bin)}`;
}

window.cacheHost = {
  /** Opens the UI iframe in `form` and resolves with the frame's ready message. */
  open(form, navigateTo) {
    if (iframe) throw new Error('a frame is already open');
    iframe = document.createElement('iframe');
    iframe.style.cssText = 'width:360px;height:480px;border:1px solid #ccc';
    client = createFrameClient(iframeEndpoint(iframe), { readyTimeoutMs: 120_000 });
    if (form === 'srcdoc') {
      iframe.setAttribute('sandbox', 'allow-scripts');
      iframe.srcdoc = frameHtml;
    } else if (form === 'data') {
      iframe.src = dataUrl(frameHtml);
    } else if (form === 'navigated') {
      iframe.src = dataUrl(`<!doctype html><script>window.location.href = ${JSON.stringify(navigateTo)};</script>`);
    } else {
      throw new Error(`unknown form ${form}`);
    }
    document.body.appendChild(iframe);
    return client.ready.then((capabilities) => ({ kind: 'ready', capabilities }));
  },
  /** One request; resolves with {ok, result} or {ok: false, code, message}. */
  request(method, payload) {
    return client.request(method, payload).then(
      (value) => ({ ok: true, result: { method, value } }),
      (e) => ({ ok: false, code: e.code ?? 'internal', message: e.message }),
    );
  },
  /** A small synthetic photo for remove requests. */
  image(size = 96) {
    const data = new Uint8Array(size * size * 4);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const i = (y * size + x) * 4;
        const inside = (x - size / 2) ** 2 + (y - size / 2) ** 2 < (size / 3) ** 2;
        data.set(inside ? [200, 60, 40, 255] : [30, 120 + (x & 31), 200, 255], i);
      }
    }
    return { width: size, height: size, data };
  },
  /** The plugin closes: its UI iframe goes, with everything in it. */
  close() {
    iframe?.remove();
    iframe = null;
    client?.close('frame closed');
    client = null;
  },
};
