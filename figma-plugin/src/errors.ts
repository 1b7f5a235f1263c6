/** Errors the plugin raises itself, with codes (house style: errors are values with codes). */
import { CodedError } from '@cutout/host-kit';

export type PluginErrorCode =
  /** The node changed during the run so that the result no longer belongs where it was going (F7, F15). */
  | 'changed'
  /** Figma would refuse, or mis-place, the write where the node is now (F1, F8, F17). */
  | 'refused'
  /** An image the write or the refine needs is no longer in the file (F10). */
  | 'image_missing';

export class PluginError extends CodedError<PluginErrorCode> {
  override readonly name = 'PluginError';
}

export { messageOf } from '@cutout/host-kit';
