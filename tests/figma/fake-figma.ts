/// <reference types="@figma/plugin-typings" />
/**
 * A fake of the `figma` global, built from @figma/plugin-typings 1.142.0 (cited "FT Lnnnn") and
 * developers.figma.com, for the plugin's Node tests. See docs in each module:
 *   fake-node / fake-geometry / fake-scene / fake-page  nodes, by type (fake-types CAPS)
 *   fake-layout   container-parent transforms, groups, auto layout, constraints
 *   fake-group    figma.group          fake-paints   paint normalisation
 *   fake-images   images and hashes    fake-ui       figma.ui and messages (tasks, clones)
 *   fake-session  one plugin run: events, timers, closing
 *   fake-membrane what the plugin sees (documented members only; nothing after closePlugin)
 *   fake-undo     commitUndo / triggerUndo      fake-setup  test set-up and "the user" during a run
 */
import { FakeImage, ImageStore } from './fake-images.js';
import { layoutAll } from './fake-layout.js';
import { FakeNode, moveNode } from './fake-node.js';
import { FakeDocument, FakePage } from './fake-page.js';
import { imageHashes, normalisePaints } from './fake-paints.js';
import { FakeScene } from './fake-scene.js';
import { PluginSession } from './fake-session.js';
import { FakeSetup, FakeUser } from './fake-setup.js';
import { DEFAULT_OPTIONS, type FakeOptions, type Host, type SupportedType } from './fake-types.js';
import { FakeUi } from './fake-ui.js';
import { UndoHistory } from './fake-undo.js';
import { wrapNodes } from './fake-group.js';

export { FakeImage } from './fake-images.js';
export { FakeNode } from './fake-node.js';
export { FakePage, FakeDocument } from './fake-page.js';
export { FakeScene } from './fake-scene.js';
export type { FakeOptions } from './fake-types.js';
export { runPlugin, pluginScope, pluginView, testSide } from './fake-run.js';

export type NodeKind = 'RECTANGLE' | 'ELLIPSE' | 'FRAME' | 'INSTANCE' | 'COMPONENT' | 'SECTION';

export class FakeFigma implements Host {
  readonly options: FakeOptions;
  readonly mixed = Symbol('figma.mixed');
  readonly apiVersion = '1.0.0';
  readonly editorType = 'figma';
  readonly root: FakeDocument;
  command = '';
  /** What figma.notify showed (message after truncation to 100 characters, FT L229). */
  readonly notifications: Array<{ message: string; requested: string; error: boolean; cancelled: boolean }> = [];
  /** Things that are not errors in Figma but are probably mistakes (e.g. a relaunch command missing from the manifest). */
  readonly warnings: string[] = [];
  readonly ui: FakeUi;
  uiShown: { html: string; options: ShowUIOptions | undefined } | null = null;
  /** Set-up helpers that bypass Figma's refusals (test arrangement only). */
  readonly setup: FakeSetup;
  /** The user acting on the document during a run (each action its own undo step). */
  readonly user: FakeUser;
  private readonly images: ImageStore;
  private readonly nodes = new Set<FakeNode>();
  private readonly styles = new Map<string, ReadonlyArray<Paint>>();
  private readonly undo: UndoHistory;
  private page: FakePage;
  private session = new PluginSession();
  private uiWaiters: Array<() => void> = [];
  private inChange = false;

  constructor(options: Partial<FakeOptions> | readonly string[] = {}) {
    this.options = { ...DEFAULT_OPTIONS, ...(Array.isArray(options) ? { relaunchCommands: options } : (options as Partial<FakeOptions>)) };
    this.images = new ImageStore(() => this.options);
    this.root = new FakeDocument(this);
    this.page = new FakePage(this, 'Page 1');
    this.page.loaded = true;
    moveNode(this.page, this.root, 0);
    this.ui = new FakeUi({ pluginOpen: () => this.session.state === 'running', warn: (m) => this.warn(m) });
    this.setup = new FakeSetup(this);
    this.user = new FakeUser(this);
    this.undo = new UndoHistory(() => this.nodes);
  }

