import { CoreError, type CoreErrorCode } from '@cutout/core';

/** The code the CLI prints: a core code, or 'internal' for a bug (an error that is neither a CoreError nor a file-system failure). */
export type CliErrorCode = CoreErrorCode | 'internal';

export function cliErrorCode(e: unknown): CliErrorCode {
  if (e instanceof CoreError) return e.code;
  // A Node system error (ENOENT, EACCES, ENOSPC…) from writing an output or creating the out folder.
  if (e instanceof Error && typeof (e as NodeJS.ErrnoException).syscall === 'string') return 'io_error';
  return 'internal';
}
