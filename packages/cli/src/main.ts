/** `cutout` entry point: parse flags, load the model once, run the batch, print a summary, set the exit code; `cutout models …` goes to models-command.ts. */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { bilinearRefiner, CoreError } from '@cutout/core';
import { createNodeRemover } from '@cutout/core-node';
import { parseCliArgs, USAGE } from './args.js';
import { runBatch } from './batch.js';
import { cliErrorCode } from './error-code.js';
import { createWorkerRemover } from './inference-worker.js';
import { collectInputs } from './inputs.js';
import { defaultModelsDir } from './models-dir.js';
import { isModelsCommand, runModelsCommand } from './models-command.js';
import { createReporter } from './progress-bar.js';

const VERSION = '0.1.0';

/**
 * $CUTOUT_ORT_THREADS: onnxruntime's intra-op threads, 0 (default) for one per physical core. For
 * measuring (npm run bench:batch); on 2 cores the default was the fastest, with --jobs 1 and 2.
 */
function ortThreads(): number {
  const text = process.env['CUTOUT_ORT_THREADS'] ?? '';
  const n = text === '' ? 0 : Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 64) throw new CoreError('invalid_argument', `CUTOUT_ORT_THREADS must be a whole number from 0 to 64, not "${text}".`);
  return n;
}

export async function main(argv: readonly string[]): Promise<number> {
  const err = process.stderr;
  if (isModelsCommand(argv)) return runModelsCommand(argv.slice(1), process.stdout, err);
  let args;
  try {
    args = parseCliArgs(argv);
  } catch (e) {
    err.write(`cutout: ${(e as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (args.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (args.kind === 'version') {
    process.stdout.write(`cutout ${VERSION}\n`);
    return 0;
  }
  const options = args.options;
  const started = performance.now();
  const { files, problems, ignored } = await collectInputs(options.inputs);
  for (const p of problems) err.write(`✗ ${p.path}: [io_error] ${p.message}\n`);
  if (ignored.length > 0 && !options.quiet) err.write(`Ignoring ${ignored.length} non-image file(s) in the given folders: ${ignored.join(', ')}\n`);
  if (files.length === 0) {
    err.write('cutout: no image files to process.\n');
    return problems.length > 0 ? 1 : 2;
  }
  let remover;
  try {
    await mkdir(options.outDir, { recursive: true });
    const removerOptions = {
      modelsDir: options.modelsDir ?? defaultModelsDir(),
      modelId: options.modelId,
      resize: options.resize,
      ...(options.refiner === 'bilinear' ? { refiner: bilinearRefiner } : {}),
      threads: ortThreads(),
    };
    // With more than one job the session runs on a worker thread, so images overlap with its runs.
    remover = options.jobs > 1 ? await createWorkerRemover(removerOptions) : await createNodeRemover(removerOptions);
  } catch (e) {
    const code = cliErrorCode(e);
    err.write(`cutout: [${code}] ${(e as Error).message}\n`);
    return 1;
  }
  const reporter = createReporter(err, options.quiet);
  reporter.start(files.length);
  let result;
  try {
    result = await runBatch(remover, files, options, reporter);
  } finally {
    reporter.finish();
    await remover.dispose();
  }
  const seconds = (performance.now() - started) / 1000;
  const failed = result.failures.length + problems.length;
  const perImage = result.done > 0 ? `, ${(seconds / result.done).toFixed(2)} s/image` : '';
  err.write(`cutout: ${result.done} of ${files.length + problems.length} image(s) done in ${seconds.toFixed(1)} s${perImage}; ${failed} failed → ${join(options.outDir)}\n`);
  for (const f of result.failures) err.write(`  failed: ${f.file} [${f.code}]\n`);
  for (const p of problems) err.write(`  failed: ${p.path} [io_error]\n`);
  return failed > 0 ? 1 : 0;
}
