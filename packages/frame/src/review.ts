/** The contract between the frame server and the interactive review UI (preview, brush, controls). */
import type { AlphaMatte, EdgeControls, HintMask, RgbaImage } from '@cutout/core';
import type { OutputKind, WireErrorCode } from '@cutout/protocol';

export interface ReviewJob {
  readonly image: RgbaImage;
  /** The refined matte before any user edits (edge controls from the request already applied). */
  readonly matte: AlphaMatte;
  readonly output: OutputKind;
  /** The output kind is the host's (a refine writes back into what exists): the user gets no choice. */
  readonly fixedOutput: boolean;
  readonly edge: EdgeControls;
  readonly hints: HintMask | undefined;
  /** Re-solves the matte around the given hints (no model run: the network alpha is kept). */
  resolve(hints: HintMask | undefined, edge: EdgeControls, signal: AbortSignal): Promise<AlphaMatte>;
}

export interface ReviewOutcome {
  readonly matte: AlphaMatte;
  /** The request's hints with the user's strokes painted over them. */
  readonly hints: HintMask | undefined;
  readonly output: OutputKind;
  readonly edge: EdgeControls;
}

export interface ReviewUi {
  /** Resolves when the user applies; rejects with CoreError 'cancelled' when they cancel or the signal fires. */
  review(job: ReviewJob, signal: AbortSignal): Promise<ReviewOutcome>;
  /** Shows a failure with Retry; resolves true to retry, false to give up. */
  askRetry(error: { code: WireErrorCode; message: string }, signal: AbortSignal): Promise<boolean>;
}
