/**
 * The background-removal pipeline: preprocess → inference → refine (full-resolution matte) →
 * compose. Host-agnostic: it sees RGBA pixels and an InferenceSession, nothing else.
 */
import { CoreError, throwIfAborted } from './errors.js';
import { assertRgbaImage, type AlphaMatte, type RgbaImage } from './image.js';
import { assertHintSize, type HintMask } from './hints.js';
import type { ComposeOptions, Rect } from './compose.js';
import { composeCutoutRows, type CutoutRowsListener } from './cutout-rows.js';
import { preprocess, type ResizeMode } from './preprocess.js';
import type { ProgressListener, StageTimings } from './progress.js';
import type { Refiner } from './refiner.js';
import { applyHintsInPlace } from './hints.js';
import { applyEdgeControls, createMattingRefiner, createYielder, type EdgeControls } from './matting/index.js';
import type { InferenceSession } from './runtime-port.js';
import { alphaFromOutput } from './model-output.js';
import { averageMirrored, checkQuality, mirrorPlanes, type RemoveQuality } from './mirror-average.js';

export interface RemoverOptions {
  /** Network alpha → full-resolution matte; default: the matting refiner (guided filter, band solve around hints). */
  readonly refiner?: Refiner;
  readonly resize?: ResizeMode;
  /** Clock for stage timings; defaults to performance.now. */
  readonly now?: () => number;
}

export interface RunOptions {
  /** Trimap hints (0 remove, 255 keep): honoured exactly, and the matte is re-solved around them. */
  readonly hints?: HintMask | undefined;
  /** Feather / shift / smooth / hard edge, applied to the refined matte (hints still win). */
  readonly edge?: EdgeControls | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ProgressListener | undefined;
  /**
   * 'high': the network also runs on the mirror image of its input and the two alphas are averaged
   * (./mirror-average.ts): about twice the model time. Default 'standard'. Used by predict / matte /
   * cutout; refineFrom refines whatever network alpha it is given. A per-run option, not the
   * remover's: one loaded model serves both, and the frame lets the user choose per request.
   */
  readonly quality?: RemoveQuality | undefined;
}

export interface MatteResult {
  /** Full-resolution matte in [0, 1]. */
  readonly matte: AlphaMatte;
  /** The network's soft alpha at model resolution. */
  readonly lowRes: AlphaMatte;
  readonly timings: StageTimings;
  readonly backend: string;
}

export interface CutoutOptions extends RunOptions, ComposeOptions {
  /**
   * Replace colours at soft edges with the estimated foreground (multi-level foreground
   * estimation), so no halo of the old background shows on a new one. Default true.
   */
  readonly decontaminate?: boolean | undefined;
  /**
   * Receives the cut-out strip by strip, top to bottom, as each is final (./cutout-rows.ts), so a
   * host can encode while the rest is composed; each is awaited before the next (back-pressure).
   * The result's image is the whole cut-out either way.
   */
  readonly onRows?: CutoutRowsListener | undefined;
}

export interface CutoutResult extends MatteResult {
  readonly image: RgbaImage;
  /** The part of the source image the cut-out covers (the whole image unless cropped). */
  readonly rect: Rect;
}

/** The model input(s) `prepare` made for one image, to pass to `infer` once. */
export interface PreparedInput {
  readonly input: Float32Array;
  /** The mirrored input, at quality 'high'. */
  readonly mirrored: Float32Array | undefined;
  readonly preprocessMs: number;
}

export class BackgroundRemover {
  private disposed = false;
  private readonly refiner: Refiner;
  private readonly resize: ResizeMode;
  private readonly now: () => number;

  constructor(
    private readonly session: InferenceSession,
    options: RemoverOptions = {},
  ) {
    this.refiner = options.refiner ?? createMattingRefiner();
    this.resize = options.resize ?? 'antialias';
    this.now = options.now ?? (() => performance.now());
  }

  get backend(): string {
    return this.session.backend;
  }

  /** Network alpha at model resolution, after the manifest's output activation, validated (no NaN/Inf, values in [0, 1]). */
  async predict(image: RgbaImage, options: RunOptions = {}): Promise<{ lowRes: AlphaMatte; preprocessMs: number; inferenceMs: number }> {
    const prepared = this.prepare(image, options);
    const { lowRes, inferenceMs } = await this.infer(prepared, options);
    return { lowRes, preprocessMs: prepared.preprocessMs, inferenceMs };
  }

