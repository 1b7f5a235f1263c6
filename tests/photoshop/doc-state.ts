/**
 * "Nothing was changed", checkable: a document's whole state as a small comparable value (history,
 * the layer tree with kinds, visibility, locks, a checksum of each layer's pixels and mask, the
 * selection, the active layers). A test takes one before a run and compares after it with `toEqual`;
 * the checksums keep the value small where a 512² mask would make a diff unreadable.
 */
import type { FakeDocument } from './fake-ps-document.js';
import type { LayerState } from './fake-ps-model.js';
import type { Plane } from './fake-ps-plane.js';

interface LayerSummary {
  readonly id: number;
  readonly name: string;
  readonly kind: string;
  readonly background: boolean;
  readonly visible: boolean;
  readonly locked: string;
  readonly pixels: string | null;
  readonly mask: string | null;
  readonly children: LayerSummary[] | null;
}

export interface DocState {
  readonly history: string[];
  readonly layers: LayerSummary[];
  readonly selection: string | null;
  readonly active: number[];
}

/** FNV-1a over the plane's rectangle, default and float bits: equal planes give equal strings. */
function planeChecksum(p: Plane | null): string | null {
  if (!p) return null;
  let h = 0x811c9dc5;
  const mix = (v: number): void => {
    h ^= v & 0xff;
    h = Math.imul(h, 0x01000193) >>> 0;
    h ^= (v >>> 8) & 0xff;
    h = Math.imul(h, 0x01000193) >>> 0;
    h ^= (v >>> 16) & 0xff;
    h = Math.imul(h, 0x01000193) >>> 0;
    h ^= v >>> 24;
    h = Math.imul(h, 0x01000193) >>> 0;
  };
  const bits = new Uint32Array(p.data.buffer, p.data.byteOffset, p.data.length);
  for (const v of bits) mix(v);
  const r = p.rect;
  return `${r.left},${r.top},${r.right},${r.bottom}/${p.outside.join(',')}#${h.toString(16)}`;
}

function summary(l: LayerState): LayerSummary {
  return {
    id: l.id,
    name: l.name,
    kind: l.kind,
    background: l.background,
    visible: l.visible,
    locked: `${l.allLocked ? 'all' : ''}${l.pixelsLocked ? 'pixels' : ''}`,
    pixels: planeChecksum(l.pixels),
    mask: planeChecksum(l.mask),
    children: l.children?.map(summary) ?? null,
  };
}

export function docState(doc: FakeDocument): DocState {
  const c = doc.model.content;
  return { history: [...doc.model.history], layers: c.layers.map(summary), selection: planeChecksum(c.selection), active: [...c.active] };
}
