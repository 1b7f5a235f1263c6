/**
 * Canva's official fakes never fire their callbacks (canva-notes §3): `selection.registerOnChange`,
 * `overlay.registerOnCanOpen`, `registerOnMessage`, `registerOnStateChange` and `setOnDispose` are
 * no-ops there. This captures those registrations (on the fake SDK objects, or on the functions
 * sdk-mocks.ts mocks: a test file must mock `@canva/platform` with it) so a test fires them by
 * hand (a selection change, the overlay becoming available, a message from the other process,
 * Canva closing this process), and records what the app sends out (broadcasts, close requests,
 * toasts). Everything else stays the official fake. Undo with `resetCanvaMocks()` after each test.
 */
import { vi } from 'vitest';
import { appProcess, notification, type AppProcessId } from '@canva/platform';
import { sdk } from './setup.js';

/** A `ContentDraft` snapshot of selected images, as `SelectionEvent.read()` gives it (ND L1043-1060). */
export interface FakeDraft {
  contents: Array<{ ref: string }>;
  /** The refs written by each `save()`. */
  readonly saves: string[][];
  save(): Promise<void>;
}

function draftOf(refs: readonly string[]): FakeDraft {
  const draft: FakeDraft = {
    contents: refs.map((ref) => ({ ref })),
    saves: [],
    async save() {
      draft.saves.push(draft.contents.map((c) => c.ref));
    },
  };
  return draft;
}

type Listener<T> = (value: T) => unknown;

export interface CanvaHooks {
  /** Fires the image-scope selection listeners with `refs` selected; returns the draft `read()` gives (or `read()` rejects with `readError`). */
  select(refs: readonly string[], readError?: unknown): FakeDraft;
  /** Fires the overlay listeners (ND L4008-4052). */
  canOpen(event: { canOpen: false; reason: string } | { canOpen: true; open: (opts: { launchParameters?: unknown }) => Promise<string> }): void;
  /** A message from another process of the app. */
  message(from: string, message: unknown): Promise<void>;
  /** Another process's state (`opening | open | closing | closed`). */
  processState(id: string, state: string): void;
  /** Canva closes this process: runs the one `setOnDispose` callback (NP L340-370). */
  dispose(reason: 'completed' | 'aborted'): Promise<void>;
  readonly broadcasts: unknown[];
  readonly closeRequests: Array<{ id: string; reason: string }>;
  readonly toasts: string[];
  readonly disposeHandlers: () => number;
}

export function hookCanva(info: { surface?: 'object_panel' | 'selected_image_overlay'; launchParams?: unknown } = {}): CanvaHooks {
  const design = sdk.design.v2.designInteraction;
  const ap = vi.mocked(appProcess);
  const selection: Array<Listener<unknown>> = [];
  const overlay: Array<Listener<unknown>> = [];
  const messages: Array<(sender: { appProcessId: string; surface: string }, message: unknown) => Promise<void>> = [];
  const states = new Map<string, Array<Listener<{ state: string }>>>();
  let onDispose: ((context: { reason: string }) => Promise<void>) | null = null;
  let disposeRegistrations = 0;
  const hooks = {
    broadcasts: [] as unknown[],
    closeRequests: [] as Array<{ id: string; reason: string }>,
    toasts: [] as string[],
  };
  const remove = <T>(list: T[], item: T) => () => void list.splice(list.indexOf(item) >>> 0, 1);

  // Both fire at once on registration with the current state (ND L2967, L2939-2952).
  let currentSelection: unknown = null;
  let currentOverlay: unknown = null;
  vi.spyOn(design.selection, 'registerOnChange').mockImplementation((opts: any) => {
    if (opts.scope !== 'image') return () => undefined;
    selection.push(opts.onChange);
    if (currentSelection && (currentSelection as { count: number }).count > 0) opts.onChange(currentSelection);
    return remove(selection, opts.onChange);
  });
  vi.spyOn(design.overlay, 'registerOnCanOpen').mockImplementation((opts: any) => {
    overlay.push(opts.onCanOpen);
    if (currentOverlay) opts.onCanOpen(currentOverlay);
    return remove(overlay, opts.onCanOpen);
  });
  ap.registerOnMessage.mockImplementation((callback: any) => {
    messages.push(callback);
    return async () => remove(messages, callback)();
  });
  ap.registerOnStateChange.mockImplementation((id: any, callback: any) => {
    const list = states.get(id) ?? [];
    states.set(id, [...list, callback]);
    return async () => void states.set(id, (states.get(id) ?? []).filter((c) => c !== callback));
  });
  ap.broadcastMessage.mockImplementation((message: unknown) => void hooks.broadcasts.push(structuredClone(message)));
  ap.requestClose.mockImplementation(async (id: any, params: any) => void hooks.closeRequests.push({ id, reason: params.reason }));
  vi.spyOn(ap.current, 'setOnDispose').mockImplementation((callback: any) => {
    onDispose = callback;
    disposeRegistrations++;
    return async () => undefined;
  });
  if (info.surface || info.launchParams !== undefined) {
    vi.spyOn(ap.current, 'getInfo').mockReturnValue({ processId: 'this-process' as AppProcessId, surface: info.surface ?? 'object_panel', ...(info.launchParams !== undefined ? { launchParams: info.launchParams } : {}) });
  }
  vi.mocked(notification.addToast).mockImplementation(async (opts: any) => {
    hooks.toasts.push(opts.messageText);
    return { status: 'completed' };
  });

  return {
    ...hooks,
    select(refs, readError) {
      const draft = draftOf(refs);
      const read = async (): Promise<FakeDraft> => {
        if (readError) throw readError;
        return draft;
      };
      currentSelection = { scope: 'image', count: refs.length, read };
      for (const listener of [...selection]) listener(currentSelection);
      return draft;
    },
    canOpen(event) {
      currentOverlay = event;
      for (const listener of [...overlay]) listener(event);
    },
    async message(from, message) {
      for (const listener of [...messages]) await listener({ appProcessId: from, surface: 'selected_image_overlay' }, message);
    },
    processState(id, state) {
      for (const listener of [...(states.get(id) ?? [])]) listener({ state });
    },
    async dispose(reason) {
      if (!onDispose) throw new Error('the app registered no setOnDispose callback');
      await onDispose({ reason });
    },
    disposeHandlers: () => disposeRegistrations,
  };
}

/** Back to the official fakes: spies restored, mocked functions reset to the fake's behaviour. */
export function resetCanvaMocks(): void {
  vi.restoreAllMocks();
  const ap = vi.mocked(appProcess);
  for (const fn of [ap.registerOnMessage, ap.registerOnStateChange, ap.broadcastMessage, ap.requestClose, vi.mocked(notification.addToast)]) fn.mockReset();
}
