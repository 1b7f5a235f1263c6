/**
 * What a model- or browser-backed suite needs, checked once at collection time.
 *
 * On a developer machine a missing Chromium, missing prepared models or a missing build only skip
 * the suite. In CI (`CI` set, as CI runners do, or `CUTOUT_REQUIRE_BROWSER=1`, which `.ci/run`
 * exports) they fail the test file instead, with what is missing and how to get it, so a broken
 * set-up can never pass as "skipped". Optional data (../shared/eval) is not checked here: those
 * suites keep skipping when it is absent.
 */
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { MODELS_DIR, ROOT } from './paths.js';

function flag(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

/** True where missing requirements fail instead of skipping: CI, or CUTOUT_REQUIRE_BROWSER=1. */
const REQUIRE_ALL = flag(process.env['CI']) || flag(process.env['CUTOUT_REQUIRE_BROWSER']);

export interface Needs {
  /** Whether the prepared models this suite uses are there (e.g. HAVE_MODELS, plus any one file it needs). */
  readonly models?: boolean;
  /** The Chromium executable the suite launches (CHROMIUM from @cutout/tools-browser). */
  readonly chromium?: string;
  /** Build outputs the suite loads (made by `npm run build`). */
  readonly built?: readonly string[];
}

/** The missing requirements, each as one sentence saying how to get it (empty when all are there). */
function missing(needs: Needs): string[] {
  const out: string[] = [];
  if (needs.chromium !== undefined && !existsSync(needs.chromium)) {
    out.push(`Chromium not found at ${needs.chromium}: run \`bash scripts/setup.sh\` (apt-get install chromium) or set CHROMIUM_PATH`);
  }
  if (needs.models === false) {
    out.push(`Prepared models not found in ${MODELS_DIR} (index.json and the model files): run \`npm run models\` (part of \`npm test\`) or set CUTOUT_MODELS_DIR`);
  }
  for (const path of needs.built ?? []) {
    if (!existsSync(path)) out.push(`Build output not found: ${relative(ROOT, path) || path}: run \`npm run build\` (part of \`npm test\`)`);
  }
  return out;
}

/**
 * True when the suite can run. When something is missing: false (skip the suite) on a developer
 * machine; in CI (see REQUIRE_ALL) it throws, failing the file with what is missing.
 * Use as `describe.skipIf(!need({ ... }))`.
 */
export function need(needs: Needs): boolean {
  const gaps = missing(needs);
  if (gaps.length === 0) return true;
  if (REQUIRE_ALL) {
    const why = flag(process.env['CUTOUT_REQUIRE_BROWSER']) ? 'CUTOUT_REQUIRE_BROWSER=1' : `CI=${process.env['CI']}`;
    throw new Error(`Missing what this suite needs (${why}, so it fails instead of skipping):\n  - ${gaps.join('\n  - ')}`);
  }
  return false;
}

