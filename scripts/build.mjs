// Bundles the CLI and the inference frame with esbuild.
//  - packages/cli/dist/main.js
//  - packages/frame/dist/frame.html        one self-contained file (Figma's ui.html needs this)
//  - packages/frame/dist/bundle/           index.html + frame.js, for hosts that allow assets
//  - packages/frame/dist/model-host/       cache-helper.html, deployed on the model host next to models/
//  - figma-plugin/dist/                    code.js, ui.html and manifest.json (CUTOUT_MODEL_BASE; CUTOUT_RELEASE=1 checks it can ship)
//  - photoshop-uxp/dist/                   manifest.json, index.html, main.js and webview/frame.html (same model base and release check)
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { buildFigmaManifest, DEFAULT_DEV_MODEL_BASE, FigmaManifestError, normaliseModelBase } from './lib/figma-manifest.mjs';
import { buildPhotoshopManifest, PhotoshopManifestError } from './lib/photoshop-manifest.mjs';

// The Figma plugin's model base and manifest, settled before anything is built: a release build
// (CUTOUT_RELEASE=1) stops here when the base could not ship (scripts/lib/figma-manifest.mjs).
const figmaRelease = process.env.CUTOUT_RELEASE === '1';
let figmaModelBase;
let figmaManifest;
try {
  figmaModelBase = normaliseModelBase(process.env.CUTOUT_MODEL_BASE ?? DEFAULT_DEV_MODEL_BASE);
  figmaManifest = buildFigmaManifest(JSON.parse(await readFile('figma-plugin/manifest.template.json', 'utf8')), { modelBase: figmaModelBase, release: figmaRelease });
} catch (e) {
  if (!(e instanceof FigmaManifestError)) throw e;
  console.error(`build failed: ${e.message}`);
  process.exit(1);
}

await build({
  entryPoints: ['packages/cli/src/main.ts'],
  outfile: 'packages/cli/dist/main.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external: ['onnxruntime-node', 'onnxruntime-web', 'sharp'],
  logLevel: 'warning',
});
console.log('built packages/cli/dist/main.js');

/**
 * The ORT WebAssembly binaries the frame's bundled onnxruntime-web builds load, pinned by size and
 * sha256: the default build's (WebGPU + WASM) and the WASM-only build's (core-web's OrtBuild).
 */
async function ortWasmInfo(file) {
  const require = createRequire(join(process.cwd(), 'packages/core-web/package.json'));
  const dist = dirname(require.resolve(`onnxruntime-web/${file}`));
  const bytes = await readFile(join(dist, file));
  return { file, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), dir: dist };
}

const ort = await ortWasmInfo('ort-wasm-simd-threaded.jsep.wasm');
const ortPlain = await ortWasmInfo('ort-wasm-simd-threaded.wasm');
const pin = (o) => JSON.stringify({ file: o.file, bytes: o.bytes, sha256: o.sha256 });
// The inference worker, built first: the frame starts it from a Blob URL made of this text (the
// frame is one HTML file, often a data: URL or srcdoc, with no URL a worker script could load from).
// It carries its own onnxruntime-web; the frame bundle keeps one for the main-thread path.
// A classic script, not a module: Chromium refuses module workers from blob: URLs made in opaque
// origins (data: and sandboxed srcdoc frames). ORT reads import.meta.url: the worker's own URL.
const inferenceWorker = await build({
  entryPoints: ['packages/frame/src/inference-worker.ts'],
  bundle: true,
  write: false,
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
  minify: true,
  legalComments: 'none',
  define: { 'import.meta.url': 'self.location.href' },
  logLevel: 'warning',
});
const workerJs = inferenceWorker.outputFiles[0].text;
/** The frame app (page and embeddable module alike): preact JSX, CSS as text, the pinned ORT .wasm and the worker. */
const frameApp = {
  bundle: true,
  platform: 'browser',
  format: 'esm',
  target: 'es2022',
  minify: true,
  legalComments: 'none',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  loader: { '.css': 'text' },
  define: {
    __ORT_WASM__: pin(ort),
    __ORT_WASM_PLAIN__: pin(ortPlain),
    __INFERENCE_WORKER__: JSON.stringify(workerJs),
  },
  logLevel: 'warning',
};
const frame = await build({
  ...frameApp,
  entryPoints: ['packages/frame/src/main.tsx'],
  write: false,
  define: { ...frameApp.define, __DEFAULT_MODEL_BASE__: JSON.stringify(process.env.CUTOUT_MODEL_BASE ?? '') },
});
const js = frame.outputFiles[0].text;
// The frame renders into #app's shadow root; #app fills the page, so the frame's background does too.
const page = (script) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Remove background</title>
<style>html, body { margin: 0; height: 100%; } #app { min-height: 100%; display: flex; flex-direction: column; }</style></head>
<body><div id="app"></div>
${script}
</body></html>
`;
await mkdir('packages/frame/dist/bundle', { recursive: true });
// An inline module script ends at the first "</script"; the bundle must not contain one.
await writeFile('packages/frame/dist/frame.html', page(`<script type="module">${js.replace(/<\/script/gi, '<\\/script')}</script>`));
await writeFile('packages/frame/dist/bundle/frame.js', js);
await writeFile('packages/frame/dist/bundle/index.html', page('<script type="module" src="./frame.js"></script>'));
// The protocol for browser test pages that play a host (they use the same client as every adapter).
await build({
  entryPoints: ['packages/protocol/src/index.ts'],
  outfile: 'packages/protocol/dist/protocol.js',
  bundle: true,
  platform: 'browser',
  format: 'esm',
  target: 'es2022',
  logLevel: 'warning',
});
// The embeddable frame (Canva: the frame runs in the host's own document, in a shadow root):
// ESM exporting mountFrame with the protocol's direct pair and client.
await build({ ...frameApp, entryPoints: ['packages/frame/src/embed.ts'], outfile: 'packages/frame/dist/embed/embed.js' });
await writeFile('packages/frame/dist/ort-wasm.json', JSON.stringify({ jsep: JSON.parse(pin(ort)), wasm: JSON.parse(pin(ortPlain)) }, null, 2));
console.log(`built packages/frame/dist/frame.html (${(Buffer.byteLength(js) / 1e6).toFixed(2)} MB of script, of which the inference worker ${(Buffer.byteLength(workerJs) / 1e6).toFixed(2)} MB)`);

// The model host's cache helper page (packages/frame/src/cache-helper/), deployed next to models/
// and ort/ (docs/hosting-models.md): one HTML file, its script inline and the only one its CSP
// allows (by hash), fetching nothing but its own origin.
const cacheHelper = await build({
  entryPoints: ['packages/frame/src/cache-helper/main.ts'],
  bundle: true,
  write: false,
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});
const helperJs = cacheHelper.outputFiles[0].text.replace(/<\/script/gi, '<\\/script');
const helperCsp = `default-src 'none'; script-src 'sha256-${createHash('sha256').update(helperJs).digest('base64')}'; connect-src 'self'`;
await mkdir('packages/frame/dist/model-host', { recursive: true });
await writeFile(
  'packages/frame/dist/model-host/cache-helper.html',
  `<!doctype html>\n<html lang="en"><head><meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy" content="${helperCsp}">\n<title>Cutout model cache</title></head>\n<body><script>${helperJs}</script></body></html>\n`,
);
console.log(`built packages/frame/dist/model-host/cache-helper.html (${(Buffer.byteLength(helperJs) / 1e3).toFixed(1)} kB of script)`);

