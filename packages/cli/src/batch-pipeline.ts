/**
 * The staged scheduler behind --jobs N: each file goes through
 *   A  prepare: decode + preprocess to the model input (main thread; sharp decodes on its pool),
 *   B  infer:   the model run (one session, one input at a time: the bottleneck, kept fed),
 *   C  finish:  refine + compose + encode + write,
 * with at most N files in flight (admitted in order, from the start of A to the end of C) and their
 * weights (pixels) within a budget, so memory stays bounded whatever the folder holds. While B runs
 * image k, the main thread finishes image k − 1 and prepares image k + 1. A goes before C: a C waits
 * until no A is running, so the model's next input is not held up behind a refinement. Outcomes
 * are reported in completion order.
 */

export interface Stages<P, I> {
  /** The file's weight against the budget (its pixels, read from the header); 0 when unknown. */
  weigh(file: string): Promise<number>;
  prepare(file: string): Promise<P>;
  infer(file: string, prepared: P): Promise<I>;
  /** Returns a note for the file's report line. */
  finish(file: string, inferred: I): Promise<string>;
}

type Outcome =
  | { readonly file: string; readonly ok: true; readonly note: string; readonly ms: number }
  | { readonly file: string; readonly ok: false; readonly error: unknown; readonly ms: number };

export interface PipelineStats {
  /** Most files admitted and not yet finished at any moment (≤ jobs). */
  readonly maxInFlight: number;
  /** Most files handed to the model and not yet back at any moment (one running, the others queued). */
  readonly maxAtModel: number;
}

interface PipelineEvents {
  /** A file was admitted: its stage A starts. */
  onStart(file: string): void;
  onOutcome(outcome: Outcome): void;
}

/** A count of running things, with its high-water mark and a wait for zero. */
class Gauge {
  count = 0;
  max = 0;
  private waiters: (() => void)[] = [];

  up(): void {
    this.max = Math.max(this.max, ++this.count);
  }

  down(): void {
    if (--this.count > 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  zero(): Promise<void> {
    return this.count === 0 ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }
}

/**
 * Admission, first come first served: a file enters when fewer than `jobs` are in flight and its
 * weight fits the budget with theirs, or when nothing is in flight (a file over the budget then runs
 * alone). Nothing overtakes the file at the head, so no file starves, large or small.
 */
class Admission {
  private count = 0;
  private weight = 0;
  private readonly queue: { readonly weight: number; readonly enter: () => void }[] = [];
  constructor(
    private readonly jobs: number,
    private readonly budget: number,
  ) {}

  admit(weight: number): Promise<void> {
    return new Promise((enter) => {
      this.queue.push({ weight, enter });
      this.pump();
    });
  }

  leave(weight: number): void {
    this.count--;
    this.weight -= weight;
    this.pump();
  }

  private pump(): void {
    for (let head = this.queue[0]; head; head = this.queue[0]) {
      if (this.count > 0 && (this.count >= this.jobs || this.weight + head.weight > this.budget)) return;
      this.queue.shift();
      this.count++;
      this.weight += head.weight;
      head.enter();
    }
  }
}

interface Limits {
  /** Most files in flight. */
  readonly jobs: number;
  /** Most total weight in flight, except for a file that runs alone. */
  readonly budget: number;
}

export async function runPipeline<P, I>(files: readonly string[], limits: Limits, stages: Stages<P, I>, events: PipelineEvents): Promise<PipelineStats> {
  const admission = new Admission(Math.max(1, limits.jobs), limits.budget);
  const inFlight = new Gauge();
  const preparing = new Gauge();
  const atModel = new Gauge();

  const prepare = async (file: string): Promise<P> => {
    preparing.up();
    try {
      return await stages.prepare(file);
    } finally {
      preparing.down();
    }
  };
  const infer = async (file: string, prepared: P): Promise<I> => {
    atModel.up();
    try {
      return await stages.infer(file, prepared);
    } finally {
      atModel.down();
    }
  };
  const one = async (file: string): Promise<Outcome> => {
    const t0 = performance.now();
    try {
      // Nested so that nothing here keeps the model input alive once the model has run.
      const inferred = await infer(file, await prepare(file));
      await preparing.zero();
      const note = await stages.finish(file, inferred);
      return { file, ok: true, note, ms: performance.now() - t0 };
    } catch (error) {
      return { file, ok: false, error, ms: performance.now() - t0 };
    }
  };

  const running: Promise<void>[] = [];
  for (const file of files) {
    const weight = await stages.weigh(file);
    await admission.admit(weight);
    inFlight.up();
    events.onStart(file);
    running.push(
      one(file).then((outcome) => {
        inFlight.down();
        admission.leave(weight);
        events.onOutcome(outcome);
      }),
    );
  }
  await Promise.all(running);
  return { maxInFlight: inFlight.max, maxAtModel: atModel.max };
}
