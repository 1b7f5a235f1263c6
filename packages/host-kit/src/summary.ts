/** One-line outcomes for hosts whose notifications are short (Figma: 100 characters, longer text is cut). */
import type { Skip } from './host-port.js';

export const MAX_NOTICE_CHARS = 100;

/** Cuts text to `max` characters with an ellipsis. */
export function clip(text: string, max = MAX_NOTICE_CHARS): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The batch runner's words for a refused result (see batch-runner.ts). */
const NOT_CHANGED = 'was not changed: ';

/**
 * "Logo is a GIF …". When nothing was written (`alone`), a refused result reads "<why> (Logo)", to
 * follow "Nothing was changed:".
 */
export function describeSkip(skip: Skip, alone: boolean): string {
  return alone && skip.reason.startsWith(NOT_CHANGED) ? `${skip.reason.slice(NOT_CHANGED.length)} (${skip.name})` : `${skip.name} ${skip.reason}`;
}

/**
 * "Removed the background of 2 images, hid 1 fill under the cut-out, skipped 1: Logo is a GIF …",
 * or "Nothing was changed: …" when nothing was written; `notes` are the host's own remarks. At most `max` characters.
 */
export function summarise(verb: string, written: number, skipped: ReadonlyArray<Skip>, notes: ReadonlyArray<string> = [], max = MAX_NOTICE_CHARS): string {
  const reasons = skipped.map((s) => describeSkip(s, written === 0)).join('; ');
  if (written === 0) return clip(`Nothing was changed: ${reasons || 'no image was written'}`, max);
  const parts = [`${verb} ${written} image${written === 1 ? '' : 's'}`, ...notes];
  if (skipped.length) parts.push(`skipped ${skipped.length}: ${reasons}`);
  return clip(parts.join(', '), max);
}
