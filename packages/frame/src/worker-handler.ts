/**
 * The inference worker's logic, apart from the worker global so Node tests can drive it: sessions
 * by number, created with the same onnxruntime-web runtime (and options) the main thread uses.
 *
 * Requests are handled one at a time, in arrival order. ORT's `run` awaits inside, so without this
 * a `release` (or a second `run`) arriving mid-run would be handled while the first still uses the
 * session. It is also what makes a run after a cancelled one wait until the worker is free.
 */
import type { InferenceRuntime, InferenceSession } from '@cutout/core';
import { CoreError } from '@cutout/core';
import type { OrtWebOptions } from '@cutout/core-web';
import { parseWorkerRequest, replyError, transferable, type WorkerReply, type WorkerRequest } from './worker-messages.js';

export interface WorkerHandlerOptions {
  readonly createRuntime: (options: OrtWebOptions) => InferenceRuntime;
  readonly post: (reply: WorkerReply) => void;
  /** Whether WebGPU exists in this worker (reported in the start-up pong). */
  readonly webgpu: () => boolean;
  readonly log?: ((message: string, detail?: unknown) => void) | undefined;
}

export function createWorkerHandler(options: WorkerHandlerOptions): (raw: unknown) => void {
  const sessions = new Map<number, InferenceSession>();
  let nextSession = 1;
  let wasmBinary: Uint8Array | undefined;
  let queue: Promise<void> = Promise.resolve();

  const session = (id: number): InferenceSession => {
    const found = sessions.get(id);
    if (!found) throw new CoreError('disposed', `Inference session ${id} does not exist (released?).`);
    return found;
  };

  async function handle(request: WorkerRequest): Promise<WorkerReply> {
    switch (request.kind) {
      case 'ping':
        return { kind: 'pong', id: request.id, webgpu: options.webgpu() };
      case 'create': {
        // ORT initialises its WebAssembly once per worker; later runtimes reuse the first binary.
        wasmBinary ??= request.options.wasmBinary;
        const runtime = options.createRuntime({ backend: request.options.backend, build: request.options.build, numThreads: request.options.numThreads, wasmBinary });
        const created = await runtime.createSession(request.manifest, request.bytes);
        const number = nextSession++;
        sessions.set(number, created);
        return { kind: 'created', id: request.id, session: number, backend: created.backend === 'webgpu' ? 'webgpu' : 'wasm' };
      }
      case 'run': {
        const output = await session(request.session).run(request.input);
        return { kind: 'output', id: request.id, output: transferable(output) };
      }
      case 'release': {
        const found = sessions.get(request.session);
        sessions.delete(request.session);
        await found?.dispose();
        return { kind: 'released', id: request.id };
      }
    }
  }

  return (raw) => {
    const request = parseWorkerRequest(raw);
    if (!request) {
      options.log?.('inference worker: ignored a malformed request');
      return;
    }
    queue = queue.then(async () => {
      let reply: WorkerReply;
      try {
        reply = await handle(request);
      } catch (e) {
        reply = replyError(request.id, e);
      }
      try {
        options.post(reply);
      } catch (e) {
        options.post(replyError(request.id, new CoreError('inference_failed', `The worker could not send its reply: ${(e as Error).message}`)));
      }
    });
  };
}
