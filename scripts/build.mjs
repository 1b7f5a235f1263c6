// Bundles the CLI and the inference frame with esbuild.
//  - packages/cli/dist/main.js
//  - packages/frame/dist/frame.html        one self-contained file (Figma's ui.html needs this)
//  - packages/frame/dist/bundle/           index.html + frame.js, for hosts that allow assets
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

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

/** The ORT WebAssembly binary the frame's bundled onnxruntime-web loads, pinned by size and sha256. */
async function ortWasmInfo() {
  const require = createRequire(join(process.cwd(), 'shared-core/package.json'));
  const dist = dirname(require.resolve('onnxruntime-web/ort-wasm-simd-threaded.jsep.wasm'));
  const file = 'ort-wasm-simd-threaded.jsep.wasm';
  const bytes = await readFile(join(dist, file));
  return { file, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), dir: dist };
}

const ort = await ortWasmInfo();
const frame = await build({
  entryPoints: ['packages/frame/src/main.tsx'],
  bundle: true,
  write: false,
  platform: 'browser',
  format: 'esm',
  target: 'es2022',
  minify: true,
  legalComments: 'none',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  loader: { '.css': 'text' },
  define: {
    __ORT_WASM__: JSON.stringify({ file: ort.file, bytes: ort.bytes, sha256: ort.sha256 }),
    __DEFAULT_MODEL_BASE__: JSON.stringify(process.env.CUTOUT_MODEL_BASE ?? ''),
  },
  logLevel: 'warning',
});
const js = frame.outputFiles[0].text;
const page = (script) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Remove background</title></head>
<body><div id="app"></div>
${script}
</body></html>
`;
await mkdir('packages/frame/dist/bundle', { recursive: true });
// An inline module script ends at the first "</script"; the bundle must not contain one.
await writeFile('packages/frame/dist/frame.html', page(`<script type="module">${js.replace(/<\/script/gi, '<\\/script')}</script>`));
await writeFile('packages/frame/dist/bundle/frame.js', js);
await writeFile('packages/frame/dist/bundle/index.html', page('<script type="module" src="./frame.js"></script>'));
await writeFile('packages/frame/dist/ort-wasm.json', JSON.stringify({ file: ort.file, bytes: ort.bytes, sha256: ort.sha256 }, null, 2));
console.log(`built packages/frame/dist/frame.html (${(Buffer.byteLength(js) / 1e6).toFixed(2)} MB of script)`);

// Figma plugin: the sandbox code (no DOM) and the frame as its single-file UI.
const modelBase = process.env.CUTOUT_MODEL_BASE ?? 'http://127.0.0.1:8787/';
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
console.log(`built figma-plugin/dist (code.js, ui.html; model base ${modelBase})`);
