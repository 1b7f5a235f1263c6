// Builds the Canva app (canva-app/) into canva-app/dist/app.js: one self-contained IIFE of at most
// 5 MB (Canva: "a single app.js", no code splitting; canva-notes §7), with
//  - onnxruntime-web's WASM-only build (`onnxruntime-web/wasm`: no WebGPU glue, hence no Embind
//    `new Function`, which Canva's CSP refuses); its .wasm is NOT bundled: the app downloads it
//    from the model host, pinned here by size and sha256 (`__ORT_WASM__`, as the frame's build does);
//  - the App UI Kit's CSS inlined: its `styles.css` is a JS shim that `import()`s styles.ltr.css or
//    styles.rtl.css by the document's `dir`; here both are text in the bundle, injected as <style>;
//  - the model base (CUTOUT_CANVA_MODEL_BASE, HTTPS: the CSP's connect-src allows https: only) and
//    the model id (CUTOUT_CANVA_MODEL) as build-time constants.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The dev default: `npm run serve:models` behind an HTTPS proxy (canva-app/README.md). */
export const DEFAULT_CANVA_MODEL_BASE = 'https://localhost:8788/';
export const CANVA_APP_MAX_BYTES = 5 * 1024 * 1024;
const ORT_WASM_FILE = 'ort-wasm-simd-threaded.wasm';

async function ortWasmInfo(root) {
  const require = createRequire(join(root, 'packages/core-web/package.json'));
  const file = require.resolve(`onnxruntime-web/${ORT_WASM_FILE}`);
  const bytes = await readFile(file);
  return { file: ORT_WASM_FILE, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** esbuild plugin: ORT's WASM-only entry, and the kit's CSS as an injected <style>. */
function canvaPlugin(root) {
  return {
    name: 'canva-app',
    setup(b) {
      // esbuild's own resolution (the `import` condition: ort.wasm.bundle.min.mjs, glue embedded);
      // require.resolve would pick the CJS build, whose glue is a separate .mjs it import()s.
      b.onResolve({ filter: /^onnxruntime-web$/ }, (args) => b.resolve('onnxruntime-web/wasm', { kind: args.kind, resolveDir: args.resolveDir }));
      b.onResolve({ filter: /^@canva\/app-ui-kit\/styles\.css$/ }, () => ({ path: 'app-ui-kit-styles', namespace: 'canva-css' }));
      b.onLoad({ filter: /.*/, namespace: 'canva-css' }, async () => {
        const kit = await b.resolve('@canva/app-ui-kit/package.json', { kind: 'import-statement', resolveDir: join(root, 'canva-app') });
        const dist = join(dirname(kit.path), 'dist');
        const ltr = await readFile(join(dist, 'styles.ltr.css'), 'utf8');
        const rtl = await readFile(join(dist, 'styles.rtl.css'), 'utf8');
        const contents = `const css = document.documentElement.getAttribute('dir') === 'rtl' ? ${JSON.stringify(rtl)} : ${JSON.stringify(ltr)};
const style = document.createElement('style');
style.textContent = css;
document.head.appendChild(style);`;
        return { contents, loader: 'js' };
      });
    },
  };
}

/** Builds app.js; returns its path and size. Fails when it is over Canva's 5 MB. */
export async function buildCanvaApp({ root = process.cwd(), outfile = join(root, 'canva-app/dist/app.js'), modelBase, modelId } = {}) {
  const base = modelBase ?? process.env.CUTOUT_CANVA_MODEL_BASE ?? DEFAULT_CANVA_MODEL_BASE;
  if (!/^https:\/\//.test(base)) throw new Error(`CUTOUT_CANVA_MODEL_BASE must be an https:// URL (Canva's CSP allows connect-src https: only); got ${base}`);
  const ort = await ortWasmInfo(root);
  await build({
    absWorkingDir: root,
    entryPoints: ['canva-app/src/index.tsx'],
    outfile,
    bundle: true,
    splitting: false,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    jsx: 'automatic',
    jsxImportSource: 'react',
    plugins: [canvaPlugin(root)],
    define: {
      'process.env.NODE_ENV': '"production"',
      __CANVA_MODEL_BASE__: JSON.stringify(base.endsWith('/') ? base : `${base}/`),
      __CANVA_MODEL_ID__: JSON.stringify(modelId ?? process.env.CUTOUT_CANVA_MODEL ?? 'isnet-int8-web'),
      __ORT_WASM__: JSON.stringify(ort),
      // One build (the WASM-only one, aliased above) for both of the frame's pins.
      __ORT_WASM_PLAIN__: JSON.stringify(ort),
      __INFERENCE_WORKER__: 'null',
    },
    logLevel: 'error',
  });
  const { size } = await stat(outfile);
  if (size > CANVA_APP_MAX_BYTES) throw new Error(`${outfile} is ${size} bytes, over Canva's 5 MB limit`);
  await mkdir(dirname(outfile), { recursive: true });
  await writeFile(join(dirname(outfile), 'ort-wasm.json'), `${JSON.stringify(ort, null, 2)}\n`);
  return { outfile, size, modelBase: base };
}

/** The step scripts/build.mjs runs. */
export async function buildCanvaStep() {
  const { outfile, size, modelBase } = await buildCanvaApp();
  console.log(`built ${outfile.replace(`${process.cwd()}/`, '')} (${(size / 1e6).toFixed(2)} MB of the 5 MB limit; model base ${modelBase})`);
}
