/**
 * One click on "Remove background": snapshot the selection, let the panel paint its working state
 * (WASM then blocks the page), run host-kit's batch through the in-process frame, and sum up.
 */
import { runBatch, type BatchOutcome, type BatchProgress } from '@cutout/host-kit';
import type { ContentDraft, SelectedImage } from '../canva/adapter.js';
import { createCanvaPort, targetsOf, type CanvaStaged, type Translate, type WriteMode } from '../canva/canva-port.js';
import type { Remover } from '../runtime/remover.js';

export interface RunOptions {
  readonly remover: Remover;
  readonly draft: ContentDraft<SelectedImage>;
  readonly mode: WriteMode;
  readonly t: Translate;
  readonly imageName: (index: number) => string;
  readonly isStale: () => boolean;
  readonly isClosed: () => boolean;
  readonly signal: AbortSignal;
  readonly onProgress: (p: BatchProgress) => void;
}

/** Resolves after the next paint (or 100 ms where animation frames are paused, e.g. a hidden panel). */
function afterPaint(): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 100);
    requestAnimationFrame(() =>
      setTimeout(() => {
        clearTimeout(timer);
        resolve();
      }, 0),
    );
  });
}

export async function runRemoval(options: RunOptions): Promise<{ outcome: BatchOutcome; downscaled: CanvaStaged['downscaledTo'][] }> {
  const downscaled: CanvaStaged['downscaledTo'][] = [];
  const port = createCanvaPort({
    draft: options.draft,
    mode: options.mode,
    t: options.t,
    isStale: options.isStale,
    isClosed: options.isClosed,
    onProgress: options.onProgress,
    onStaged: (s) => {
      if (s.downscaledTo) downscaled.push(s.downscaledTo);
    },
  });
  await afterPaint();
  const outcome = await runBatch({
    client: options.remover.client,
    port,
    targets: targetsOf(options.draft, options.imageName),
    request: { output: 'cutout' },
    signal: options.signal,
  });
  return { outcome, downscaled };
}
