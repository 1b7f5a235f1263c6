/**
 * Typed fakes of Photoshop's `photoshop` and `uxp` modules and of the `<webview>` bridge, built from the
 * documented behaviour (shared/docs/photoshop-notes.md, hosts.md §2), and a loader for the built plugin.
 * Typical use:
 *   const ps = new FakePhotoshop();  const { doc, layer } = ps.setup.documentFromImage(rgba, { depth: 16 });
 *   const uxp = new FakeUxp();       const plugin = await loadBuiltPlugin({ distDir, photoshop: ps.module, uxp });
 *   await plugin.panel.create(); await plugin.panel.show();
 *   plugin.bridge.page.onMessage(...) / .postToPlugin(...)   // or createWebviewEndpoint(plugin.bridge.page.port)
 *   expect(ps.registry.undisposed).toBe(0); expect(plugin.bridge.rawTypedArraysSeen).toEqual([]);
 */
export { FakePhotoshop } from './fake-photoshop.js';
export { FakeUxp } from './fake-uxp.js';
export { FakeWebviewBridge } from './fake-webview.js';
export { loadBuiltPlugin } from './load-plugin.js';
