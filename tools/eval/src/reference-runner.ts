/**
 * Runs the open-source reference pipeline `@imgly/background-removal-node@1.4.5` for evaluation
 * and benchmarks. It is NOT part of the default install: it lives in its own tiny package,
 * scripts/reference/ (onnxruntime-node forced to 1.17.x and sharp to ^0.33.5 through npm
 * `overrides`), installed on first use into scripts/reference/node_modules (git-ignored).
 *
 * The package is imported by absolute file URL so that it resolves its own dependencies
 * (onnxruntime-node 1.17, sharp 0.33) from scripts/reference/node_modules rather than the root's.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REFERENCE_PACKAGE = '@imgly/background-removal-node';
export const REFERENCE_VERSION = '1.4.5';
/** scripts/reference/ */
export const REFERENCE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'scripts', 'reference');

export type ReferenceModel = 'small' | 'medium' | 'large';

export interface ReferenceResult {
  /** Soft alpha at the image's full size, row-major, values in [0,1]. */
  alpha: Float32Array;
  width: number;
  height: number;
  /** Wall time of the whole pipeline call (decode, resize, inference, upscale), ms. */
  ms: number;
}

interface ReferenceConfig {
  publicPath: string;
  model: ReferenceModel;
  output: { format: 'image/x-rgba8'; quality: number };
}

interface ReferenceModule {
  segmentForeground(image: string | URL | Blob | ArrayBuffer, config?: ReferenceConfig): Promise<Blob>;
}

function packageDir(): string {
  return path.join(REFERENCE_DIR, 'node_modules', ...REFERENCE_PACKAGE.split('/'));
}

function installedVersion(): string | null {
  const pj = path.join(packageDir(), 'package.json');
  if (!existsSync(pj)) return null;
  try {
    const v: unknown = JSON.parse(readFileSync(pj, 'utf8'));
    if (typeof v === 'object' && v !== null && 'version' in v && typeof v.version === 'string') return v.version;
  } catch {
    /* fall through */
  }
  return null;
}

/**
 * Installs scripts/reference's dependencies on first use (prints one line). No-op when the
 * expected version is already there.
 */
export function ensureReferenceInstalled(): void {
  if (installedVersion() === REFERENCE_VERSION && existsSync(path.join(REFERENCE_DIR, 'node_modules', 'onnxruntime-node'))) {
    return;
  }
  console.log(`Installing reference pipeline ${REFERENCE_PACKAGE}@${REFERENCE_VERSION} into ${path.relative(process.cwd(), REFERENCE_DIR) || '.'}/node_modules …`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error', '--prefix', REFERENCE_DIR], {
    cwd: REFERENCE_DIR,
    stdio: ['ignore', 'ignore', 'inherit'],
    shell: process.platform === 'win32',
  });
  if (r.status !== 0 || installedVersion() !== REFERENCE_VERSION) {
    throw new Error(`npm install of the reference pipeline failed (exit ${r.status ?? r.signal ?? 'unknown'})`);
  }
}

let modulePromise: Promise<ReferenceModule> | null = null;

async function loadReferenceModule(): Promise<ReferenceModule> {
  if (modulePromise === null) {
    modulePromise = (async () => {
      ensureReferenceInstalled();
      // Resolve the package's ESM entry from scripts/reference/, not from the repo root.
      const req = createRequire(path.join(REFERENCE_DIR, 'package.json'));
      // (its `exports` has no ./package.json; the CJS entry sits next to the ESM one in dist/)
      const cjsEntry = req.resolve(REFERENCE_PACKAGE);
      const entry = path.join(path.dirname(cjsEntry), 'index.mjs');
      const mod: unknown = await import(pathToFileURL(entry).href);
      if (typeof mod !== 'object' || mod === null || !('segmentForeground' in mod) || typeof mod.segmentForeground !== 'function') {
        throw new Error(`${entry}: no segmentForeground export`);
      }
      return mod as ReferenceModule;
    })();
  }
  return modulePromise;
}

export interface ReferenceRunner {
  model: ReferenceModel;
  /** Runs the whole reference pipeline on an image file and returns its soft mask at full size. */
  run(imagePath: string): Promise<ReferenceResult>;
}

/**
 * Loads the reference package and its model once (the package memoizes its ONNX session per
 * config; the config object built here is reused for every call so the memo key stays the same).
 * When `warmupImage` is given, one untimed run is made on it so later timings exclude session
 * creation.
 */
export async function createReferenceRunner(opts: { model?: ReferenceModel; warmupImage?: string } = {}): Promise<ReferenceRunner> {
  const mod = await loadReferenceModule();
  const model = opts.model ?? 'medium';
  const config: ReferenceConfig = {
    // Its default publicPath is <cwd>/node_modules/<pkg>/dist/, which would be wrong from the repo root.
    publicPath: `${pathToFileURL(path.join(packageDir(), 'dist')).href}/`,
    model,
    // 'image/x-alpha8' is rejected by segmentForeground 1.4.5 ("Only 4-channel images are supported"),
    // so ask for raw RGBA; the mask is in the A channel (the package's RGB channels are garbled).
    output: { format: 'image/x-rgba8', quality: 0.8 },
  };

  const run = async (imagePath: string): Promise<ReferenceResult> => {
    const abs = path.resolve(imagePath);
    const t0 = performance.now();
    const blob = await mod.segmentForeground(pathToFileURL(abs), config);
    const buf = new Uint8Array(await blob.arrayBuffer());
    const ms = performance.now() - t0;
    const params = new Map<string, string>();
    for (const part of blob.type.split(';').slice(1)) {
      const [k, v] = part.split('=');
      if (k !== undefined && v !== undefined) params.set(k.trim(), v.trim());
    }
    const width = Number(params.get('width'));
    const height = Number(params.get('height'));
    if (!Number.isInteger(width) || !Number.isInteger(height) || buf.length !== width * height * 4) {
      throw new Error(`reference: unexpected output ${blob.type} with ${buf.length} bytes for ${abs}`);
    }
    const alpha = new Float32Array(width * height);
    for (let i = 0; i < alpha.length; i++) alpha[i] = (buf[i * 4 + 3] ?? 0) / 255;
    return { alpha, width, height, ms };
  };

  if (opts.warmupImage !== undefined) await run(opts.warmupImage);
  return { model, run };
}

/** One-off convenience: runs the reference (model loaded once per process) on an image file. */
let defaultRunner: Promise<ReferenceRunner> | null = null;
export async function runReference(imagePath: string): Promise<ReferenceResult> {
  if (defaultRunner === null) defaultRunner = createReferenceRunner();
  return (await defaultRunner).run(imagePath);
}
