/**
 * Photoshop's modal scope (EAM). `inModal` runs a short read-only step (Adobe's own imaging sample
 * wraps even a read in executeAsModal, ITZ main.js L21-27). `writeInModal` is the one write of a run:
 * `hostControl.suspendHistory({documentID, name})` makes it one history state; on a normal return the
 * suspension is resumed (committed), and an exception leaves the scope unresumed, which Photoshop rolls
 * back (EAM L217-271: "committed on normal return, cancelled on exception"). Nothing here catches inside
 * the scope. After Esc, Photoshop APIs throw (EAM L99-160), which rolls back the same way; the context's
 * `onCancel` records it so the error reads "Cancelled". Esc during the write's last call is checked once
 * more before the commit, so a cancelled write never commits.
 */
import { PluginError, isModalCollision, modalBusyMessage } from './errors.js';
import type { ExecutionContext, Ps } from './ps-api.js';

/** Maps what executeAsModal rejected with to the panel's errors; `cancelled` when the user pressed Esc. */
function mapModalError(e: unknown, cancelled: boolean): unknown {
  if (isModalCollision(e)) return new PluginError('modal_busy', modalBusyMessage(e));
  if (cancelled) return new PluginError('cancelled', 'Cancelled: nothing was changed.');
  return e;
}

export async function inModal<T>(ps: Ps, commandName: string, body: (ctx: ExecutionContext) => Promise<T>): Promise<T> {
  let cancelled = false;
  try {
    return await ps.core.executeAsModal(
      async (ctx) => {
        ctx.onCancel = () => (cancelled = true);
        return body(ctx);
      },
      { commandName },
    );
  } catch (e) {
    throw mapModalError(e, cancelled);
  }
}

export interface WriteScope {
  readonly ctx: ExecutionContext;
  /** Throws PluginError('cancelled') once the user pressed Esc (tight loops poll this, EAM L99-160). */
  checkCancelled(): void;
  progress(value: number, commandName?: string): void;
}

/** One history state named `historyName` in `documentID`; rolled back when `body` throws. */
export async function writeInModal<T>(ps: Ps, documentID: number, historyName: string, body: (scope: WriteScope) => Promise<T>): Promise<T> {
  let cancelled = false;
  try {
    return await ps.core.executeAsModal(
      async (ctx) => {
        ctx.onCancel = () => (cancelled = true);
        const suspension = await ctx.hostControl.suspendHistory({ documentID, name: historyName });
        const scope: WriteScope = {
          ctx,
          checkCancelled: () => {
            if (cancelled || ctx.isCancelled) throw new PluginError('cancelled', 'Cancelled: nothing was changed.');
          },
          progress: (value, commandName) => ctx.reportProgress({ value: Math.min(1, Math.max(0, value)), ...(commandName ? { commandName } : {}) }),
        };
        const result = await body(scope);
        // Esc after the last change still means "change nothing": raising here rolls the state back.
        scope.checkCancelled();
        await ctx.hostControl.resumeHistory(suspension, true);
        return result;
      },
      { commandName: historyName },
    );
  } catch (e) {
    throw mapModalError(e, cancelled);
  }
}
