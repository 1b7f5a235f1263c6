/**
 * The Figma side of the host kit's batch runner (HostPort). read: the image file's bytes
 * (`getBytesAsync`, FD-img: the file as stored, full resolution) — the sandbox cannot decode, the
 * frame does. stage: `createImage` as each result arrives, keeping only its hash (F5; an image no
 * node uses changes no node). write: every document change in one synchronous block after the
 * last await (one undo step), then the results are selected (F9).
 */
import type { HostPort, Skip, Unreadable, WriteItem } from '@cutout/host-kit';
import type { RemoveResult } from '@cutout/protocol';
import { PluginError, messageOf } from './errors.js';
import { applyMask } from './mask-group.js';
import { fitSize, isGif } from './paints.js';
import type { Target } from './selection.js';
import { applyLayer, applyRefine, type Notes, type Staged } from './write-back.js';

interface Sizes {
  /** The source image's size as Figma reports it (getSizeAsync, FT L12753). */
  readonly source: { readonly width: number; readonly height: number };
  /** Width of the image in the paint being replaced (the source, or an earlier result). */
  readonly replacedWidth: number;
}

export interface FigmaPort extends HostPort<Target, Staged> {
  readonly notes: Notes;
}

const skip = (reason: string): Unreadable => ({ kind: 'skip', reason });

function targetRemoved(t: Target): boolean {
  return t.node.removed || (t.kind === 'refine' && t.owner.removed);
}

/**
 * EXIF orientation (F11, unconfirmed: review Q7). The frame decodes like a browser, applying the
 * orientation; whether Figma's own size and rendering do is undocumented. A result whose size is
 * the source's transposed means the two disagree, and writing it would rotate or stretch the
 * result: refused rather than guessed. (A square image cannot be told apart.)
 */
function sizeProblem(sizes: Sizes, png: { width: number; height: number }): string | null {
  const want = fitSize(sizes.source.width, sizes.source.height);
  if (png.width === want.width && png.height === want.height) return null;
  if (png.width === want.height && png.height === want.width) {
    return 'is rotated by its EXIF orientation, which Figma shows differently';
  }
  return `came back at ${png.width}×${png.height} instead of ${want.width}×${want.height}`;
}

export function createFigmaPort(isClosed: () => boolean): FigmaPort {
  const sizes = new Map<Target, Sizes>();
  const notes: Notes = { hiddenFills: 0, detachedStyles: [] };
  return {
    notes,
    isClosed,
    name: (t) => t.name,

    async read(t) {
      if (targetRemoved(t)) return skip('was deleted during the run');
      const image = figma.getImageByHash(t.sourceHash);
      // getImageByHash "returns null" for a hash the file no longer has (FT L1779-1782; F10).
      if (!image) return skip(t.sourceHash === t.paintHash ? 'has an image Figma cannot find' : 'has lost its original image (no longer in the file)');
      const [bytes, source] = await Promise.all([image.getBytesAsync(), image.getSizeAsync()]);
      if (isGif(bytes)) return skip('is a GIF (its animation would be lost)');
      const replaced = t.paintHash === t.sourceHash ? null : figma.getImageByHash(t.paintHash);
      const replacedWidth = replaced ? (await replaced.getSizeAsync()).width : source.width;
      sizes.set(t, { source, replacedWidth });
      return { kind: 'encoded', data: bytes };
    },

    stage(t, result: RemoveResult) {
      const png = result.png;
      const known = sizes.get(t);
      sizes.delete(t);
      if (!png || !known) return skip('came back without an image');
      const problem = sizeProblem(known, png);
      if (problem) return skip(problem);
      const hash = figma.createImage(png.data).hash;
      const hintsHash = result.hintsPng ? figma.createImage(result.hintsPng).hash : undefined;
      return { hash, hintsHash, ratio: known.replacedWidth / png.width };
    },

    // Synchronous on purpose: the runner calls it after its last await, so this is one block.
    write(items: ReadonlyArray<WriteItem<Target, Staged>>): Skip[] {
      const skipped: Skip[] = [];
      const results: SceneNode[] = [];
      for (const { target: t, staged } of items) {
        if (targetRemoved(t)) {
          skipped.push({ name: t.name, reason: 'was deleted during the run' });
          continue;
        }
        try {
          if (t.kind === 'refine') results.push(applyRefine(t, staged, notes));
          else if (t.mode === 'layer') results.push(applyLayer(t, staged, notes));
          else results.push(applyMask(t, staged));
        } catch (e) {
          // Our own refusals read as a reason ("had its image replaced during the run"); Figma's errors are quoted.
          skipped.push({ name: t.name, reason: e instanceof PluginError ? e.message : `could not be written (${messageOf(e)})` });
        }
      }
      selectResults(results);
      return skipped;
    },
  };
}

function pageOf(node: BaseNode): BaseNode | null {
  let n: BaseNode | null = node;
  while (n && n.type !== 'PAGE') n = n.parent;
  return n;
}

/** Selects what the run made (F9), so its relaunch buttons show at once; results on another page are left out. */
function selectResults(results: ReadonlyArray<SceneNode>): void {
  const page = figma.currentPage;
  const here = results.filter((n) => !n.removed && pageOf(n) === page);
  if (here.length) page.selection = here;
}
