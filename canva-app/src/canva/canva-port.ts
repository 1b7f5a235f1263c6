/**
 * The host-kit port for Canva (house style rule 1): read a selected image's bytes, stage its
 * cut-out (encode, then upload with `parentRef` = the original), and write all of them at once:
 * Replace sets each draft item's `ref` and saves the draft once; "Add as new image" adds them.
 * Uploading is not a document change; nothing in the design changes before `write`.
 */
import type { HostPort, Skip, Unreadable } from '@cutout/host-kit';
import type { RemoveResult } from '@cutout/protocol';
import type { MessageDescriptor } from 'react-intl';
import { strings } from '../i18n/strings.js';
import { encodeForUpload, thumbnailFor, type OutputEncoders } from '../image/encode-output.js';
import { isAnimatedGif, sniffImage } from '../image/sniff.js';
import { addAsNewImage, downloadImage, uploadCutout, type ContentDraft, type ImageRef, type SelectedImage } from './adapter.js';
import { describeFailure } from './errors.js';

export interface CanvaTarget {
  readonly index: number;
  readonly ref: ImageRef;
  readonly name: string;
}

export interface CanvaStaged {
  readonly ref: ImageRef;
  /** Set when the cut-out had to be made smaller than the original. */
  readonly downscaledTo: { readonly width: number; readonly height: number } | null;
}

export type WriteMode = 'replace' | 'add';

export type Translate = (message: MessageDescriptor, values?: Readonly<Record<string, string | number>>) => string;

export interface CanvaPortOptions {
  readonly draft: ContentDraft<SelectedImage>;
  readonly mode: WriteMode;
  readonly t: Translate;
  /** True once the selection changed away from the draft's images (stale draft). */
  readonly isStale: () => boolean;
  readonly isClosed: () => boolean;
  readonly onProgress?: HostPort<CanvaTarget, CanvaStaged>['progress'];
  readonly onStaged?: (staged: CanvaStaged) => void;
  readonly encoders?: OutputEncoders;
}

const skip = (reason: string): Unreadable => ({ kind: 'skip', reason });

export function targetsOf(draft: ContentDraft<SelectedImage>, name: (index: number) => string): CanvaTarget[] {
  return draft.contents.map((item, index) => ({ index, ref: item.ref, name: name(index) }));
}

export function createCanvaPort(options: CanvaPortOptions): HostPort<CanvaTarget, CanvaStaged> {
  const { draft, mode, t } = options;
  const failure = (e: unknown): string => {
    const f = describeFailure(e);
    return t(f.message, f.values);
  };
  return {
    name: (target) => target.name,
    async read(target) {
      let bytes: Uint8Array;
      try {
        bytes = await downloadImage(target.ref);
      } catch (e) {
        // e.g. getTemporaryUrl's rate limit (20 calls / 10 s): Canva's code, in words the user can act on.
        return skip(failure(e));
      }
      const kind = sniffImage(bytes);
      if (kind === 'svg') return skip(t(strings.svg));
      if (kind === 'unknown' || kind === 'heic' || kind === 'tiff') return skip(t(strings.notRaster));
      if (isAnimatedGif(bytes)) return skip(t(strings.animatedGif));
      return { kind: 'encoded', data: bytes };
    },
    async stage(target, result: RemoveResult) {
      const cutout = result.cutout;
      if (!cutout) return skip(t(strings.generic, { detail: 'no cut-out' }));
      const image = { width: cutout.width, height: cutout.height, data: cutout.data };
      try {
        const out = await encodeForUpload(image, options.encoders);
        const ref = await uploadCutout({
          dataUrl: out.dataUrl,
          mimeType: out.mimeType,
          thumbnailUrl: await thumbnailFor(image, options.encoders),
          width: out.width,
          height: out.height,
          name: `${t(strings.cutoutName)}: ${target.name}`.slice(0, 255),
          parentRef: target.ref,
        });
        const staged: CanvaStaged = { ref, downscaledTo: out.downscaled ? { width: out.width, height: out.height } : null };
        options.onStaged?.(staged);
        return staged;
      } catch (e) {
        return skip(failure(e));
      }
    },
    async write(items) {
      if (items.length === 0) return []; // nothing was made: the draft is not touched
      if (options.isStale()) return items.map(({ target }) => ({ name: target.name, reason: t(strings.stale) }));
      const skipped: Skip[] = [];
      if (mode === 'add') {
        for (const { target, staged } of items) {
          await addAsNewImage(staged.ref, t(strings.altText)).catch((e: unknown) => skipped.push({ name: target.name, reason: failure(e) }));
        }
        return skipped;
      }
      for (const { target, staged } of items) {
        const item = draft.contents[target.index];
        if (item) item.ref = staged.ref;
      }
      try {
        await draft.save();
      } catch (e) {
        return items.map(({ target }) => ({ name: target.name, reason: failure(e) }));
      }
      return skipped;
    },
    isClosed: options.isClosed,
    ...(options.onProgress ? { progress: options.onProgress } : {}),
  };
}
