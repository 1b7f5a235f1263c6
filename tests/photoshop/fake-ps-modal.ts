/**
 * `core.executeAsModal` and its ExecutionContext (EAM; DT CoreModules.d.ts ExecutionContext):
 *  - `commandName` is required (EAM L66); another plugin holding the modal state rejects with
 *    `e.number === 9` and a message naming that plugin (EAM L71-94).
 *  - Nested calls are allowed and share the outer scope's progress, cancel and history state (EAM L321-322).
 *  - Cancel (Esc): `isCancelled` turns true, `onCancel` is called, and from then on Photoshop APIs throw
 *    (EAM L99-160). The fake cancels only through `cancel()`, never on its own.
 *  - History: `suspendHistory` snapshots the document; `resumeHistory(s, commit)` commits one state named
 *    as given (or `finalName`) only if the document changed, or restores the snapshot; on scope exit every
 *    suspension still open resumes, committed on normal return and rolled back on exception (EAM L217-271).
 * The fake's own choices: suspending a document twice at once is refused; progress values are recorded
 * as given (the log is the assertion surface).
 */
import type { ExecuteAsModalOptions, photoshopCore as core } from 'photoshop/dom/CoreModules';
import { cloneContent, type Content, type DocModel } from './fake-ps-model.js';
import { PhotoshopError, type ExecutionContext } from './fake-ps-types.js';

export interface ProgressEntry {
  readonly value: number | undefined;
  readonly commandName: string | undefined;
  /** The executeAsModal commandName of the call that reported it. */
  readonly scope: string;
}

interface Suspension {
  readonly id: number;
  readonly doc: DocModel;
  readonly name: string;
  readonly snapshot: Content;
  readonly revision: number;
}

interface Scope {
  cancelled: boolean;
  readonly contexts: ExecutionContext[];
  readonly suspensions: Map<number, Suspension>;
}

export interface ModalHost {
  findDocument(id: number): DocModel | null;
}

let suspensionIds = 1000;

export class ModalController {
  /** executeAsModal calls, in order (commandName, interactive, nested). */
  readonly calls: Array<{ commandName: string; interactive: boolean; nested: boolean }> = [];
  readonly progress: ProgressEntry[] = [];
  /** History commits and rollbacks, in order, for assertions. */
  readonly historyLog: Array<{ documentID: number; name: string; outcome: 'committed' | 'nothing changed' | 'rolled back' }> = [];
  /** When set, another plugin holds the modal state and executeAsModal rejects with error 9. */
  otherPlugin: string | null = null;
  private scope: Scope | null = null;
  private depth = 0;

  constructor(private readonly host: ModalHost) {}

  get inModal(): boolean {
    return this.depth > 0;
  }
  get cancelled(): boolean {
    return this.scope?.cancelled ?? false;
  }
  /** Suspensions still open (not resumed). */
  get openSuspensions(): number {
    return this.scope?.suspensions.size ?? 0;
  }

  /** Like the user pressing Esc during the modal scope; returns false when no scope is running. */
  cancel(reason = 'The user cancelled the operation'): boolean {
    const scope = this.scope;
    if (!scope || scope.cancelled) return false;
    scope.cancelled = true;
    for (const ctx of scope.contexts) ctx.onCancel?.({ reason });
    return true;
  }

  /** Photoshop APIs throw after a cancel (EAM L99-160). */
  checkCancelled(what: string): void {
    if (this.scope?.cancelled) throw new PhotoshopError(`${what}: the modal operation was cancelled by the user`);
  }

  /** hosts.md §2.2: executeAsModal is "needed for any document modification". */
  requireModal(what: string): void {
    if (this.depth === 0) throw new PhotoshopError(`${what} modifies the document and is only allowed inside a modal scope (core.executeAsModal)`);
    this.checkCancelled(what);
  }

  /** Whether `doc` has a suspended history (changes then coalesce into one state). */
  isSuspended(doc: DocModel): boolean {
    return [...(this.scope?.suspensions.values() ?? [])].some((s) => s.doc === doc);
  }

  readonly executeAsModal: typeof core.executeAsModal = async <T>(target: (ctx: ExecutionContext, descriptor?: object) => Promise<T>, options: ExecuteAsModalOptions): Promise<T> => {
    if (typeof options?.commandName !== 'string' || options.commandName === '') throw new PhotoshopError('executeAsModal: the option commandName is required');
    if (this.otherPlugin !== null) throw new PhotoshopError(`host is in a modal state: the plugin “${this.otherPlugin}” is running a modal command`, 9);
    const nested = this.scope !== null;
    const scope: Scope = this.scope ?? { cancelled: false, contexts: [], suspensions: new Map() };
    this.scope = scope;
    this.calls.push({ commandName: options.commandName, interactive: options.interactive === true, nested });
    const ctx = this.context(scope, options.commandName);
    scope.contexts.push(ctx);
    this.depth++;
    let failed = false;
    try {
      return await target(ctx, options.descriptor);
    } catch (e) {
      failed = true;
      throw e;
    } finally {
      this.depth--;
      if (this.depth === 0) {
        for (const s of [...scope.suspensions.values()]) this.resume(scope, s.id, !failed);
        this.scope = null;
      }
    }
  };

  private context(scope: Scope, commandName: string): ExecutionContext {
    const ctx: ExecutionContext = {
      get isCancelled() {
        return scope.cancelled;
      },
      onCancel: undefined,
      reportProgress: (p) => {
        this.progress.push({ value: p.value, commandName: p.commandName, scope: commandName });
      },
      hostControl: {
        suspendHistory: async ({ documentID, name }) => {
          this.checkLive(scope, 'suspendHistory');
          const doc = this.host.findDocument(documentID);
          if (!doc) throw new PhotoshopError(`suspendHistory: no document with id ${documentID}`);
          if (this.isSuspended(doc)) throw new PhotoshopError(`suspendHistory: the history of document ${documentID} is already suspended`);
          const id = suspensionIds++;
          scope.suspensions.set(id, { id, doc, name, snapshot: cloneContent(doc.content), revision: doc.revision });
          return { historySuspensionID: id };
        },
        resumeHistory: async (params, commit = true) => {
          this.checkLive(scope, 'resumeHistory');
          if (!scope.suspensions.has(params.historySuspensionID)) throw new PhotoshopError(`resumeHistory: unknown suspension ${params.historySuspensionID}`);
          this.resume(scope, params.historySuspensionID, commit, params.finalName);
        },
        registerAutoCloseDocument: async () => undefined,
        unregisterAutoCloseDocument: async () => undefined,
      },
    };
    return ctx;
  }

  private checkLive(scope: Scope, what: string): void {
    if (this.scope !== scope || this.depth === 0) throw new PhotoshopError(`${what}: the modal scope has ended`);
  }

  private resume(scope: Scope, id: number, commit: boolean, finalName?: string): void {
    const s = scope.suspensions.get(id);
    if (!s) return;
    scope.suspensions.delete(id);
    const name = finalName ?? s.name;
    if (!commit) {
      s.doc.content = s.snapshot;
      s.doc.revision = s.revision;
      this.historyLog.push({ documentID: s.doc.id, name, outcome: 'rolled back' });
    } else if (s.doc.revision !== s.revision) {
      s.doc.history.push(name);
      this.historyLog.push({ documentID: s.doc.id, name, outcome: 'committed' });
    } else {
      this.historyLog.push({ documentID: s.doc.id, name, outcome: 'nothing changed' });
    }
  }
}
