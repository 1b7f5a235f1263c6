/**
 * `action.batchPlay` (DT CoreModules.d.ts L236): records every descriptor and plays only those the notes
 * name; anything else fails like a command Photoshop cannot run, so the plugin cannot lean on an
 * undocumented descriptor. Played:
 *  - set background → layer (notes §5): a NEW id (CL L509, LAYC L38), "Layer 0" unless `to.name`,
 *    no longer Background, made active; with no Background "command not available".
 *  - get `hasUserMask` / `userMaskEnabled` of a layer (notes §5).
 *  - make channel mask `using: userMaskEnabled` revealAll | hideAll | revealSelection | hideSelection
 *    on the active layer (hosts.md §2.2; AMC); refused on a Background, on a layer that has a mask, and
 *    for *Selection without a selection (the menu item is disabled then: inference).
 *  - delete the mask channel of the active layer (`apply: true` applies it to the pixels first).
 *  - select a layer by `_id` (makes it the active layer), hide / show with `null: [{_ref:"layer",_id}]`.
 * Failures: `errors: 'throw'` (default) rejects; `'descriptor'` returns `{_obj:"error", message, result}`
 * in place and stops (unless `continueOnError`, DT L60), the shape batchPlay results take in Photoshop
 * (inference, not in the notes). After a cancel every call throws (EAM L99-160).
 */
import type { photoshopAction as action } from 'photoshop/dom/CoreModules';
import type { DocModel, LayerState } from './fake-ps-model.js';
import type { ModalController } from './fake-ps-modal.js';
import { Plane } from './fake-ps-plane.js';
import { notAvailable, PhotoshopError, type ActionDescriptor } from './fake-ps-types.js';

type Ref = { _ref?: string; _id?: number; _enum?: string; _value?: string; _property?: string; _name?: string };

export interface BatchPlayHost {
  readonly modal: ModalController;
  activeDocument(): DocModel | null;
  findDocument(id: number): DocModel | null;
  changed(doc: DocModel, name: string): void;
}

export interface BatchPlayRecord {
  readonly descriptor: ActionDescriptor;
  readonly options: unknown;
  readonly inModal: boolean;
}

function refs(d: ActionDescriptor, key = '_target'): Ref[] {
  const t: unknown = d[key];
  return Array.isArray(t) ? (t as Ref[]) : t && typeof t === 'object' ? [t as Ref] : [];
}

export class FakeBatchPlay {
  readonly log: BatchPlayRecord[] = [];
  errors: 'throw' | 'descriptor' = 'throw';

  constructor(private readonly host: BatchPlayHost) {}

  readonly batchPlay: typeof action.batchPlay = async (commands, options) => {
    this.host.modal.checkCancelled('batchPlay');
    const results: ActionDescriptor[] = [];
    for (const d of commands) {
      this.log.push({ descriptor: structuredClone(d), options: options === undefined ? undefined : structuredClone(options), inModal: this.host.modal.inModal });
      try {
        results.push(this.play(d));
      } catch (e) {
        if (this.errors === 'throw') throw e;
        const err = e as PhotoshopError;
        results.push({ _obj: 'error', message: err.message, result: err.number ?? -1 });
        if (!options?.continueOnError) break;
      }
    }
    return results;
  };

  private doc(d: ActionDescriptor, key = '_target'): DocModel {
    const ref = refs(d, key).find((r) => r._ref === 'document' && typeof r._id === 'number');
    const doc = ref ? this.host.findDocument(ref._id as number) : this.host.activeDocument();
    if (!doc) throw notAvailable(d._obj);
    return doc;
  }

  private layer(doc: DocModel, d: ActionDescriptor, key = '_target'): LayerState {
    const ref = refs(d, key).find((r) => r._ref === 'layer');
    const id = ref && typeof ref._id === 'number' ? ref._id : doc.content.active[0];
    const found = id === undefined ? null : doc.find(id);
    if (!found) throw new PhotoshopError(`The object “layer ${String(id)}” is not currently available.`, -25920);
    return found.layer;
  }

