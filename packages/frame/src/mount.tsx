/** Mounts the frame (server + UI) into an element; used by the page entry and by in-process hosts (Canva). */
import type { Endpoint } from '@cutout/protocol';
import { render } from 'preact';
import { detectCapabilities } from './capabilities.js';
import { FrameServer, type FrameConfig } from './frame-server.js';
import { INITIAL_STATE, Store, type FrameState } from './frame-state.js';
import { App } from './ui/app.js';
import { ReviewController } from './ui/review-controller.js';
import css from './ui/styles.css';

export interface MountOptions {
  readonly endpoint: Endpoint;
  readonly config: FrameConfig;
  readonly log?: ((message: string, detail?: unknown) => void) | undefined;
}

export interface MountedFrame {
  readonly server: FrameServer;
  readonly state: Store<FrameState>;
  readonly review: ReviewController;
  unmount(): Promise<void>;
}

export async function mountFrame(root: HTMLElement, options: MountOptions): Promise<MountedFrame> {
  const style = document.createElement('style');
  style.textContent = css;
  document.head.appendChild(style);
  const caps = await detectCapabilities();
  const state = new Store<FrameState>(INITIAL_STATE);
  const review = new ReviewController();
  const server = new FrameServer({ endpoint: options.endpoint, caps, config: options.config, store: state, ui: review, log: options.log });
  render(<App state={state} review={review} onCancel={() => server.cancelCurrent()} />, root);
  server.start();
  return {
    server,
    state,
    review,
    async unmount() {
      render(null, root);
      style.remove();
      await server.stop();
    },
  };
}
