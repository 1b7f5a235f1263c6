/** The frame's observable state: what the UI renders. One small store, no framework coupling. */
import type { OutputKind, PanelPayload, ProgressStage, Quality, ThemeName, WireErrorCode } from '@cutout/protocol';

type Phase = 'idle' | 'working' | 'review' | 'error';

export interface FrameState {
  readonly phase: Phase;
  readonly label: string;
  readonly stage: ProgressStage | null;
  readonly fraction: number;
  readonly loadedBytes: number;
  readonly totalBytes: number;
  /** Which backend ran the last model run, and why it is not the first choice. */
  readonly backend: 'webgpu' | 'wasm' | null;
  readonly model: string | null;
  readonly fallbackReason: string | null;
  readonly error: { readonly code: WireErrorCode; readonly message: string; readonly retryable: boolean } | null;
  readonly output: OutputKind;
  readonly queued: number;
  /** A request (preload or remove) holds the frame; panel commands wait until it is done. */
  readonly running: boolean;
  /** What a host that keeps the frame open as a panel shows (null: no panel). */
  readonly panel: PanelPayload | null;
  readonly theme: ThemeName;
  /** The user's choice in the frame ("High quality (slower)"); a request's own `quality` wins over it. */
  readonly quality: Quality;
}

export const INITIAL_STATE: FrameState = {
  phase: 'idle',
  label: '',
  stage: null,
  fraction: 0,
  loadedBytes: 0,
  totalBytes: 0,
  backend: null,
  model: null,
  fallbackReason: null,
  error: null,
  output: 'mask',
  queued: 0,
  running: false,
  panel: null,
  theme: 'light',
  quality: 'standard',
};

export class Store<T> {
  private listeners = new Set<(value: T) => void>();
  constructor(private value: T) {}
  get(): T {
    return this.value;
  }
  set(patch: Partial<T>): void {
    this.value = { ...this.value, ...patch };
    for (const listener of this.listeners) listener(this.value);
  }
  subscribe(listener: (value: T) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
