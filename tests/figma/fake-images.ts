/// <reference types="@figma/plugin-typings" />
/**
 * Images (FT L12742 `Image`): handles to files stored by Figma, not nodes. `hash` is "a unique hash
 * of the contents of the image file" (FT L12744): opaque. The fake's hashes deliberately do not look
 * like sha1 hex (base64url of sha256, 32 characters, "img" prefix), so no test can depend on a format.
 */
import { createHash } from 'node:crypto';
import { exifOrientation, imageInfo } from './image-info.js';
import type { FakeOptions } from './fake-types.js';

/** Figma's createImage limit: "Images have a maximum size of 4096 pixels (4K) in width and height" (FT L1740, FD-ci). */
const MAX_IMAGE_SIDE = 4096;

function opaqueHash(data: Uint8Array): string {
  return `img${createHash('sha256').update(data).digest('base64url').slice(0, 29)}`;
}

export class FakeImage {
  constructor(
    readonly hash: string,
    private readonly bytes: Uint8Array,
    /** Size in the file header (before any EXIF orientation). */
    readonly width: number,
    readonly height: number,
    private readonly options: () => FakeOptions,
  ) {}
  /** "The contents of the corresponding image file" (FT L12748; FD-img): the file as stored, EXIF included. */
  async getBytesAsync(): Promise<Uint8Array> {
    return this.bytes.slice();
  }
  /**
   * FT L12752. Whether Figma reports the EXIF-oriented size is undocumented (review D10/Q7): 'raw' by
   * default, switchable with `exifSize: 'oriented'`.
   */
  async getSizeAsync(): Promise<{ width: number; height: number }> {
    const swap = this.options().exifSize === 'oriented' && exifOrientation(this.bytes) >= 5;
    return swap ? { width: this.height, height: this.width } : { width: this.width, height: this.height };
  }
}

export class ImageStore {
  private readonly images = new Map<string, FakeImage>();
  constructor(private readonly options: () => FakeOptions) {}

  /** figma.createImage (FT L1740; FD-ci: "Image is too small / too large / type is unsupported"). */
  create(data: Uint8Array): FakeImage {
    if (!(data instanceof Uint8Array)) throw new Error('createImage expects a Uint8Array');
    const info = imageInfo(data);
    if (!info) throw new Error('Image type is unsupported');
    if (info.width < 1 || info.height < 1) throw new Error('Image is too small');
    if (info.width > MAX_IMAGE_SIDE || info.height > MAX_IMAGE_SIDE) throw new Error('Image is too large');
    return this.add(data, info.width, info.height);
  }

  /**
   * Test set-up only: an image above 4096 px "dropped in by a user". UNCONFIRMED ASSUMPTION (review
   * D8/F14/Q8): FD-img says images "can be up to 4096 pixels (4K)"; whether Figma ever stores a larger
   * original is unknown until checked in a real client.
   */
  addUnchecked(data: Uint8Array, width: number, height: number): FakeImage {
    return this.add(data, width, height);
  }

  private add(data: Uint8Array, width: number, height: number): FakeImage {
    const hash = opaqueHash(data);
    const existing = this.images.get(hash);
    if (existing) return existing;
    const image = new FakeImage(hash, data.slice(), width, height, this.options);
    this.images.set(hash, image);
    return image;
  }

  /** figma.getImageByHash: "If there is no image with this hash, returns null" (FT L1780). */
  get(hash: string): FakeImage | null {
    return this.images.get(hash) ?? null;
  }

  has(hash: string): boolean {
    return this.images.has(hash);
  }

  /** Keeps only the given hashes (reload: see FakeFigma.reload). Returns the dropped hashes. */
  retain(referenced: ReadonlySet<string>): string[] {
    const dropped = [...this.images.keys()].filter((h) => !referenced.has(h));
    for (const h of dropped) this.images.delete(h);
    return dropped;
  }
}
