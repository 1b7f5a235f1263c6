/**
 * Figma: the UI iframe and the plugin sandbox exchange structured clones (Uint8Array survives).
 * UI → sandbox goes through `parent.postMessage({ pluginMessage }, '*')`; sandbox → UI arrives as
 * a window 'message' event whose data is `{ pluginMessage }`. The UI side ignores events that do
 * not come from its parent window (another frame or extension posting into it).
 */
import type { Endpoint, Logger } from './types.js';
import { silentLogger } from './types.js';

interface MessageEventLike {
  readonly data: unknown;
  readonly source?: unknown;
}

export interface FigmaUiWindow {
  readonly parent: { postMessage(message: unknown, targetOrigin: string): void };
  addEventListener(type: 'message', listener: (event: MessageEventLike) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEventLike) => void): void;
}

export function createFigmaUiEndpoint(win: FigmaUiWindow, log: Logger = silentLogger): Endpoint {
  return {
    send(message) {
      win.parent.postMessage({ pluginMessage: message }, '*');
    },
    listen(handler) {
      const listener = (event: MessageEventLike): void => {
        if (event.source !== undefined && event.source !== null && event.source !== win.parent) {
          log('ignored a message from a window other than the host');
          return;
        }
        const data = event.data;
        let inner: unknown;
        try {
          inner = typeof data === 'object' && data !== null && Object.prototype.hasOwnProperty.call(data, 'pluginMessage') ? (data as { pluginMessage: unknown }).pluginMessage : undefined;
        } catch {
          inner = undefined;
        }
        if (typeof inner !== 'object' || inner === null) {
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

export function createFigmaSandboxEndpoint(ui: FigmaUiApiLike): Endpoint {
  return {
    send(message) {
      ui.postMessage(message);
    },
    listen(handler) {
      const callback = (pluginMessage: unknown): void => handler(pluginMessage);
      ui.on('message', callback);
      return () => ui.off('message', callback);
    },
  };
}
