/**
 * Refinement speed on a 12-megapixel photo, as a ratio to one model run measured in the same
 * process (interleaved): upsample (guided filter) + decontamination, per decontamination grid
 * size, then the compose into RGBA bytes (in place, as the pipeline does; not in the ratio), with
 * peak RSS — and what each grid costs in quality, on a synthetic composite with known foreground:
 * I = αF + (1−α)B with thin strands in α; error of the recovered F where 0.05 < α < 0.95.
 * A grid at least the image's size means the estimate runs at full resolution.
 *   npm run bench:refine [-- --reps 3 --budgets 2000000,1000000,500000,250000 --size 4240x2832]
 */
import { join } from 'node:path';
import sharp from 'sharp';
import { composeCutout, decontaminate, type AlphaMatte, type RgbaImage } from '@cutout/core';
import { createMattingRefiner } from '@cutout/core/matting';
import { createNodeRemover } from '@cutout/core-node';
import { median } from '@cutout/tools-eval';
import { intArg, intListArg, parseScriptArgs, usageError } from '@cutout/tools-eval';

const USAGE = 'usage: npm run bench:refine [-- --reps 3 --budgets 2000000,1000000,500000,250000 --size 4240x2832]';
const { values } = parseScriptArgs(USAGE, {
  strict: true,
  options: { reps: { type: 'string', default: '3' }, budgets: { type: 'string', default: '2000000,1000000,500000,250000' }, size: { type: 'string', default: '4240x2832' } },
});
const reps = intArg(USAGE, '--reps', values.reps);
const budgets = intListArg(USAGE, '--budgets', values.budgets);
const root = join(import.meta.dirname, '..');
const size = /^(\d+)x(\d+)$/.exec(values.size);
if (!size || Number(size[1]) < 1 || Number(size[2]) < 1) usageError(USAGE, `--size must be WIDTHxHEIGHT, e.g. 4240x2832, not "${values.size}"`);
const [W, H] = [Number(size[1]), Number(size[2])]; // default 12.0 MP

async function photo(name: string): Promise<RgbaImage> {
  const { data } = await sharp(join(root, 'samples', name)).resize(W, H, { fit: 'fill' }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: W, height: H, data: new Uint8Array(data) };
}

/** A disc with hair: ~600 thin strands (1–3 px) radiating out, anti-aliased by 4× supersampling along them. */
function hairyAlpha(): AlphaMatte {
  const a = new Float32Array(W * H);
  const cx = W / 2;
  const cy = H / 2;
  const r0 = H * 0.3;
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy) - r0;
    a[y * W + x] = Math.min(1, Math.max(0, 0.5 - d));
  }
  let seed = 7;
  const rnd = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  for (let s = 0; s < 600; s++) {
    const angle = rnd() * Math.PI * 2;
    const len = H * (0.05 + 0.12 * rnd());
    const width = 0.6 + 1.2 * rnd();
    const curl = (rnd() - 0.5) * 0.004;
    let th = angle;
    let px = cx + Math.cos(angle) * (r0 - 4);
    let py = cy + Math.sin(angle) * (r0 - 4);
    for (let t = 0; t < len * 2; t++) {
      th += curl;
      px += Math.cos(th) * 0.5;
      py += Math.sin(th) * 0.5;
      for (let oy = -2; oy <= 2; oy++) for (let ox = -2; ox <= 2; ox++) {
        const x = Math.round(px) + ox;
        const y = Math.round(py) + oy;
        if (x < 0 || y < 0 || x >= W || y >= H) continue;
        const dist = Math.hypot(x + 0.5 - px, y + 0.5 - py);
        const cover = Math.min(1, Math.max(0, width / 2 + 0.5 - dist)) * 0.85;
        const i = y * W + x;
        a[i] = Math.max(a[i]!, cover);
      }
    }
  }
  return { width: W, height: H, data: a };
}

