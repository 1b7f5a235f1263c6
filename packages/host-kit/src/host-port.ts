/**
 * The one port a host adapter implements (house style rule 1: an adapter reads the selection,
 * hands pixels over and writes back, nothing else). The batch runner (batch-runner.ts) owns the
 * rest: the order of work, skip reasons, progress, cancel, and writing only once every image is done.
 */
import type { RemoveResult, WireRgba } from '@cutout/protocol';

/** What a host reads for one target: the encoded file (Figma: the sandbox cannot decode) or raw RGBA. */
export type Pixels = { readonly kind: 'encoded'; readonly data: Uint8Array } | { readonly kind: 'rgba'; readonly image: WireRgba };

/** A target left out, and why, in words a user reads ("is a GIF (its animation would be lost)"). */
export interface Skip {
  readonly name: string;
  readonly reason: string;
}

/** A target that could not be read: the reason joins the summary. */
export interface Unreadable {
  readonly kind: 'skip';
  readonly reason: string;
}

export interface BatchProgress {
  /** 0-based index of the image being worked on, and how many there are. */
  readonly index: number;
  readonly total: number;
  readonly name: string;
  readonly stage: string;
  /** 0..1 within the stage. */
  readonly fraction: number;
}

export interface WriteItem<T, S> {
  readonly target: T;
  readonly staged: S;
}

export interface HostPort<T, S> {
  /** The name shown for a target in labels and skip reasons. */
  name(target: T): string;
  /** Reads one target's pixels; a skip says why it cannot be used. Must not change the document. */
  read(target: T): Promise<Pixels | Unreadable>;
  /**
   * Takes one finished result as soon as it arrives, so the host keeps only what it needs (Figma:
   * createImage now and keep the hash, instead of holding every PNG until the end). Must not change
   * the document. A throw (or a returned Unreadable) skips the target with its message.
   */
  stage(target: T, result: RemoveResult): Promise<S | Unreadable> | S | Unreadable;
  /**
   * Writes every staged result, once, after every image is done; never called after a cancel or a
   * close. Returns the targets it had to skip (deleted meanwhile, changed, refused by the host).
   */
  write(items: ReadonlyArray<WriteItem<T, S>>): Promise<ReadonlyArray<Skip>> | ReadonlyArray<Skip>;
  /** True once the user closed the plugin or panel: the runner stops and writes nothing. */
  isClosed(): boolean;
  progress?(progress: BatchProgress): void;
}

export const isUnreadable = (value: unknown): value is Unreadable =>
  typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'skip' && typeof (value as { reason?: unknown }).reason === 'string';
