/**
 * The eval scripts' command lines (tools/eval/bin/eval.ts, eval-reference.ts, eval-sweep.ts,
 * eval-large.ts), each a plain function of argv that returns checked, typed values or throws a
 * `UsageError` (./args.ts); each script calls its parser through `parseOrExit`, before it reads
 * any data or loads a model. Tested in-process by tests/script-args.test.ts.
 */
import { REMOVE_QUALITIES, type RemoveQuality, type ResizeMode } from '@cutout/core';
import { checkInt, checkIntList, checkListOf, checkOneOf, parseArgv, UsageError } from './args.js';
import { EVAL_SETS, type EvalSetName } from './eval-data.js';
import { HINTED_SOLVER_NAMES, type HintedSolverName } from './hinted-solvers.js';
import type { ReferenceModel } from './reference-runner.js';
import { REFINER_NAMES } from './refiners.js';

const optionalInt = (flag: string, value: string | undefined): number | undefined => (value === undefined ? undefined : checkInt(flag, value));

export const EVAL_USAGE =
  'usage: npm run eval -- --data ../shared/eval [--out FILE] [--model ID] [--refiner NAME] [--resize antialias|reference] ' +
  '[--quality standard|high] [--hints trimap1|trimap2 | --strokes 2,5,10 [--solvers default,paste]] [--sets alphamatting,grabcut] ' +
  '[--limit N] [--only GT01,GT03] [--per-image] [--clock cpu|wall]';

export interface EvalArgs {
  data: string | undefined;
  out: string | undefined;
  model: string | undefined;
  refiner: (typeof REFINER_NAMES)[number];
  resize: ResizeMode;
  quality: RemoveQuality;
  hints: 'trimap1' | 'trimap2' | undefined;
  /** Stroke counts: the stroke eval (alphamatting only) instead of the automatic one. */
  strokes: number[] | undefined;
  /** The hinted solvers the stroke eval compares (default: today's, 'default'). */
  solvers: HintedSolverName[];
  sets: EvalSetName[];
  limit: number | undefined;
  only: string[] | undefined;
  perImage: boolean;
  /** The clock the solve's time budgets are read on: the process's CPU time (default) or wall time. */
  clock: 'cpu' | 'wall';
}

/** The flags that choose the data and images, shared by eval and eval-reference. */
const SELECTION_OPTIONS = {
  data: { type: 'string' },
  sets: { type: 'string', default: EVAL_SETS.join(',') },
  limit: { type: 'string' },
  only: { type: 'string' },
  'per-image': { type: 'boolean', default: false },
} as const;

/** tools/eval/bin/eval.ts. Every value is checked, so a typo fails fast even without eval data. */
export function parseEvalArgs(argv: string[]): EvalArgs {
  const { values: v } = parseArgv({
    args: argv,
    strict: true,
    options: {
      ...SELECTION_OPTIONS,
      out: { type: 'string' },
      model: { type: 'string' },
      refiner: { type: 'string', default: 'default' },
      resize: { type: 'string', default: 'antialias' },
      quality: { type: 'string', default: 'standard' },
      hints: { type: 'string' },
      strokes: { type: 'string' },
      solvers: { type: 'string' },
      clock: { type: 'string', default: 'cpu' },
    },
  });
  const strokes = v.strokes === undefined ? undefined : checkIntList('--strokes', v.strokes, 0);
  const sets = checkListOf('--sets', v.sets, EVAL_SETS);
  if (strokes !== undefined && v.hints !== undefined) throw new UsageError('--strokes places its own hints: leave out --hints');
  if (strokes !== undefined && !sets.includes('alphamatting')) throw new UsageError('--strokes needs the alphamatting set (its trimaps place the strokes)');
  if (strokes === undefined && v.solvers !== undefined) throw new UsageError('--solvers goes with --strokes');
  return {
    data: v.data,
    out: v.out,
    model: v.model,
    resize: checkOneOf<ResizeMode>('--resize', v.resize, ['antialias', 'reference']),
    quality: checkOneOf('--quality', v.quality, REMOVE_QUALITIES),
    hints: v.hints === undefined ? undefined : checkOneOf<'trimap1' | 'trimap2'>('--hints', v.hints, ['trimap1', 'trimap2']),
    strokes,
    solvers: checkListOf('--solvers', v.solvers ?? 'default', HINTED_SOLVER_NAMES),
    refiner: checkOneOf('--refiner', v.refiner, REFINER_NAMES),
    sets,
    limit: optionalInt('--limit', v.limit),
    only: v.only?.split(','),
    perImage: v['per-image'],
    clock: checkOneOf<'cpu' | 'wall'>('--clock', v.clock, ['cpu', 'wall']),
  };
}

export const EVAL_REFERENCE_USAGE =
  'usage: npx tsx tools/eval/bin/eval-reference.ts [--data ../shared/eval] [--out FILE] [--model small|medium|large] ' +
  '[--sets alphamatting,grabcut] [--limit N] [--only GT01,GT03] [--per-image]';

export interface EvalReferenceArgs {
  data: string | undefined;
  out: string;
  model: ReferenceModel;
  sets: EvalSetName[];
  limit: number | undefined;
  only: string[] | undefined;
  perImage: boolean;
}

/** tools/eval/bin/eval-reference.ts */
export function parseEvalReferenceArgs(argv: string[]): EvalReferenceArgs {
  const { values: v } = parseArgv({
    args: argv,
    strict: true,
    options: {
      ...SELECTION_OPTIONS,
      out: { type: 'string', default: 'eval-results/reference.json' },
      model: { type: 'string', default: 'medium' },
    },
  });
  return {
    data: v.data,
    out: v.out,
    model: checkOneOf<ReferenceModel>('--model', v.model, ['small', 'medium', 'large']),
    sets: checkListOf('--sets', v.sets, EVAL_SETS),
    limit: optionalInt('--limit', v.limit),
    only: v.only?.split(','),
    perImage: v['per-image'],
  };
}

export const EVAL_SWEEP_USAGE =
  'usage: npx tsx tools/eval/bin/eval-sweep.ts [--data ../shared/eval] [--configs file.json] [--sets alphamatting,grabcut] [--per-image]';

export interface EvalSweepArgs {
  data: string | undefined;
  configs: string | undefined;
  sets: EvalSetName[];
  perImage: boolean;
}

/** tools/eval/bin/eval-sweep.ts */
export function parseEvalSweepArgs(argv: string[]): EvalSweepArgs {
  const { values: v } = parseArgv({
    args: argv,
    strict: true,
    options: {
      data: { type: 'string' },
      configs: { type: 'string' },
      sets: { type: 'string', default: EVAL_SETS.join(',') },
      'per-image': { type: 'boolean', default: false },
    },
  });
  return { data: v.data, configs: v.configs, sets: checkListOf('--sets', v.sets, EVAL_SETS), perImage: v['per-image'] };
}

export const EVAL_LARGE_USAGE = 'usage: npx tsx tools/eval/bin/eval-large.ts [--scale 4] [--grids 1024,768,512] [--limit N]';

export interface EvalLargeArgs {
  scale: number;
  grids: number[];
  limit: number | undefined;
}

/** tools/eval/bin/eval-large.ts */
export function parseEvalLargeArgs(argv: string[]): EvalLargeArgs {
  const { values: v } = parseArgv({
    args: argv,
    strict: true,
    options: { scale: { type: 'string', default: '4' }, grids: { type: 'string', default: '1024,768,512' }, limit: { type: 'string' } },
  });
  return { scale: checkInt('--scale', v.scale), grids: checkIntList('--grids', v.grids), limit: optionalInt('--limit', v.limit) };
}
