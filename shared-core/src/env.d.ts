/**
 * The few host globals the core uses, declared as narrowly as it uses them. shared-core/tsconfig.json
 * has no DOM lib and no @types/node, so anything else a browser or Node offers (document, window,
 * Buffer, `node:` modules) fails to type-check in the core. Every engine the core runs on (Node ≥ 20,
 * browsers, workers, the Figma/UXP webviews) provides these. The root tsconfig.json excludes this
 * file: there the DOM and node typings declare the same names in full.
 */

/** Cancellation: the core only reads whether it fired and why (throwIfAborted). */
interface AbortSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
}

/** Stage timings and solver deadlines (pipeline.ts, matting/). */
declare var performance: { now(): number };

/** The last-resort macrotask in matting/yielder.ts (setImmediate and MessageChannel are probed at run time). */
declare function setTimeout(callback: () => void, ms?: number): unknown;
