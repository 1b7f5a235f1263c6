/**
 * Taps on what the plugin calls, for the moments a user acts DURING a run: another plugin takes the
 * modal state just before our write, Esc is pressed after the first mask was put (EAM L99-160: later
 * calls throw), a call fails as Photoshop rejects it. `tapped(ps)` gives a module to hand to the plugin
 * in place of `ps.module`: the same fake underneath (app, batchPlay and constants are ps.module's own),
 * with `core.executeAsModal` and every `imaging` method first calling the hooks. A hook that throws in
 * `beforeImaging` makes that call reject, as Photoshop's would. Hooks are set and cleared per case.
 */
import type { FakePhotoshop, FakePhotoshopModule } from './fake-photoshop.js';
import type { FakeImaging } from './fake-ps-imaging.js';

interface ImagingCall {
  readonly method: string;
  readonly options: unknown;
  /** The plugin's executeAsModal commandNames around the call, outermost first. */
  readonly modal: readonly string[];
}

export interface Taps {
  /** Before the plugin's executeAsModal with its commandName (scopes still open in `modal`). */
  beforeModal: ((commandName: string, modal: readonly string[]) => void) | null;
  beforeImaging: ((call: ImagingCall) => void) | null;
  afterImaging: ((call: ImagingCall) => void) | null;
  /** Every imaging call, in order ("putLayerMask in Remove Background", …). */
  readonly log: string[];
  clear(): void;
}

export function tapped(ps: FakePhotoshop): { module: FakePhotoshopModule; taps: Taps } {
  const stack: string[] = [];
  const taps: Taps = {
    beforeModal: null,
    beforeImaging: null,
    afterImaging: null,
    log: [],
    clear() {
      taps.beforeModal = null;
      taps.beforeImaging = null;
      taps.afterImaging = null;
      taps.log.length = 0;
    },
  };
  const executeAsModal: FakePhotoshopModule['core']['executeAsModal'] = async (target, options) => {
    taps.beforeModal?.(options.commandName, [...stack]);
    stack.push(options.commandName);
    try {
      return await ps.modal.executeAsModal(target, options);
    } finally {
      stack.splice(stack.lastIndexOf(options.commandName), 1);
    }
  };
  const imaging = new Proxy(ps.imaging, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function' || typeof key !== 'string') return value;
      return async (options: unknown, ...rest: unknown[]) => {
        const call: ImagingCall = { method: key, options, modal: [...stack] };
        taps.log.push(`${key}${stack.length ? ` in ${stack.join(' > ')}` : ''}`);
        taps.beforeImaging?.(call);
        const result: unknown = await (value as (...a: unknown[]) => Promise<unknown>).call(target, options, ...rest);
        taps.afterImaging?.(call);
        return result;
      };
    },
  }) as FakeImaging;
  return { module: { ...ps.module, core: { executeAsModal }, imaging }, taps };
}
