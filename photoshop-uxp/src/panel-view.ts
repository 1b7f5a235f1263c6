/**
 * The panel's DOM (index.html), kept thin: reading the controls and showing state. Native Spectrum
 * widgets, "immediately available in the global context" (SPW widgets index L17): sp-button,
 * sp-radio-group (its `change` event's target carries `value`, SPW sp-radio-group), sp-slider,
 * sp-checkbox, sp-progressbar. Values are read from properties first and attributes second, so the
 * panel works the same whether a widget reflects its state in one or the other.
 */
import type { EdgeControls } from '@cutout/core';
import type { OutputChoice } from './targets.js';

const IDS = {
  remove: 'remove',
  cancel: 'cancel',
  refine: 'refine',
  diagnostics: 'diagnostics',
  output: 'output',
  feather: 'feather',
  shift: 'shift',
  smooth: 'smooth',
  hard: 'hard',
  decontaminate: 'decontaminate',
  progress: 'progress',
  status: 'status',
  confirm: 'confirm',
  confirmText: 'confirm-text',
  confirmReplace: 'confirm-replace',
  confirmCancel: 'confirm-cancel',
  report: 'report',
  copyReport: 'copy-report',
  webviewHost: 'webview-host',
} as const;

const OUTPUTS: ReadonlyArray<OutputChoice> = ['mask', 'layer', 'selection'];

export interface PanelOptions {
  readonly output: OutputChoice;
  readonly edge: EdgeControls;
  readonly decontaminate: boolean;
}

type Widget = HTMLElement & { value?: unknown; checked?: unknown; disabled?: unknown };

export class PanelView {
  private lastOutput: OutputChoice | null = null;
  private pendingConfirm: (() => void) | null = null;
  constructor(readonly root: ParentNode & { ownerDocument?: Document | null }) {
    this.el(IDS.output)?.addEventListener('change', (e) => {
      const v = (e.target as Widget | null)?.value;
      if (typeof v === 'string' && (OUTPUTS as string[]).includes(v)) this.lastOutput = v as OutputChoice;
    });
  }

  el(id: string): Widget | null {
    return this.root.querySelector<Widget>(`#${id}`);
  }

  on(id: string, handler: () => void): void {
    this.el(id)?.addEventListener('click', handler);
  }

  private number(id: string, fallback = 0): number {
    const w = this.el(id);
    const raw = w?.value ?? w?.getAttribute('value');
    const n = Number(raw);
    return Number.isFinite(n) ? n : fallback;
  }

  private flag(id: string): boolean {
    const w = this.el(id);
    if (!w) return false;
    return typeof w.checked === 'boolean' ? w.checked : w.hasAttribute('checked');
  }

  output(): OutputChoice {
    const group = this.el(IDS.output);
    const v = group?.value;
    if (typeof v === 'string' && (OUTPUTS as string[]).includes(v)) return v as OutputChoice;
    if (this.lastOutput) return this.lastOutput;
    const checked = Array.from(group?.querySelectorAll<Widget>('sp-radio') ?? []).find((r) => (typeof r.checked === 'boolean' ? r.checked : r.hasAttribute('checked')));
    const value = checked?.getAttribute('value');
    return value && (OUTPUTS as string[]).includes(value) ? (value as OutputChoice) : 'mask';
  }

  options(): PanelOptions {
    const edge: EdgeControls = { feather: this.number(IDS.feather), shift: this.number(IDS.shift), smooth: this.number(IDS.smooth), hard: this.flag(IDS.hard) };
    return { output: this.output(), edge, decontaminate: this.flag(IDS.decontaminate) };
  }

  status(text: string, error = false): void {
    const s = this.el(IDS.status);
    if (!s) return;
    s.textContent = text;
    s.setAttribute('data-error', error ? 'true' : 'false');
  }

  /** 0..1, or null to hide the bar. */
  progress(fraction: number | null, label?: string): void {
    const bar = this.el(IDS.progress);
    if (!bar) return;
    bar.hidden = fraction === null;
    const value = String(Math.round(Math.min(1, Math.max(0, fraction ?? 0)) * 100));
    bar.setAttribute('value', value);
    bar.value = Number(value);
    if (label !== undefined) bar.setAttribute('label', label);
  }

  busy(running: boolean): void {
    for (const id of [IDS.remove, IDS.refine, IDS.diagnostics]) this.enable(id, !running);
    this.enable(IDS.cancel, running);
  }

  private enable(id: string, on: boolean): void {
    const w = this.el(id);
    if (!w) return;
    if (on) w.removeAttribute('disabled');
    else w.setAttribute('disabled', 'true');
    w.disabled = !on;
  }

  /** Shows the inline confirm and resolves with the user's choice (true: replace). */
  confirm(text: string): Promise<boolean> {
    const box = this.el(IDS.confirm);
    const replace = this.el(IDS.confirmReplace);
    const cancel = this.el(IDS.confirmCancel);
    if (!box || !replace || !cancel) return Promise.resolve(false);
    const label = this.el(IDS.confirmText);
    if (label) label.textContent = text;
    box.hidden = false;
    return new Promise((resolve) => {
      const done = (answer: boolean) => () => {
        this.pendingConfirm = null;
        replace.removeEventListener('click', yes);
        cancel.removeEventListener('click', no);
        box.hidden = true;
        resolve(answer);
      };
      const yes = done(true);
      const no = done(false);
      replace.addEventListener('click', yes);
      cancel.addEventListener('click', no);
      this.pendingConfirm = no;
    });
  }

  /** Answers an open confirm with "cancel" (the panel was hidden). */
  dismissConfirm(): void {
    this.pendingConfirm?.();
  }

  report(text: string | null): void {
    const r = this.el(IDS.report);
    if (!r) return;
    r.hidden = text === null;
    r.value = text ?? '';
    r.textContent = text ?? '';
    const copy = this.el(IDS.copyReport);
    if (copy) copy.hidden = text === null;
  }

  reportText(): string {
    const r = this.el(IDS.report);
    return typeof r?.value === 'string' ? r.value : (r?.textContent ?? '');
  }

  webviewHost(): HTMLElement | null {
    return this.el(IDS.webviewHost);
  }
}
