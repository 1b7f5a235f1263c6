/**
 * Per-run inference time of two model variants, interleaved A B A B … after a warm-up, in
 * onnxruntime-node and in headless Chromium (onnxruntime-web WASM, one thread, both sessions in the
 * same page). Prints each side's median and the ratio of medians B/A (one run, one machine).
 *   npm run bench:models -- [--reps 5] [--a isnet-fp32] [--b isnet-int8] [--web-a isnet-fp32-web] [--web-b isnet-int8-web] [--skip-web]
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { parseModelManifest } from '@cutout/core';
import { defaultOrtDir, MODELS_DIR, ROOT, startHarness } from '@cutout/tools-browser';
import { intArg, median, parseScriptArgs } from '@cutout/tools-eval';

const USAGE = 'usage: npm run bench:models -- [--reps 5] [--a ID] [--b ID] [--web-a ID] [--web-b ID] [--skip-web]';
const { values } = parseScriptArgs(USAGE, {
  strict: true,
  options: {
    reps: { type: 'string', default: '5' },
    a: { type: 'string', default: 'isnet-fp32' },
    b: { type: 'string', default: 'isnet-int8' },
    'web-a': { type: 'string', default: 'isnet-fp32-web' },
    'web-b': { type: 'string', default: 'isnet-int8-web' },
    'skip-web': { type: 'boolean', default: false },
  },
});
const reps = intArg(USAGE, '--reps', values.reps);

function report(label: string, a: string, b: string, ta: number[], tb: number[]): void {
  const [ma, mb] = [median(ta), median(tb)];
  const fmt = (t: number[]): string => t.map((v) => v.toFixed(0)).join(' ');
  console.log(`${label}: ${a} median ${ma.toFixed(0)} ms [${fmt(ta)}], ${b} median ${mb.toFixed(0)} ms [${fmt(tb)}], ratio ${b}/${a} ${(mb / ma).toFixed(3)}`);
}

async function nodeSession(id: string): Promise<{ run(): Promise<number>; create: number; release(): Promise<void> }> {
  const manifest = parseModelManifest(JSON.parse(await readFile(join(MODELS_DIR, `${id}.json`), 'utf8')), id);
  const bytes = await readFile(join(MODELS_DIR, manifest.file));
  const t0 = performance.now();
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
  const create = performance.now() - t0;
  const input = new ort.Tensor('float32', new Float32Array(manifest.input.shape.reduce((a, b) => a * b, 1)).fill(0.1), [...manifest.input.shape]);
  return {
    create,
    async run() {
      const t = performance.now();
      await session.run({ [manifest.input.name]: input });
      return performance.now() - t;
    },
    release: () => session.release(),
  };
}

const [na, nb] = [await nodeSession(values.a), await nodeSession(values.b)];
console.log(`onnxruntime-node, one thread: session creation ${values.a} ${na.create.toFixed(0)} ms, ${values.b} ${nb.create.toFixed(0)} ms`);
await na.run();
await nb.run();
const [ta, tb]: [number[], number[]] = [[], []];
for (let i = 0; i < reps; i++) {
  ta.push(await na.run());
  tb.push(await nb.run());
}
report('onnxruntime-node', values.a, values.b, ta, tb);
await na.release();
await nb.release();

if (!values['skip-web']) {
  const h = await startHarness({ extraStatic: { '/ortjs/': defaultOrtDir(ROOT) } });
  try {
    const { page } = await h.open('src');
    const times = await page.evaluate(
      async (args) => {
        const { createBare } = await import('/harness/bare.js' as string);
        const a = await createBare(args.base, args.a, 'wasm');
        const b = await createBare(args.base, args.b, 'wasm');
        await a.run();
        await b.run();
        const out: { a: number[]; b: number[] } = { a: [], b: [] };
        for (let i = 0; i < args.reps; i++) {
          out.a.push((await a.run()).ms);
          out.b.push((await b.run()).ms);
        }
        await a.release();
        await b.release();
        return out;
      },
      { base: h.baseUrl, a: values['web-a'], b: values['web-b'], reps },
    );
    report('onnxruntime-web WASM in Chromium, same page', values['web-a'], values['web-b'], times.a, times.b);
  } finally {
    await h.close();
  }
}
