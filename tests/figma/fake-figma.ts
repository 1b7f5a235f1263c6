/// <reference types="@figma/plugin-typings" />
/**
 * A faithful fake of the `figma` global for what the plugin uses, typed against
 * @figma/plugin-typings and behaving as documented there: `fills` is a frozen array of frozen
 * paints that must be replaced, not mutated; createImage accepts PNG/JPEG/GIF up to 4096 px a
 * side and throws otherwise; figma.group keeps absolute positions and children's layer order;
 * a mask masks the siblings above it; a plugin run is one undo step unless commitUndo splits it;
 * notify messages are limited to 100 characters; setRelaunchData needs a manifest relaunch button;
 * setPluginData entries are limited to 100 kB; UI messages are structured clones.
 */
import { createHash } from 'node:crypto';
import { imageInfo } from './image-info.js';

type Matrix = Transform;
const IDENTITY: Matrix = [
  [1, 0, 0],
  [0, 1, 0],
];

function multiply(a: Matrix, b: Matrix): Matrix {
  return [
    [a[0][0] * b[0][0] + a[0][1] * b[1][0], a[0][0] * b[0][1] + a[0][1] * b[1][1], a[0][0] * b[0][2] + a[0][1] * b[1][2] + a[0][2]],
    [a[1][0] * b[0][0] + a[1][1] * b[1][0], a[1][0] * b[0][1] + a[1][1] * b[1][1], a[1][0] * b[0][2] + a[1][1] * b[1][2] + a[1][2]],
  ];
}
function invert(m: Matrix): Matrix {
  const [[a, c, e], [b, d, f]] = m;
  const det = a * d - b * c;
  return [
    [d / det, -c / det, (c * f - d * e) / det],
    [-b / det, a / det, (b * e - a * f) / det],
  ];
}
const freezeDeep = <T>(value: T): T => {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) if (!(v instanceof Uint8Array)) freezeDeep(v);
  }
  return value;
};

export class FakeImage {
  constructor(
    readonly hash: string,
    private readonly bytes: Uint8Array,
    readonly width: number,
    readonly height: number,
  ) {}
  async getBytesAsync(): Promise<Uint8Array> {
    return this.bytes.slice();
  }
  async getSizeAsync(): Promise<{ width: number; height: number }> {
    return { width: this.width, height: this.height };
  }
}

let nextId = 1;

export class FakeNode {
  readonly id = `1:${nextId++}`;
  parent: FakeContainer | null = null;
  removed = false;
  private _name: string;
  private readonly pluginData = new Map<string, string>();
  relaunchData: Record<string, string> = {};
  constructor(
    protected readonly fig: FakeFigma,
    readonly type: NodeType,
    name: string,
  ) {
    this._name = name;
  }
  get name(): string {
    return this._name;
  }
  set name(v: string) {
    const old = this._name;
    this.fig.record(() => (this._name = old));
    this._name = String(v);
  }
  getPluginData(key: string): string {
    return this.pluginData.get(key) ?? '';
  }
  setPluginData(key: string, value: string): void {
    if (key.length + value.length > 100_000) throw new Error('Plugin data is too large (100 kB per entry)');
    const old = this.pluginData.get(key);
    this.fig.record(() => (old === undefined ? this.pluginData.delete(key) : this.pluginData.set(key, old)));
    this.pluginData.set(key, value);
  }
  setRelaunchData(data: { [command: string]: string }): void {
    for (const [command, description] of Object.entries(data)) {
      if (!this.fig.relaunchCommands.includes(command)) throw new Error(`Relaunch command "${command}" is not in the manifest's relaunchButtons`);
      if (description.length > 1000) throw new Error('Relaunch description is longer than 1000 characters');
    }
    const old = this.relaunchData;
    this.fig.record(() => (this.relaunchData = old));
    this.relaunchData = { ...data };
  }
  remove(): void {
    const parent = this.parent;
    if (!parent) return;
    const index = parent.childList.indexOf(this as unknown as FakeScene);
    parent.detach(this as unknown as FakeScene);
    this.removed = true;
    this.fig.record(() => {
      this.removed = false;
      parent.attach(this as unknown as FakeScene, index);
    });
  }
}

