/// <reference types="@figma/plugin-typings" />
/**
 * figma.ui (FT L2813-2900 UIAPI) and the UI side of the channel. Messages are structured clones
 * ("These restrictions are the same as the browser's postMessage", FT L2848) delivered as tasks
 * (setTimeout 0), never as microtasks: a cross-frame postMessage is a task (review D13).
 */

type UiListener = (pluginMessage: unknown, props: OnMessageProperties) => void;
export type UiState = 'none' | 'visible' | 'hidden' | 'closed';

export interface UiHost {
  /** Whether the plugin is running (callbacks are disabled after closePlugin, FT L173). */
  pluginOpen(): boolean;
  warn(message: string): void;
}

export class FakeUi {
  /** What the plugin posted to the UI (structured clones), for assertions. */
  readonly sent: unknown[] = [];
  /** The UI side (test harness): receives each message the plugin posts, as a task. */
  uiSide: ((message: unknown) => void) | null = null;
  state: UiState = 'none';
  size = { width: 300, height: 200 };
  position: { x: number; y: number } | null = null;
  private generation = 0;
  private listeners: Array<{ cb: UiListener; once: boolean }> = [];
  private handler: UiListener | undefined;

  constructor(private readonly host: UiHost) {}

  /** figma.showUI: replaces any open UI ("the previous UI will be closed", FT L365); defaults and minimums FT L352-356. */
  open(options: ShowUIOptions | undefined): void {
    this.generation++;
    this.state = options?.visible === false ? 'hidden' : 'visible';
    this.size = { width: Math.max(70, options?.width ?? 300), height: Math.max(0, options?.height ?? 200) };
    this.position = options?.position ? { ...options.position } : null;
  }
  /** A new plugin run: a fresh sandbox has no listeners and no UI. */
  reset(): void {
    this.generation++;
    this.state = 'none';
    this.listeners = [];
    this.handler = undefined;
    this.sent.length = 0;
  }
  /** closePlugin closes any open UI (FT L167). */
  closedWithPlugin(): void {
    this.generation++;
    if (this.state !== 'none') this.state = 'closed';
  }
  /** Compatibility: whether the UI is shown to the user. */
  get visible(): boolean {
    return this.state === 'visible';
  }

  /** FT L2815. */
  show(): void {
    this.requireUi('show');
    this.state = 'visible';
  }
  /** "The UI will still continue to run code and be able to send and receive messages" (FT L2819). */
  hide(): void {
    this.requireUi('hide');
    this.state = 'hidden';
  }
  /** "The minimum size is 70x0" (FT L2823): smaller values are clamped (undocumented whether they throw). */
  resize(width: number, height: number): void {
    this.requireUi('resize');
    if (width < 70 || height < 0) this.host.warn(`figma.ui.resize(${width}, ${height}) below the minimum 70x0`);
    this.size = { width: Math.max(70, width), height: Math.max(0, height) };
  }
  reposition(x: number, y: number): void {
    this.requireUi('reposition');
    this.position = { x, y };
  }
  /** "Throws an error when no UI is available" (FT L2831). */
  getPosition(): { windowSpace: Vector; canvasSpace: Vector } {
    this.requireUi('getPosition');
    const p = this.position ?? { x: 0, y: 0 };
    return { windowSpace: { ...p }, canvasSpace: { ...p } };
  }
  /** Destroys only the iframe; the plugin keeps running (FT L2838, review D12). */
  close(): void {
    if (this.state === 'none' || this.state === 'closed') return;
    this.generation++;
    this.state = 'closed';
  }

  /**
   * Plugin → UI. Without an open UI the message cannot be delivered ("you can no longer send messages",
   * FT L2838); the docs do not say whether that throws: the fake throws (stricter). Values that cannot
   * be structured-cloned (functions) throw DataCloneError, as postMessage does.
   */
  postMessage(pluginMessage: unknown, _options?: UIPostMessageOptions): void {
    this.requireUi('postMessage');
    const copy = structuredClone(pluginMessage);
    this.sent.push(copy);
    const gen = this.generation;
    setTimeout(() => {
      if (gen === this.generation) this.uiSide?.(copy);
    }, 0);
  }
  on(type: 'message', cb: UiListener): void {
    if (type !== 'message') throw new Error(`figma.ui.on: unknown event ${String(type)}`);
    this.listeners.push({ cb, once: false });
  }
  /** "Same as figma.ui.on("message"), but only gets called the first time" (FT L2889). */
  once(type: 'message', cb: UiListener): void {
    if (type !== 'message') throw new Error(`figma.ui.once: unknown event ${String(type)}`);
    this.listeners.push({ cb, once: true });
  }
  off(type: 'message', cb: UiListener): void {
    if (type !== 'message') return;
    this.listeners = this.listeners.filter((l) => l.cb !== cb);
  }
  get onmessage(): UiListener | undefined {
    return this.handler;
  }
  set onmessage(cb: UiListener | undefined) {
    this.handler = cb;
  }

  /**
   * UI → plugin: the iframe posts `{ pluginMessage }` to its parent; the sandbox receives the
   * unwrapped clone as a task. Dropped when no UI is open or the plugin has closed.
   */
  fromUi(pluginMessage: unknown): void {
    if (this.state === 'none' || this.state === 'closed' || !this.host.pluginOpen()) {
      this.host.warn('a UI message arrived with no UI or plugin running; dropped');
      return;
    }
    const copy = structuredClone(pluginMessage);
    const gen = this.generation;
    setTimeout(() => {
      if (gen !== this.generation || !this.host.pluginOpen()) return;
      const props = { origin: 'null' };
      this.handler?.(copy, props);
      for (const l of this.listeners.slice()) {
        if (l.once) this.listeners = this.listeners.filter((x) => x !== l);
        l.cb(copy, props);
      }
    }, 0);
  }

  private requireUi(what: string): void {
    if (this.state === 'none' || this.state === 'closed') throw new Error(`figma.ui.${what}: there is no UI (call figma.showUI first)`);
  }
}
