/** The frame's UI: progress and cancel, errors with retry, and the review panel. */
import { useEffect } from 'preact/hooks';
import type { FrameState, Store } from '../frame-state.js';
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

export interface AppProps {
  readonly state: Store<FrameState>;
  readonly review: ReviewController;
  readonly onCancel: () => void;
}

export function App({ state, review, onCancel }: AppProps) {
  const s = useStore(state);
  const r = useStore(review.store);

  useEffect(() => {
    document.documentElement.dataset['theme'] = s.theme;
  }, [s.theme]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const inField = e.target instanceof HTMLInputElement && e.target.type !== 'range' && e.target.type !== 'radio' && e.target.type !== 'checkbox';
      if (!review.store.get().job) {
        if (e.key === 'Escape' && state.get().phase === 'working') onCancel();
        return;
      }
      if ((e.metaKey || e.ctrlKey) && e.key.toLowerCase() === 'z') {
        e.preventDefault();
        review.undo();
      } else if (e.key === 'Escape') review.cancel();
      else if (e.key === 'Enter' && !inField && !(e.target instanceof HTMLButtonElement)) review.apply();
      else if (!inField && e.key.toLowerCase() === 'k') review.set({ brushMode: 'keep' });
      else if (!inField && e.key.toLowerCase() === 'r') review.set({ brushMode: 'remove' });
      else if (!inField && e.key === '[') review.set({ brushSize: Math.max(2, review.store.get().brushSize - 2) });
      else if (!inField && e.key === ']') review.set({ brushSize: Math.min(60, review.store.get().brushSize + 2) });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [review, state, onCancel]);

  const backend = s.backend ? (s.backend === 'webgpu' ? 'WebGPU' : 'WASM (CPU)') : null;
  return (
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
      {s.phase === 'idle' && !r.job && <p class="hint">Select an image and run “Remove background”. Nothing leaves this computer.</p>}
    </main>
  );
}
