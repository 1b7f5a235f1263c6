/**
 * The codes a CoreError can carry, as data: a leaf module with no imports, exported on its own as
 * `@cutout/core/error-codes` so the protocol can list and check them without loading the core.
 */
export const CORE_ERROR_CODES = [
  'cancelled',
  'invalid_argument',
  'unsupported_image',
  'image_too_large',
  'empty_image',
  'hint_size_mismatch',
  'model_missing',
  'model_integrity',
  // A model whose manifest asks for something this runtime does not implement (e.g. an unknown dequantization).
  'model_unsupported',
  // A model file that does not fit how it is being registered (`cutout models add`): not loadable ONNX,
  // an input other than one [1, 3, H, W] float32 of the declared size, an output other than one matte,
  // or a test run whose matte is outside [0, 1] or constant (a wrong normalisation or activation).
  'model_mismatch',
  'model_fetch_failed',
  'model_invalid_output',
  'runtime_unavailable',
  'inference_failed',
  'gpu_lost',
  'io_error',
  'disposed',
  // The object is already doing what was asked (one run at a time); retry when it is done. Also the
  // frame's reply to a request it cannot queue (the protocol's codes derive from these).
  'busy',
] as const;

/** Every failure the core reports is a CoreError with one of these stable codes a caller can branch on. */
export type CoreErrorCode = (typeof CORE_ERROR_CODES)[number];
