// Figma-like host page: the built figma-plugin/dist/ui.html is loaded the way Figma loads it, in
// an iframe with an opaque (null) origin — ?mode=data (a data: URL, not a secure context) or
// ?mode=srcdoc (sandboxed srcdoc: secure, no storage). Messages are relayed to the plugin sandbox
// (running in Node against the fake figma) with Figma's envelope: the UI posts {pluginMessage} to
// its parent; the sandbox's messages arrive in the UI as {pluginMessage}, structured-cloned.
// Across the Node ↔ page hop, Uint8Array travels as {$bytes: base64}.
const mode = new URLSearchParams(location.search).get('mode') ?? 'data';
let iframe = null;

function toBase64(bytes) {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}
function fromBase64(text) {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
const encode = (value) => JSON.stringify(value, (_k, v) => (v instanceof Uint8Array ? { $bytes: toBase64(v) } : v));
const decode = (text) => JSON.parse(text, (_k, v) => (v && typeof v === 'object' && typeof v.$bytes === 'string' ? fromBase64(v.$bytes) : v));

window.addEventListener('message', (event) => {
  if (!iframe || event.source !== iframe.contentWindow) return;
  const msg = event.data && event.data.pluginMessage;
  if (msg === undefined) return;
  window.toSandbox(encode(msg));
});

window.figmaHost = {
  /** figma.showUI: create the UI iframe. */
  async show(width, height) {
    const html = await (await fetch('/figma/ui.html')).text();
    iframe = document.createElement('iframe');
    iframe.style.cssText = `width:${width}px;height:${height}px;border:1px solid #ccc`;
    if (mode === 'srcdoc') {
      iframe.setAttribute('sandbox', 'allow-scripts');
      iframe.srcdoc = html;
    } else {
      const bytes = new TextEncoder().encode(html);
      iframe.src = `data:text/html;base64,${toBase64(bytes)}`;
    }
    document.body.appendChild(iframe);
  },
  /** figma.ui.postMessage: deliver to the UI as {pluginMessage}. */
  toUi(text) {
    iframe.contentWindow.postMessage({ pluginMessage: decode(text) }, '*');
  },
};
