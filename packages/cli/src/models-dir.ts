/** Where the CLI finds its models: --models-dir, else $CUTOUT_MODELS_DIR, else the project's models/ (the folder `npm run models` fills). */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Found from this file: bundled to packages/cli/dist/main.js, or packages/cli/src/ when run from source. */
export function defaultModelsDir(): string {
  return process.env['CUTOUT_MODELS_DIR'] ?? resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'models');
}
