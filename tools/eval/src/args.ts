/**
 * Argument parsing for the scripts: `node:util` parseArgs in strict mode (an unknown flag, a
 * missing value or a stray positional is an error), and validators for the values, so that a
 * misspelt flag or value stops the script with a message and exit code 2 instead of being ignored.
 *
 * Two layers: `parseArgv` and the `check*` validators throw a `UsageError`, so a script's whole
 * parsing can be a plain function of its argv, tested in-process (./eval-args.ts,
 * tests/script-args.test.ts); `parseOrExit` turns that error into the message, the usage line and
 * exit code 2. `parseScriptArgs`, `oneOf`, `listOf`, `intArg` and `intListArg` are the two combined
 * (they exit), for scripts that parse at their top level.
 */
import { basename } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A flag or value that does not fit the script's usage; the message names it. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Prints `<script>: <message>` and the usage line to stderr and exits with code 2. */
export function usageError(usage: string, message: string): never {
  console.error(`${basename(process.argv[1] ?? 'script')}: ${message}`);
  console.error(usage);
  process.exit(2);
}

/** `parse()`, or, when it throws a `UsageError`, that message and the usage line, exit code 2. Other errors pass. */
export function parseOrExit<T>(usage: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof UsageError) return usageError(usage, e.message);
    throw e;
  }
}

type StrictConfig = ParseArgsConfig & { strict: true };

/**
 * `parseArgs(config)` (on `config.args`, default this process's arguments); what it rejects is
 * thrown as a `UsageError` with parseArgs' message. Pass `strict: true` (the default, said explicitly).
 */
export function parseArgv<const T extends StrictConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** `value` when it is one of `allowed`; otherwise a UsageError listing them. */
export function checkOneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, not "${value}"`);
}

/** A comma-separated list of values from `allowed` (at least one); otherwise a UsageError listing them. */
export function checkListOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T[] {
  const items = value.split(',');
  const bad = items.filter((v) => !(allowed as readonly string[]).includes(v));
  if (bad.length > 0) throw new UsageError(`${flag}: unknown ${bad.map((b) => `"${b}"`).join(', ')} (valid: ${allowed.join(', ')})`);
  return items as T[];
}

/** A whole number ≥ `min` (default 1); otherwise a UsageError. */
export function checkInt(flag: string, value: string, min = 1): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < min) throw new UsageError(`${flag} must be a whole number ≥ ${min}, not "${value}"`);
  return n;
}

/** A comma-separated list of whole numbers ≥ `min`; otherwise a UsageError. */
export function checkIntList(flag: string, value: string, min = 1): number[] {
  return value.split(',').map((v) => checkInt(flag, v, min));
}

/** `parseArgv(config)`, exiting through `usageError` when the arguments do not fit. */
export function parseScriptArgs<const T extends StrictConfig>(usage: string, config: T): ReturnType<typeof parseArgs<T>> {
  return parseOrExit(usage, () => parseArgv(config));
}

/** `checkOneOf`, exiting through `usageError`. */
export function oneOf<T extends string>(usage: string, flag: string, value: string, allowed: readonly T[]): T {
  return parseOrExit(usage, () => checkOneOf(flag, value, allowed));
}

/** `checkListOf`, exiting through `usageError`. */
export function listOf<T extends string>(usage: string, flag: string, value: string, allowed: readonly T[]): T[] {
  return parseOrExit(usage, () => checkListOf(flag, value, allowed));
}

/** `checkInt`, exiting through `usageError`. */
export function intArg(usage: string, flag: string, value: string, min = 1): number {
  return parseOrExit(usage, () => checkInt(flag, value, min));
}

/** `checkIntList`, exiting through `usageError`. */
export function intListArg(usage: string, flag: string, value: string, min = 1): number[] {
  return parseOrExit(usage, () => checkIntList(flag, value, min));
}
