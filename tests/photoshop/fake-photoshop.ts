/**
 * A fake of `require('photoshop')` for the plugin's Node tests, built from the documented behaviour in
 * shared/docs/photoshop-notes.md (source tags IM, EAM, CL, LAYC, DOCC, ITZ, DT) and hosts.md §2:
 *   fake-ps-model / fake-ps-plane   document state, layer pixels, masks, selection (snapshot-able)
 *   fake-ps-document                the DOM views: app, Document, Layer
 *   fake-ps-modal                   core.executeAsModal, ExecutionContext, history, cancel, error 9
 *   fake-ps-batchplay               action.batchPlay (recorded; the notes' descriptors only)
 *   fake-ps-imaging / -image-data   imaging (getPixels, masks, selection, image data, dispose counts)
 *   fake-ps-color                   colour conversion formulas      fake-ps-setup  test arrangement
 * `module` is what the plugin's `require('photoshop')` returns; everything else is for the test.
 */
import type { photoshopCore as core } from 'photoshop/dom/CoreModules';
import { FakeBatchPlay } from './fake-ps-batchplay.js';
import { FakeApp, type FakeDocument } from './fake-ps-document.js';
import { ImageDataRegistry } from './fake-ps-image-data.js';
import { FakeImaging } from './fake-ps-imaging.js';
import type { DocModel } from './fake-ps-model.js';
import { ModalController } from './fake-ps-modal.js';
import { FakePsSetup, type SetupHost } from './fake-ps-setup.js';
import { FAKE_CONSTANTS } from './fake-ps-types.js';

export interface FakePhotoshopOptions {
  /** putLayerMask requires data at the document's component size (default true; notes §4 "unverified"). */
  readonly strictMaskDepth?: boolean;
  /** "Performance Cache Levels": the highest pyramid level getPixels reports (IM L166; default 4). */
  readonly cacheLevels?: number;
  /** batchPlay failures: reject (default) or `{_obj:"error"}` result descriptors. */
  readonly batchPlayErrors?: 'throw' | 'descriptor';
}

export interface FakePhotoshopModule {
  readonly app: FakeApp;
  readonly core: Pick<typeof core, 'executeAsModal'>;
  readonly action: { readonly batchPlay: FakeBatchPlay['batchPlay'] };
  readonly imaging: FakeImaging;
  readonly constants: typeof FAKE_CONSTANTS;
}

let documentIds = 100;

export class FakePhotoshop implements SetupHost {
  readonly options: { strictMaskDepth: boolean; cacheLevels: number };
  readonly registry = new ImageDataRegistry();
  readonly modal: ModalController;
  readonly batchPlay: FakeBatchPlay;
  readonly imaging: FakeImaging;
  readonly setup: FakePsSetup;
  readonly module: FakePhotoshopModule;
  private readonly docs: DocModel[] = [];
  private active: DocModel | null = null;

  constructor(options: FakePhotoshopOptions = {}) {
    this.options = { strictMaskDepth: options.strictMaskDepth ?? true, cacheLevels: options.cacheLevels ?? 4 };
    this.modal = new ModalController({ findDocument: (id) => this.findDocument(id) });
    this.batchPlay = new FakeBatchPlay(this);
    this.batchPlay.errors = options.batchPlayErrors ?? 'throw';
    this.imaging = new FakeImaging(this);
    this.setup = new FakePsSetup(this);
    this.module = {
      app: new FakeApp(this),
      core: { executeAsModal: this.modal.executeAsModal },
      action: { batchPlay: this.batchPlay.batchPlay },
      imaging: this.imaging,
      constants: FAKE_CONSTANTS,
    };
  }

  // ---- hosts of the parts
  requireModal(what: string): void {
    this.modal.requireModal(what);
  }
  changed(doc: DocModel, name: string): void {
    doc.revision++;
    if (!this.modal.isSuspended(doc)) doc.history.push(name);
  }
  documents(): DocModel[] {
    return [...this.docs];
  }
  activeDocument(): DocModel | null {
    return this.active;
  }
  setActiveDocument(doc: DocModel): void {
    this.active = doc;
  }
  findDocument(id: number): DocModel | null {
    return this.docs.find((d) => d.id === id) ?? null;
  }
  addDocument(doc: DocModel): void {
    this.docs.push(doc);
    this.active = doc;
  }
  closeDocument(doc: DocModel): void {
    doc.closed = true;
    this.docs.splice(this.docs.indexOf(doc), 1);
    if (this.active === doc) this.active = this.docs.at(-1) ?? null;
  }
  nextDocumentId(): number {
    return documentIds++;
  }

  // ---- inspection (test side)
  /** History state names of a document, oldest first ("Open" first). */
  history(doc: FakeDocument): string[] {
    return [...doc.model.history];
  }
  /**
   * The user mask of a layer over `rect` (default: the canvas) as floats 0..1, or null when it has none.
   * Values are those stored at the document depth.
   */
  maskValues(doc: FakeDocument, layerID: number, rect = doc.model.canvas): Float32Array | null {
    const mask = doc.model.find(layerID)?.layer.mask;
    return mask ? mask.read(rect, rect.right - rect.left, rect.bottom - rect.top) : null;
  }
  /** The selection over the canvas as floats 0..1, or null. */
  selectionValues(doc: FakeDocument): Float32Array | null {
    const s = doc.model.content.selection;
    const r = doc.model.canvas;
    return s ? s.read(r, r.right - r.left, r.bottom - r.top) : null;
  }
}
