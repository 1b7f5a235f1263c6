/** @cutout/tools-eval: what tests, benches and tools/models import (bin/eval*.ts are the commands), including the strict argument parsing every script uses. */
export * from './args.js';
export * from './band-strokes.js';
export * from './eval-args.js';
export * from './eval-data.js';
export * from './eval-report.js';
export * from './eval-run.js';
export * from './eval-scores.js';
export * from './hinted-solvers.js';
export * from './metrics.js';
export * from './reference-runner.js';
export * from './refiners.js';
export * from './refine-edges-eval.js';
export * from './simulated-strokes.js';
export * from './strokes-eval.js';
