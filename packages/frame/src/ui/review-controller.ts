/**
 * The interactive review: holds the job the server handed over, the user's strokes and edge
 * settings, re-solves the matte after each change (a newer change aborts the solve in flight),
 * and settles the server's promise on apply / cancel. Implements ReviewUi for the server.
 */
import { CoreError, isCoreError, type AlphaMatte, type EdgeControls } from '@cutout/core';
import type { OutputKind, WireErrorCode } from '@cutout/protocol';
import { Store } from '../frame-state.js';
import type { ReviewJob, ReviewOutcome, ReviewUi } from '../review.js';
import { rasteriseStrokes, type BrushMode, type Stroke } from './brush.js';

export type BackgroundChoice = 'checker' | 'white' | 'black' | 'custom';

export interface ReviewState {
  readonly job: ReviewJob | null;
  readonly matte: AlphaMatte | null;
  readonly strokes: readonly Stroke[];
  readonly edge: EdgeControls;
  readonly output: OutputKind;
  readonly view: 'after' | 'before';
  readonly background: BackgroundChoice;
  readonly customColour: string;
  readonly brushMode: BrushMode;
  /** Brush radius in preview pixels. */
  readonly brushSize: number;
  readonly solving: boolean;
  readonly solveError: string | null;
  readonly retry: { readonly code: WireErrorCode; readonly message: string } | null;
}

const INITIAL_REVIEW: ReviewState = {
  job: null,
  matte: null,
  strokes: [],
  edge: {},
  output: 'mask',
  view: 'after',
  background: 'checker',
  customColour: '#3a7bd5',
  brushMode: 'keep',
  brushSize: 12,
  solving: false,
  solveError: null,
  retry: null,
};

export class ReviewController implements ReviewUi {
  readonly store = new Store<ReviewState>(INITIAL_REVIEW);
  private settle: { resolve: (o: ReviewOutcome) => void; reject: (e: unknown) => void } | null = null;
  private retrySettle: ((again: boolean) => void) | null = null;
  private solving: AbortController | null = null;
  /** Bumped per solve so a late result of an aborted solve is never shown. */
  private generation = 0;

  review(job: ReviewJob, signal: AbortSignal): Promise<ReviewOutcome> {
    return new Promise<ReviewOutcome>((resolve, reject) => {
      const onAbort = (): void => this.finish(null, new CoreError('cancelled', 'The review was cancelled.'));
      signal.addEventListener('abort', onAbort, { once: true });
      this.settle = {
        resolve: (o) => {
          signal.removeEventListener('abort', onAbort);
          resolve(o);
        },
        reject: (e) => {
          signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      };
      this.store.set({ ...INITIAL_REVIEW, job, matte: job.matte, edge: job.edge, output: job.output, background: this.store.get().background, customColour: this.store.get().customColour });
    });
  }

  askRetry(error: { code: WireErrorCode; message: string }, signal: AbortSignal): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const onAbort = (): void => this.answerRetry(false);
      signal.addEventListener('abort', onAbort, { once: true });
      this.retrySettle = (again) => {
        signal.removeEventListener('abort', onAbort);
        resolve(again);
      };
      this.store.set({ retry: error });
    });
  }

  answerRetry(again: boolean): void {
    const settle = this.retrySettle;
    this.retrySettle = null;
    this.store.set({ retry: null });
    settle?.(again);
  }

  set(patch: Partial<Pick<ReviewState, 'view' | 'background' | 'customColour' | 'brushMode' | 'brushSize' | 'output'>>): void {
    // A fixed output is the host's to choose (figma-review F2): a stray patch must not change it.
    if (patch.output !== undefined && this.store.get().job?.fixedOutput) {
      const { output: _ignored, ...rest } = patch;
      this.store.set(rest);
      return;
    }
    this.store.set(patch);
  }

  addStroke(stroke: Stroke): void {
    this.store.set({ strokes: [...this.store.get().strokes, stroke] });
    void this.resolveNow();
  }

  undo(): void {
    const strokes = this.store.get().strokes;
    if (strokes.length === 0) return;
    this.store.set({ strokes: strokes.slice(0, -1) });
    void this.resolveNow();
  }

  setEdge(edge: EdgeControls): void {
    this.store.set({ edge });
    void this.resolveNow();
  }

  apply(): void {
    const { matte, output, edge, solving, job, strokes } = this.store.get();
    if (!matte || solving || !job) return;
    this.finish({ matte, output, edge, hints: rasteriseStrokes(job.image.width, job.image.height, strokes, job.hints) }, null);
  }

  cancel(): void {
    this.finish(null, new CoreError('cancelled', 'The user cancelled.'));
  }

  /** Resolves once the latest solve has finished (for tests and the Apply button). */
  async resolveNow(): Promise<void> {
    const { job, strokes, edge } = this.store.get();
    if (!job) return;
    this.solving?.abort();
    const controller = new AbortController();
    this.solving = controller;
    const generation = ++this.generation;
    this.store.set({ solving: true, solveError: null });
    try {
      const hints = rasteriseStrokes(job.image.width, job.image.height, strokes, job.hints);
      const matte = await job.resolve(hints, edge, controller.signal);
      if (generation === this.generation) this.store.set({ matte, solving: false });
    } catch (e) {
      if (generation !== this.generation) return;
      this.store.set({ solving: false, solveError: isCoreError(e, 'cancelled') ? null : (e as Error).message });
    }
  }

  private finish(outcome: ReviewOutcome | null, error: unknown): void {
    const settle = this.settle;
    if (!settle) return;
    this.settle = null;
    this.solving?.abort();
    this.generation++;
    this.store.set({ job: null, matte: null, strokes: [], solving: false });
    if (outcome) settle.resolve(outcome);
    else settle.reject(error);
  }
}
