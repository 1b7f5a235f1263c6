/** Errors the panel raises itself, with codes (house style: errors are values with codes). */
import { CodedError, messageOf } from '@cutout/host-kit';

export type PluginErrorCode =
  /** Another plugin holds Photoshop's modal state (executeAsModal rejects with `number === 9`, EAM L71-94). */
  | 'modal_busy'
  /** The user pressed Esc (or Cancel Plugin Command) during the write: history rolled it back. */
  | 'cancelled'
  /** The panel was hidden or closed during the run: nothing is written. */
  | 'closed'
  /** No document, nothing usable selected, a target deleted or changed during the run. */
  | 'no_target'
  /** Refine edges has nothing to work from (no record, an all-black mask, no painting). */
  | 'refine_refused'
  /** The model could not be installed into plugin-data: (download, size or sha256). */
  | 'model_install'
  /** The inference page could not be loaded or could not read the model. */
  | 'page_failed';

export class PluginError extends CodedError<PluginErrorCode> {
  override readonly name = 'PluginError';
}

export const isPluginError = (e: unknown, code?: PluginErrorCode): e is PluginError => e instanceof PluginError && (code === undefined || e.code === code);

export { messageOf };

/** executeAsModal's collision error (EAM L71-94: "e.number == 9", its message names the plugin holding the modal state). */
export function isModalCollision(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { number?: unknown }).number === 9;
}

/** The panel's words for a modal collision. */
export function modalBusyMessage(e: unknown): string {
  return `Another plugin is busy (${messageOf(e)}); try again when it finishes.`;
}
