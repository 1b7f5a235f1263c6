/** Parses a user colour: #rgb, #rrggbb, rgb(r, g, b) or a few CSS names. */
import { CoreError } from './errors.js';
import type { Rgb } from './compose.js';

const NAMED: Readonly<Record<string, Rgb>> = {
  white: { r: 255, g: 255, b: 255 },
  black: { r: 0, g: 0, b: 0 },
  red: { r: 255, g: 0, b: 0 },
  green: { r: 0, g: 128, b: 0 },
  blue: { r: 0, g: 0, b: 255 },
  grey: { r: 128, g: 128, b: 128 },
  gray: { r: 128, g: 128, b: 128 },
};

export function parseColour(text: string): Rgb {
  const s = text.trim().toLowerCase();
  const named = NAMED[s];
  if (named) return named;
  let m = /^#?([0-9a-f]{6})$/.exec(s);
  if (m?.[1]) {
    const n = parseInt(m[1], 16);
    return { r: (n >> 16) & 255, g: (n >> 8) & 255, b: n & 255 };
  }
  m = /^#?([0-9a-f]{3})$/.exec(s);
  if (m?.[1]) {
    const [r, g, b] = [...m[1]].map((d) => parseInt(d + d, 16)) as [number, number, number];
    return { r, g, b };
  }
  m = /^rgb\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*\)$/.exec(s);
  if (m) {
    const [r, g, b] = [m[1], m[2], m[3]].map(Number) as [number, number, number];
    if (r <= 255 && g <= 255 && b <= 255) return { r, g, b };
  }
  throw new CoreError('invalid_argument', `"${text}" is not a colour; use #rrggbb, #rgb, rgb(r, g, b) or a name like white.`);
}
