// Bundles the CLI (and, later, the inference frame) with esbuild.
import { build } from 'esbuild';

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