  /**
   * predict's first stage, on the calling thread: the model input(s) for an image (its mirror too at
   * quality 'high'). For callers that pipeline images (the CLI's --jobs): preprocess one while the
   * session runs another. A prepared input is run once: a worker runtime takes the input it is given.
   */
  prepare(image: RgbaImage, options: RunOptions = {}): PreparedInput {
    this.assertUsable();
    assertRgbaImage(image);
    const { signal, onProgress } = options;
    const quality = checkQuality(options.quality);
    throwIfAborted(signal);
    const manifest = this.session.manifest;
    const t0 = this.now();
    onProgress?.({ stage: 'preprocess', fraction: 0 });
    const input = preprocess(image, manifest, { resize: this.resize, signal });
    // Mirrored before the first run: a worker runtime takes (transfers) the input it is given.
    const mirrored = quality === 'high' ? mirrorPlanes(input, manifest.input.shape[3], manifest.input.shape[2]) : undefined;
    onProgress?.({ stage: 'preprocess', fraction: 1 });
    return { input, mirrored, preprocessMs: this.now() - t0 };
  }

  /** predict's second stage: the session run(s) on a prepared input, giving the network alpha. */
  async infer(prepared: PreparedInput, options: RunOptions = {}): Promise<{ lowRes: AlphaMatte; inferenceMs: number }> {
    this.assertUsable();
    const { signal, onProgress } = options;
    throwIfAborted(signal);
    const manifest = this.session.manifest;
    const t1 = this.now();
    onProgress?.({ stage: 'inference', fraction: 0 });
    // The activation (if the manifest names one) and the [0, 1] check: model-output.ts.
    const lowRes = alphaFromOutput(await this.session.run(prepared.input, signal), manifest);
    throwIfAborted(signal);
    if (prepared.mirrored) {
      onProgress?.({ stage: 'inference', fraction: 0.5 });
      const second = alphaFromOutput(await this.session.run(prepared.mirrored, signal), manifest);
      throwIfAborted(signal);
      averageMirrored(lowRes.data, second.data, lowRes.width, lowRes.height);
    }
    onProgress?.({ stage: 'inference', fraction: 1 });
    return { lowRes, inferenceMs: this.now() - t1 };
  }

  async matte(image: RgbaImage, options: RunOptions = {}): Promise<MatteResult> {
    if (options.hints) assertHintSize(options.hints, image.width, image.height);
    const { lowRes, preprocessMs, inferenceMs } = await this.predict(image, options);
    const result = await this.refineFrom(image, lowRes, options);
    return { ...result, timings: { ...result.timings, preprocess: preprocessMs, inference: inferenceMs } };
  }

  /**
   * The full-resolution matte from a network alpha computed earlier (by `predict`): what an
   * interactive editor calls for every brush stroke, without running the model again.
   */
  async refineFrom(image: RgbaImage, lowRes: AlphaMatte, options: RunOptions = {}): Promise<MatteResult> {
    this.assertUsable();
    assertRgbaImage(image);
    const { signal, onProgress, hints } = options;
    if (hints) assertHintSize(hints, image.width, image.height);
    const t0 = this.now();
    onProgress?.({ stage: 'refine', fraction: 0 });
    const matte = await this.refiner.refine({
      lowRes,
      image,
      hints,
      signal,
      onProgress: (fraction) => onProgress?.({ stage: 'refine', fraction }),
    });
    throwIfAborted(signal);
    if (options.edge) {
      await applyEdgeControls(matte, options.edge, createYielder(signal));
      if (hints) applyHintsInPlace(matte, hints);
    }
    const timings: StageTimings = { preprocess: 0, inference: 0, refine: this.now() - t0, compose: 0 };
    return { matte, lowRes, timings, backend: this.session.backend };
  }

  async cutout(image: RgbaImage, options: CutoutOptions = {}): Promise<CutoutResult> {
    return this.cutoutFrom(image, await this.matte(image, options), options);
  }

  /** Decontaminate and compose a cut-out from a matte computed earlier. */
  async cutoutFrom(image: RgbaImage, result: MatteResult, options: CutoutOptions = {}): Promise<CutoutResult> {
    const t0 = this.now();
    options.onProgress?.({ stage: 'compose', fraction: 0 });
    const { image: out, rect } = await composeCutoutRows(image, result.matte, options);
    const timings: StageTimings = { ...result.timings, compose: this.now() - t0 };
    options.onProgress?.({ stage: 'compose', fraction: 1 });
    options.onProgress?.({ stage: 'done', fraction: 1, timings });
    return { ...result, image: out, rect, timings };
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.session.dispose();
  }

  private assertUsable(): void {
    if (this.disposed) throw new CoreError('disposed', 'This BackgroundRemover has been disposed.');
  }
}
