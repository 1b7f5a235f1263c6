/**
 * The frame's readers for model files beside a page-relative base when fetch is not possible
 * (packages/frame/src/local-files.ts): the host's `asset` pieces through the FrameServer's protocol
 * checks, in order, and the asset loader verifying what a reader hands it. The script-part reader runs
 * in Chromium (tests/browser/photoshop-e2e.test.ts, fetch refused).
 */
import { describe, expect, it } from 'vitest';
import { isCoreError } from '@cutout/core';
import { LIMITS, parseHostMessage } from '@cutout/protocol';
import { AssetLoader } from '../packages/frame/src/asset-loader.js';
import { createAssetCache } from '../packages/frame/src/asset-cache.js';
import { HostFiles } from '../packages/frame/src/local-files.js';
import { sha256Hex } from '../packages/frame/src/fetch-verified.js';

const piece = (path: string, offset: number, total: number, data: Uint8Array) => ({ path, offset, total, data });
const asset = (payload: Record<string, unknown>) => parseHostMessage({ v: 1, kind: 'request', id: 'a1', method: 'asset', payload });

describe('asset requests (modelDelivery host)', () => {
  it('accepts models/<file> and ort/<file> pieces and refuses paths out of the base, empty or oversized pieces and overruns', () => {
    expect(asset(piece('models/x.onnx', 0, 3, new Uint8Array([1, 2, 3]))).ok).toBe(true);
    expect(asset(piece('ort/ort.wasm', 2, 3, new Uint8Array([3]))).ok).toBe(true);
    for (const path of ['../x.onnx', 'models/../x', 'models/sub/x', '/models/x', 'other/x', 'models/']) expect(asset(piece(path, 0, 1, new Uint8Array(1)))).toMatchObject({ ok: false, id: 'a1' });
    expect(asset(piece('models/x', 0, 1, new Uint8Array(0)))).toMatchObject({ ok: false });
    expect(asset(piece('models/x', 0, LIMITS.maxAssetBytes, new Uint8Array(LIMITS.maxAssetChunkBytes + 1)))).toMatchObject({ ok: false });
    expect(asset(piece('models/x', 2, 3, new Uint8Array(2)))).toMatchObject({ ok: false, reason: expect.stringMatching(/runs past/) });
    expect(asset(piece('models/x', 0, LIMITS.maxAssetBytes + 1, new Uint8Array(1)))).toMatchObject({ ok: false });
  });

  it('assembles pieces in order, refuses one out of order, restarts at offset 0 and reads only complete files', async () => {
    const files = new HostFiles();
    files.put(piece('models/x.onnx', 0, 5, new Uint8Array([1, 2])));
    await expect(files.read('models/x.onnx')).rejects.toThrow(/only 2 of 5 bytes/);
    expect(() => files.put(piece('models/x.onnx', 3, 5, new Uint8Array([4, 5])))).toThrow(/expected the piece at 2/);
    files.put(piece('models/x.onnx', 2, 5, new Uint8Array([3, 4, 5])));
    expect([...(await files.read('models/x.onnx'))]).toEqual([1, 2, 3, 4, 5]);
    files.put(piece('models/x.onnx', 0, 1, new Uint8Array([9])));
    expect([...(await files.read('models/x.onnx'))]).toEqual([9]);
    files.release('models/x.onnx');
    await expect(files.read('models/x.onnx')).rejects.toThrow(/has not sent models\/x.onnx/);
  });

  it('the loader verifies what the host sent by size and sha256, and reads the manifest through it', async () => {
    const files = new HostFiles();
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);
    const expected = { url: '', bytes: bytes.length, sha256: sha256Hex(bytes) };
    const loader = new AssetLoader('https://page.test/', createAssetCache({ cacheStorage: false, indexedDb: false }), () => undefined, undefined, undefined, null, files);
    const good = { ...expected, url: `${loader.baseUrl}models/m.onnx` };
    files.put(piece('models/m.onnx', 0, bytes.length, bytes));
    expect((await loader.load(good)).bytes).toEqual(bytes);
    const altered = bytes.slice();
    altered[10] = 0;
    files.put(piece('models/m.onnx', 0, bytes.length, altered));
    const failed = await loader.load(good).catch((e: unknown) => e);
    expect(isCoreError(failed, 'model_integrity')).toBe(true);
    await expect(loader.manifest('m')).rejects.toThrow(/has not sent models\/m.json/);
  });
});
