// The scripts' command lines end to end (model project: each case starts a script with tsx, which
// loads its imports, onnxruntime-node and sharp included, so seconds per case). A misspelt flag or
// value must stop the script with exit code 2, the message and the usage line, before any data
// (../shared/eval, models/) is read. The eval scripts' parsing itself is tested in-process in
// tests/script-args.test.ts; the bench scripts and prepare-models parse at their top level, so
// they are checked here only.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/paths.js';

const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const MISSING_DATA = join(ROOT, 'no-such-eval-folder');

/** The command scripts by file name: eval* in tools/eval/bin, prepare-models in tools/models/bin, the rest in scripts/. */
function scriptPath(name: string): string {
  if (name.startsWith('eval')) return join('tools', 'eval', 'bin', name);
  if (name === 'prepare-models.ts') return join('tools', 'models', 'bin', name);
  return join('scripts', name);
}

async function script(name: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(TSX, [join(ROOT, scriptPath(name)), ...args], { cwd: ROOT, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number | string; stdout: string; stderr: string };
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout, stderr: err.stderr };
  }
}

const BAD: [script: string, args: string[], message: string | RegExp][] = [
  ['eval.ts', ['--limt', '3'], "Unknown option '--limt'"],
  ['eval.ts', ['--refiner', 'guidd'], /--refiner must be one of default, bilinear, guided, .*, not "guidd"/],
  ['eval-reference.ts', ['--model', 'huge'], '--model must be one of small, medium, large, not "huge"'],
  ['eval-sweep.ts', ['--sets', 'nope'], '--sets: unknown "nope"'],
  ['eval-large.ts', ['--grids', '1024,big'], '--grids must be a whole number ≥ 1, not "big"'],
  ['prepare-models.ts', ['--forse'], "Unknown option '--forse'"],
  ['bench.ts', ['--reps', '0'], '--reps must be a whole number ≥ 1, not "0"'],
  ['bench-refine.ts', ['--size', '4240'], '--size must be WIDTHxHEIGHT, e.g. 4240x2832, not "4240"'],
  ['bench-reference.ts', ['--refiner', 'nope'], /--refiner must be one of default, .*, not "nope"/],
  ['bench-frame.ts', ['--backend', 'webgl'], '--backend must be one of wasm, webgpu, not "webgl"'],
  ['bench-batch.ts', ['--jobs', '1,0'], '--jobs must be a whole number ≥ 1, not "0"'],
  ['bare-model-runs.ts', ['--runs', 'x'], '--runs must be a whole number ≥ 1, not "x"'],
];

describe.concurrent('script arguments, end to end', () => {
  for (const [name, args, message] of BAD) {
    it(`${name} ${args.join(' ')} fails with a usage error`, async () => {
      const r = await script(name, args);
      expect(r.code).toBe(2);
      if (typeof message === 'string') expect(r.stderr).toContain(message);
      else expect(r.stderr).toMatch(message);
      expect(r.stderr).toContain('usage:');
    });
  }

  // Every documented flag is still accepted; with a missing data folder the eval scripts stop cleanly.
  it('eval.ts accepts all its flags', async () => {
    const r = await script('eval.ts', [
      '--data', MISSING_DATA, '--out', 'x.json', '--model', 'isnet-fp16', '--refiner', 'bilinear', '--resize', 'reference',
      '--hints', 'trimap1', '--sets', 'grabcut,alphamatting', '--limit', '2', '--only', 'GT01,GT03', '--per-image', '--quality', 'high',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No eval data');
    const strokes = await script('eval.ts', ['--data', MISSING_DATA, '--strokes', '2,5,10', '--solvers', 'default,paste', '--quality', 'high']);
    expect([strokes.code, strokes.stderr]).toEqual([0, '']);
    expect(strokes.stdout).toContain('No eval data');
  });
  it('eval-reference.ts accepts all its flags', async () => {
    const r = await script('eval-reference.ts', [
      `--data=${MISSING_DATA}`, '--out', 'x.json', '--model', 'small', '--sets', 'alphamatting', '--limit', '1', '--only', 'GT01', '--per-image',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No eval data');
  });
  it('eval-sweep.ts accepts all its flags', async () => {
    const r = await script('eval-sweep.ts', ['--data', MISSING_DATA, '--configs', 'c.json', '--sets', 'grabcut', '--per-image']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No eval data');
  });
});
