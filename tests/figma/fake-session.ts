/**
 * One plugin run: its event handlers (figma.on/once/off, FT L513-560, L736-742), its timers, and its
 * closing. "Calling figma.closePlugin() disables callbacks and Figma APIs. It does not, however, abort
 * the plugin" (FT L173); closing cancels "any setTimeout or setInterval timers" (FT L167); after the
 * 'close' callbacks "the plugin execution environment will be destroyed" (FT L742).
 */
export type PluginEvent = 'selectionchange' | 'currentpagechange' | 'close';
const EVENTS = new Set<string>(['selectionchange', 'currentpagechange', 'close']);

export interface TimerApi {
  setTimeout: (cb: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => unknown;
  clearTimeout: (id: unknown) => void;
  setInterval: (cb: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => unknown;
  clearInterval: (id: unknown) => void;
}

export class PluginSession {
  state: 'idle' | 'running' | 'closing' | 'closed' = 'idle';
  closeMessage: string | undefined;
  private handlers: Array<{ event: PluginEvent; cb: () => void; once: boolean }> = [];
  private readonly timers = new Set<unknown>();
  private readonly pending = new Set<PluginEvent>();
  private readonly closeWaiters: Array<() => void> = [];

  /** APIs work while running and inside 'close' callbacks. */
  get apiOpen(): boolean {
    return this.state === 'idle' || this.state === 'running' || this.state === 'closing';
  }
  get closed(): boolean {
    return this.state === 'closed';
  }
  assertApi(): void {
    if (!this.apiOpen) throw new Error('figma API used after figma.closePlugin(): "Calling figma.closePlugin() disables callbacks and Figma APIs" (FT L173)');
  }

  on(event: string, cb: () => void, once = false): void {
    // Only the events this fake models; others (run, drop, documentchange, timer…) throw so a plugin that needs them shows up.
    if (!EVENTS.has(event)) throw new Error(`fake: figma.on("${event}") is not modelled`);
    if (typeof cb !== 'function') throw new TypeError('callback must be a function');
    this.handlers.push({ event: event as PluginEvent, cb, once });
  }
  off(event: string, cb: () => void): void {
    this.handlers = this.handlers.filter((h) => !(h.event === event && h.cb === cb));
  }

  /**
   * Callbacks run asynchronously, are coalesced ("will not necessarily be called each time the event
   * happens"), and reach handlers registered after the change in the same task (FT L515-545).
   */
  emit(event: Exclude<PluginEvent, 'close'>): void {
    if (this.state !== 'running' || this.pending.has(event)) return;
    this.pending.add(event);
    setTimeout(() => {
      this.pending.delete(event);
      if (this.state !== 'running') return; // "disables callbacks" (FT L173)
      this.dispatch(event);
    }, 0);
  }

  /**
   * 'close' callbacks run before the environment is destroyed (FT L736-742); the fake runs them
   * synchronously inside closePlugin / the user's close, with APIs still available.
   */
  close(message: string | undefined): void {
    if (this.state === 'closing' || this.state === 'closed') return;
    this.state = 'closing';
    this.closeMessage = message;
    try {
      this.dispatch('close');
    } finally {
      this.state = 'closed';
      for (const t of this.timers) clearTimeout(t as never); // also clears intervals in Node
      this.timers.clear();
      this.handlers = [];
      for (const w of this.closeWaiters.splice(0)) w();
    }
  }

  whenClosed(): Promise<void> {
    return this.closed ? Promise.resolve() : new Promise((resolve) => this.closeWaiters.push(resolve));
  }

  /** setTimeout / setInterval for the plugin's scope: cancelled when the plugin closes (FT L167). */
  timerApi(): TimerApi {
    const track = (t: unknown): unknown => (this.timers.add(t), t);
    return {
      setTimeout: (cb, ms, ...args) => {
        if (!this.apiOpen) return undefined;
        const t: unknown = setTimeout(() => {
          this.timers.delete(t);
          cb(...args);
        }, ms);
        return track(t);
      },
      clearTimeout: (id) => {
        clearTimeout(id as never);
        this.timers.delete(id);
      },
      setInterval: (cb, ms, ...args) => (this.apiOpen ? track(setInterval(() => cb(...args), ms)) : undefined),
      clearInterval: (id) => {
        clearInterval(id as never);
        this.timers.delete(id);
      },
    };
  }

  private dispatch(event: PluginEvent): void {
    for (const h of this.handlers.filter((x) => x.event === event)) {
      if (h.once) this.handlers = this.handlers.filter((x) => x !== h);
      h.cb();
    }
  }
}
