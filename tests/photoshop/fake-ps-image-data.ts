/**
 * PhotoshopImageData (IM L100-128, DT ImagingModule.d.ts) and `createImageDataFromBuffer` (IM L319-339).
 * Component sizes: 8 → Uint8Array 0..255, 16 → Uint16Array 0..32768 ("not 65535") unless `fullRange`,
 * 32 → Float32Array 0..1 (IM L60-66, L108-112). `dispose()` releases synchronously (IM L121-128; DT
 * types it as returning a Promise, so the fake returns a resolved one); any use after dispose throws.
 * A registry counts created vs disposed image data so a test can assert nothing leaked.
 */
import type { imaging } from 'photoshop/dom/ImagingModule';
import { PhotoshopError, type Depth } from './fake-ps-types.js';

type Typed = Uint8Array | Uint16Array | Float32Array;
type ColorSpace = imaging.ColorSpace;

export class ImageDataRegistry {
  created = 0;
  disposed = 0;
  readonly live = new Set<FakeImageData>();
  /** Image data still holding memory (created and not disposed). */
  get undisposed(): number {
    return this.live.size;
  }
}

/** By the built-in tag, not `instanceof`: the plugin runs in happy-dom's window, another realm. */
function depthOfArray(a: unknown): Depth | null {
  if (!ArrayBuffer.isView(a)) return null;
  const tag = Object.prototype.toString.call(a);
  return tag === '[object Uint8Array]' ? 8 : tag === '[object Uint16Array]' ? 16 : tag === '[object Float32Array]' ? 32 : null;
}

/** Unit floats → the typed array of a component size (16-bit in Photoshop's reduced range). */
export function fromUnit(src: Float32Array, depth: Depth): Typed {
  if (depth === 32) return Float32Array.from(src);
  const max = depth === 8 ? 255 : 32768;
  const out = depth === 8 ? new Uint8Array(src.length) : new Uint16Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = Math.round(Math.min(1, Math.max(0, src[i] as number)) * max);
  return out;
}

/** A loop, not `Float32Array.from(src, fn)`, which goes through the iterator protocol (seconds at 12 MP). */
function toUnit(src: Typed, depth: Depth): Float32Array {
  const max = depth === 32 ? 1 : depth === 8 ? 255 : 32768;
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = (src[i] as number) / max;
  return out;
}

function pixelFormat(space: ColorSpace, alpha: boolean): imaging.PixelFormat {
  if (space === 'Grayscale') return alpha ? 'GrayscaleAlpha' : 'Grayscale';
  if (space === 'Lab') return alpha ? 'LABAlpha' : 'LAB';
  return alpha ? 'RGBA' : 'RGB';
}

export class FakeImageData implements imaging.PhotoshopImageData {
  readonly hasAlpha: boolean;
  readonly pixelFormat: imaging.PixelFormat;
  readonly chunky = true;
  readonly type = 'image/uncompressed';
  private store: Typed | null;

  /** `data` is chunky, in the stored range of `componentSize` (16-bit: 0..32768). */
  constructor(
    private readonly registry: ImageDataRegistry,
    readonly width: number,
    readonly height: number,
    readonly components: number,
    readonly componentSize: Depth,
    readonly colorSpace: ColorSpace,
    readonly colorProfile: string,
    data: Typed,
  ) {
    const base = colorSpace === 'Grayscale' ? 1 : 3;
    if (components !== base && components !== base + 1) throw new PhotoshopError(`${components} components do not fit the ${colorSpace} color space`);
    this.hasAlpha = components === base + 1;
    this.pixelFormat = pixelFormat(colorSpace, this.hasAlpha);
    this.store = data;
    registry.created++;
    registry.live.add(this);
  }

  get isDisposed(): boolean {
    return this.store === null;
  }

  /** The chunky data in its stored range, for the fake's own use; throws after dispose. */
  raw(): Typed {
    if (!this.store) throw new PhotoshopError('The image data has been disposed');
    return this.store;
  }
  unit(): Float32Array {
    return toUnit(this.raw(), this.componentSize);
  }

  /** A copy, chunky by default or planar (`chunky: false`); 16-bit `fullRange` scales to 0..65535 (IM L108-112). */
  async getData(options: imaging.GetDataOptions = {}): Promise<Typed> {
    const src = this.raw();
    let out: Typed = src.slice();
    if (this.componentSize === 16 && options.fullRange) out = Uint16Array.from(src, (v) => Math.min(65535, Math.round((v * 65535) / 32768)));
    if (options.chunky === false) {
      const planar = out.slice();
      const n = this.width * this.height;
      for (let i = 0; i < n; i++) for (let c = 0; c < this.components; c++) planar[c * n + i] = out[i * this.components + c] as number;
      out = planar;
    }
    return out;
  }

  dispose(): Promise<void> {
    if (this.store) {
      this.store = null;
      this.registry.disposed++;
      this.registry.live.delete(this);
    }
    return Promise.resolve();
  }
}

/** IM L319-339: `array.length === width*height*components`; the array type gives the component size. */
export function createImageDataFromBuffer(registry: ImageDataRegistry, array: unknown, options: imaging.CreateImageDataFromBufferOptions): FakeImageData {
  const depth = depthOfArray(array);
  if (depth === null) throw new PhotoshopError('createImageDataFromBuffer: the buffer must be a Uint8Array, Uint16Array or Float32Array');
  const src = array as Typed;
  const { width, height, components } = options;
  if (![width, height, components].every((v) => Number.isInteger(v) && v > 0)) throw new PhotoshopError('createImageDataFromBuffer: width, height and components must be positive integers');
  if (src.length !== width * height * components) {
    throw new PhotoshopError(`createImageDataFromBuffer: the buffer holds ${src.length} elements, width*height*components is ${width * height * components}`);
  }
  const space = options.colorSpace;
  if (space !== 'RGB' && space !== 'Grayscale' && space !== 'Lab') throw new PhotoshopError(`createImageDataFromBuffer: unsupported colorSpace ${String(space)}`);
  let data: Typed = src.slice();
  if (depth === 16 && options.fullRange) data = Uint16Array.from(src as Uint16Array, (v) => Math.round((v * 32768) / 65535));
  if (options.chunky === false) {
    const chunky = data.slice();
    const n = width * height;
    for (let i = 0; i < n; i++) for (let c = 0; c < components; c++) chunky[i * components + c] = data[c * n + i] as number;
    data = chunky;
  }
  return new FakeImageData(registry, width, height, components, depth, space, options.colorProfile ?? '', data);
}
