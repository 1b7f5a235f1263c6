/** What the plugin remembers on the nodes it made (setPluginData, ≤ 100 kB), so "Refine mask…" can reopen them. */
export const DATA_KEY = 'cutout';

export interface CutoutRecord {
  readonly v: 1;
  /** 'layer': the node's image fill was replaced by the cut-out; 'mask': a group [mask, original]. */
  readonly mode: 'layer' | 'mask';
  /** The original image (kept by Figma as long as the file references it; restored by undo). */
  readonly originalHash: string;
  /** The hints (brush strokes) in effect, as an image hash, for the next refine. */
  readonly hintsHash?: string;
}

export function readRecord(node: BaseNode): CutoutRecord | null {
  const text = node.getPluginData(DATA_KEY);
  if (!text) return null;
  try {
    const value = JSON.parse(text) as Partial<CutoutRecord>;
    if (value.v !== 1 || (value.mode !== 'layer' && value.mode !== 'mask') || typeof value.originalHash !== 'string') return null;
    return { v: 1, mode: value.mode, originalHash: value.originalHash, ...(typeof value.hintsHash === 'string' ? { hintsHash: value.hintsHash } : {}) };
  } catch {
    return null;
  }
}

export function writeRecord(node: BaseNode, record: CutoutRecord): void {
  node.setPluginData(DATA_KEY, JSON.stringify(record));
}
