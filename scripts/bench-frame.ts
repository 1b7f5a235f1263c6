/**
 * Inference frame benchmark in headless Chromium: end-to-end `remove` through the frame (protocol
 * transfer in and out, preprocess, inference, full-resolution matting) against a bare
 * onnxruntime-web session.run of the same model, same backend, same ORT build, in the same page.
 * Runs are interleaved and the ratio of medians is printed (one run, one machine).
 *   npm run bench:frame -- [--reps 5] [--backend wasm|webgpu] [--model isnet-int8-web] [--webgpu-flags] [--large]
 * --large adds astronaut.png stretched to 12 MP (4240×2832) and 24 MP (6000×4000), the sizes of
 * Photoshop documents, to the samples.
 */
import sharp from 'sharp';
import type { RgbaImage } from '@cutout/core';
import { join } from 'node:path';
import { loadRgba, ROOT, SAMPLES_DIR, startHarness, defaultOrtDir } from '@cutout/tools-browser';
import { intArg, median, oneOf, parseScriptArgs } from '@cutout/tools-eval';

const USAGE =
  'usage: npm run bench:frame -- [--reps 5] [--backend wasm|webgpu] [--model isnet-int8-web] [--samples a.png,b.jpg] [--large] [--webgpu-flags] [--gpu-flags "..."]';
const { values } = parseScriptArgs(USAGE, {
  strict: true,
  options: {
    reps: { type: 'string', default: '5' },
    backend: { type: 'string', default: 'wasm' },
    model: { type: 'string', default: 'isnet-int8-web' },
    samples: { type: 'string', default: 'astronaut.png,rocket.jpg' },
    'webgpu-flags': { type: 'boolean', default: false },
    'gpu-flags': { type: 'string', default: '' },
    large: { type: 'boolean', default: false },
  },
});
const reps = intArg(USAGE, '--reps', values.reps);
const backend = oneOf(USAGE, '--backend', values.backend, ['wasm', 'webgpu']);

const h = await startHarness({
  webgpu: values['webgpu-flags'],
  extraStatic: { '/ortjs/': defaultOrtDir(ROOT) },
  ...(values['gpu-flags'] ? { extraFlags: values['gpu-flags'].split(' ') } : {}),
});
try {
  const names = values.samples.split(',');
  for (const name of names) await h.stage(name, await loadRgba(join(SAMPLES_DIR, name)));
  if (values.large) {
    for (const [w, ht] of [[4240, 2832], [6000, 4000]] as const) {
      const name = `astronaut-${w}x${ht}`;
      await h.stage(name, await stretched(join(SAMPLES_DIR, 'astronaut.png'), w, ht));
      names.push(name);
    }
  }
  const { page } = await h.open('src');
  const setup = await page.evaluate(
    async (a) => {
      const w = window as unknown as { host: any; bare: any };
      await w.host.request('configure', { modelBaseUrl: a.base, backend: a.backend, model: a.model });
      const pre = await w.host.request('preload');
      const { createBare } = await import('/harness/bare.js' as string);
      w.bare = await createBare(a.base, a.model, a.backend);
      return pre;
    },
    { base: h.baseUrl, backend, model: values.model },
  );
  if (!setup.ok) throw new Error(`preload failed: ${setup.message}`);
  console.log(`frame on ${setup.result.value.backend}, model ${setup.result.value.model}, ${reps} interleaved reps per sample (+1 warm-up)`);
  const ratios: number[] = [];
  for (const name of names) {
    const frame: number[] = [];
    const bare: number[] = [];
    const stages: Array<Record<string, number>> = [];
    for (let i = 0; i <= reps; i++) {
      const r = await page.evaluate(async (n) => {
        const w = window as unknown as { host: any; bare: any };
        const b = await w.bare.run();
        const f = await w.host.removeRaw(n);
        if (!f.ok) throw new Error(f.message);
        return { bare: b.ms, frame: f.ms, timings: f.result.value.timings };
      }, name);
      if (i === 0) continue; // warm-up
      frame.push(r.frame);
      bare.push(r.bare);
      stages.push(r.timings);
    }
    const ratio = median(frame) / median(bare);
    ratios.push(ratio);
    const st = (k: string): string => median(stages.map((s) => s[k]!)).toFixed(0);
    console.log(
      `${name}: frame end-to-end ${median(frame).toFixed(0)} ms, bare session.run ${median(bare).toFixed(0)} ms → ${ratio.toFixed(3)}× ` +
        `(frame stages: preprocess ${st('preprocess')}, inference ${st('inference')}, refine ${st('refine')} ms)`,
    );
  }
  console.log(`median ratio ${median(ratios).toFixed(3)}× (target ≤ 1.2×)`);
} finally {
  await h.close();
}

async function stretched(path: string, width: number, height: number): Promise<RgbaImage> {
  const { data } = await sharp(path).resize(width, height, { fit: 'fill' }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width, height, data: new Uint8Array(data) };
}
