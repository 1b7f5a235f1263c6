/**
 * Argument parsing for the scripts: `node:util` parseArgs in strict mode (an unknown flag, a
 * missing value or a stray positional is an error), and validators for the values, so that a
 * misspelt flag or value stops the script with a message and exit code 2 instead of being ignored.
 */
import { basename } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Prints `<script>: <message>` and the usage line to stderr and exits with code 2. */
export function usageError(usage: string, message: string): never {
  console.error(`${basename(process.argv[1] ?? 'script')}: ${message}`);
  console.error(usage);
  process.exit(2);
}

/**
 * `parseArgs(config)` on this process's arguments, exiting through `usageError` when they do not
 * fit. Pass `strict: true` in `config` (the default, said explicitly).
 */
export function parseScriptArgs<const T extends ParseArgsConfig & { strict: true }>(usage: string, config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (e) {
    return usageError(usage, (e as Error).message);
  }
}

/** `value` when it is one of `allowed`; otherwise a usage error listing them. */
export function oneOf<T extends string>(usage: string, flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  return usageError(usage, `${flag} must be one of ${allowed.join(', ')}, not "${value}"`);
}

/** A comma-separated list of values from `allowed` (at least one); otherwise a usage error listing them. */
export function listOf<T extends string>(usage: string, flag: string, value: string, allowed: readonly T[]): T[] {
  const items = value.split(',');
  const bad = items.filter((v) => !(allowed as readonly string[]).includes(v));
  if (bad.length > 0) usageError(usage, `${flag}: unknown ${bad.map((b) => `"${b}"`).join(', ')} (valid: ${allowed.join(', ')})`);
  return items as T[];
}

/** A whole number ≥ `min` (default 1); otherwise a usage error. */
export function intArg(usage: string, flag: string, value: string, min = 1): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < min) usageError(usage, `${flag} must be a whole number ≥ ${min}, not "${value}"`);
  return n;
}

/** A comma-separated list of whole numbers ≥ `min`; otherwise a usage error. */
export function intListArg(usage: string, flag: string, value: string, min = 1): number[] {
  return value.split(',').map((v) => intArg(usage, flag, v, min));
}
