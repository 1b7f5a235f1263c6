// @vitest-environment happy-dom
// The frame's "High quality (slower)" choice (packages/frame/src/ui/quality-choice.tsx) in the real App:
// it sets the frame state's quality that remove-job.ts uses when a request names none (the server's
// side of that is in tests/frame-server.test.ts); it waits while a job runs and is gone during review.
import { afterEach, describe, expect, it } from 'vitest';
import { h, render } from 'preact';
import type { DiagnosticsResult } from '@cutout/protocol';
import { INITIAL_STATE, Store, type FrameState } from '../packages/frame/src/frame-state.js';
import { App } from '../packages/frame/src/ui/app.js';
import { ReviewController } from '../packages/frame/src/ui/review-controller.js';

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));
const containers: HTMLElement[] = [];
afterEach(() => {
  for (const c of containers.splice(0)) {
    render(null, c);
    c.remove();
  }
});

function mount(): { state: Store<FrameState>; review: ReviewController; box: () => HTMLInputElement | null; container: HTMLElement } {
  const container = document.body.appendChild(document.createElement('div'));
  containers.push(container);
  const state = new Store<FrameState>(INITIAL_STATE);
  const review = new ReviewController();
  const diagnostics = (): DiagnosticsResult => {
    throw new Error('not opened in this test');
  };
  render(h(App, { state, review, onCancel: () => undefined, onCommand: () => undefined, diagnostics, keyScope: 'frame' }), container);
  return { state, review, container, box: () => container.querySelector<HTMLInputElement>('[data-testid="quality-high"]') };
}

describe('frame UI: High quality (slower)', () => {
  it('is offered unchecked and sets the state when the user ticks it, and back', async () => {
    const { state, box, container } = mount();
    await settle();
    expect(box()?.checked).toBe(false);
    expect(container.textContent).toContain('High quality (slower)');
    box()!.click();
    await settle();
    expect(state.get().quality).toBe('high');
    expect(box()?.checked).toBe(true);
    box()!.click();
    await settle();
    expect(state.get().quality).toBe('standard');
  });

  it('waits while a job runs, and is not shown while the user reviews a result', async () => {
    const { state, review, box } = mount();
    state.set({ running: true, phase: 'working' });
    await settle();
    expect(box()?.disabled).toBe(true);
    const image = { width: 2, height: 2, data: new Uint8Array(16).fill(255) };
    const matte = { width: 2, height: 2, data: new Float32Array(4).fill(1) };
    const pending = review.review({ image, matte, output: 'mask', fixedOutput: false, edge: {}, hints: undefined, resolve: async () => matte }, new AbortController().signal);
    await settle();
    expect(box()).toBeNull();
    review.cancel();
    await pending.catch(() => undefined);
    state.set({ running: false, phase: 'idle' });
    await settle();
    expect(box()?.disabled).toBe(false);
  });
});
