import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is tools/browser/src/paths.ts). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** The host pages the harness serves at /harness/ (a test host, the Figma host stand-in, the bare ORT page). */
export const PAGES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'pages');
export const MODELS_DIR = process.env['CUTOUT_MODELS_DIR'] ?? join(ROOT, 'models');
export const SAMPLES_DIR = join(ROOT, 'samples');
export const HAVE_MODELS = existsSync(join(MODELS_DIR, 'index.json'));
