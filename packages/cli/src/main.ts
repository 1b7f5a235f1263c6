/** `cutout` entry point: parse flags, load the model once, run the batch, print a summary, set the exit code; `cutout models …` goes to models-command.ts. */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { bilinearRefiner } from '@cutout/core';
import { createNodeRemover } from '@cutout/core-node';
import { parseCliArgs, USAGE } from './args.js';
import { runBatch } from './batch.js';
import { cliErrorCode } from './error-code.js';
import { collectInputs } from './inputs.js';
import { defaultModelsDir } from './models-dir.js';
import { isModelsCommand, runModelsCommand } from './models-command.js';
import { createReporter } from './progress-bar.js';

const VERSION = '0.1.0';

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
    remover = await createNodeRemover({
      modelsDir: options.modelsDir ?? defaultModelsDir(),
      modelId: options.modelId,
      resize: options.resize,
      ...(options.refiner === 'bilinear' ? { refiner: bilinearRefiner } : {}),
    });
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
