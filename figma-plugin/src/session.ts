/**
 * The plugin's lifetime and its UI: opening the inference frame, waiting for it to boot, and
 * closing. `closePlugin` "disables callbacks and Figma APIs" and cancels timers (FT L167-173); the
 * `close` event is the only sign that the user closed the window, so every await is followed by
 * a check of `isClosed()`.
 */
import { createFigmaSandboxEndpoint, createFrameClient, isFrameError, type FrameClient } from '@cutout/protocol';
import { clip } from '@cutout/host-kit';
import { messageOf } from './errors.js';

declare const __MODEL_BASE__: string;

/**
 * How long the frame may take to send `ready` (F12): a UI that fails to load (CSP, WebAssembly
 * blocked, review Q3) must not leave "Running Cutout…" on screen forever. Generous, since the
 * frame's script is a few MB parsed in the iframe; the model download comes later, with progress.
 */
const READY_TIMEOUT_MS = 20_000;
const UI_SIZE = { width: 360, height: 640 };

export const log = (message: string): void => console.warn(`[cutout] ${message}`);

let closed = false;
const closeHandlers = new Set<() => void>();
// Only a flag and the client's cleanup: Figma asks close handlers to do little (FT L742).
figma.on('close', () => {
  closed = true;
  for (const handler of closeHandlers) handler();
});

export const isClosed = (): boolean => closed;

/** Closes the plugin with a message unless the user already closed it. */
export function closeWith(message?: string): void {
  if (closed) return;
  closed = true;
  if (message === undefined) figma.closePlugin();
  else figma.closePlugin(clip(message));
}

function startFailure(e: unknown): string {
  if (isFrameError(e, 'ready_timeout')) return `Cutout's window did not start within ${READY_TIMEOUT_MS / 1000} s. Nothing was changed.`;
  return `Cutout's window could not start (${messageOf(e)}). Nothing was changed.`;
}

/**
 * Shows the frame and waits for it to boot and accept the configuration; on failure (or a timeout)
 * closes the plugin with the reason and returns null.
 */
export async function openSession(title: string): Promise<FrameClient | null> {
  figma.showUI(__html__, { ...UI_SIZE, themeColors: true, title });
  const client = createFrameClient(createFigmaSandboxEndpoint(figma.ui, log), { readyTimeoutMs: READY_TIMEOUT_MS, log });
  closeHandlers.add(() => client.close('The plugin was closed.'));
  try {
    await client.ready;
    await client.request('configure', { modelBaseUrl: __MODEL_BASE__, theme: 'figma', host: 'figma' });
    return client;
  } catch (e) {
    client.close();
    closeWith(startFailure(e));
    return null;
  }
}