// Figma plugin: the sandbox code (no DOM), the frame as its single-file UI, and the manifest whose
// allowedDomains are derived from the same model base (settled at the top).
const modelBase = figmaModelBase;
await build({
  entryPoints: ['figma-plugin/src/main.ts'],
  outfile: 'figma-plugin/dist/code.js',
  bundle: true,
  platform: 'neutral',
  format: 'iife',
  target: 'es2020',
  define: { __MODEL_BASE__: JSON.stringify(modelBase) },
  logLevel: 'warning',
});
await writeFile('figma-plugin/dist/ui.html', await readFile('packages/frame/dist/frame.html'));
await writeFile('figma-plugin/dist/manifest.json', `${JSON.stringify(figmaManifest, null, 2)}\n`);
const { allowedDomains, devAllowedDomains = [] } = figmaManifest.networkAccess;
console.log(`built figma-plugin/dist (code.js, ui.html, manifest.json; model base ${modelBase}; allowedDomains ${allowedDomains.join(', ')}${devAllowedDomains.length ? `; devAllowedDomains ${devAllowedDomains.join(', ')}` : ''}${figmaRelease ? '; release' : ''})`);

// The Canva app (scripts/build-canva.mjs): canva-app/dist/app.js.
await (await import('./build-canva.mjs')).buildCanvaStep();

// Photoshop UXP panel: main.js (one IIFE; UXP's global require supplies `photoshop` and `uxp`), the
// panel page, the frame as the webview's page (the panel copies it into plugin-data: next to the model),
// and the manifest whose network.domains is the model host derived from the same model base.
let photoshopManifest;
try {
  photoshopManifest = buildPhotoshopManifest(JSON.parse(await readFile('photoshop-uxp/manifest.template.json', 'utf8')), { modelBase, release: figmaRelease });
} catch (e) {
  if (!(e instanceof PhotoshopManifestError)) throw e;
  console.error(`build failed: ${e.message}`);
  process.exit(1);
}
await build({
  entryPoints: ['photoshop-uxp/src/main.ts'],
  outfile: 'photoshop-uxp/dist/main.js',
  bundle: true,
  platform: 'neutral',
  format: 'iife',
  target: 'es2020',
  external: ['photoshop', 'uxp'],
  define: {
    __MODEL_BASE__: JSON.stringify(modelBase),
    __ORT_WASM__: pin(ort),
    __ORT_WASM_PLAIN__: pin(ortPlain),
    __PLUGIN_VERSION__: JSON.stringify(photoshopManifest.version),
  },
  logLevel: 'warning',
});
await mkdir('photoshop-uxp/dist/webview', { recursive: true });
await writeFile('photoshop-uxp/dist/index.html', await readFile('photoshop-uxp/index.html'));
await writeFile('photoshop-uxp/dist/webview/frame.html', await readFile('packages/frame/dist/frame.html'));
await writeFile('photoshop-uxp/dist/manifest.json', `${JSON.stringify(photoshopManifest, null, 2)}\n`);
console.log(`built photoshop-uxp/dist (main.js, index.html, webview/frame.html, manifest.json; network.domains ${photoshopManifest.requiredPermissions.network.domains.join(', ')}${figmaRelease ? '; release' : ''})`);
