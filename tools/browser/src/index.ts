/**
 * Browser tooling shared by the browser tests and the frame benchmarks: the model server (the
 * hosting policy's headers over a static file server), the Chromium harness that serves the built
 * frame and the host pages on http://127.0.0.1, and the paths and image loading they need.
 */
export { startHarness, fromBase64, CHROMIUM, BASE_FLAGS, type Harness, type RecordedRequest } from './harness.js';
export { startModelServer, defaultOrtDir, DEFAULT_CACHE_HELPER, type ModelServer, type ModelServerRequestInfo } from './model-server.js';
export { ROOT, PAGES_DIR, MODELS_DIR, SAMPLES_DIR, HAVE_MODELS } from './paths.js';
export { loadRgba } from './images.js';
export { openWebviewPage, type WebviewPage, type WebviewPageOptions } from './webview-page.js';
