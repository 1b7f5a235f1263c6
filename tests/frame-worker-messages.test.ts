/** The messages between the frame and its inference worker: parsing both ways, and what gets transferred. */
import { describe, expect, it } from 'vitest';
import type { ModelManifest } from '@cutout/core';
import { parseWorkerReply, parseWorkerRequest, transferable, transferList } from '../packages/frame/src/worker-messages.js';

const manifest = { id: 'm', input: { name: 'input', shape: [1, 3, 8, 8] } } as unknown as ModelManifest;

describe('worker messages', () => {
  it('parses valid replies and requests, and rejects malformed ones', () => {
    expect(parseWorkerReply({ kind: 'pong', id: 1, webgpu: false })).toEqual({ kind: 'pong', id: 1, webgpu: false });
    expect(parseWorkerReply({ kind: 'created', id: 2, session: 1, backend: 'wasm' })).toMatchObject({ kind: 'created', backend: 'wasm' });
    expect(parseWorkerReply({ kind: 'failed', id: 3, code: 'gpu_lost', message: 'lost' })).toMatchObject({ code: 'gpu_lost' });
    expect(parseWorkerReply({ kind: 'failed', id: 4, code: 'busy', message: 'running' })).toMatchObject({ code: 'busy' });
    for (const bad of [null, 'pong', { kind: 'pong', webgpu: true }, { kind: 'pong', id: -1, webgpu: true }, { kind: 'pong', id: 1 }, { kind: 'nope', id: 1 }, { kind: 'output', id: 1, output: [1, 2] }, { kind: 'failed', id: 1, code: 'bad_request', message: '' }, { kind: 'created', id: 1, session: 1, backend: 'cpu' }]) {
      expect(parseWorkerReply(bad), JSON.stringify(bad)).toBeNull();
    }
    const create = { kind: 'create', id: 1, manifest, bytes: new Uint8Array(4), options: { backend: 'wasm', build: 'wasm', numThreads: 1, wasmBinary: undefined } };
    expect(parseWorkerRequest(create)).toMatchObject({ kind: 'create', options: { backend: 'wasm', build: 'wasm', numThreads: 1 } });
    expect(parseWorkerRequest({ ...create, options: { ...create.options, build: 'jsep' } })).toMatchObject({ options: { build: 'jsep' } });
    expect(parseWorkerRequest({ ...create, bytes: [1, 2] })).toBeNull();
    expect(parseWorkerRequest({ ...create, options: { backend: 'wasm', build: 'wasm', numThreads: 0 } })).toBeNull();
    expect(parseWorkerRequest({ ...create, options: { backend: 'wasm', numThreads: 1 } })).toBeNull();
    expect(parseWorkerRequest({ ...create, options: { ...create.options, build: 'webgl' } })).toBeNull();
    expect(parseWorkerRequest({ kind: 'run', id: 1, session: 1, input: new Float64Array(1) })).toBeNull();
  });

  it('transfers whole buffers only, and copies views into larger ones', () => {
    const input = new Float32Array(16);
    expect(transferList({ kind: 'run', id: 1, session: 1, input })).toEqual([input.buffer]);
    const view = new Float32Array(new ArrayBuffer(128), 16, 4);
    expect(transferList({ kind: 'output', id: 1, output: view })).toEqual([]);
    const own = transferable(view);
    expect(own).not.toBe(view);
    expect(own.buffer.byteLength).toBe(16);
    expect(transferable(input)).toBe(input);
    expect(transferList({ kind: 'ping', id: 1 })).toEqual([]);
  });
});
