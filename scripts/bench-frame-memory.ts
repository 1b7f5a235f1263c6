/**
 * Peak memory of the inference frame on a large photo, the way the Figma plugin uses it: the
 * encoded file in, `output: 'cutout'`, `png: true`, `maxOutputSide: 4096` out. Chromium runs
 * headless; the figure is the largest peak RSS (VmHWM, Linux) among its renderer processes (the
 * frame's), read after the request. `--root` points at another checkout's built tree, so the same
 * script measures a build from before a change.
 *   npm run bench:frame-memory -- [--root DIR] [--mp 24] [--mode data|src] [--model ID --size N] [--inference worker|main-thread]
 */
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import sharp from 'sharp';
import { PAGES_DIR, startModelServer } from '@cutout/tools-browser';

const { values } = parseArgs({
  strict: true,
  options: {
    root: { type: 'string', default: process.cwd() },
    mp: { type: 'string', default: '24' },
    mode: { type: 'string', default: 'data' },
    model: { type: 'string', default: 'isnet-fp32-web-dynamic' },
    size: { type: 'string', default: '256' },
    /** 'worker' | 'main-thread'; unset: the frame's default (older builds know no such setting). */
    inference: { type: 'string' },
    chromium: { type: 'string', default: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium' },
  },
});
const root = resolve(values.root);
const pixels = Number(values.mp) * 1e6;
const width = Math.round(Math.sqrt((pixels * 3) / 2));
const height = Math.round((width * 2) / 3);

/** Peak RSS (kB) of each renderer process of the browser whose command line carries `marker`. */
const rendererPeaks = (marker: string): Promise<number[]> => rendererMemory(marker, /VmHWM:\s+(\d+) kB/);
/** Current RSS (kB) of each renderer process. */
const rendererRss = (marker: string): Promise<number[]> => rendererMemory(marker, /VmRSS:\s+(\d+) kB/);

async function rendererMemory(marker: string, field: RegExp): Promise<number[]> {
  const parents = new Map<number, number>();
  let pid = 0;
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid) parents.set(Number(name), ppid);
    const cmd = await readFile(`/proc/${name}/cmdline`, 'utf8').catch(() => '');
    if (cmd.includes(marker) && !cmd.includes('--type=')) pid = Number(name);
  }
  const below = (p: number): boolean => {
    for (let q = parents.get(p); q; q = parents.get(q)) if (q === pid) return true;
    return false;
  };
  const peaks: number[] = [];
  for (const p of parents.keys()) {
    if (!below(p)) continue;
    const cmd = await readFile(`/proc/${p}/cmdline`, 'utf8').catch(() => '');
    if (!cmd.includes('--type=renderer')) continue;
    const status = await readFile(`/proc/${p}/status`, 'utf8').catch(() => '');
    const hwm = field.exec(status);
    if (hwm) peaks.push(Number(hwm[1]));
  }
  return peaks;
}

const work = await mkdtemp(join(tmpdir(), 'cutout-frame-memory-'));
const photo = await sharp(join(root, 'samples', 'astronaut.png')).resize(width, height, { fit: 'fill' }).jpeg({ quality: 90 }).toBuffer();
await writeFile(join(work, 'photo.jpg'), photo);
const server = await startModelServer({
  port: 0,
  modelsDir: join(root, 'models'),
  staticDirs: { '/frame/': join(root, 'packages', 'frame', 'dist'), '/harness/': PAGES_DIR, '/protocol/': join(root, 'packages', 'protocol', 'dist'), '/work/': work },
});
// An unknown switch only the browser process gets: how its renderers are found in /proc.
const marker = `--cutout-bench-${process.pid}-${Date.now()}`;
const browser = await chromium.launch({
  executablePath: values.chromium,
  headless: true,
  args: ['--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--disable-gpu', marker],
});
try {
  const page = await browser.newPage();
  await page.goto(`${server.url}harness/host.html?mode=${values.mode}`);
  await page.waitForFunction(() => (window as unknown as { host?: { ready: Promise<unknown> } }).host !== undefined);
  // The renderers' current RSS once the model is loaded (before the image), for the split below.
  const loaded = page.waitForFunction(() => (window as unknown as { preloaded?: boolean }).preloaded === true, undefined, { timeout: 0 }).then(() => rendererRss(marker));
  const reply = await page.evaluate(
    async (a) => {
      const host = (window as unknown as { host: { ready: Promise<unknown>; request(m: string, p?: unknown): Promise<{ ok: boolean; message?: string; result?: { value: { png?: { width: number; height: number; data: Uint8Array }; matte?: unknown } } }> } }).host;
      await host.ready;
      await host.request('configure', { modelBaseUrl: a.base, backend: 'wasm', model: a.model, inputSize: a.size, ...(a.inference ? { inference: a.inference } : {}) });
      await host.request('preload');
      (window as unknown as { preloaded: boolean }).preloaded = true;
      const data = new Uint8Array(await (await fetch('/work/photo.jpg')).arrayBuffer());
      const r = await host.request('remove', { encoded: { data }, output: 'cutout', png: true, maxOutputSide: 4096 });
      if (!r.ok) return { ok: false, message: r.message ?? '' };
      const v = r.result!.value;
      return { ok: true, png: v.png ? `${v.png.width}×${v.png.height}, ${(v.png.data.length / 1e6).toFixed(1)} MB` : 'none', matte: v.matte !== undefined };
    },
    { base: server.url, model: values.model, size: Number(values.size), inference: values.inference },
  );
  if (!reply.ok) throw new Error(`remove failed: ${reply.message}`);
  const peaks = await rendererPeaks(marker);
  const afterLoad = Math.max(...(await loaded)) / 1024;
  const peakMb = Math.max(...peaks) / 1024;
  console.log(`${root}: ${width}×${height} (${(pixels / 1e6).toFixed(0)} MP) JPEG ${(photo.length / 1e6).toFixed(1)} MB in a ${values.mode} frame → png ${reply.png}, matte in reply: ${reply.matte}`);
  console.log(`peak RSS of the frame's renderer: ${peakMb.toFixed(0)} MB (renderers: ${peaks.map((k) => (k / 1024).toFixed(0)).join(', ')} MB); ${afterLoad.toFixed(0)} MB once the model was loaded, so the image itself added ${(peakMb - afterLoad).toFixed(0)} MB at its peak`);
} finally {
  await browser.close();
  await server.close();
  await rm(work, { recursive: true, force: true });
}