  private play(d: ActionDescriptor): ActionDescriptor {
    const target = refs(d);
    const mask = (r: Ref | undefined): boolean => r?._ref === 'channel' && r._enum === 'channel' && r._value === 'mask';
    if (d._obj === 'get') return this.get(d);
    if (d._obj === 'set' && target[0]?._ref === 'layer' && target[0]._property === 'background' && d.to?._obj === 'layer') return this.fromBackground(d);
    if (d._obj === 'make' && d.new?._class === 'channel' && mask(d.at) && d.using?._enum === 'userMaskEnabled') return this.makeMask(d);
    if (d._obj === 'delete' && mask(target[0])) return this.deleteMask(d);
    if (d._obj === 'select' && target[0]?._ref === 'layer' && typeof target[0]._id === 'number') return this.select(d);
    if ((d._obj === 'hide' || d._obj === 'show') && refs(d, 'null')[0]?._ref === 'layer') return this.visibility(d);
    throw notAvailable(`${d._obj} (not modelled by the fake)`);
  }

  private get(d: ActionDescriptor): ActionDescriptor {
    this.host.modal.checkCancelled('batchPlay get');
    const prop = refs(d).find((r) => r._property !== undefined && r._ref === undefined)?._property;
    const doc = this.doc(d);
    const layer = this.layer(doc, d);
    if (prop === 'hasUserMask') return { _obj: 'get', hasUserMask: layer.mask !== null };
    if (prop === 'userMaskEnabled') return { _obj: 'get', userMaskEnabled: layer.mask !== null && layer.maskEnabled };
    throw notAvailable(`get ${String(prop)} (not modelled by the fake)`);
  }

  private fromBackground(d: ActionDescriptor): ActionDescriptor {
    this.host.modal.requireModal('batchPlay set background');
    const doc = this.doc(d);
    const list = doc.content.layers;
    const index = list.findIndex((l) => l.background);
    const bg = list[index];
    if (!bg) throw notAvailable('Set');
    const layer: LayerState = { ...bg, id: doc.newLayerId(), name: typeof d.to.name === 'string' ? d.to.name : 'Layer 0', background: false };
    if (layer.pixels) layer.pixels.outside = layer.pixels.outside.map(() => 0);
    list[index] = layer;
    doc.content.active = [layer.id];
    this.host.changed(doc, 'Layer From Background');
    return { _obj: 'set' };
  }

  private makeMask(d: ActionDescriptor): ActionDescriptor {
    this.host.modal.requireModal('batchPlay make mask');
    const doc = this.doc(d, 'at');
    const layer = this.layer(doc, d, 'at');
    const how = String(d.using._value);
    if (layer.background || layer.mask) throw notAvailable('Make');
    const sel = doc.content.selection;
    if (how === 'revealAll' || how === 'hideAll') {
      layer.mask = Plane.filled(doc.canvas, 1, [how === 'revealAll' ? 1 : 0]);
    } else if ((how === 'revealSelection' || how === 'hideSelection') && sel) {
      layer.mask = sel.clone();
      if (how === 'hideSelection') {
        layer.mask.data = layer.mask.data.map((v) => 1 - v);
        layer.mask.outside = [1];
      }
    } else {
      throw notAvailable('Make');
    }
    layer.maskEnabled = true;
    this.host.changed(doc, 'Add Layer Mask');
    return { _obj: 'make' };
  }

  private deleteMask(d: ActionDescriptor): ActionDescriptor {
    this.host.modal.requireModal('batchPlay delete mask');
    const doc = this.doc(d);
    const layer = this.layer(doc, d);
    const m = layer.mask;
    if (!m) throw notAvailable('Delete');
    if (d.apply === true && layer.pixels) {
      const p = layer.pixels;
      const a = doc.native;
      for (let y = p.rect.top; y < p.rect.bottom; y++) for (let x = p.rect.left; x < p.rect.right; x++) p.set(x, y, a, p.at(x, y, a) * m.at(x, y, 0));
    }
    layer.mask = null;
    this.host.changed(doc, 'Delete Layer Mask');
    return { _obj: 'delete' };
  }

  private select(d: ActionDescriptor): ActionDescriptor {
    this.host.modal.requireModal('batchPlay select');
    const doc = this.doc(d);
    const layer = this.layer(doc, d);
    const add = typeof d.selectionModifier?._value === 'string' && String(d.selectionModifier._value).startsWith('addToSelection');
    doc.content.active = add ? [...doc.content.active.filter((id) => id !== layer.id), layer.id] : [layer.id];
    if (d.makeVisible === true) layer.visible = true;
    return { _obj: 'select' };
  }

  private visibility(d: ActionDescriptor): ActionDescriptor {
    this.host.modal.requireModal(`batchPlay ${d._obj}`);
    const doc = this.doc(d, 'null');
    const layer = this.layer(doc, d, 'null');
    layer.visible = d._obj === 'show';
    this.host.changed(doc, d._obj === 'show' ? 'Show Layer' : 'Hide Layer');
    return { _obj: d._obj };
  }
}