  /** Compact form for assertion diffs and logs. */
  toJSON(): { fake: 'figma'; pages: string[] } {
    return { fake: 'figma', pages: this.root.pages.map((p) => p.name) };
  }

  // ---- Host
  register(node: FakeNode): void {
    this.nodes.add(node);
  }
  isRoot(node: FakeNode): boolean {
    return node === this.root;
  }
  hasImage(hash: string): boolean {
    return this.images.has(hash);
  }
  getImage(hash: string): FakeImage | null {
    return this.images.get(hash);
  }
  paintStyle(id: string): ReadonlyArray<Paint> | undefined {
    return this.styles.get(id);
  }
  addPaintStyle(id: string, paints: ReadonlyArray<Paint>): void {
    this.styles.set(id, normalisePaints(paints, (h) => this.hasImage(h)));
  }
  warn(message: string): void {
    this.warnings.push(message);
  }
  changed(): void {
    if (this.inChange) return;
    this.inChange = true;
    try {
      this.undo.touched();
      layoutAll(this.root);
      this.pruneSelections();
    } finally {
      this.inChange = false;
    }
  }
  selectionChanged(page: FakeNode): void {
    if (page === this.page) this.session.emit('selectionchange');
  }
  private pruneSelections(): void {
    for (const p of this.root.pages) if (p.dropRemovedFromSelection()) this.selectionChanged(p);
  }

  // ---- pages and events
  get currentPage(): FakePage {
    return this.page;
  }
  /** Test side: the user switches pages. (The plugin side is read-only under dynamic-page, FT L464.) */
  set currentPage(page: FakePage) {
    if (!(page instanceof FakePage) || page.removed) throw new Error('currentPage must be a page of this document');
    this.page = page;
    page.loaded = true;
    // "a currentpagechange event always triggers a selectionchange event" (FT L556)
    this.session.emit('currentpagechange');
    this.session.emit('selectionchange');
  }
  /** FT L470. */
  async setCurrentPageAsync(page: FakePage): Promise<void> {
    this.currentPage = page;
  }
  async loadAllPagesAsync(): Promise<void> {
    for (const p of this.root.pages) p.loaded = true;
  }
  get pluginId(): string {
    return this.options.pluginId;
  }
  on(type: string, cb: () => void): void {
    this.session.on(type, cb);
  }
  once(type: string, cb: () => void): void {
    this.session.on(type, cb, true);
  }
  off(type: string, cb: () => void): void {
    this.session.off(type, cb);
  }
  /** FT L427: throws with "documentAccess": "dynamic-page". */
  getNodeById(id: string): FakeNode | null {
    if (this.options.documentAccess === 'dynamic-page') throw new Error('Cannot call getNodeById with "documentAccess": "dynamic-page"; use getNodeByIdAsync');
    return [...this.nodes].find((n) => n.id === id && !n.removed) ?? null;
  }
  /** Test side: any node ever created, removed or not. */
  nodeById(id: string): FakeNode | undefined {
    return [...this.nodes].find((n) => n.id === id);
  }
  async getNodeByIdAsync(id: string): Promise<FakeNode | null> {
    return [...this.nodes].find((n) => n.id === id && !n.removed) ?? null;
  }

  // ---- undo (fake-undo.ts)
  commitUndo(): void {
    this.undo.commit();
  }
  triggerUndo(): void {
    if (this.undo.undo()) this.pruneSelections();
  }

  // ---- images (fake-images.ts)
  createImage(data: Uint8Array): FakeImage {
    return this.images.create(data);
  }
  /** Test set-up only (UNCONFIRMED ASSUMPTION, Q8): see ImageStore.addUnchecked. */
  addImageUnchecked(data: Uint8Array, width: number, height: number): FakeImage {
    return this.images.addUnchecked(data, width, height);
  }
  getImageByHash(hash: string): FakeImage | null {
    return this.images.get(hash);
  }

