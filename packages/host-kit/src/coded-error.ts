/** The error every host adapter raises itself: a value with a code (house style), its code set per host. */
export class CodedError<C extends string> extends Error {
  constructor(
    readonly code: C,
    message: string,
  ) {
    super(message);
  }
}

/**
 * An error's message, also for errors from another realm (a host's native module, a sandbox's
 * bridge), so no `instanceof Error`: anything with a string `message`, else its string form.
 */
export const messageOf = (e: unknown): string =>
  typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string' ? (e as { message: string }).message : String(e);