export class FakeContainer extends FakeNode {
  childList: FakeScene[] = [];
  get children(): ReadonlyArray<FakeScene> {
    return Object.freeze(this.childList.slice());
  }
  /** Without undo records (used by the recorded operations themselves). */
  detach(child: FakeScene): void {
    this.childList = this.childList.filter((c) => c !== child);
    child.parent = null;
  }
  attach(child: FakeScene, index: number): void {
    this.childList.splice(Math.min(index, this.childList.length), 0, child);
    child.parent = this;
  }
  appendChild(child: FakeScene): void {
    this.insertChild(this.childList.length, child);
  }
  insertChild(index: number, child: FakeScene): void {
    const old = child.parent;
    const oldIndex = old ? old.childList.indexOf(child) : -1;
    if (old) old.detach(child);
    this.attach(child, index);
    this.fig.record(() => {
      this.detach(child);
      if (old) old.attach(child, oldIndex);
    });
  }
  /** Absolute transform of this container's coordinate space. */
  absolute(): Matrix {
    return IDENTITY;
  }
}

export class FakeScene extends FakeContainer {
  private _transform: Matrix = IDENTITY;
  private _width = 100;
  private _height = 100;
  private _fills: ReadonlyArray<Paint> = Object.freeze([]);
  private _locked = false;
  private _isMask = false;
  private _maskType: MaskType = 'ALPHA';
  visible = true;
  get relativeTransform(): Transform {
    return this._transform;
  }
  set relativeTransform(t: Transform) {
    const old = this._transform;
    this.fig.record(() => (this._transform = old));
    this._transform = freezeDeep([[...t[0]], [...t[1]]] as Matrix);
  }
  get x(): number {
    return this._transform[0][2];
  }
  get y(): number {
    return this._transform[1][2];
  }
  set x(v: number) {
    this.relativeTransform = [
      [this._transform[0][0], this._transform[0][1], v],
      [...this._transform[1]],
    ] as Matrix;
  }
  set y(v: number) {
    this.relativeTransform = [
      [...this._transform[0]],
      [this._transform[1][0], this._transform[1][1], v],
    ] as Matrix;
  }
  get rotation(): number {
    return (-Math.atan2(this._transform[1][0], this._transform[0][0]) * 180) / Math.PI;
  }
  get width(): number {
    return this._width;
  }
  get height(): number {
    return this._height;
  }
  resize(w: number, h: number): void {
    if (!(w >= 0.01 && h >= 0.01)) throw new Error('Width and height must be >= 0.01');
    const [ow, oh] = [this._width, this._height];
    this.fig.record(() => ([this._width, this._height] = [ow, oh]));
    [this._width, this._height] = [w, h];
  }
  get fills(): ReadonlyArray<Paint> | PluginAPI['mixed'] {
    return this._fills;
  }
  set fills(value: ReadonlyArray<Paint> | PluginAPI['mixed']) {
    if (!Array.isArray(value)) throw new Error('fills must be an array of paints');
    for (const p of value as ReadonlyArray<Paint>) {
      if (p.type === 'IMAGE' && p.imageHash && !this.fig.images.has(p.imageHash)) throw new Error(`No image with hash ${p.imageHash}`);
    }
    const old = this._fills;
    this.fig.record(() => (this._fills = old));
    this._fills = freezeDeep((value as ReadonlyArray<Paint>).map((p) => ({ ...p })));
  }
  get locked(): boolean {
    return this._locked;
  }
  set locked(v: boolean) {
    this._locked = v;
  }
  get isMask(): boolean {
    return this._isMask;
  }
  set isMask(v: boolean) {
    const old = this._isMask;
    this.fig.record(() => (this._isMask = old));
    this._isMask = v;
  }
  get maskType(): MaskType {
    return this._maskType;
  }
  set maskType(v: MaskType) {
    const old = this._maskType;
    this.fig.record(() => (this._maskType = old));
    this._maskType = v;
  }
  override absolute(): Matrix {
    return multiply(this.parent ? this.parent.absolute() : IDENTITY, this._transform);
  }
  get absoluteTransform(): Transform {
    return this.absolute();
  }
  /** Axis-aligned bounds in absolute coordinates. */
  absoluteBounds(): { x: number; y: number; width: number; height: number } {
    const m = this.absolute();
    const pts = [
      [0, 0],
      [this._width, 0],
      [0, this._height],
      [this._width, this._height],
    ].map(([px, py]) => [m[0][0] * px! + m[0][1] * py! + m[0][2], m[1][0] * px! + m[1][1] * py! + m[1][2]] as const);
    const xs = pts.map((p) => p[0]);
    const ys = pts.map((p) => p[1]);
    return { x: Math.min(...xs), y: Math.min(...ys), width: Math.max(...xs) - Math.min(...xs), height: Math.max(...ys) - Math.min(...ys) };
  }
  /** Without undo records: used when figma.group recomputes positions. */
  setTransformSilently(t: Matrix): void {
    this._transform = freezeDeep(t);
  }
  setSizeSilently(w: number, h: number): void {
    [this._width, this._height] = [w, h];
  }
}

