/**
 * `npm run models -- --measure`: compares the prepared variants with the original package models
 * on samples/ and times them on CPU (onnxruntime-node). The figures go into docs/models.md.
 *
 * Preprocessing (variant comparisons only, not the product pipeline):
 * sharp(file).removeAlpha().resize(W, H, { fit: 'fill', kernel: 'linear' }).raw(), value = (byte − 128) / 256, NCHW.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { median } from '@cutout/tools-eval';
import { assembleResource, openDataPackage } from './model-data.js';
import { VARIANTS, transformVariant } from './model-variants.js';
import { decodeModel, encodeModel, pruneToOutputs, setSymbolicSpatialDims } from './onnx-graph.js';

const OPTS: ort.InferenceSession.SessionOptions = { graphOptimizationLevel: 'all' };

export async function preprocess(file: string, width = 1024, height = 1024): Promise<ort.Tensor> {
  const { data, info } = await sharp(file).removeAlpha().resize(width, height, { fit: 'fill', kernel: 'linear' }).raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`${file}: expected 3 channels, got ${info.channels}`);
  const plane = width * height;
  const out = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) for (let c = 0; c < 3; c++) out[c * plane + i] = ((data[3 * i + c] ?? 0) - 128) / 256;
  return new ort.Tensor('float32', out, [1, 3, height, width]);
}

export async function runOutput(session: ort.InferenceSession, input: ort.Tensor): Promise<Float32Array> {
  const result = await session.run({ input }, ['output']);
  const out = result['output'];
  if (!out) throw new Error('no output');
  return out.data as Float32Array;
}

export function diff(a: Float32Array, b: Float32Array): { max: number; mean: number; iou: number } {
  if (a.length !== b.length) throw new Error(`length ${a.length} ≠ ${b.length}`);
  let max = 0;
  let sum = 0;
  let inter = 0;
  let union = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    const d = Math.abs(x - y);
    if (!(d <= max)) max = d; // NaN propagates
    sum += d;
    const fx = x >= 0.5;
    const fy = y >= 0.5;
    if (fx && fy) inter++;
    if (fx || fy) union++;
  }
  return { max, mean: sum / a.length, iou: union === 0 ? 1 : inter / union };
}

/** Area-average resampling of a single-channel float image (exact box filter, fractional coverage). */
export function resampleArea(src: Float32Array, sw: number, sh: number, dw: number, dh: number): Float32Array {
  const weights = (sn: number, dn: number): Array<Array<[number, number]>> =>
    Array.from({ length: dn }, (_, d) => {
      const lo = (d * sn) / dn;
      const hi = ((d + 1) * sn) / dn;
      const taps: Array<[number, number]> = [];
      for (let s = Math.floor(lo); s < Math.min(sn, Math.ceil(hi)); s++) taps.push([s, (Math.min(hi, s + 1) - Math.max(lo, s)) / (hi - lo)]);
      return taps;
    });
  const wx = weights(sw, dw);
  const wy = weights(sh, dh);
  const tmp = new Float32Array(sh * dw);
  for (let y = 0; y < sh; y++) for (let x = 0; x < dw; x++) for (const [s, w] of wx[x] ?? []) tmp[y * dw + x] = (tmp[y * dw + x] ?? 0) + w * (src[y * sw + s] ?? 0);
  const out = new Float32Array(dh * dw);
  for (let y = 0; y < dh; y++) for (const [s, w] of wy[y] ?? []) for (let x = 0; x < dw; x++) out[y * dw + x] = (out[y * dw + x] ?? 0) + w * (tmp[s * dw + x] ?? 0);
  return out;
}

const fmt = (x: number): string => (x === 0 ? '0' : x.toExponential(2));

async function withSession<T>(
  model: string | Uint8Array,
  fn: (s: ort.InferenceSession) => Promise<T>,
  opts: ort.InferenceSession.SessionOptions = OPTS,
): Promise<T> {
  const s = typeof model === 'string' ? await ort.InferenceSession.create(model, opts) : await ort.InferenceSession.create(model, opts);
  try {
    return await fn(s);
  } finally {
    await s.release();
  }
}

