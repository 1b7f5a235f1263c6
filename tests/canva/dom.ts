/**
 * Rendering the Canva app's React views in a happy-dom test, the way Canva's starter kit does
 * (canva-notes §3): inside `TestAppI18nProvider` (default messages) and `TestAppUiProvider`. No act()
 * environment: React schedules as in a browser, so a test sees what the app itself has committed
 * (e.g. that the working state is in the DOM before the model blocks the page), and waits with
 * `waitFor`. Queries go by what a user sees: button text, roles, visible text.
 */
import { TestAppI18nProvider } from '@canva/app-i18n-kit';
import { TestAppUiProvider } from '@canva/app-ui-kit';
import { createElement, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { vi } from 'vitest';

export interface Rendered {
  readonly container: HTMLElement;
  /** The visible text of the view, whitespace collapsed. */
  text(): string;
  unmount(): void;
}

export function render(view: ReactNode): Rendered {
  const container = document.body.appendChild(document.createElement('div'));
  const root = createRoot(container);
  root.render(createElement(TestAppI18nProvider, null, createElement(TestAppUiProvider, null, view)));
  return {
    container,
    text: () => (container.textContent ?? '').replace(/\s+/g, ' ').trim(),
    unmount() {
      root.unmount();
      container.remove();
    },
  };
}

/** Polls until `check` returns a truthy value (or throws), then returns it. */
export async function waitFor<T>(check: () => T | null | undefined | false, what: string, timeoutMs = 5_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = check();
      if (value) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}${last ? ` (${(last as Error).message})` : ''}\n${document.body.textContent}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Lets pending promise callbacks and React's scheduled work run. */
export const settle = (ms = 50): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function buttons(container: HTMLElement): HTMLButtonElement[] {
  return Array.from(container.querySelectorAll('button'));
}

/** A button's name: its text, less the label the kit adds to a button in its loading state. */
const nameOf = (b: HTMLButtonElement): string => (b.textContent ?? '').trim().replace(/Loading$/, '');

/** The button named exactly `name` (kit buttons and segmented-control radios). */
export function button(container: HTMLElement, name: string): HTMLButtonElement {
  const found = buttons(container).filter((b) => nameOf(b) === name);
  if (found.length !== 1) throw new Error(`expected one button "${name}", found ${found.length}: ${buttons(container).map((b) => b.textContent).join(' | ')}`);
  return found[0]!;
}

export const isDisabled = (b: HTMLButtonElement): boolean => b.disabled || b.getAttribute('aria-disabled') === 'true';

/** Sets a range input the way a user drag does: the native value setter, then input and change events. */
export function setRange(input: HTMLInputElement, value: number): void {
  const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(input), 'value')?.set;
  setter?.call(input, String(value));
  input.dispatchEvent(new Event('input', { bubbles: true }));
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

/** The kit's alerts (role "note"), by text. */
export function alerts(container: HTMLElement): string[] {
  return Array.from(container.querySelectorAll('[role="note"]')).map((n) => (n.textContent ?? '').replace(/\s+/g, ' ').trim());
}

/**
 * A 60 Hz frame clock: `requestAnimationFrame` callbacks (then, in a browser, the paint) come only
 * every 16 ms, and `frames` counts the frames so far. happy-dom's own runs them at once.
 */
export function frameClock(): { readonly frames: number } {
  const clock = { frames: 0 };
  const frame = (cb: FrameRequestCallback): void => {
    clock.frames++;
    cb(performance.now());
  };
  vi.spyOn(globalThis, 'requestAnimationFrame').mockImplementation((cb) => setTimeout(frame, 16, cb) as unknown as number);
  return clock;
}

/** Collects unhandled rejections and uncaught exceptions until the returned stop() is called. */
export function collectUncaught(): { readonly errors: unknown[]; stop(): void } {
  const errors: unknown[] = [];
  const on = (e: unknown): void => void errors.push(e);
  process.on('unhandledRejection', on);
  process.on('uncaughtException', on);
  return {
    errors,
    stop() {
      process.off('unhandledRejection', on);
      process.off('uncaughtException', on);
    },
  };
}
