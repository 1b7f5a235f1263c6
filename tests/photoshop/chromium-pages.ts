/**
 * The panel's inference page in headless Chromium, for PanelDriver's `openPage`: the built frame as
 * the panel installs it, served FROM the fake plugin-data folder (FakeUxp's data dir, symlinked under
 * the harness's /pd/<name>/ route), so the page's relative reads ('./models/…', './ort/…') exercise the
 * plugin-data layout; behind @cutout/tools-browser's webview page (JSON round trip both ways, as UXP's
 * bridge: notes §3). The panel's model host (baked into main.js by scripts/build.mjs) is rewritten to
 * the harness's in a copy of index.html + main.js; the plugin folder stays the real dist, so
 * plugin:/webview/frame.html is the built page. One harness serves a whole test file.
 */
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openWebviewPage, startHarness, type Harness, type WebviewPage, type WebviewPageOptions } from '@cutout/tools-browser';
import type { FakeUxp } from './fake-uxp.js';
import type { PageOpener } from './panel-driver.js';

/** The model host baked into the build (scripts/build.mjs, the Figma plugin's default). */
const BAKED_MODEL_BASE = 'http://127.0.0.1:8787/';

export interface PhotoshopHarness {
  readonly harness: Harness;
  /** index.html + main.js of `dist` with the model host pointed at the harness (PanelDriver's distDir). */
  readonly distDir: string;
  /** Every page opened, in order (e.g. for `refused`). */
  readonly pages: WebviewPage[];
  /**
   * Serves `uxp`'s plugin-data folder under /pd/<name>/ and returns the opener for its `<webview>`s
   * (`src` 'plugin-data:/…' → that route). `name` must be unique within the harness.
   */
  opener(uxp: FakeUxp, name: string, refuse?: WebviewPageOptions['refuse']): Promise<PageOpener>;
  close(): Promise<void>;
}

/** `extraStatic`: more routes on the harness (e.g. onnxruntime-web's dist for a bare run in the page). */
export async function startPhotoshopHarness(dist: string, extraStatic: Record<string, string> = {}): Promise<PhotoshopHarness> {
  const dataRoot = await mkdtemp(join(tmpdir(), 'ps-pages-pd-'));
  const distDir = await mkdtemp(join(tmpdir(), 'ps-pages-dist-'));
  const harness = await startHarness({ extraStatic: { '/pd/': dataRoot, ...extraStatic } });
  const code = await readFile(join(dist, 'main.js'), 'utf8');
  if (!code.includes(BAKED_MODEL_BASE)) throw new Error(`${dist}/main.js does not hold the model host ${BAKED_MODEL_BASE} (rebuild it: node scripts/build.mjs)`);
  await writeFile(join(distDir, 'main.js'), code.replaceAll(BAKED_MODEL_BASE, harness.baseUrl));
  await writeFile(join(distDir, 'index.html'), await readFile(join(dist, 'index.html')));
  const pages: WebviewPage[] = [];
  return {
    harness,
    distDir,
    pages,
    async opener(uxp, name, refuse) {
      await symlink(uxp.dirs.data, join(dataRoot, name));
      return async (src) => {
        const m = /^plugin-data:\/+(.*)$/.exec(src);
        if (!m) throw new Error(`the panel's <webview src="${src}"> is not in plugin-data:`);
        const page = await openWebviewPage(harness.browser, { url: `${harness.baseUrl}pd/${name}/${m[1]}`, ...(refuse ? { refuse } : {}) });
        pages.push(page);
        return page;
      };
    },
    async close() {
      await harness.close();
      await rm(distDir, { recursive: true, force: true });
      await rm(dataRoot, { recursive: true, force: true });
    },
  };
}