  // ---- nodes
  /** "has a default fill, width and height both at 100, and is parented under figma.currentPage" (FT L915); the fill colour is not documented. */
  createRectangle(): FakeScene {
    return this.create('RECTANGLE', 'Rectangle', [{ type: 'SOLID', color: { r: 0.85, g: 0.85, b: 0.85 } }]);
  }
  /** FT L961. */
  createEllipse(): FakeScene {
    return this.create('ELLIPSE', 'Ellipse', [{ type: 'SOLID', color: { r: 0.85, g: 0.85, b: 0.85 } }]);
  }
  /** "has a white background … parented under figma.currentPage" (FT L1073). */
  createFrame(): FakeScene {
    return this.create('FRAME', 'Frame', [{ type: 'SOLID', color: { r: 1, g: 1, b: 1 } }]);
  }
  private create(type: SupportedType, name: string, fills: Paint[]): FakeScene {
    const node = new FakeScene(this, type, name);
    node.s.fills = normalisePaints(fills, () => false);
    this.page.appendChild(node);
    return node;
  }
  /** Test set-up: a node of `type` (100×100, no fills) appended to `parent`, subject to the reparenting rules. */
  createNode(type: NodeKind, name: string, parent: FakeNode = this.page): FakeScene {
    const node = new FakeScene(this, type, name);
    parent.appendChild(node);
    return node;
  }
  group(nodes: ReadonlyArray<FakeNode>, parent: FakeNode, index?: number): FakeScene {
    const group = new FakeScene(this, 'GROUP', 'Group');
    wrapNodes(group, nodes, parent, index, true);
    this.changed();
    return group;
  }

  // ---- notifications, UI, closing
  /** "limited to 100 characters. Longer messages will be truncated" (FT L229): recorded as shown. */
  notify(message: string, options?: NotificationOptions): NotificationHandler {
    const entry = { message: String(message).slice(0, 100), requested: String(message), error: options?.error === true, cancelled: false };
    this.notifications.push(entry);
    return { cancel: () => void (entry.cancelled = true) };
  }
  showUI(html: string, options?: ShowUIOptions): void {
    this.ui.open(options);
    this.uiShown = { html, options };
    for (const w of this.uiWaiters.splice(0)) w();
  }
  /** Resolves when the current run has shown its UI, or at the next figma.showUI. */
  whenUiShown(): Promise<void> {
    if (this.uiShown && this.session.state === 'running') return Promise.resolve();
    return new Promise((resolve) => this.uiWaiters.push(resolve));
  }
  /** No length limit is documented for the message (review D5). */
  closePlugin(message?: string): void {
    this.session.close(message);
    this.ui.closedWithPlugin();
  }
  get closed(): boolean {
    return this.session.closed;
  }
  get closeMessage(): string | undefined {
    return this.session.closeMessage;
  }
  /** The user closes the plugin window mid-run ('close' fires, FT L736). */
  userCloses(): void {
    this.session.close(undefined);
    this.ui.closedWithPlugin();
  }
  whenClosed(): Promise<void> {
    return this.session.whenClosed();
  }

  /**
   * Simulates closing and reopening the file. Images no paint of any node references (visible or not)
   * are dropped, so getImageByHash returns null for them: the conservative reading of review F10/Q6
   * (nothing documents that unreferenced images survive; "images in Figma are loaded separately from
   * the rest of the document", FT L12748). Undo history is gone; other pages are unloaded again.
   */
  reload(): string[] {
    if (this.session.state === 'running') this.userCloses();
    const referenced = new Set<string>();
    for (const n of this.nodes) if (!n.removed) for (const h of [...imageHashes(n.s.fills), ...imageHashes(n.s.strokes)]) referenced.add(h);
    const dropped = this.images.retain(referenced);
    for (const p of this.root.pages) p.loaded = p === this.page;
    this.undo.reset();
    return dropped;
  }

  /** Starts a plugin run (fake-run.ts): a fresh sandbox with no handlers, timers or UI. */
  launch(): PluginSession {
    if (this.session.state === 'running') throw new Error('fake: the previous plugin run has not closed');
    if (this.session.state !== 'idle') {
      this.session = new PluginSession();
      this.ui.reset();
      this.uiShown = null;
    }
    this.session.state = 'running';
    this.page.loaded = true;
    return this.session;
  }
}
