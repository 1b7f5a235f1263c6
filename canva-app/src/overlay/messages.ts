/**
 * Messages between the panel and the overlay process (`broadcastMessage`, structured data), each
 * validated on arrival: anything else is ignored. The panel owns the brush settings; the overlay
 * reports when it is ready and while it re-solves.
 */
import type { BrushMode } from '@cutout/frame/brush';

export type PanelToOverlay = { readonly type: 'cutout.brush'; readonly mode: BrushMode; readonly size: number };
export type OverlayToPanel = { readonly type: 'cutout.overlay'; readonly state: 'loading' | 'ready' | 'busy' | 'failed'; readonly message?: string };

export const MIN_BRUSH = 4;
export const MAX_BRUSH = 200;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

export function parsePanelMessage(v: unknown): PanelToOverlay | null {
  if (!isRecord(v) || v['type'] !== 'cutout.brush') return null;
  const { mode, size } = v;
  if ((mode !== 'keep' && mode !== 'remove') || typeof size !== 'number' || !Number.isFinite(size)) return null;
  return { type: 'cutout.brush', mode, size: Math.min(MAX_BRUSH, Math.max(MIN_BRUSH, size)) };
}
