/**
 * Diagnostics probes P3 and P4 (notes, "Design consequences" 8). P3: the bridge's throughput from the
 * panel to the page for 1, 4 and 16 MiB — a `remove` request carrying an image of that size and hints
 * of the wrong size, which the frame's validator refuses at once ('bad_request'), so the round trip is
 * the encoding, the transfer, the reassembly and the validation, with a reply of a few bytes. (The page
 * → panel direction has no echo in the protocol: the report gives the last run's reply instead.)
 * P4: putLayerMask on temporary 8/16/32-bit documents — at the document's depth and as 8-bit data —
 * read back with getLayerMask and compared; each document is closed afterwards.
 */
import { isFrameError, type FrameClient } from '@cutout/protocol';
import { depthOfSamples, samplesToUnit } from './depth.js';
import { messageOf } from './errors.js';
import { inModal } from './modal.js';
import type { Depth, Ps } from './ps-api.js';
import { readLayerMask } from './ps-read.js';
import { putMask } from './ps-write.js';

export interface BridgeSample {
  readonly mib: number;
  readonly ms: number | null;
  readonly error?: string;
}

const now = (): number => Date.now();

export async function probeBridge(client: FrameClient, sizes: ReadonlyArray<number> = [1, 4, 16]): Promise<BridgeSample[]> {
  const out: BridgeSample[] = [];
  for (const mib of sizes) {
    const width = 512;
    const height = 512 * mib; // 512×512 RGBA = 1 MiB
    const image = { width, height, data: new Uint8Array(width * height * 4) };
    const t0 = now();
    try {
      await client.request('remove', { image, hints: { width: 1, height: 1, data: new Uint8Array(1) } });
      out.push({ mib, ms: null, error: 'the frame accepted a request it should have refused' });
    } catch (e) {
      if (isFrameError(e, 'bad_request')) out.push({ mib, ms: now() - t0 });
      else out.push({ mib, ms: null, error: messageOf(e) });
    }
  }
  return out;
}

export interface MaskSample {
  readonly depth: Depth;
  /** 'native': data at the document's depth; '8-bit': 8-bit data into this document. */
  readonly data: 'native' | '8-bit';
  /** Largest difference read back, 0..1; null when the write or the read failed. */
  readonly maxError: number | null;
  readonly readBits?: number;
  readonly error?: string;
}

const W = 64;
const H = 48;

/** A horizontal ramp 0..1 with a hard step in the lower half (so both soft and hard values are compared). */
function testPlane(): Float32Array {
  const p = new Float32Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) p[y * W + x] = y < H / 2 ? x / (W - 1) : x < W / 2 ? 0 : 1;
  return p;
}

async function probeOne(ps: Ps, depth: Depth, data: 'native' | '8-bit'): Promise<MaskSample> {
  try {
    return await inModal(ps, 'Cutout diagnostics', async () => {
      const doc = await ps.app.createDocument({ name: `Cutout probe ${depth}-bit`, width: W, height: H, resolution: 72, mode: 'RGBColorMode', fill: 'transparent', depth });
      if (!doc) throw new Error('createDocument returned nothing');
      try {
        const layer = Array.from(doc.activeLayers)[0] ?? (await doc.createPixelLayer({ name: 'probe' }));
        if (!layer) throw new Error('the probe document has no layer');
        const plane = testPlane();
        const extent = { left: 0, top: 0, right: W, bottom: H };
        await putMask(ps, doc.id, layer.id, plane, extent, data === 'native' ? depth : 8);
        const back = await readLayerMask(ps, doc.id, layer.id, extent);
        const values = samplesToUnit(back.data);
        if (values.length !== plane.length) return { depth, data, maxError: null, error: `read back ${back.width}×${back.height} instead of ${W}×${H}` };
        let max = 0;
        for (let i = 0; i < plane.length; i++) max = Math.max(max, Math.abs((values[i] as number) - (plane[i] as number)));
        const readBits = depthOfSamples(back.data);
        return { depth, data, maxError: max, readBits };
      } finally {
        doc.closeWithoutSaving();
      }
    });
  } catch (e) {
    return { depth, data, maxError: null, error: messageOf(e) };
  }
}

export async function probeMasks(ps: Ps): Promise<MaskSample[]> {
  const out: MaskSample[] = [];
  for (const depth of [8, 16, 32] as const) {
    out.push(await probeOne(ps, depth, 'native'));
    if (depth !== 8) out.push(await probeOne(ps, depth, '8-bit'));
  }
  return out;
}
