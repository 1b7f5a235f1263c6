/**
 * What the plugin sees: every object it can reach from `figma` is a proxy of the fake's object, so
 *  - only documented members exist (per node type: a RECTANGLE has no `children`, a GROUP no `fills`,
 *    `'fills' in group` is false), and test helpers and internals are invisible;
 *  - after closePlugin every access throws ("disables callbacks and Figma APIs", FT L173) and pending
 *    promises never settle ("the plugin execution environment will be destroyed", FT L742);
 *  - reading a removed node throws (option removedNodeAccess, see fake-types.ts);
 *  - with dynamic-page, `figma.currentPage` is read-only (FT L464) and an unloaded page's children
 *    cannot be used before `page.loadAsync()` (FT L7034).
 * Tests keep the unwrapped objects, so they can inspect the document after the plugin closed.
 */
import type { PluginSession } from './fake-session.js';
import type { FakeOptions } from './fake-types.js';

export type Kind = 'figma' | 'ui' | 'image' | 'node' | null;

export interface MembraneConfig {
  kindOf(value: object): Kind;
  /** Whether the plugin may see `prop` on `target`. */
  allowed(target: object, kind: Exclude<Kind, null>, prop: string): boolean;
  /** Whether the plugin may assign `prop` (read-only members throw, as in strict-mode JS). */
  writable(kind: Exclude<Kind, null>, prop: string): boolean;
  options: FakeOptions;
}

interface NodeLike {
  readonly id: string;
  readonly type: string;
  readonly removed: boolean;
  readonly loaded?: boolean;
}

const ALWAYS_READABLE = new Set(['id', 'type', 'removed', 'toString']);
const PAGE_CONTENT = new Set(['children', 'appendChild', 'insertChild', 'findAll', 'findChildren']);

export class Membrane {
  private readonly proxies = new WeakMap<object, object>();
  private readonly raws = new WeakMap<object, object>();
  private readonly callbacks = new WeakMap<object, unknown>();

  constructor(
    private readonly session: PluginSession,
    private readonly config: MembraneConfig,
  ) {}

  wrap(value: unknown): unknown {
    if (value instanceof Promise) {
      return new Promise((resolve, reject) => {
        value.then(
          (v) => this.session.apiOpen && resolve(this.wrap(v)),
          (e) => this.session.apiOpen && reject(e),
        );
      });
    }
    if (Array.isArray(value)) {
      return value.some((v) => typeof v === 'object' && v !== null && this.config.kindOf(v)) ? Object.freeze(value.map((v) => this.wrap(v))) : value;
    }
    if (typeof value !== 'object' || value === null) return value;
    const kind = this.config.kindOf(value);
    if (!kind) return value;
    const cached = this.proxies.get(value);
    if (cached) return cached;
    const proxy = new Proxy(value, this.handler(kind));
    this.proxies.set(value, proxy);
    this.raws.set(proxy, value);
    return proxy;
  }

  unwrap(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.unwrap(v));
    if (typeof value === 'function') {
      // A plugin callback (findAll, figma.on, ui.on …): it must receive plugin-side objects. Cached, so off() finds it.
      const fn = value as (...a: unknown[]) => unknown;
      const cached = this.callbacks.get(fn);
      if (cached) return cached;
      const wrapped = (...args: unknown[]): unknown => this.unwrap(fn(...args.map((a) => this.wrap(a))));
      this.callbacks.set(fn, wrapped);
      return wrapped;
    }
    if (typeof value === 'object' && value !== null) return this.raws.get(value) ?? value;
    return value;
  }

  private guardNode(target: object, prop: string): void {
    const node = target as NodeLike;
    if (node.removed && this.config.options.removedNodeAccess === 'throw' && !ALWAYS_READABLE.has(prop)) {
      throw new Error(`The node with id "${node.id}" does not exist (read "${prop}" of a removed node)`);
    }
    if (node.type === 'PAGE' && node.loaded === false && this.config.options.documentAccess === 'dynamic-page' && PAGE_CONTENT.has(prop)) {
      throw new Error(`Cannot use "${prop}" of a page that has not been loaded: call await page.loadAsync() first (dynamic-page)`);
    }
  }

  private handler(kind: Exclude<Kind, null>): ProxyHandler<object> {
    const visible = (target: object, prop: string | symbol): prop is string => typeof prop === 'string' && this.config.allowed(target, kind, prop);
    return {
      get: (target, prop) => {
        if (typeof prop === 'symbol') return undefined;
        this.session.assertApi();
        if (!visible(target, prop)) return undefined;
        if (kind === 'node') this.guardNode(target, prop);
        const value: unknown = Reflect.get(target, prop, target);
        if (typeof value !== 'function') return this.wrap(value);
        return (...args: unknown[]) => {
          this.session.assertApi();
          if (kind === 'node') this.guardNode(target, prop);
          return this.wrap((value as (...a: unknown[]) => unknown).apply(target, args.map((a) => this.unwrap(a))));
        };
      },
      set: (target, prop, value) => {
        this.session.assertApi();
        if (!visible(target, prop)) throw new TypeError(`Cannot set property ${String(prop)}: not part of the plugin API for this object`);
        if (!this.config.writable(kind, prop)) throw new TypeError(`Cannot set read-only property ${prop}`);
        if (kind === 'node') this.guardNode(target, prop);
        if (kind === 'figma' && prop === 'currentPage' && this.config.options.documentAccess === 'dynamic-page') {
          throw new Error('figma.currentPage is read-only with "documentAccess": "dynamic-page"; use figma.setCurrentPageAsync (FT L464)');
        }
        if (!Reflect.set(target, prop, this.unwrap(value), target)) throw new TypeError(`Cannot set read-only property ${prop}`);
        return true;
      },
      has: (target, prop) => visible(target, prop),
      ownKeys: () => [],
      getOwnPropertyDescriptor: () => undefined,
      defineProperty: () => false,
      deleteProperty: () => false,
    };
  }
}