export async function measureAll(repoRoot: string, modelsDir: string, samplesDir: string): Promise<void> {
  const samples = readdirSync(samplesDir).filter((f) => /\.(png|jpe?g|webp)$/i.test(f)).sort().map((f) => join(samplesDir, f));
  const inputs = await Promise.all(samples.map((f) => preprocess(f)));
  const pkg = openDataPackage(repoRoot);
  const medium = assembleResource(pkg, '/models/medium');
  const small = assembleResource(pkg, '/models/small');
  const report: Record<string, unknown> = { samples: samples.map((f) => basename(f)) };
  const log = (line: string): void => console.log(line);

  const runAll = (model: string | Uint8Array, opts = OPTS): Promise<Float32Array[]> =>
    withSession(model, async (s) => {
      const outs: Float32Array[] = [];
      for (const x of inputs) outs.push(await runOutput(s, x));
      return outs;
    }, opts);
  const compare = (name: string, outs: Float32Array[], ref: Float32Array[]): void => {
    const d = outs.map((o, i) => diff(o, ref[i] as Float32Array));
    const max = Math.max(...d.map((x) => x.max));
    const mean = d.reduce((a, x) => a + x.mean, 0) / d.length;
    const iou = Math.min(...d.map((x) => x.iou));
    report[name] = { max, mean, minIoU: iou, perSample: d };
    log(`${name}: max |Δ| ${fmt(max)} (per sample ${d.map((x) => fmt(x.max)).join(', ')}), mean |Δ| ${fmt(mean)}, min IoU@0.5 ${iou.toFixed(5)}`);
  };
  const file = (id: string): string => join(modelsDir, `${id}.onnx`);

  log(`samples: ${samples.map((f) => basename(f)).join(', ')} at 1024², onnxruntime-node ${ort.env.versions.common}, graphOptimizationLevel 'all'`);
  const original = await runAll(medium);
  const fp16 = await runAll(file('isnet-fp16'));
  const fp32 = await runAll(file('isnet-fp32'));
  const fp32web = await runAll(file('isnet-fp32-web'));
  compare('isnet-fp16 vs original medium (pruning)', fp16, original);
  compare('isnet-fp16-web (ceil_mode 0) vs isnet-fp16', await runAll(file('isnet-fp16-web')), fp16);
  compare('isnet-fp32-web (ceil_mode 0) vs isnet-fp32', fp32web, fp32);
  compare('isnet-fp32 vs isnet-fp16', fp32, fp16);
  compare('isnet-fp32 vs original medium', fp32, original);
  compare('isnet-fp32-web vs isnet-fp16', fp32web, fp16);
  compare('isnet-fp32-web-dynamic @1024 vs isnet-fp32-web', await runAll(file('isnet-fp32-web-dynamic')), fp32web);
  const uint8 = await runAll(file('isnet-uint8'));
  compare('isnet-uint8 vs original small (pruning)', uint8, await runAll(small));
  compare('isnet-uint8 vs isnet-fp16', uint8, fp16);
  // Pruning below the 'all' level (no fp16/layout rewrites that depend on which tensors are graph outputs).
  const extended = { graphOptimizationLevel: 'extended' } as const;
  const one = async (m: string | Uint8Array): Promise<Float32Array> =>
    withSession(m, (s) => runOutput(s, inputs[0] as ort.Tensor), extended);
  compare(`isnet-fp16 vs original medium, level 'extended', ${basename(samples[0] ?? '')}`, [await one(file('isnet-fp16'))], [await one(medium)]);

  // CPU timings, same process: all sessions loaded, one warm-up round, then 3 rounds, interleaved
  // (rotating order) so that load from other processes hits every model alike; median per model.
  const ids = ['isnet-fp16', 'isnet-fp32', 'isnet-fp32-web', 'isnet-fp16-web', 'isnet-uint8'];
  const sessions: ort.InferenceSession[] = [];
  for (const id of ids) sessions.push(await ort.InferenceSession.create(file(id), OPTS));
  const runs = ids.map((): number[] => []);
  const x = inputs[0] as ort.Tensor;
  for (const s of sessions) await runOutput(s, x);
  for (let round = 0; round < 3; round++) {
    for (let k = 0; k < ids.length; k++) {
      const i = (k + round) % ids.length;
      const t = performance.now();
      await runOutput(sessions[i] as ort.InferenceSession, x);
      runs[i]?.push(performance.now() - t);
    }
  }
  for (const s of sessions) await s.release();
  const timings: Record<string, { runs: number[]; median: number }> = {};
  ids.forEach((id, i) => {
    const r = runs[i] ?? [];
    timings[id] = { runs: r, median: median(r) };
    log(`time ${id}: median ${median(r).toFixed(0)} ms (runs ${r.map((v) => v.toFixed(0)).join(', ')})`);
  });
  report['timings'] = timings;
  await measureSymbolic(medium, modelsDir, samples, fp32web, report, log);
  writeFileSync(join(modelsDir, 'measurements.json'), `${JSON.stringify(report, null, 2)}\n`);
  log(`wrote ${join(modelsDir, 'measurements.json')}`);
}

