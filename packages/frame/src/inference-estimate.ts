/**
 * Inference progress while the model runs. ORT reports nothing between the start and the end of a
 * run, so the frame estimates it from how long the run is expected to take (the previous run on
 * the same backend, else a default): an asymptotic curve that never decreases and never reaches 1
 * before the run ends, sent on a timer; 1 when the run ends. A fraction the core reports in between
 * (the first of two runs done, quality 'high') is sent when it is ahead of the estimate.
 */
import type { ProgressEvent, ProgressListener } from '@cutout/core';
import type { WebBackend } from '@cutout/core-web';

/** A 1024² ISNet run: WASM single-threaded on a 2-core machine 10–15 s; WebGPU on a real GPU ~1–2 s. */
const DEFAULT_INFERENCE_MS: Readonly<Record<WebBackend, number>> = { wasm: 12_000, webgpu: 2_000 };
const DEFAULT_PIXELS = 1024 * 1024;
export const TICK_MS = 250;
/** The estimate stops here: only the end of the run says 1. */
export const MAX_ESTIMATE = 0.99;

/** 1 − e^(−2t/T): 86 % at the expected duration, 98 % at twice it, capped below 1. */
export function estimateFraction(elapsedMs: number, expectedMs: number): number {
  if (!(elapsedMs > 0) || !(expectedMs > 0)) return 0;
  return Math.min(MAX_ESTIMATE, 1 - Math.exp((-2 * elapsedMs) / expectedMs));
}

/** The previous run's duration when there was one, else the backend default scaled by input size. */
export function expectedInferenceMs(backend: WebBackend, inputPixels: number, previousMs: number | undefined): number {
  if (previousMs !== undefined && previousMs > 0) return previousMs;
  return DEFAULT_INFERENCE_MS[backend] * (inputPixels > 0 ? inputPixels / DEFAULT_PIXELS : 1);
}

export interface EstimateClock {
  now(): number;
  every(ms: number, tick: () => void): () => void;
}

const realClock: EstimateClock = {
  now: () => performance.now(),
  every: (ms, tick) => {
    const timer = setInterval(tick, ms);
    return () => clearInterval(timer);
  },
};

/**
 * A listener for core progress that forwards preprocess and inference events and, between
 * inference 0 and 1, sends an estimate every TICK_MS. `stop` ends the timer (call it in finally:
 * a failed or cancelled run never sends inference 1).
 */
export function withInferenceEstimate(forward: ProgressListener, expectedMs: number, clock: EstimateClock = realClock): { listener: ProgressListener; stop(): void } {
  let stopTimer: (() => void) | null = null;
  let last = 0;
  const stop = (): void => {
    stopTimer?.();
    stopTimer = null;
  };
  const listener = (event: ProgressEvent): void => {
    if (event.stage !== 'inference') return forward(event);
    if (event.fraction >= 1) {
      stop();
      return forward(event);
    }
    if (stopTimer) {
      // A step the core reports itself (half-way through a 'high' quality run: two model runs) counts when ahead of the estimate.
      if (event.fraction > last) {
        last = event.fraction;
        forward(event);
      }
      return;
    }
    const start = clock.now();
    last = 0;
    forward(event);
    stopTimer = clock.every(TICK_MS, () => {
      const fraction = estimateFraction(clock.now() - start, expectedMs);
      if (fraction <= last) return;
      last = fraction;
      forward({ stage: 'inference', fraction });
    });
  };
  return { listener, stop };
}
