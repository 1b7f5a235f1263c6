/**
 * Runs the pipeline over a list of files, `jobs` at a time, sharing one model session.
 * A failing file is reported and skipped; it never stops the batch, and no input is overwritten.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { alphaToBytes, CoreError, type BackgroundRemover, type HintMask } from '@cutout/core';
import type { CliOptions } from './args.js';
import { decodeHintFile, decodeImageFile } from './decode.js';
import { writeAlphaPng, writeRgbaPng } from './encode.js';
import { cliErrorCode, type CliErrorCode } from './error-code.js';
import { outputName } from './inputs.js';
import type { Reporter } from './progress-bar.js';

export interface BatchResult {
  readonly done: number;
  readonly failures: { file: string; code: CliErrorCode; message: string }[];
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

async function processOne(remover: BackgroundRemover, file: string, out: string, options: CliOptions): Promise<string> {
  const decoded = await decodeImageFile(file, options.maxPixels);
  const { image } = decoded;
  let hints: HintMask | undefined;
  if (options.hintsDir) {
    const hintPath = join(options.hintsDir, outputName(file));
    if (existsSync(hintPath)) hints = { width: image.width, height: image.height, data: await decodeHintFile(hintPath, decoded) };
  }
  const note = decoded.downscaled ? ` (downscaled from ${decoded.originalWidth}×${decoded.originalHeight})` : '';
  if (options.alphaOnly) {
    const { matte } = await remover.matte(image, { hints, edge: options.edge, quality: options.quality });
    await writeAlphaPng(alphaToBytes(matte), matte.width, matte.height, out);
  } else {
    const result = await remover.cutout(image, {
      hints,
      edge: options.edge,
      quality: options.quality,
      background: options.background,
      crop: options.crop,
      decontaminate: options.decontaminate,
      inPlace: true,
    });
    await writeRgbaPng(result.image, out, options.background !== undefined);
  }
  return note;
}

export async function runBatch(remover: BackgroundRemover, files: readonly string[], options: CliOptions, reporter: Reporter): Promise<BatchResult> {
  const plan = planOutputs(files, options.outDir);
  const failures: BatchResult['failures'] = [];
  let done = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const file = files[next++] as string;
      const target = plan.get(file);
      reporter.current(file);
      const t0 = performance.now();
      try {
        if (target instanceof CoreError) throw target;
        if (target === undefined) throw new CoreError('io_error', 'no output planned');
        const note = await processOne(remover, file, target, options);
        done++;
        reporter.item(`✓ ${file} → ${target} (${((performance.now() - t0) / 1000).toFixed(1)} s)${note}`, false);
      } catch (e) {
        const code = cliErrorCode(e);
        const message = e instanceof Error ? e.message : String(e);
        failures.push({ file, code, message });
        reporter.item(`✗ ${file}: [${code}] ${message}`, true);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.jobs, Math.max(1, files.length)) }, worker));
  return { done, failures };
}
