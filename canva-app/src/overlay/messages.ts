/**
 * Messages between the panel and the overlay process (`broadcastMessage`, structured data), each
 * validated on arrival: anything else is ignored. The panel owns the brush settings; the overlay
 * reports when it is ready and while it re-solves, and why it failed (the panel shows it: the
 * overlay has no room for an alert, and a failed save happens while it closes).
 */
import type { BrushMode } from '@cutout/frame/brush';

export type PanelToOverlay = { readonly type: 'cutout.brush'; readonly mode: BrushMode; readonly size: number };
export type OverlayToPanel = { readonly type: 'cutout.overlay'; readonly state: 'loading' | 'ready' | 'busy' | 'failed'; readonly message?: string };

export const MIN_BRUSH = 4;
export const MAX_BRUSH = 200;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v != null;

export function parsePanelMessage(v: unknown): PanelToOverlay | null {
  if (!isRecord(v) || v['type'] !== 'cutout.brush') return null;
  const { mode, size } = v;
  if ((mode !== 'keep' && mode !== 'remove') || typeof size !== 'number' || !Number.isFinite(size)) return null;
  return { type: 'cutout.brush', mode, size: Math.min(MAX_BRUSH, Math.max(MIN_BRUSH, size)) };
}

const OVERLAY_STATES: readonly OverlayToPanel['state'][] = ['loading', 'ready', 'busy', 'failed'];

export function parseOverlayMessage(v: unknown): OverlayToPanel | null {
  if (!isRecord(v) || v['type'] !== 'cutout.overlay') return null;
  const { state, message } = v;
  const known = OVERLAY_STATES.find((s) => s === state);
  if (!known || (message !== undefined && typeof message !== 'string')) return null;
  return { type: 'cutout.overlay', state: known, ...(typeof message === 'string' ? { message: message.slice(0, 500) } : {}) };
}
