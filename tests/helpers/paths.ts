import { join } from 'node:path';
import { ROOT } from '@cutout/tools-browser';

export { ROOT, MODELS_DIR, SAMPLES_DIR, HAVE_MODELS } from '@cutout/tools-browser';
export const CLI = join(ROOT, 'packages', 'cli', 'bin', 'cutout.js');