export class FakePage extends FakeContainer {
  private _selection: ReadonlyArray<FakeScene> = [];
  get selection(): ReadonlyArray<FakeScene> {
    return this._selection;
  }
  set selection(nodes: ReadonlyArray<FakeScene>) {
    this._selection = Object.freeze(nodes.filter((n) => !n.removed));
  }
}

type UiListener = (pluginMessage: unknown, props: { origin: string }) => void;

export class FakeUi {
  readonly listeners = new Set<UiListener>();
  /** What the plugin posted to the UI (structured clones). */
  readonly sent: unknown[] = [];
  visible = true;
  /** The UI side: receives each message the plugin posts. */
  uiSide: ((message: unknown) => void) | null = null;
  constructor(private readonly fig: FakeFigma) {}
  postMessage(pluginMessage: unknown, _options?: UIPostMessageOptions): void {
    this.fig.assertOpen();
    const copy = structuredClone(pluginMessage);
    this.sent.push(copy);
    queueMicrotask(() => this.uiSide?.(copy));
  }
  on(type: 'message', cb: UiListener): void {
    if (type === 'message') this.listeners.add(cb);
  }
  off(type: 'message', cb: UiListener): void {
    if (type === 'message') this.listeners.delete(cb);
  }
  set onmessage(cb: UiListener | undefined) {
    this.listeners.clear();
    if (cb) this.listeners.add(cb);
  }
  /** The UI posts `{ pluginMessage }` to its parent; the sandbox receives the unwrapped clone. */
  fromUi(pluginMessage: unknown): void {
    if (this.fig.closed) return;
    const copy = structuredClone(pluginMessage);
    queueMicrotask(() => {
      for (const l of this.listeners) l(copy, { origin: 'null' });
    });
  }
  resize(): void {}
  close(): void {
    this.fig.closePlugin();
  }
}

export class FakeFigma {
  readonly mixed = Symbol('figma.mixed');
  readonly images = new Map<string, FakeImage>();
  readonly root: FakeContainer;
  currentPage: FakePage;
  command = '';
  readonly notifications: Array<{ message: string; error: boolean }> = [];
  closed = false;
  closeMessage: string | undefined;
  ui: FakeUi;
  uiShown: { html: string; options: ShowUIOptions | undefined } | null = null;
  private undoLog: Array<() => void> = [];
  private readonly closeHandlers = new Set<() => void>();
  private closeWaiters: Array<() => void> = [];

  constructor(readonly relaunchCommands: string[] = ['refine']) {
    this.root = new FakeContainer(this, 'DOCUMENT', 'Document');
    this.currentPage = new FakePage(this, 'PAGE', 'Page 1');
    this.root.attach(this.currentPage as unknown as FakeScene, 0);
    this.ui = new FakeUi(this);
  }

  record(undo: () => void): void {
    this.undoLog.push(undo);
  }
  commitUndo(): void {
    this.undoLog = [];
  }
  triggerUndo(): void {
    const log = this.undoLog;
    this.undoLog = [];
    for (let i = log.length - 1; i >= 0; i--) log[i]!();
  }
  assertOpen(): void {
    if (this.closed) throw new Error('The plugin has been closed');
  }

