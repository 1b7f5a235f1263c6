// Edge controls (contour shift on a disc) and colour decontamination on synthetic composites.
import { describe, expect, it } from 'vitest';
import type { AlphaMatte, RgbaImage } from '../shared-core/src/image.js';
import { applyEdgeControls, estimateForeground } from '@cutout/core/matting';

function disc(W: number, H: number, cx: number, cy: number, rad: number, soft = 1.5): Float32Array {
  const a = new Float32Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) a[y * W + x] = Math.min(1, Math.max(0, (rad - Math.hypot(x - cx, y - cy)) / soft + 0.5));
  return a;
}

/** Mean radius of the 0.5 contour along 16 rays (linear interpolation along each ray). */
function contourRadius(a: Float32Array, W: number, cx: number, cy: number): number {
  let sum = 0;
  for (let k = 0; k < 16; k++) {
    const th = (k * Math.PI) / 8;
    let prev = 1;
    for (let r = 0; r < W; r += 0.05) {
      const v = a[Math.round(cy + r * Math.sin(th)) * W + Math.round(cx + r * Math.cos(th))] as number;
      if (v < 0.5 && prev >= 0.5) {
        sum += r;
        break;
      }
      prev = v;
    }
  }
  return sum / 16;
}

describe('edge controls', () => {
  const W = 200, H = 200, cx = 100.3, cy = 99.6, R = 50;
  it.each([-3, 2, 5])('shift %i px moves the 0.5 contour of a disc by n ± 0.5 px', async (n) => {
    const base = disc(W, H, cx, cy, R);
    const m: AlphaMatte = { width: W, height: H, data: base.slice() };
    await applyEdgeControls(m, { shift: n });
    const r0 = contourRadius(base, W, cx, cy);
    const r1 = contourRadius(m.data, W, cx, cy);
    expect(Math.abs(r1 - r0 - n)).toBeLessThanOrEqual(0.5);
  });

  it('feather softens, hard sharpens, smooth keeps the contour; all stay in [0, 1]', async () => {
    const base = disc(W, H, cx, cy, R, 4);
    const count = (a: Float32Array) => a.reduce((s, v) => s + (v > 0.02 && v < 0.98 ? 1 : 0), 0);
    const f: AlphaMatte = { width: W, height: H, data: base.slice() };
    await applyEdgeControls(f, { feather: 3 });
    expect(count(f.data)).toBeGreaterThan(count(base));
    const hd: AlphaMatte = { width: W, height: H, data: base.slice() };
    await applyEdgeControls(hd, { hard: true });
    expect(count(hd.data)).toBeLessThan(count(base) / 2);
    const s: AlphaMatte = { width: W, height: H, data: base.slice() };
    await applyEdgeControls(s, { smooth: 2 });
    expect(Math.abs(contourRadius(s.data, W, cx, cy) - contourRadius(base, W, cx, cy))).toBeLessThan(1);
    for (const m of [f, hd, s]) expect(m.data.every((v) => v >= 0 && v <= 1)).toBe(true);
  });
});

describe('foreground estimation', () => {
  it('recovers F where 0 < α < 1 and removes background bleed', async () => {
    const W = 160, H = 120;
    const alpha = disc(W, H, 70, 60, 35, 10);
    // hair-like stripes to the right
    for (let y = 10; y < 110; y++) for (let x = 110; x < 150; x++) alpha[y * W + x] = Math.max(alpha[y * W + x] as number, x % 5 === 0 ? 0.6 : x % 5 === 1 ? 0.25 : 0);
    const F = [220, 190, 60];
    const bgAt = (x: number, y: number) => [20 + x * 0.5, 60 + y * 0.3, 200];
    const data = new Uint8ClampedArray(W * H * 4);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
      const i = y * W + x, a = alpha[i] as number, B = bgAt(x, y);
      for (let c = 0; c < 3; c++) data[i * 4 + c] = a * (F[c] as number) + (1 - a) * (B[c] as number);
      data[i * 4 + 3] = 255;
    }
    const image: RgbaImage = { width: W, height: H, data };
    const matte: AlphaMatte = { width: W, height: H, data: alpha };
    const fg = await estimateForeground(image, matte);
    const again = await estimateForeground(image, matte);
    expect(Buffer.from(fg.data).equals(Buffer.from(again.data))).toBe(true);
    // error of F and halo error when composited on a new (black) background
    let errF = 0, haloRaw = 0, haloEst = 0, cnt = 0;
    for (let i = 0; i < W * H; i++) {
      const a = alpha[i] as number;
      if (a <= 0.05 || a >= 0.95) continue;
      cnt++;
      for (let c = 0; c < 3; c++) {
        errF += Math.abs((fg.data[i * 4 + c] as number) - (F[c] as number));
        const truth = a * (F[c] as number);
        haloRaw += Math.abs(a * (data[i * 4 + c] as number) - truth);
        haloEst += Math.abs(a * (fg.data[i * 4 + c] as number) - truth);
      }
    }
    expect(cnt).toBeGreaterThan(500);
    expect(errF / (3 * cnt)).toBeLessThan(20);
    expect(haloEst).toBeLessThan(haloRaw * 0.4);
    // opaque pixels keep the photo
    const centre = (60 * W + 70) * 4;
    expect([fg.data[centre], fg.data[centre + 1], fg.data[centre + 2]]).toEqual([data[centre], data[centre + 1], data[centre + 2]]);
  });
});
