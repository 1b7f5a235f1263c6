/**
 * Entry point of the inference frame page: detects capabilities once, connects to the host over
 * the transport the page was opened with (Photoshop's webview bridge when `window.uxpHost` exists,
 * otherwise Figma's `{pluginMessage}` envelope to the parent frame), and renders the UI.
 * Canva embeds the frame in its own document and uses mountFrame() with a direct endpoint.
 */
import { createFigmaUiEndpoint, createWebviewEndpoint, type FrameEndpoint } from '@cutout/protocol';
import { mountFrame } from './mount.js';

declare const __DEFAULT_MODEL_BASE__: string;

function hostEndpoint(log: (m: string, d?: unknown) => void): FrameEndpoint {
  const uxpHost = (window as Window & { uxpHost?: { postMessage(m: unknown): void } }).uxpHost;
  if (uxpHost) return createWebviewEndpoint({ send: (m) => uxpHost.postMessage(m), target: window }, { log });
  return createFigmaUiEndpoint(window, log);
}

const log = (message: string, detail?: unknown): void => console.warn(`[cutout-frame] ${message}`, detail ?? '');
const root = document.getElementById('app');
if (root) {
  void mountFrame(root, {
    endpoint: hostEndpoint(log),
    config: { modelBaseUrl: __DEFAULT_MODEL_BASE__ || undefined, backend: 'auto', model: undefined, inputSize: undefined },
    log,
    // The frame is the whole page here: its keys work with nothing focused, as before.
    keyScope: 'page',
  });
}
