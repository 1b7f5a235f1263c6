/**
 * Figma: the UI iframe and the plugin sandbox exchange structured clones (Uint8Array survives).
 * UI → sandbox goes through `parent.postMessage({ pluginMessage }, '*')`; sandbox → UI arrives as
 * a window 'message' event whose data is `{ pluginMessage }`. The UI side ignores events that do
 * not come from its parent window (another frame or an extension posting into it). The sandbox
 * receives the plugin message already unwrapped by Figma.
 */
import type { FrameEndpoint, HostEndpoint, Logger } from './types.js';
import { silentLogger } from './types.js';

interface MessageEventLike {
  readonly data: unknown;
  readonly source?: unknown;
}

/** The parts of the UI iframe's `window` used (a real `window` fits). */
export interface FigmaUiWindow {
  readonly parent: { postMessage(message: unknown, targetOrigin: string): void };
  addEventListener(type: 'message', listener: (event: MessageEventLike) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEventLike) => void): void;
}

const hasOwn = Object.prototype.hasOwnProperty;

/** `data.pluginMessage` when data is an object that has it (own) and it is an object; else undefined. */
function pluginMessageOf(data: unknown): object | undefined {
  if (typeof data !== 'object' || data === null || !hasOwn.call(data, 'pluginMessage')) return undefined;
  const inner = (data as { pluginMessage: unknown }).pluginMessage;
  return typeof inner === 'object' && inner !== null ? inner : undefined;
}

export function createFigmaUiEndpoint(win: FigmaUiWindow, log: Logger = silentLogger): FrameEndpoint {
  return {
    send(message) {
      // Figma's UI iframe has an opaque origin and the parent's origin is Figma's; '*' is what
      // Figma documents. The data is the user's own image, sent only to the plugin host.
      win.parent.postMessage({ pluginMessage: message }, '*');
    },
    listen(handler) {
      const listener = (event: MessageEventLike): void => {
        let inner: object | undefined;
        try {
          const source = event.source;
          const parent = win.parent as unknown;
          if (source !== undefined && source !== null && parent !== undefined && parent !== null && source !== parent) {
            log('ignored a message from a window other than the host');
            return;
          }
          inner = pluginMessageOf(event.data);
        } catch (e) {
          log('ignored an unreadable message event', e);
          return;
        }
        if (inner === undefined) {
          log('ignored a message without a pluginMessage object');
          return;
        }
        handler(inner);
      };
      win.addEventListener('message', listener);
      return () => win.removeEventListener('message', listener);
    },
  };
}

/** The parts of `figma.ui` the sandbox side uses (see @figma/plugin-typings UIAPI). */
export interface FigmaUiApiLike {
  postMessage(pluginMessage: unknown, options?: { origin?: string }): void;
  on(type: 'message', callback: (pluginMessage: unknown, props: { origin: string }) => void): void;
  off(type: 'message', callback: (pluginMessage: unknown, props: { origin: string }) => void): void;
}

export function createFigmaSandboxEndpoint(ui: FigmaUiApiLike, log: Logger = silentLogger): HostEndpoint {
  return {
    send(message) {
      ui.postMessage(message);
    },
    listen(handler) {
      const callback = (pluginMessage: unknown): void => {
        if (typeof pluginMessage !== 'object' || pluginMessage === null) {
          log('ignored a non-object message from the UI');
          return;
        }
        handler(pluginMessage);
      };
      ui.on('message', callback);
      return () => ui.off('message', callback);
    },
  };
}
