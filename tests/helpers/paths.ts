import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const MODELS_DIR = process.env['CUTOUT_MODELS_DIR'] ?? join(ROOT, 'models');
export const SAMPLES_DIR = join(ROOT, 'samples');
export const CLI = join(ROOT, 'packages', 'cli', 'bin', 'cutout.js');
export const EVAL_DIR = resolve(ROOT, '..', 'shared', 'eval');
export const HAVE_MODELS = existsSync(join(MODELS_DIR, 'index.json'));
export const HAVE_EVAL = existsSync(EVAL_DIR);