  createImage(data: Uint8Array): FakeImage {
    this.assertOpen();
    const info = imageInfo(data);
    if (!info) throw new Error('Image type is unsupported');
    if (info.width < 1 || info.height < 1) throw new Error('Image is too small');
    if (info.width > 4096 || info.height > 4096) throw new Error('Image is too large');
    const hash = createHash('sha1').update(data).digest('hex');
    const image = this.images.get(hash) ?? new FakeImage(hash, data.slice(), info.width, info.height);
    this.images.set(hash, image);
    return image;
  }
  /** Test set-up only: Figma itself stores images above 4096 px when users drop them in. */
  addImageUnchecked(data: Uint8Array, width: number, height: number): FakeImage {
    const hash = createHash('sha1').update(data).digest('hex');
    const image = new FakeImage(hash, data.slice(), width, height);
    this.images.set(hash, image);
    return image;
  }
  getImageByHash(hash: string): FakeImage | null {
    return this.images.get(hash) ?? null;
  }
  createRectangle(): FakeScene {
    this.assertOpen();
    const rect = new FakeScene(this, 'RECTANGLE', 'Rectangle');
    rect.fills = [{ type: 'SOLID', color: { r: 0.85, g: 0.85, b: 0.85 } }];
    this.currentPage.insertChild(this.currentPage.childList.length, rect);
    return rect;
  }
  createNode(type: 'RECTANGLE' | 'ELLIPSE' | 'FRAME' | 'INSTANCE', name: string, parent: FakeContainer = this.currentPage): FakeScene {
    const node = new FakeScene(this, type, name);
    parent.insertChild(parent.childList.length, node);
    return node;
  }
  group(nodes: ReadonlyArray<FakeScene>, parent: FakeContainer, index?: number): FakeScene {
    this.assertOpen();
    if (nodes.length === 0) throw new Error('Cannot create a group with no children');
    const group = new FakeScene(this, 'GROUP', 'Group');
    const ordered = [...nodes].sort((a, b) => (a.parent === b.parent && a.parent ? a.parent.childList.indexOf(a) - a.parent.childList.indexOf(b) : 0));
    const absolutes = ordered.map((n) => n.absolute());
    const bounds = ordered.map((n) => n.absoluteBounds());
    const x0 = Math.min(...bounds.map((b) => b.x));
    const y0 = Math.min(...bounds.map((b) => b.y));
    const x1 = Math.max(...bounds.map((b) => b.x + b.width));
    const y1 = Math.max(...bounds.map((b) => b.y + b.height));
    const groupAbs: Matrix = [
      [1, 0, x0],
      [0, 1, y0],
    ];
    const olds = ordered.map((n) => ({ n, parent: n.parent, index: n.parent ? n.parent.childList.indexOf(n) : -1, t: n.relativeTransform }));
    parent.attach(group, index ?? parent.childList.length);
    group.setTransformSilently(multiply(invert(parent.absolute()), groupAbs));
    group.setSizeSilently(x1 - x0, y1 - y0);
    ordered.forEach((n, i) => {
      n.parent?.detach(n);
      group.attach(n, group.childList.length);
      n.setTransformSilently(multiply(invert(groupAbs), absolutes[i]!));
    });
    this.record(() => {
      for (const o of [...olds].reverse()) {
        group.detach(o.n);
        o.parent?.attach(o.n, o.index);
        o.n.setTransformSilently(o.t as Matrix);
      }
      parent.detach(group);
      group.removed = true;
    });
    return group;
  }
  notify(message: string, options?: NotificationOptions): NotificationHandler {
    if (message.length > 100) throw new Error('notify message is longer than 100 characters');
    this.notifications.push({ message, error: options?.error === true });
    return { cancel: () => undefined };
  }
  showUI(html: string, options?: ShowUIOptions): void {
    this.assertOpen();
    this.uiShown = { html, options };
  }
  closePlugin(message?: string): void {
    if (this.closed) return;
    if (message !== undefined && message.length > 100) throw new Error('closePlugin message is longer than 100 characters');
    this.closed = true;
    this.closeMessage = message;
    for (const h of this.closeHandlers) h();
    for (const w of this.closeWaiters) w();
  }
  on(type: string, cb: () => void): void {
    if (type === 'close') this.closeHandlers.add(cb);
  }
  off(type: string, cb: () => void): void {
    if (type === 'close') this.closeHandlers.delete(cb);
  }
  /** The user closes the plugin window mid-run. */
  userCloses(): void {
    this.closePlugin();
  }
  whenClosed(): Promise<void> {
    return this.closed ? Promise.resolve() : new Promise((r) => this.closeWaiters.push(r));
  }
}

/** Runs the built plugin (dist/code.js) against a fake, as Figma runs it: one script with `figma` and `__html__` in scope. */
export function runPlugin(code: string, fig: FakeFigma, html = '<html></html>'): void {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  new Function('figma', '__html__', code)(fig, html);
}
