/**
 * Prepares the ISNet model variants in models/ (git-ignored) from @imgly/background-removal-data.
 *
 *   npm run models                 build if anything is missing or stale (fast no-op otherwise)
 *   npm run models -- --force      rebuild everything
 *   npm run models -- --measure    also run the variant comparisons and CPU timings (docs/models.md)
 *
 * Writes models/<id>.onnx, models/<id>.json (ModelManifest), models/index.json and models/.stamp.
 * Models the user added with `cutout models add` (manifest `registered`) stay in the index and are never rebuilt.
 * The stamp holds the data package version and a hash of this script and its tools/models/src helpers;
 * when it matches and every manifest's file has the right size, nothing is rebuilt.
 * $CUTOUT_MODELS_DIR overrides the output folder.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseModelManifest } from '@cutout/core';
import { parseScriptArgs } from '@cutout/tools-eval';

const HERE = dirname(fileURLToPath(import.meta.url));
/** tools/models: the package root; BUILD_SOURCES are relative to it. */
const PKG = resolve(HERE, '..');
const ROOT = resolve(PKG, '..', '..');
const MODELS_DIR = resolve(process.env['CUTOUT_MODELS_DIR'] ?? join(ROOT, 'models'));
const STAMP = join(MODELS_DIR, '.stamp');
/** Files whose content decides what gets built (hashed into the stamp). */
const BUILD_SOURCES = [
  'bin/prepare-models.ts',
  'src/half-float.ts',
  'src/onnx-graph.ts',
  'src/onnx-fp32.ts',
  'src/onnx-int8.ts',
  'src/onnx-int4.ts',
  'src/onnx-mixed.ts',
  'src/mixed-recipe.ts',
  'src/conv-input-means.ts',
  'data/isnet-input-means.json',
  'src/model-data.ts',
  'src/model-variants.ts',
].map((f) => join(PKG, f));

interface Stamp {
  dataVersion: string;
  scripts: string;
  models: Record<string, number>;
}

const rel = (p: string): string => relative(process.cwd(), p) || '.';

function dataVersion(): string {
  try {
    const req = createRequire(join(PKG, 'package.json'));
    const pkg = JSON.parse(readFileSync(req.resolve('@imgly/background-removal-data/package.json'), 'utf8')) as { version?: unknown };
    return String(pkg.version ?? '');
  } catch {
    return '';
  }
}

function scriptsHash(): string {
  const h = createHash('sha256');
  for (const f of BUILD_SOURCES) h.update(f.slice(PKG.length)).update('\0').update(readFileSync(f)).update('\0');
  return h.digest('hex');
}

