/**
 * One remove request, start to finish: decode → predict → refine → (review) → encode. The server
 * (frame-server.ts) owns the queue, cancel and replies; this file owns what a single job does.
 */
import { alphaToBytes, downscaleMatte, downscaleRgba, type EdgeControls, type HintMask, type RgbaImage } from '@cutout/core';
import type { ProgressStage, RemovePayload, RemoveResult, WireEncoded } from '@cutout/protocol';
import { decodeImage, encodePng } from './image-codec.js';
import { fitSize, hintsFromImage, hintsImage, maskImage } from './image-ops.js';
import type { EngineLike } from './engine-factory.js';
import type { FrameState, Store } from './frame-state.js';
import type { ReviewUi } from './review.js';

/** Reports a stage's progress for a request (rate-limited and sent by the server). */
type ProgressSink = (id: string, stage: ProgressStage, fraction: number, bytes?: { loadedBytes: number; totalBytes: number }) => void;

export interface RemoveJobContext {
  /** The engine to run on (created on first use by the server). */
  readonly engine: () => EngineLike;
  readonly store: Store<FrameState>;
  /** The review UI; present only when the job is interactive. */
  readonly ui: ReviewUi | undefined;
  readonly progress: ProgressSink;
}

/** Bytes of an image buffer without copying (core images may hold a Uint8ClampedArray). */
const asBytes = (data: Uint8Array | Uint8ClampedArray): Uint8Array => (data instanceof Uint8Array ? data : new Uint8Array(data.buffer, data.byteOffset, data.length));

export async function runRemoveJob(ctx: RemoveJobContext, id: string, payload: RemovePayload, signal: AbortSignal): Promise<RemoveResult> {
  const { store, ui, progress } = ctx;
  const image: RgbaImage = payload.image ?? (await decodeImage((payload.encoded as WireEncoded).data));
  let hints: HintMask | undefined = payload.hints ?? (payload.hintsEncoded ? hintsFromImage(await decodeImage(payload.hintsEncoded.data)) : undefined);
  let edge: EdgeControls = payload.edge ?? {};
  const engine = ctx.engine();
  // The host's choice for this request, else the user's in the frame ("High quality (slower)").
  const quality = payload.quality ?? store.get().quality;
  const { lowRes, session, preprocessMs, inferenceMs } = await engine.predict(image, {
    signal,
    onLoad: (p) => progress(id, 'download', p.totalBytes ? p.loadedBytes / p.totalBytes : 1, p),
    onStage: (e) => {
      if (e.stage === 'preprocess' || e.stage === 'inference') progress(id, e.stage, e.fraction);
    },
    quality,
  });
  store.set({ backend: session.backend, model: session.model, fallbackReason: session.fallbackReason ?? null });
  const remover = session.remover;
  const origin = { backend: session.backend, model: session.model, ...(session.fallbackReason ? { fallbackReason: session.fallbackReason } : {}) };
  if (payload.refine === false) {
    // The host refines at full resolution itself: only the network's alpha crosses (validated: mask, no png, no hints).
    const timings = { preprocess: preprocessMs, inference: inferenceMs, refine: 0, compose: 0 };
    return { ...origin, output: 'mask', timings, matte: { width: lowRes.width, height: lowRes.height, data: alphaToBytes(lowRes) } };
  }
  const refineProgress = (e: { stage: string; fraction: number }): void => {
    if (e.stage === 'refine' || e.stage === 'compose') progress(id, e.stage, e.fraction);
  };
  let refined = await remover.refineFrom(image, lowRes, { hints, edge, signal, onProgress: refineProgress });
  let output = payload.output ?? 'mask';
  if (ui) {
    progress(id, 'review', 0);
    store.set({ phase: 'review', output });
    const outcome = await ui.review(
      {
        image,
        matte: refined.matte,
        output,
        fixedOutput: payload.fixedOutput === true,
        edge,
        hints,
        resolve: async (h, e, s) => (await remover.refineFrom(image, lowRes, { hints: h, edge: e, signal: s })).matte,
      },
      signal,
    );
    refined = { ...refined, matte: outcome.matte };
    // A fixed output is the host's (a refine writes back into what exists): the UI cannot change it (figma-review F2).
    if (payload.fixedOutput !== true) output = outcome.output;
    edge = outcome.edge;
    hints = outcome.hints;
    store.set({ phase: 'working' });
  }
  const base = { ...origin, output };
  const timings = { preprocess: preprocessMs, inference: inferenceMs, refine: refined.timings.refine, compose: 0 };
  let cutout: RgbaImage | undefined;
  if (output === 'cutout') {
    const cut = await remover.cutoutFrom(image, refined, { signal, onProgress: refineProgress });
    timings.compose = cut.timings.compose;
    cutout = cut.image;
  }
  if (!payload.png) {
    // Raw replies: the full-resolution matte, and the cut-out when one was asked for.
    return {
      ...base,
      timings,
      matte: { width: image.width, height: image.height, data: alphaToBytes(refined.matte) },
      ...(cutout ? { cutout: { width: cutout.width, height: cutout.height, data: asBytes(cutout.data) } } : {}),
    };
  }
  // PNG replies carry only the PNG (at most maxOutputSide a side) and the hints: the host asked for nothing else.
  const size = fitSize(image.width, image.height, payload.maxOutputSide);
  const outImage = cutout ? downscaleRgba(cutout, size.width, size.height) : maskImage(downscaleMatte(refined.matte, size.width, size.height));
  const png = { data: await encodePng(outImage), width: size.width, height: size.height };
  const hintsPicture = hints && size.width === image.width ? hintsImage(hints) : null;
  return { ...base, timings, png, ...(hintsPicture ? { hintsPng: await encodePng(hintsPicture) } : {}) };
}
