/**
 * What the plugin remembers on the nodes it made (setPluginData: pluginId + key + value ≤ 100 kB,
 * FT L6530), so "Refine mask…" and a second run can find them again. Plugin data is tied to the
 * plugin id (FT L6541): results made under another id cannot be refined (review F19).
 */
const DATA_KEY = 'cutout';

export type Mode = 'layer' | 'mask';

export interface CutoutRecord {
  readonly v: 1;
  /** 'layer': the node's image fill was replaced by the cut-out; 'mask': a group [mask, original]. */
  readonly mode: Mode;
  /** The original image; kept referenced by a hidden paint in layer mode, by the untouched original in mask mode (F10). */
  readonly originalHash: string;
  /**
   * The image this plugin wrote (the cut-out paint, or the mask's paint): refine replaces only the
   * paint with this hash (F15). Records written before it existed have none.
   */
  readonly resultHash?: string;
  /** The hints (brush strokes) in effect, as an image hash, kept referenced by a hidden paint (F10). */
  readonly hintsHash?: string;
}

const isHash = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 200;

/** The record on a node, or null when there is none or it does not parse (never trusted blindly). */
export function readRecord(node: BaseNode): CutoutRecord | null {
  const text = node.getPluginData(DATA_KEY);
  if (!text) return null;
  try {
    const value = JSON.parse(text) as Partial<Record<keyof CutoutRecord, unknown>>;
    if (value.v !== 1 || (value.mode !== 'layer' && value.mode !== 'mask') || !isHash(value.originalHash)) return null;
    return {
      v: 1,
      mode: value.mode,
      originalHash: value.originalHash,
      ...(isHash(value.resultHash) ? { resultHash: value.resultHash } : {}),
      ...(isHash(value.hintsHash) ? { hintsHash: value.hintsHash } : {}),
    };
  } catch {
    return null; // not ours, or damaged: treated as a node the plugin did not make
  }
}

export function writeRecord(node: BaseNode, record: CutoutRecord): void {
  node.setPluginData(DATA_KEY, JSON.stringify(record));
}

/** Shown next to the relaunch buttons of every result (FT L6435-6492; commands from the manifest's relaunchButtons). */
export const RELAUNCH: { readonly [command: string]: string } = {
  refine: 'Paint keep / remove strokes to correct the cut-out',
  panel: '',
};