function compose(F: RgbaImage, B: RgbaImage, alpha: AlphaMatte): RgbaImage {
  const out = new Uint8Array(W * H * 4);
  for (let i = 0; i < W * H; i++) {
    const a = alpha.data[i]!;
    for (let c = 0; c < 3; c++) out[i * 4 + c] = Math.round(a * F.data[i * 4 + c]! + (1 - a) * B.data[i * 4 + c]!);
    out[i * 4 + 3] = 255;
  }
  return { width: W, height: H, data: out };
}

/** Mean |F̂ − F| (0–255) and mean |α(F̂ − F)| (the halo seen on black) over fractional pixels. */
function foregroundError(est: RgbaImage, F: RgbaImage, alpha: AlphaMatte): { f: number; halo: number; n: number } {
  let f = 0;
  let halo = 0;
  let n = 0;
  for (let i = 0; i < W * H; i++) {
    const a = alpha.data[i]!;
    if (a <= 0.05 || a >= 0.95) continue;
    n++;
    for (let c = 0; c < 3; c++) {
      const d = Math.abs(est.data[i * 4 + c]! - F.data[i * 4 + c]!);
      f += d / 3;
      halo += (a * d) / 3;
    }
  }
  return { f: f / n, halo: halo / n, n };
}

/** Quality per grid size; its 12 MP buffers go out of scope before the timing starts. */
async function quality(): Promise<void> {
  const F = await photo('rocket.jpg');
  const B = await photo('coffee.png');
  const alpha = hairyAlpha();
  const I = compose(F, B, alpha);
  const none = foregroundError(I, F, alpha);
  console.log(`synthetic ${((W * H) / 1e6).toFixed(1)} MP composite: ${none.n} fractional pixels; without decontamination |F̂−F| ${none.f.toFixed(2)}, halo ${none.halo.toFixed(2)} (0–255)`);
  for (const budget of budgets) {
    const est = await decontaminate(I, alpha, undefined, { fullResMaxPixels: budget, gridPixels: budget });
    const e = foregroundError(est, F, alpha);
    console.log(`  decontamination grid ${(budget / 1e6).toFixed(2)} MP: |F̂−F| ${e.f.toFixed(2)}, halo ${e.halo.toFixed(2)}`);
  }
}
await quality();

const image = await photo('rocket.jpg');
const remover = await createNodeRemover({ modelsDir: join(root, 'models') });
const refiner = createMattingRefiner();
const model: number[] = [];
const refine: number[] = [];
const decon = new Map<number, number[]>(budgets.map((b) => [b, []]));
const composeTimes: number[] = [];
for (let r = 0; r <= reps; r++) {
  const { lowRes, inferenceMs } = await remover.predict(image);
  let t = performance.now();
  const matte = await refiner.refine({ lowRes, image });
  const refineMs = performance.now() - t;
  const times: Array<[number, number]> = [];
  let colours = image; // the last grid's, composed below
  for (const b of budgets) {
    t = performance.now();
    const out = await decontaminate(image, matte, undefined, { fullResMaxPixels: b, gridPixels: b });
    times.push([b, performance.now() - t]);
    if (b === budgets.at(-1)) colours = out;
  }
  t = performance.now();
  composeCutout(colours, matte, { inPlace: true });
  const composeMs = performance.now() - t;
  if (r === 0) continue; // warm-up
  composeTimes.push(composeMs);
  model.push(inferenceMs);
  refine.push(refineMs);
  for (const [b, ms] of times) decon.get(b)!.push(ms);
}
await remover.dispose();
const m = median(model);
console.log(`${((W * H) / 1e6).toFixed(1)} MP (${W}×${H}), ${reps} interleaved reps, medians: model run ${m.toFixed(0)} ms, refine (guided upsampling) ${median(refine).toFixed(0)} ms`);
for (const b of budgets) {
  const d = median(decon.get(b)!);
  console.log(`  + decontamination on a ${(b / 1e6).toFixed(2)} MP grid ${d.toFixed(0)} ms → refine+decontamination ${(median(refine) + d).toFixed(0)} ms = ${((median(refine) + d) / m).toFixed(3)}× a model run`);
}
console.log(`  compose (RGBA cut-out, in place) ${median(composeTimes).toFixed(0)} ms`);
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
