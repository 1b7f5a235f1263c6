/**
 * Runs the pipeline over a list of files, up to `jobs` in flight, sharing one model session.
 * A failing file is reported and skipped; it never stops the batch, and no input is overwritten.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { alphaToBytes, CoreError, type AlphaMatte, type BackgroundRemover, type HintMask, type PreparedInput, type RgbaImage } from '@cutout/core';
import type { CliOptions } from './args.js';
import { runPipeline, type PipelineStats, type Stages } from './batch-pipeline.js';
import { decodeHintFile, decodeImageFile } from './decode.js';
import { createCutoutPngSink, writeAlphaPng } from './encode.js';
import { cliErrorCode, type CliErrorCode } from './error-code.js';
import { outputName } from './inputs.js';
import type { Reporter } from './progress-bar.js';

export interface BatchResult {
  readonly done: number;
  readonly failures: { file: string; code: CliErrorCode; message: string }[];
  readonly stats: PipelineStats;
}

/** Maps each input to its output path, or to an error when that path would overwrite an input or another output. */
function planOutputs(files: readonly string[], outDir: string): Map<string, string | CoreError> {
  const inputs = new Set(files.map((f) => resolve(f)));
  const claimed = new Map<string, string>();
  const plan = new Map<string, string | CoreError>();
  for (const file of files) {
    const out = join(outDir, outputName(file));
    const abs = resolve(out);
    const owner = claimed.get(abs);
    if (inputs.has(abs)) {
      plan.set(file, new CoreError('io_error', `output ${out} would overwrite an input; choose another --out folder`));
    } else if (owner !== undefined) {
      plan.set(file, new CoreError('io_error', `output ${out} is already written for ${owner}; rename one of them`));
    } else {
      claimed.set(abs, file);
      plan.set(file, out);
    }
  }
  return plan;
}

/** An image between stage A and B: decoded, its hints read, its model input made. */
interface Prepared {
  readonly image: RgbaImage;
  readonly hints: HintMask | undefined;
  readonly target: string;
  readonly note: string;
  readonly input: PreparedInput;
}
/** An image between stage B and C: the model input dropped, the network alpha in its place. */
type Inferred = Omit<Prepared, 'input'> & { readonly lowRes: AlphaMatte };

/**
 * With --jobs 2 and more, an image over this many pixels has the pipeline to itself, and the pixels
 * in flight stay within twice this: two 12 MP photos overlap, a 24 MP one runs alone. Peak RSS with
 * --jobs 2 (npm run bench:batch): 12 MP photos 1.26–1.34 GB; a folder with two 24 MP photos 1.45 GB
 * when they overlapped (one's refinement next to the other's inference), 1.34–1.40 GB with this
 * rule (--jobs 1: 1.17–1.31 GB).
 */
const LARGE_IMAGE_PIXELS = 13_000_000;
const PIXEL_BUDGET = 2 * LARGE_IMAGE_PIXELS;

/** The pixels a file will decode to (after --max-pixels), from its header; 0 when it has none readable. */
async function pixelsOf(file: string, maxPixels: number): Promise<number> {
  try {
    const { width, height } = await sharp(file).metadata();
    return Math.min((width ?? 0) * (height ?? 0), maxPixels);
  } catch {
    return 0; // decoding will report why
  }
}

function imageStages(remover: BackgroundRemover, plan: Map<string, string | CoreError>, options: CliOptions): Stages<Prepared, Inferred> {
  const { quality, edge } = options;
  return {
    async weigh(file) {
      if (options.jobs === 1) return 0; // one at a time anyway
      const pixels = await pixelsOf(file, options.maxPixels);
      return pixels > LARGE_IMAGE_PIXELS ? PIXEL_BUDGET : pixels;
    },
    async prepare(file) {
      const target = plan.get(file);
      if (target instanceof CoreError) throw target;
      if (target === undefined) throw new CoreError('io_error', 'no output planned');
      const decoded = await decodeImageFile(file, options.maxPixels);
      const { image } = decoded;
      let hints: HintMask | undefined;
      if (options.hintsDir) {
        const hintPath = join(options.hintsDir, outputName(file));
        if (existsSync(hintPath)) hints = { width: image.width, height: image.height, data: await decodeHintFile(hintPath, decoded) };
      }
      const note = decoded.downscaled ? ` (downscaled from ${decoded.originalWidth}×${decoded.originalHeight})` : '';
      return { image, hints, target, note, input: remover.prepare(image, { quality }) };
    },
    async infer(_file, { input, ...rest }) {
      const { lowRes } = await remover.infer(input, { quality });
      return { ...rest, lowRes };
    },
    async finish(_file, { image, hints, target, note, lowRes }) {
      const result = await remover.refineFrom(image, lowRes, { hints, edge, quality });
      if (options.alphaOnly) {
        await writeAlphaPng(alphaToBytes(result.matte), result.matte.width, result.matte.height, target);
      } else {
        const { background, crop, decontaminate } = options;
        // Each strip of the cut-out is deflated (on libuv's pool) while the next is composed.
        const sink = createCutoutPngSink(target, background !== undefined);
        await remover.cutoutFrom(image, result, { hints, edge, quality, background, crop, decontaminate, inPlace: true, onRows: sink.onRows });
        await sink.close();
      }
      return note;
    },
  };
}

/**
 * Each file through the staged pipeline (./batch-pipeline.ts), `options.jobs` in flight; with one
 * job, one after the other. The outputs do not depend on `jobs`.
 */
export async function runBatch(remover: BackgroundRemover, files: readonly string[], options: CliOptions, reporter: Reporter): Promise<BatchResult> {
  const plan = planOutputs(files, options.outDir);
  const failures: BatchResult['failures'] = [];
  let done = 0;
  const active: string[] = [];
  const stats = await runPipeline(files, { jobs: options.jobs, budget: PIXEL_BUDGET }, imageStages(remover, plan, options), {
    onStart(file) {
      active.push(file);
      reporter.current(active.join(', '));
    },
    onOutcome(outcome) {
      const { file } = outcome;
      active.splice(active.indexOf(file), 1);
      reporter.current(active.join(', '));
      if (outcome.ok) {
        done++;
        reporter.item(`✓ ${file} → ${String(plan.get(file))} (${(outcome.ms / 1000).toFixed(1)} s)${outcome.note}`, false);
        return;
      }
      const code = cliErrorCode(outcome.error);
      const message = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
      failures.push({ file, code, message });
      reporter.item(`✗ ${file}: [${code}] ${message}`, true);
    },
  });
  return { done, failures, stats };
}
