/**
 * A fake of `require('uxp')`: `entrypoints.setup` captured so the test can drive the panel's lifecycle
 * and the commands (hosts.md §2.1, manifest v5: `setup({plugin, panels: {id: {create(rootNode), show,
 * hide, destroy, invokeMenu, menuItems}}, commands: {id: {run, cancel}}})`; "v5 methods may return
 * promises, 300 ms timeout": `invokePanel` rejects when a lifecycle promise takes longer), and `storage`
 * on real temporary folders (fake-uxp-storage). Calling setup twice throws (fake's choice: one plugin
 * registers its entry points once).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStorage, type StorageDirs } from './fake-uxp-storage.js';

type Hook = (rootNode: unknown) => unknown;
export type PanelMethod = 'create' | 'show' | 'hide' | 'destroy';

export interface EntrypointsConfig {
  readonly plugin?: { create?: () => unknown; destroy?: () => unknown };
  readonly panels?: Record<string, Partial<Record<PanelMethod, Hook>> & { invokeMenu?: (id: string) => unknown; menuItems?: unknown[] }>;
  readonly commands?: Record<string, ((event?: unknown) => unknown) | { run: (event?: unknown) => unknown; cancel?: () => unknown }>;
}

export interface FakeUxpOptions {
  /** The plugin's install folder (`plugin:`), e.g. the built dist; default a fresh temp folder. */
  readonly pluginDir?: string;
  /** Lifecycle promise timeout in ms (default 300, hosts.md §2.1). */
  readonly lifecycleTimeoutMs?: number;
}

export class FakeUxp {
  config: EntrypointsConfig | null = null;
  readonly dirs: StorageDirs;
  readonly module: { entrypoints: { setup(config: EntrypointsConfig): void }; storage: ReturnType<typeof createStorage>; host: { name: string; version: string } };
  private readonly base: string;

  constructor(private readonly options: FakeUxpOptions = {}) {
    this.base = mkdtempSync(join(tmpdir(), 'fake-uxp-'));
    this.dirs = { data: join(this.base, 'data'), temp: join(this.base, 'temp'), plugin: options.pluginDir ?? join(this.base, 'plugin') };
    for (const d of [this.dirs.data, this.dirs.temp, this.dirs.plugin]) mkdirSync(d, { recursive: true });
    this.module = {
      entrypoints: {
        setup: (config) => {
          if (this.config) throw new Error('entrypoints.setup was already called');
          this.config = config;
        },
      },
      storage: createStorage(this.dirs),
      host: { name: 'Photoshop', version: '26.0.0' },
    };
  }

  /** Calls a panel's lifecycle method as UXP does, enforcing the promise timeout. */
  async invokePanel(panelId: string, method: PanelMethod, rootNode: unknown): Promise<void> {
    const panel = this.config?.panels?.[panelId];
    if (!panel) throw new Error(`no panel "${panelId}" was set up (have: ${Object.keys(this.config?.panels ?? {}).join(', ') || 'none'})`);
    const fn = panel[method];
    if (!fn) return;
    const limit = this.options.lifecycleTimeoutMs ?? 300;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`panel ${panelId}.${method} did not settle within ${limit} ms`)), limit);
    });
    try {
      await Promise.race([Promise.resolve(fn.call(panel, rootNode)), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Runs a command entry point (a function or `{run}`). */
  async runCommand(id: string, event?: unknown): Promise<unknown> {
    const c = this.config?.commands?.[id];
    if (!c) throw new Error(`no command "${id}" was set up`);
    return typeof c === 'function' ? c(event) : c.run(event);
  }

  /** Removes the temporary folders (not a caller-given plugin folder). */
  dispose(): void {
    rmSync(this.base, { recursive: true, force: true });
  }
}