/** True when models/ is complete and built by this exact script from this data version. */
function upToDate(version: string, scripts: string): boolean {
  try {
    const stamp = JSON.parse(readFileSync(STAMP, 'utf8')) as Stamp;
    if (stamp.dataVersion !== version || stamp.scripts !== scripts) return false;
    const index = JSON.parse(readFileSync(join(MODELS_DIR, 'index.json'), 'utf8')) as { default?: unknown; models?: unknown };
    if (!Array.isArray(index.models) || typeof index.default !== 'string' || !index.models.includes(index.default)) return false;
    const built = Object.keys(stamp.models);
    if (built.length === 0 || !built.every((id) => (index.models as unknown[]).includes(id))) return false;
    for (const id of index.models as unknown[]) {
      const path = join(MODELS_DIR, `${String(id)}.json`);
      const m = parseModelManifest(JSON.parse(readFileSync(path, 'utf8')), path);
      if (m.registered) continue; // the user's own (`cutout models add`): not ours to rebuild
      if (m.id !== id || stamp.models[m.id] !== m.bytes || statSync(join(MODELS_DIR, m.file)).size !== m.bytes) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/** Ids in the current index added with `cutout models add` (manifest `registered`): a rebuild keeps them listed. */
function registeredIds(): string[] {
  try {
    const index = JSON.parse(readFileSync(join(MODELS_DIR, 'index.json'), 'utf8')) as { models?: unknown };
    return (Array.isArray(index.models) ? index.models : []).filter((id): id is string => {
      try {
        const path = join(MODELS_DIR, `${String(id)}.json`);
        return typeof id === 'string' && parseModelManifest(JSON.parse(readFileSync(path, 'utf8')), path).registered === true;
      } catch {
        return false; // unreadable: left out of the rebuilt index (its files stay where they are)
      }
    });
  } catch {
    return []; // no index yet
  }
}

function writeAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

async function build(version: string, scripts: string): Promise<void> {
  const { openDataPackage, assembleResource } = await import('../src/model-data.js');
  const { VARIANTS, DEFAULT_MODEL, buildVariant, manifestFor } = await import('../src/model-variants.js');
  const t0 = performance.now();
  const pkg = openDataPackage(PKG);
  const sources = new Map<string, Buffer>();
  for (const r of new Set(VARIANTS.map((v) => v.source))) {
    const bytes = assembleResource(pkg, r);
    sources.set(r, bytes);
    console.log(`read ${r} from ${pkg.version ? `@imgly/background-removal-data@${pkg.version}` : 'the data package'}: ${bytes.length} bytes, all chunks verified (size + sha256)`);
  }
  mkdirSync(MODELS_DIR, { recursive: true });
  try {
    writeFileSync(STAMP, ''); // invalidate while building
  } catch {
    /* ignore */
  }
  const stamp: Stamp = { dataVersion: version, scripts, models: {} };
  const ort = await import('onnxruntime-node');
  for (const spec of VARIANTS) {
    const source = sources.get(spec.source);
    if (!source) throw new Error(`no source for ${spec.id}`);
    const { bytes, notes } = buildVariant(source, spec);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const manifest = parseModelManifest(manifestFor(spec, bytes.byteLength, sha256, pkg.version), `${spec.id}.json`);
    const file = join(MODELS_DIR, manifest.file);
    writeAtomic(file, bytes);
    // Smoke check: onnxruntime-node accepts the graph and sees exactly input → output.
    const session = await ort.InferenceSession.create(file, { graphOptimizationLevel: 'all' });
    const io = `${session.inputNames.join(',')}→${session.outputNames.join(',')}`;
    await session.release();
    if (io !== `${manifest.input.name}→${manifest.output.name}`) throw new Error(`${spec.id}: onnxruntime sees ${io}`);
    writeAtomic(join(MODELS_DIR, `${spec.id}.json`), `${JSON.stringify(manifest, null, 2)}\n`);
    stamp.models[spec.id] = bytes.byteLength;
    console.log(`wrote ${rel(file)} (${(bytes.byteLength / 1e6).toFixed(1)} MB, sha256 ${sha256.slice(0, 12)}…) + ${spec.id}.json: ${notes.join('; ')}`);
  }
  const ours = VARIANTS.map((v) => v.id);
  const index = { default: DEFAULT_MODEL, models: [...ours, ...registeredIds().filter((id) => !ours.includes(id))] };
  writeAtomic(join(MODELS_DIR, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
  writeAtomic(STAMP, `${JSON.stringify(stamp, null, 2)}\n`);
  console.log(`wrote ${rel(join(MODELS_DIR, 'index.json'))} (default ${DEFAULT_MODEL}) and .stamp in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

async function main(): Promise<void> {
  const { values: args } = parseScriptArgs('usage: npm run models [-- --force] [--measure]', {
    strict: true,
    options: { force: { type: 'boolean', default: false }, measure: { type: 'boolean', default: false } },
  });
  const version = dataVersion();
  const scripts = scriptsHash();
  if (!args.force && existsSync(STAMP) && upToDate(version, scripts)) {
    console.log(`models: up to date in ${rel(MODELS_DIR)} (@imgly/background-removal-data@${version}); --force rebuilds`);
  } else {
    await build(version, scripts);
  }
  if (args.measure) {
    const { measureAll } = await import('../src/model-measure.js');
    await measureAll(ROOT, MODELS_DIR, join(ROOT, 'samples'));
  }
}

main().catch((e: unknown) => {
  const err = e as Error;
  console.error(`prepare-models: ${err.name === 'ModelDataError' ? err.message : (err.stack ?? String(e))}`);
  process.exit(1);
});
