// The scripts' argument parsing, in-process: node:util parseArgs in strict mode plus value checks
// (tools/eval/src/args.ts), and the eval scripts' parsers (tools/eval/src/eval-args.ts). A misspelt flag
// or value must be a usage error naming it. That the scripts really exit with code 2 and the usage
// line, before reading any data, is checked by spawning them in tests/script-args-spawn.test.ts
// (model project: a process per case, seconds each), which also covers the bench scripts and
// prepare-models, whose parsing is not a function of its own yet.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkInt, checkIntList, checkListOf, checkOneOf, parseArgv, parseOrExit, UsageError } from '@cutout/tools-eval';
import { parseEvalArgs, parseEvalLargeArgs, parseEvalReferenceArgs, parseEvalSweepArgs } from '@cutout/tools-eval';

const PARSERS = {
  'eval.ts': parseEvalArgs,
  'eval-reference.ts': parseEvalReferenceArgs,
  'eval-sweep.ts': parseEvalSweepArgs,
  'eval-large.ts': parseEvalLargeArgs,
} as const;

const BAD: [script: keyof typeof PARSERS, args: string[], message: string | RegExp][] = [
  ['eval.ts', ['--limt', '3'], "Unknown option '--limt'"],
  ['eval.ts', ['--sets', 'nope'], '--sets: unknown "nope" (valid: alphamatting, grabcut)'],
  ['eval.ts', ['--sets', 'alphamatting,grabcat'], '--sets: unknown "grabcat" (valid: alphamatting, grabcut)'],
  ['eval.ts', ['--resize', 'fast'], '--resize must be one of antialias, reference, not "fast"'],
  ['eval.ts', ['--hints', 'trimap3'], '--hints must be one of trimap1, trimap2, not "trimap3"'],
  ['eval.ts', ['--refiner', 'guidd'], /--refiner must be one of default, bilinear, guided, .*, not "guidd"/],
  ['eval.ts', ['--limit', 'ten'], '--limit must be a whole number ≥ 1, not "ten"'],
  ['eval.ts', ['--limit'], "Option '--limit <value>' argument missing"],
  ['eval.ts', ['stray'], "Unexpected argument 'stray'"],
  ['eval.ts', ['--quality', 'best'], '--quality must be one of standard, high, not "best"'],
  ['eval.ts', ['--strokes', '2,five'], '--strokes must be a whole number ≥ 0, not "five"'],
  ['eval.ts', ['--strokes', '2', '--hints', 'trimap1'], '--strokes places its own hints: leave out --hints'],
  ['eval.ts', ['--strokes', '2', '--sets', 'grabcut'], '--strokes needs the alphamatting set'],
  ['eval.ts', ['--strokes', '2', '--solvers', 'default,magic'], '--solvers: unknown "magic" (valid: default, closed-form-before, net-prior, default-unbounded, paste)'],
  ['eval.ts', ['--solvers', 'paste'], '--solvers goes with --strokes'],
  ['eval.ts', ['--clock', 'gpu'], '--clock must be one of cpu, wall, not "gpu"'],
  ['eval-reference.ts', ['--model', 'huge'], '--model must be one of small, medium, large, not "huge"'],
  ['eval-reference.ts', ['--per-imag'], "Unknown option '--per-imag'"],
  ['eval-reference.ts', ['--limit', '0'], '--limit must be a whole number ≥ 1, not "0"'],
  ['eval-sweep.ts', ['--sets', 'nope'], '--sets: unknown "nope"'],
  ['eval-sweep.ts', ['--config', 'x.json'], "Unknown option '--config'"],
  ['eval-large.ts', ['--grids', '1024,big'], '--grids must be a whole number ≥ 1, not "big"'],
  ['eval-large.ts', ['--scale', '2.5'], '--scale must be a whole number ≥ 1, not "2.5"'],
];

describe('eval scripts: bad flags and values', () => {
  for (const [name, args, message] of BAD) {
    it(`${name} ${args.join(' ')} is a usage error`, () => {
      const parse = PARSERS[name];
      expect(() => parse(args)).toThrow(UsageError);
      expect(() => parse(args)).toThrow(message);
    });
  }
});

