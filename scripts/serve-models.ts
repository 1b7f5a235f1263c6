/**
 * Serves the prepared models (models/) and onnxruntime-web's .wasm/.mjs for development and tests,
 * with the headers a real model host needs (see docs/hosting-models.md).
 *   npm run serve:models -- [--port 8787] [--host 127.0.0.1] [--models-dir models] [--root <dir>|<prefix>=<dir>]… [--frame] [--latency ms]
 * --root serves an extra static directory (test pages) at / (or at the given URL prefix);
 * --frame also serves the built inference frame under /frame/ (open /frame/bundle/index.html).
 * /cache-helper.html is the built model cache helper page (null-origin frames keep the model there).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_CACHE_HELPER, startModelServer } from '@cutout/tools-browser';

const root = resolve(import.meta.dirname, '..');
const usage = 'usage: tsx scripts/serve-models.ts [--port 8787] [--host 127.0.0.1] [--models-dir models] [--root <dir>|<prefix>=<dir>]… [--frame] [--latency ms]';

function fail(message: string): never {
  console.error(message);
  console.error(usage);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      port: { type: 'string', default: '8787' },
      host: { type: 'string', default: '127.0.0.1' },
      'models-dir': { type: 'string', default: join(root, 'models') },
      root: { type: 'string', multiple: true, default: [] },
      frame: { type: 'boolean', default: false },
      latency: { type: 'string', default: '0' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (e) {
  fail((e as Error).message);
}
if (values.help) {
  console.log(usage);
  process.exit(0);
}

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be an integer 0..65535, not ${values.port}`);
const latencyMs = Number(values.latency);
if (!Number.isFinite(latencyMs) || latencyMs < 0) fail(`--latency must be a number of milliseconds ≥ 0, not ${values.latency}`);
const modelsDir = resolve(values['models-dir']);

const staticDirs: Record<string, string> = {};
if (values.frame) staticDirs['/frame/'] = join(root, 'packages', 'frame', 'dist');
for (const entry of values.root) {
  const eq = entry.indexOf('=');
  const [prefix, dir] = eq > 0 && entry.startsWith('/') ? [entry.slice(0, eq), entry.slice(eq + 1)] : ['/', entry];
  if (!existsSync(dir)) fail(`--root: ${dir} does not exist`);
  staticDirs[prefix] = resolve(dir);
}

let models: string[] = [];
try {
  const index = JSON.parse(readFileSync(join(modelsDir, 'index.json'), 'utf8')) as { models?: unknown };
  if (Array.isArray(index.models)) models = index.models.filter((m): m is string => typeof m === 'string' && existsSync(join(modelsDir, `${m}.onnx`)));
} catch {
  console.warn(`warning: no ${join(modelsDir, 'index.json')}; run \`npm run models\` first (ORT files are served anyway)`);
}

let server;
try {
  server = await startModelServer({
    port,
    host: values.host,
    modelsDir,
    staticDirs,
    latencyMs,
    onRequest: (r) => console.log(`${r.status} ${r.method} ${r.url}${r.origin ? ` (origin ${r.origin})` : ''}`),
  });
} catch (e) {
  const err = e as NodeJS.ErrnoException;
  fail(err.code === 'EADDRINUSE' ? `port ${port} on ${values.host} is in use; try --port 0 or another port` : `could not start: ${err.message}`);
}

console.log(`model base URL: ${server.url}`);
console.log(`  models:        ${server.url}models/  (from ${modelsDir}${models.length ? `: ${models.join(', ')}` : ''})`);
console.log(`  onnxruntime:   ${server.url}ort/  (from ${server.ortDir ?? 'nowhere: onnxruntime-web not found'})`);
console.log(`  cache helper:  ${server.url}cache-helper.html  (${existsSync(DEFAULT_CACHE_HELPER) ? `from ${DEFAULT_CACHE_HELPER}` : 'not built yet: run `npm run build`'})`);
for (const [prefix, dir] of Object.entries(staticDirs)) console.log(`  static:        ${server.url}${prefix.replace(/^\//, '')}  (from ${dir})`);
console.log('frame configuration (the host\'s configure request payload), e.g.:');
console.log(`  ${JSON.stringify({ modelBaseUrl: server.url, backend: 'auto' })}`);
console.log('Ctrl-C to stop.');

let stopping = false;
const stop = (): void => {
  if (stopping) process.exit(130); // a second Ctrl-C: do not wait for open downloads
  stopping = true;
  console.log('\nstopping…');
  void server.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
