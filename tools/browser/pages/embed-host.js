// Test host for the embeddable frame: mounts the built embed bundle into #slot (a shadow root),
// talks to it through the in-process pair and the protocol's client, and reads the host's own
// document so the test can show that mounting changes nothing there.
import { createDirectPair, createFrameClient, mountFrame } from '/frame/embed/embed.js';

const slot = document.getElementById('slot');
const [hostEnd, frameEnd] = createDirectPair();
const client = createFrameClient(hostEnd, { readyTimeoutMs: 60_000 });
const commands = [];
client.onCommand((c) => commands.push(c));
let mounted = null;

const HOST_ELEMENTS = ['html', 'body', '#host-title', '#host-button', '#host-input', '#host-textarea', '#host-editable', '#slot'];
const PROPS = ['font-size', 'font-family', 'color', 'background-color', 'box-sizing', 'margin-top', 'letter-spacing', 'text-transform', 'width', 'height', 'display'];

/** Everything of the host document the frame must leave alone. */
function snapshot() {
  const styles = {};
  for (const selector of HOST_ELEMENTS) {
    const cs = getComputedStyle(document.querySelector(selector));
    styles[selector] = Object.fromEntries(PROPS.filter((p) => !(selector === '#slot' && p === 'height') && !(selector === 'body' && p === 'height') && !(selector === 'html' && p === 'height')).map((p) => [p, cs.getPropertyValue(p)]));
  }
  const attrs = (el) => Object.fromEntries([...el.attributes].map((a) => [a.name, a.value]));
  return {
    styles,
    html: attrs(document.documentElement),
    body: attrs(document.body),
    head: document.head.innerHTML,
    styleSheets: document.styleSheets.length,
    adopted: document.adoptedStyleSheets.length,
    bodyChildren: document.body.children.length,
  };
}

/** A query inside the frame's shadow root. */
function inFrame(selector) {
  return slot.shadowRoot?.querySelector(selector) ?? null;
}

window.embed = {
  client,
  commands,
  snapshot,
  inFrame,
  get mounted() {
    return mounted;
  },
  async mount(config) {
    mounted = await mountFrame(slot, { endpoint: frameEnd, config, log: (m, d) => console.warn(`[frame] ${m}`, d ?? '') });
    await client.ready;
  },
  async unmount() {
    await mounted.unmount();
    mounted = null;
  },
  /** The frame's own rendering, for the style assertions. */
  frameStyles() {
    const pick = (el, props) => (el ? Object.fromEntries(props.map((p) => [p, getComputedStyle(el).getPropertyValue(p)])) : null);
    return {
      root: pick(inFrame('.cutout'), ['background-color', 'font-size', 'font-family', 'letter-spacing', 'text-transform']),
      h1: pick(inFrame('h1'), ['font-size', 'box-sizing']),
      button: pick(inFrame('button'), ['background-color', 'box-sizing']),
      theme: inFrame('.cutout')?.getAttribute('data-theme') ?? null,
    };
  },
  /** Starts a request and records how it settled, so the test can tell "still pending" apart. */
  start(method, payload) {
    const entry = { settled: null };
    const pending = client.start(method, payload);
    entry.id = pending.id;
    entry.done = pending.result.then(
      (value) => (entry.settled = { ok: true, value }),
      (e) => (entry.settled = { ok: false, code: e.code, message: e.message }),
    );
    return entry;
  },
  image(width, height) {
    const data = new Uint8Array(width * height * 4);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 4;
        const inside = (x - width / 2) ** 2 + (y - height / 2) ** 2 < (height / 3) ** 2;
        data.set(inside ? [220, 60, 40, 255] : [30, 120 + (x % 40), 200, 255], i);
      }
    return { width, height, data };
  },
};
