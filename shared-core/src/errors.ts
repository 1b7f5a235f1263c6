/** Every failure the core reports is a CoreError with a stable code a caller can branch on. */
export type CoreErrorCode =
  | 'cancelled'
  | 'invalid_argument'
  | 'unsupported_image'
  | 'image_too_large'
  | 'empty_image'
  | 'hint_size_mismatch'
  | 'model_missing'
  | 'model_integrity'
  | 'model_fetch_failed'
  | 'model_invalid_output'
  | 'runtime_unavailable'
  | 'inference_failed'
  | 'gpu_lost'
  | 'io_error'
  | 'disposed';

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
