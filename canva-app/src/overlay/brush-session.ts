/**
 * The brush, without a framework: the selected image, the network alpha computed once (the model
 * and .wasm come from the cache the panel filled), and the user's strokes. Every stroke becomes
 * trimap hints (the frame's `rasteriseStrokes`) and the matte is re-solved around them by the
 * core (`refineFrom`: no new model run). `save` uploads the cut-out with the original as
 * `parentRef` and replaces the image in the draft.
 */
import type { AlphaMatte, MatteResult, RgbaImage } from '@cutout/core';
import { rasteriseStrokes, type Stroke } from '@cutout/frame/brush';
import { decodeImage } from '@cutout/frame/image-codec';
import type { EngineLike } from '@cutout/frame/server';
import { downloadImage, uploadCutout, type ContentDraft, type SelectedImage } from '../canva/adapter.js';
import { encodeForUpload, thumbnailFor } from '../image/encode-output.js';

export interface BrushSession {
  readonly image: RgbaImage;
  /** The current matte (after the latest stroke). */
  matte(): AlphaMatte;
  addStroke(stroke: Stroke): Promise<AlphaMatte>;
  /** Uploads the cut-out and replaces the image; returns false when there is nothing to save. */
  save(name: string): Promise<boolean>;
  dispose(): Promise<void>;
}

export async function openBrushSession(engine: EngineLike, draft: ContentDraft<SelectedImage>, signal?: AbortSignal): Promise<BrushSession> {
  const item = draft.contents[0];
  if (!item) throw new Error('No image is selected.');
  const original = item.ref;
  const image = await decodeImage(await downloadImage(original, signal));
  const { lowRes, session } = await engine.predict(image, { signal });
  const remover = session.remover;
  let current: MatteResult = await remover.refineFrom(image, lowRes, { signal });
  const strokes: Stroke[] = [];
  return {
    image,
    matte: () => current.matte,
    async addStroke(stroke) {
      strokes.push(stroke);
      const hints = rasteriseStrokes(image.width, image.height, strokes);
      current = await remover.refineFrom(image, lowRes, { hints });
      return current.matte;
    },
    async save(name) {
      const cut = await remover.cutoutFrom(image, current);
      const out = await encodeForUpload(cut.image);
      const ref = await uploadCutout({
        dataUrl: out.dataUrl,
        mimeType: out.mimeType,
        thumbnailUrl: await thumbnailFor(cut.image),
        width: out.width,
        height: out.height,
        name,
        parentRef: original,
      });
      item.ref = ref;
      await draft.save();
      return true;
    },
    dispose: () => engine.dispose(),
  };
}

/** The image with the matte as alpha, for the preview canvas (no colour clean-up: that is for the saved result). */
export function previewPixels(image: RgbaImage, matte: AlphaMatte): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(image.width * image.height * 4);
  out.set(image.data);
  for (let i = 0; i < matte.data.length; i++) out[i * 4 + 3] = Math.round((matte.data[i] as number) * 255);
  return out;
}
