/**
 * Mounts the frame (server + UI) into an element; used by the page entry (frame.html) and by
 * hosts that run the frame in their own document (Canva). The UI renders into a shadow root on
 * that element, with its stylesheet inside: nothing is added to the host's document or `<head>`,
 * no attribute is set outside the element, and keys act only while focus is inside the frame.
 */
import { CoreError } from '@cutout/core';
import type { FrameEndpoint } from '@cutout/protocol';
import { render } from 'preact';
import { detectCapabilities } from './capabilities.js';
import { FrameServer, type CreateEngine, type FrameConfig } from './frame-server.js';
import { INITIAL_STATE, Store, type FrameState } from './frame-state.js';
import { App, type KeyScope } from './ui/app.js';
import { ReviewController } from './ui/review-controller.js';
import css from './ui/styles.css';

export interface MountOptions {
  readonly endpoint: FrameEndpoint;
  readonly config: FrameConfig;
  readonly log?: ((message: string, detail?: unknown) => void) | undefined;
  /** 'frame' (default): keys act while focus is inside the frame. 'page': the frame is the whole page (frame.html). */
  readonly keyScope?: KeyScope | undefined;
  /** The engine factory; default `Engine` on onnxruntime-web. */
  readonly createEngine?: CreateEngine | undefined;
}

export interface MountedFrame {
  readonly server: FrameServer;
  readonly state: Store<FrameState>;
  readonly review: ReviewController;
  /** Stops the server (its engine and pending requests) and removes everything the frame added. */
  unmount(): Promise<void>;
}

/** The element's shadow root: ours from an earlier mount, or a new one. */
function shadowOf(host: HTMLElement): ShadowRoot {
  if (host.shadowRoot && host.shadowRoot.childNodes.length > 0) throw new CoreError('invalid_argument', 'The element already holds a frame or another shadow root with content.');
  try {
    // A shadow root cannot be removed, so a later mount on the same element reuses the empty one.
    return host.shadowRoot ?? host.attachShadow({ mode: 'open' });
  } catch (e) {
    throw new CoreError('invalid_argument', `The frame needs an element that can hold a shadow root (a div, section, …): ${(e as Error).message}`);
  }
}

export async function mountFrame(host: HTMLElement, options: MountOptions): Promise<MountedFrame> {
  const shadow = shadowOf(host);
  const doc = host.ownerDocument;
  const style = doc.createElement('style');
  style.textContent = css;
  const container = doc.createElement('div');
  container.className = 'mount';
  shadow.append(style, container);
  const caps = await detectCapabilities();
  const state = new Store<FrameState>(INITIAL_STATE);
  const review = new ReviewController();
  const server = new FrameServer({ endpoint: options.endpoint, caps, config: options.config, store: state, ui: review, log: options.log, createEngine: options.createEngine });
  render(
    <App
      state={state}
      review={review}
      onCancel={() => server.cancelCurrent()}
      onCommand={(command) => server.sendCommand(command)}
      diagnostics={() => server.diagnostics()}
      keyScope={options.keyScope ?? 'frame'}
    />,
    container,
  );
  server.start();
  return {
    server,
    state,
    review,
    async unmount() {
      // A review or retry prompt still open must not keep its promise (and the job) alive.
      review.cancel();
      review.answerRetry(false);
      render(null, container);
      container.remove();
      style.remove();
      await server.stop();
    },
  };
}