async function measureSymbolic(
  medium: Uint8Array,
  modelsDir: string,
  samples: string[],
  ref: Float32Array[],
  report: Record<string, unknown>,
  log: (l: string) => void,
): Promise<void> {
  // 1. Only the input/output dims made symbolic (what the task asked to try first).
  const naive = decodeModel(medium);
  pruneToOutputs(naive, ['output']);
  setSymbolicSpatialDims(naive, ['input', 'output']);
  for (const [w, h] of [[1024, 1024], [512, 512]] as const) {
    try {
      const out = await withSession(encodeModel(naive), async (s) => runOutput(s, await preprocess(samples[0] as string, w, h)));
      log(`symbolic dims only, ${w}×${h}: runs, output ${out.length} values`);
      report[`naive-${w}x${h}`] = `runs, ${out.length} values`;
    } catch (e) {
      const msg = (e as Error).message.split('\n')[0] ?? '';
      log(`symbolic dims only, ${w}×${h}: FAILS: ${msg.slice(0, 300)}`);
      report[`naive-${w}x${h}`] = `fails: ${msg}`;
    }
  }
  // 2. Resize sizes follow their targets; ceil_mode 0 (the written variant) and 1 (for comparison).
  const ceil1 = decodeModel(medium);
  const base = VARIANTS.find((v) => v.id === 'isnet-fp32-web-dynamic');
  if (!base) throw new Error('no isnet-fp32-web-dynamic variant');
  transformVariant(ceil1, { ...base, id: 'dynamic-ceil1', ceilMode: undefined });
  const variants: Array<[string, string | Uint8Array]> = [
    ['isnet-fp32-web-dynamic (ceil_mode 0)', join(modelsDir, 'isnet-fp32-web-dynamic.onnx')],
    ['dynamic fp32 with ceil_mode 1', encodeModel(ceil1)],
  ];
  const sizes = [[512, 512], [320, 320], [256, 256], [500, 333]] as const;
  for (const [name, model] of variants) {
    await withSession(model, async (s) => {
      for (const [w, h] of sizes) {
        const d: Array<ReturnType<typeof diff>> = [];
        let ms = 0;
        for (const [i, f] of samples.entries()) {
          const x = await preprocess(f, w, h);
          const t = performance.now();
          const out = await runOutput(s, x);
          ms += performance.now() - t;
          d.push(diff(out, resampleArea(ref[i] as Float32Array, 1024, 1024, w, h)));
        }
        const mean = d.reduce((a, x) => a + x.mean, 0) / d.length;
        const iou = Math.min(...d.map((x) => x.iou));
        report[`${name} ${w}x${h}`] = { mean, minIoU: iou, perSample: d, msPerRun: ms / samples.length };
        log(`${name} ${w}×${h}: mean |Δ| vs 1024² downscaled ${mean.toFixed(4)} (per sample ${d.map((x) => x.mean.toFixed(4)).join(', ')}), min IoU@0.5 ${iou.toFixed(3)}, ~${(ms / samples.length).toFixed(0)} ms/run`);
      }
    });
  }
}
