/**
 * Serves the prepared models (models/) and onnxruntime-web's .wasm on 127.0.0.1 for development
 * and tests, with the headers a real model host needs (see docs/hosting-models.md).
 *   npm run serve:models -- [--port 8787] [--host 127.0.0.1] [--models-dir models] [--frame]
 * --frame also serves the built inference frame under /frame/ (open /frame/bundle/index.html).
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startModelServer } from './lib/model-server.js';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8787' },
    host: { type: 'string', default: '127.0.0.1' },
    'models-dir': { type: 'string', default: join(root, 'models') },
    frame: { type: 'boolean', default: false },
  },
});
const server = await startModelServer({
  port: Number(values.port),
  host: values.host,
  modelsDir: resolve(values['models-dir']),
  staticDirs: values.frame ? { '/frame/': join(root, 'packages', 'frame', 'dist') } : {},
  onRequest: (r) => console.log(`${r.status} ${r.method} ${r.url}${r.origin ? ` (origin ${r.origin})` : ''}`),
});
console.log(`serving models on ${server.url}models/ and onnxruntime-web on ${server.url}ort/`);
console.log(`frame configuration: { "modelBaseUrl": "${server.url}" }`);
const stop = (): void => void server.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
