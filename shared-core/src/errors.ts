/** Every failure the core reports is a CoreError with a stable code a caller can branch on. */
import type { CoreErrorCode } from './error-codes.js';

export type { CoreErrorCode } from './error-codes.js';

export class CoreError extends Error {
  override readonly name = 'CoreError';
  constructor(
    readonly code: CoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isCoreError(value: unknown, code?: CoreErrorCode): value is CoreError {
  return value instanceof CoreError && (code === undefined || value.code === code);
}

/** Throws `cancelled` when the signal has fired; call between stages and inside long loops. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CoreError('cancelled', 'The operation was cancelled.', { cause: signal.reason });
}