// Every documented flag is still accepted, with its value checked and typed.
describe('eval scripts: all flags', () => {
  it('eval.ts', () => {
    const args = parseEvalArgs([
      '--data', 'd', '--out', 'x.json', '--model', 'isnet-fp16', '--refiner', 'bilinear', '--resize', 'reference',
      '--hints', 'trimap1', '--sets', 'grabcut,alphamatting', '--limit', '2', '--only', 'GT01,GT03', '--per-image', '--quality', 'high',
      '--clock', 'wall',
    ]);
    expect(args).toEqual({
      data: 'd', out: 'x.json', model: 'isnet-fp16', refiner: 'bilinear', resize: 'reference', quality: 'high', hints: 'trimap1',
      strokes: undefined, solvers: ['default'], sets: ['grabcut', 'alphamatting'], limit: 2, only: ['GT01', 'GT03'], perImage: true, clock: 'wall',
    });
    expect(parseEvalArgs(['--strokes', '2,5,10', '--solvers', 'default,paste'])).toMatchObject({ strokes: [2, 5, 10], solvers: ['default', 'paste'], hints: undefined });
  });
  it('eval.ts defaults', () => {
    expect(parseEvalArgs([])).toEqual({
      data: undefined, out: undefined, model: undefined, refiner: 'default', resize: 'antialias', quality: 'standard', hints: undefined,
      strokes: undefined, solvers: ['default'], sets: ['alphamatting', 'grabcut'], limit: undefined, only: undefined, perImage: false, clock: 'cpu',
    });
  });
  it('eval-reference.ts', () => {
    const args = parseEvalReferenceArgs(['--data=d', '--out', 'x.json', '--model', 'small', '--sets', 'alphamatting', '--limit', '1', '--only', 'GT01', '--per-image']);
    expect(args).toEqual({ data: 'd', out: 'x.json', model: 'small', sets: ['alphamatting'], limit: 1, only: ['GT01'], perImage: true });
    expect(parseEvalReferenceArgs([])).toMatchObject({ out: 'eval-results/reference.json', model: 'medium', sets: ['alphamatting', 'grabcut'] });
  });
  it('eval-sweep.ts', () => {
    expect(parseEvalSweepArgs(['--data', 'd', '--configs', 'c.json', '--sets', 'grabcut', '--per-image'])).toEqual({
      data: 'd', configs: 'c.json', sets: ['grabcut'], perImage: true,
    });
  });
  it('eval-large.ts', () => {
    expect(parseEvalLargeArgs(['--scale', '2', '--grids', '1024,512', '--limit', '3'])).toEqual({ scale: 2, grids: [1024, 512], limit: 3 });
    expect(parseEvalLargeArgs([])).toEqual({ scale: 4, grids: [1024, 768, 512], limit: undefined });
  });
});

describe('tools/eval/src/args.ts', () => {
  afterEach(() => vi.restoreAllMocks());

  it('the checks accept good values and name the flag and the valid values otherwise', () => {
    expect(checkOneOf('--x', 'b', ['a', 'b'])).toBe('b');
    expect(() => checkOneOf('--x', 'c', ['a', 'b'])).toThrow('--x must be one of a, b, not "c"');
    expect(checkListOf('--s', 'b,a', ['a', 'b'])).toEqual(['b', 'a']);
    expect(() => checkListOf('--s', 'a,c,d', ['a', 'b'])).toThrow('--s: unknown "c", "d" (valid: a, b)');
    expect(checkInt('--n', '0', 0)).toBe(0);
    for (const bad of ['', ' ', '1.5', '-1', '0', 'x', '1e400']) expect(() => checkInt('--n', bad), bad).toThrow(UsageError);
    expect(checkIntList('--g', '3,4')).toEqual([3, 4]);
    expect(() => parseArgv({ args: ['--nope'], strict: true, options: {} })).toThrow(UsageError);
  });

  it('parseOrExit prints the message and the usage line and exits with code 2; other errors pass through', () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation(((code?: number) => {
      throw new Error(`exit ${code}`);
    }) as never);
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(() => parseOrExit('usage: x [--n N]', () => checkInt('--n', 'ten'))).toThrow('exit 2');
    expect(exit).toHaveBeenCalledWith(2);
    expect(error.mock.calls.map((c) => String(c[0]))).toEqual([expect.stringContaining(': --n must be a whole number ≥ 1, not "ten"'), 'usage: x [--n N]']);
    expect(() => parseOrExit('usage', () => {
      throw new TypeError('a bug');
    })).toThrow('a bug');
    expect(parseOrExit('usage', () => 7)).toBe(7);
  });
});
