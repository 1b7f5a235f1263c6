/**
 * The document state behind the DOM views: a layer tree (index 0 = top, as `document.layers`), the
 * selection and the active layers. `Content` is what history suspension snapshots and rolls back (EAM
 * L217-271), so it holds every mutable part of a document and nothing else.
 */
import { nativeModel, componentsOf, type Model } from './fake-ps-color.js';
import type { Plane } from './fake-ps-plane.js';
import { depthOf, intersect, type BitsPerChannel, type Depth, type DocumentMode, type LayerKindValue, type Rect } from './fake-ps-types.js';

export interface LayerState {
  readonly id: number;
  name: string;
  kind: LayerKindValue;
  background: boolean;
  visible: boolean;
  allLocked: boolean;
  pixelsLocked: boolean;
  /** Native colour + alpha; null for groups and for kinds the test gave no rendering. */
  pixels: Plane | null;
  /** The user (pixel) mask, one gray channel; null when the layer has none. */
  mask: Plane | null;
  maskEnabled: boolean;
  children: LayerState[] | null;
  artboard: boolean;
}

export interface Content {
  layers: LayerState[];
  selection: Plane | null;
  active: number[];
}

export interface Found {
  readonly layer: LayerState;
  readonly parent: LayerState | null;
  readonly siblings: LayerState[];
}

function cloneLayer(l: LayerState): LayerState {
  return { ...l, pixels: l.pixels?.clone() ?? null, mask: l.mask?.clone() ?? null, children: l.children?.map(cloneLayer) ?? null };
}

export function cloneContent(c: Content): Content {
  return { layers: c.layers.map(cloneLayer), selection: c.selection?.clone() ?? null, active: [...c.active] };
}

export class DocModel {
  content: Content = { layers: [], selection: null, active: [] };
  /** Names of the history states, oldest first ("Open" is the state a document starts with). */
  readonly history: string[] = ['Open'];
  /** Bumped on every change; a suspended history commits a state only if it moved (EAM L217-271). */
  revision = 0;
  closed = false;
  private lastLayerId = 0;

  constructor(
    readonly id: number,
    public title: string,
    readonly width: number,
    readonly height: number,
    readonly mode: DocumentMode,
    readonly bits: BitsPerChannel,
    readonly resolution: number,
  ) {}

  get depth(): Depth {
    return depthOf(this.bits);
  }
  get model(): Model {
    return nativeModel(this.mode);
  }
  get native(): number {
    return componentsOf(this.model);
  }
  get canvas(): Rect {
    return { left: 0, top: 0, right: this.width, bottom: this.height };
  }

  /** Layer ids are unique within a document and increase; a deleted id is never reused. */
  newLayerId(): number {
    return ++this.lastLayerId;
  }

  find(id: number): Found | null {
    const walk = (list: LayerState[], parent: LayerState | null): Found | null => {
      for (const layer of list) {
        if (layer.id === id) return { layer, parent, siblings: list };
        const inner = layer.children ? walk(layer.children, layer) : null;
        if (inner) return inner;
      }
      return null;
    };
    return walk(this.content.layers, null);
  }

  all(): LayerState[] {
    const out: LayerState[] = [];
    const walk = (list: LayerState[]): void => {
      for (const l of list) {
        out.push(l);
        if (l.children) walk(l.children);
      }
    };
    walk(this.content.layers);
    return out;
  }

  /** boundsNoEffects: the layer's pixel content in document coordinates, right/bottom exclusive (IM L168). */
  bounds(layer: LayerState): Rect {
    if (layer.children) {
      const parts = layer.children.map((c) => this.bounds(c)).filter((r) => r.right > r.left && r.bottom > r.top);
      if (parts.length === 0) return { left: 0, top: 0, right: 0, bottom: 0 };
      return parts.reduce((a, b) => ({ left: Math.min(a.left, b.left), top: Math.min(a.top, b.top), right: Math.max(a.right, b.right), bottom: Math.max(a.bottom, b.bottom) }));
    }
    if (!layer.pixels) return layer.kind === 'pixel' ? { left: 0, top: 0, right: 0, bottom: 0 } : this.canvas;
    if (layer.background) return this.canvas;
    return layer.pixels.contentBounds(this.native);
  }

  /** The visible layers flattened with "normal" blending over transparency, masks applied; native + alpha. */
  composite(region: Rect): Float32Array {
    const n = this.native;
    const w = region.right - region.left;
    const h = region.bottom - region.top;
    const out = new Float32Array(w * h * (n + 1));
    const paint = (list: LayerState[], parentAlpha: (x: number, y: number) => number): void => {
      for (let i = list.length - 1; i >= 0; i--) {
        const l = list[i] as LayerState;
        if (!l.visible) continue;
        const maskAt = (x: number, y: number): number => parentAlpha(x, y) * (l.mask && l.maskEnabled ? l.mask.at(x, y, 0) : 1);
        if (l.children) {
          paint(l.children, maskAt);
          continue;
        }
        if (!l.pixels) continue;
        const clip = intersect(region, this.canvas);
        for (let y = clip.top; y < clip.bottom; y++) {
          for (let x = clip.left; x < clip.right; x++) {
            const a = (l.background ? 1 : l.pixels.at(x, y, n)) * maskAt(x, y);
            if (a <= 0) continue;
            const o = ((y - region.top) * w + (x - region.left)) * (n + 1);
            const below = out[o + n] as number;
            const outA = a + below * (1 - a);
            for (let c = 0; c < n; c++) out[o + c] = (l.pixels.at(x, y, c) * a + (out[o + c] as number) * below * (1 - a)) / outA;
            out[o + n] = outA;
          }
        }
      }
    };
    paint(this.content.layers, () => 1);
    return out;
  }
}
