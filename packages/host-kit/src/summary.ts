/** One-line outcomes for hosts whose notifications are short (Figma: 100 characters, longer text is cut). */
import type { Skip } from './host-port.js';

export const MAX_NOTICE_CHARS = 100;

/** Cuts text to `max` characters with an ellipsis. */
export function clip(text: string, max = MAX_NOTICE_CHARS): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** "Removed the background of 2 images, skipped 1: Logo is a GIF …", at most `max` characters. */
export function summarise(verb: string, written: number, skipped: ReadonlyArray<Skip>, max = MAX_NOTICE_CHARS): string {
  const parts = [`${verb} ${written} image${written === 1 ? '' : 's'}`];
  if (skipped.length) parts.push(`skipped ${skipped.length}: ${skipped.map((s) => `${s.name} ${s.reason}`).join('; ')}`);
  return clip(parts.join(', '), max);
}
