/**
 * The frame's keyboard shortcuts: Enter applies, Esc cancels, K / R pick the brush, [ / ] size
 * it, Ctrl/⌘-Z undoes a stroke. Never while the user types in a text field (the host's or ours):
 * those keys are theirs.
 */
import type { FrameState, Store } from '../frame-state.js';
import type { ReviewController } from './review-controller.js';

/** Input types whose keys are not text (sliders, radios, checkboxes, colour and file pickers, buttons). */
const NON_TEXT_INPUTS = new Set(['range', 'radio', 'checkbox', 'color', 'file', 'button', 'submit', 'reset', 'image']);

/** Whether a key event's real target takes typed text (input, textarea, select, contenteditable). */
function isTextTarget(target: EventTarget | null | undefined): boolean {
  if (!target || typeof (target as Partial<HTMLElement>).tagName !== 'string') return false;
  const el = target as HTMLElement;
  if (el.isContentEditable) return true;
  const tag = el.tagName.toLowerCase();
  if (tag === 'textarea' || tag === 'select') return true;
  return tag === 'input' && !NON_TEXT_INPUTS.has((el as HTMLInputElement).type);
}

export interface KeyContext {
  readonly state: Store<FrameState>;
  readonly review: ReviewController;
  readonly onCancel: () => void;
}

/** Acts on one keydown; the target is read from the composed path (a window listener sees the shadow host). */
export function handleFrameKey(e: KeyboardEvent, { state, review, onCancel }: KeyContext): void {
  const target = e.composedPath()[0] ?? e.target;
  if (e.defaultPrevented || isTextTarget(target)) return;
  if (!review.store.get().job) {
    if (e.key === 'Escape' && state.get().phase === 'working') onCancel();
    return;
  }
  const key = e.key.toLowerCase();
  if ((e.metaKey || e.ctrlKey) && key === 'z') {
    e.preventDefault();
    review.undo();
  } else if (e.metaKey || e.ctrlKey || e.altKey) return; // shortcuts of the host or the browser
  else if (e.key === 'Escape') review.cancel();
  // Enter on a button is the button's own click.
  else if (e.key === 'Enter' && (target as Partial<HTMLElement>).tagName?.toLowerCase() !== 'button') review.apply();
  else if (key === 'k') review.set({ brushMode: 'keep' });
  else if (key === 'r') review.set({ brushMode: 'remove' });
  else if (e.key === '[') review.set({ brushSize: Math.max(2, review.store.get().brushSize - 2) });
  else if (e.key === ']') review.set({ brushSize: Math.min(60, review.store.get().brushSize + 2) });
}
