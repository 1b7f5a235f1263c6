/**
 * A raster in document coordinates: `channels` float components (0..1) per pixel over `rect`, and a
 * constant value (`outside`) everywhere else. Layer pixels are native colour + alpha with a transparent
 * outside; masks and the selection are one gray channel whose outside is the mask's default colour.
 * Values are quantised to the document depth when stored, so reading back at that depth is exact.
 */
import { isEmpty, type Depth, type Rect } from './fake-ps-types.js';

function quantize(v: number, depth: Depth): number {
  const c = Math.min(1, Math.max(0, v));
  if (depth === 8) return Math.round(c * 255) / 255;
  if (depth === 16) return Math.round(c * 32768) / 32768;
  return v;
}

export class Plane {
  constructor(
    public rect: Rect,
    readonly channels: number,
    public data: Float32Array,
    public outside: readonly number[],
  ) {}

  static filled(rect: Rect, channels: number, value: readonly number[], outside: readonly number[] = value): Plane {
    const w = Math.max(0, rect.right - rect.left);
    const h = Math.max(0, rect.bottom - rect.top);
    const data = new Float32Array(w * h * channels);
    for (let i = 0; i < w * h; i++) for (let c = 0; c < channels; c++) data[i * channels + c] = value[c] ?? 0;
    return new Plane({ ...rect }, channels, data, outside);
  }

  get width(): number {
    return this.rect.right - this.rect.left;
  }
  get height(): number {
    return this.rect.bottom - this.rect.top;
  }

  /** Component `c` at document pixel (x, y). */
  at(x: number, y: number, c: number): number {
    const r = this.rect;
    if (x < r.left || y < r.top || x >= r.right || y >= r.bottom) return this.outside[c] ?? 0;
    return this.data[((y - r.top) * this.width + (x - r.left)) * this.channels + c] as number;
  }

  /** Grows the stored rectangle to include `want`, filling new area with `outside`. */
  ensure(want: Rect): void {
    const r = this.rect;
    if (want.left >= r.left && want.top >= r.top && want.right <= r.right && want.bottom <= r.bottom) return;
    const next = isEmpty(r) ? { ...want } : { left: Math.min(r.left, want.left), top: Math.min(r.top, want.top), right: Math.max(r.right, want.right), bottom: Math.max(r.bottom, want.bottom) };
    const grown = Plane.filled(next, this.channels, this.outside, this.outside);
    for (let y = r.top; y < r.bottom; y++) {
      for (let x = r.left; x < r.right; x++) {
        for (let c = 0; c < this.channels; c++) grown.set(x, y, c, this.at(x, y, c));
      }
    }
    this.rect = grown.rect;
    this.data = grown.data;
  }

  /** Sets a component inside the stored rectangle (call `ensure` first). */
  set(x: number, y: number, c: number, v: number): void {
    this.data[((y - this.rect.top) * this.width + (x - this.rect.left)) * this.channels + c] = v;
  }

  /** The bounding box of pixels whose component `c` is above 0 (a layer's pixel content when c is alpha). */
  contentBounds(c: number): Rect {
    let left = Infinity;
    let top = Infinity;
    let right = -Infinity;
    let bottom = -Infinity;
    const r = this.rect;
    for (let y = r.top; y < r.bottom; y++) {
      for (let x = r.left; x < r.right; x++) {
        if (this.at(x, y, c) <= 0) continue;
        left = Math.min(left, x);
        top = Math.min(top, y);
        right = Math.max(right, x + 1);
        bottom = Math.max(bottom, y + 1);
      }
    }
    return left === Infinity ? { left: 0, top: 0, right: 0, bottom: 0 } : { left, top, right, bottom };
  }

  /**
   * The pixels of `region` at `width`×`height`, chunky, `channels` components: a box average of the
   * source pixels each target pixel covers (a plain area downscale; equal sizes copy exactly).
   */
  read(region: Rect, width: number, height: number): Float32Array {
    const out = new Float32Array(width * height * this.channels);
    const sw = region.right - region.left;
    const sh = region.bottom - region.top;
    for (let ty = 0; ty < height; ty++) {
      const y0 = region.top + Math.floor((ty * sh) / height);
      const y1 = Math.max(y0 + 1, region.top + Math.floor(((ty + 1) * sh) / height));
      for (let tx = 0; tx < width; tx++) {
        const x0 = region.left + Math.floor((tx * sw) / width);
        const x1 = Math.max(x0 + 1, region.left + Math.floor(((tx + 1) * sw) / width));
        for (let c = 0; c < this.channels; c++) {
          let sum = 0;
          for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) sum += this.at(x, y, c);
          out[(ty * width + tx) * this.channels + c] = sum / ((y1 - y0) * (x1 - x0));
        }
      }
    }
    return out;
  }

  /** Writes chunky `src` (`channels` components) at document position (left, top), quantised to `depth`. */
  write(left: number, top: number, width: number, height: number, src: Float32Array, depth: Depth): void {
    this.ensure({ left, top, right: left + width, bottom: top + height });
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        for (let c = 0; c < this.channels; c++) this.set(left + x, top + y, c, quantize(src[(y * width + x) * this.channels + c] as number, depth));
      }
    }
  }

  clone(): Plane {
    return new Plane({ ...this.rect }, this.channels, this.data.slice(), [...this.outside]);
  }
}
