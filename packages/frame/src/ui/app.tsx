/**
 * The frame's UI: the host's panel, progress and cancel, errors with retry, the review panel and
 * diagnostics. Everything, the theme and the key handler included, lives on the frame's own root
 * element: the frame may share its document with the host (Canva) and must not touch the host's.
 */
import type { DiagnosticsResult } from '@cutout/protocol';
import { useEffect, useRef } from 'preact/hooks';
import type { FrameState, Store } from '../frame-state.js';
import { DiagnosticsView } from './diagnostics-view.js';
import { handleFrameKey } from './keys.js';
import { PanelView } from './panel-view.js';
import { QualityChoice } from './quality-choice.js';
import type { ReviewController } from './review-controller.js';
import { ReviewPanel } from './review-panel.js';
import { useStore } from './use-store.js';

const STAGE_LABEL: Record<string, string> = {
  download: 'Downloading the model',
  session: 'Starting the model',
  preprocess: 'Preparing the image',
  inference: 'Finding the subject',
  refine: 'Refining edges',
  compose: 'Cleaning edge colours',
  review: 'Review',
};

function megabytes(n: number): string {
  return (n / 1e6).toFixed(n >= 1e8 ? 0 : 1);
}

/** Where keys act: 'frame' while focus is inside the frame (embedded); 'page' anywhere on a page the frame fills. */
export type KeyScope = 'frame' | 'page';

export interface AppProps {
  readonly state: Store<FrameState>;
  readonly review: ReviewController;
  readonly onCancel: () => void;
  readonly onCommand: (command: string) => void;
  readonly diagnostics: () => DiagnosticsResult;
  readonly keyScope: KeyScope;
}

export function App({ state, review, onCancel, onCommand, diagnostics, keyScope }: AppProps) {
  const s = useStore(state);
  const r = useStore(review.store);
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    // Embedded, the host's keys are the host's: listen on our root only. A whole page (frame.html)
    // also takes keys when nothing is focused, as the page did before.
    const target: EventTarget | null = keyScope === 'page' ? window : root.current;
    if (!target) return;
    const onKey = (e: Event): void => handleFrameKey(e as KeyboardEvent, { state, review, onCancel });
    target.addEventListener('keydown', onKey);
    return () => target.removeEventListener('keydown', onKey);
  }, [review, state, onCancel, keyScope]);

  const backend = s.backend ? (s.backend === 'webgpu' ? 'WebGPU' : 'WASM (CPU)') : null;
  return (
    // tabIndex -1: a click anywhere in the frame focuses it, so its keys work without a focused control.
    <div ref={root} class="cutout" data-theme={s.theme} tabIndex={-1}>
      <main class="frame" data-phase={s.phase}>
        <header>
          <h1>Remove background</h1>
          {backend && (
            <span class="badge" data-testid="backend" title={s.fallbackReason ? `Fell back: ${s.fallbackReason}` : `Model ${s.model ?? ''}`}>
              {backend}
              {s.fallbackReason ? ' (fallback)' : ''}
            </span>
          )}
        </header>
        {s.panel && <PanelView panel={s.panel} busy={s.running} onCommand={onCommand} />}
        {!r.job && <QualityChoice quality={s.quality} disabled={s.running} onChange={(quality) => state.set({ quality })} />}
        {s.label && <p class="label">{s.label}</p>}
        {s.phase === 'working' && (
          <section class="progress" aria-live="polite">
            <p>{(s.stage && STAGE_LABEL[s.stage]) ?? 'Starting'}…{s.stage === 'download' && s.totalBytes > 0 ? ` ${megabytes(s.loadedBytes)} / ${megabytes(s.totalBytes)} MB` : ''}</p>
            <progress data-testid="progress" max={1} value={s.fraction} aria-label="Progress" />
            {s.queued > 0 && <p class="hint">{s.queued} more waiting</p>}
            <button type="button" data-testid="cancel-run" onClick={onCancel}>Cancel</button>
          </section>
        )}
        {r.retry && (
          <section class="error" role="alert">
            <p data-testid="error-message">{r.retry.message}</p>
            <div class="actions">
              <button type="button" onClick={() => review.answerRetry(false)}>Cancel</button>
              <button type="button" data-testid="retry" class="primary" onClick={() => review.answerRetry(true)}>Retry</button>
            </div>
          </section>
        )}
        {!r.retry && s.phase === 'error' && s.error && (
          <section class="error" role="alert">
            <p data-testid="error-message">{s.error.message}</p>
          </section>
        )}
        {r.job && <ReviewPanel controller={review} state={r} />}
        {s.phase === 'idle' && !r.job && !s.panel && <p class="hint">Select an image and run “Remove background”. Nothing leaves this computer.</p>}
        <DiagnosticsView read={diagnostics} />
      </main>
    </div>
  );
}
