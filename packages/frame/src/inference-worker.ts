/**
 * Entry of the inference worker, bundled on its own (with its own onnxruntime-web) by
 * scripts/build.mjs and started from a Blob URL by worker-client.ts. A WebGPU session asks for its
 * adapter here, in the worker (Chromium exposes navigator.gpu to dedicated workers whose context is
 * secure; a worker made by a sandboxed srcdoc frame is not, and says so in its pong).
 */
import { createOrtWebRuntime } from '@cutout/core-web';
import { createWorkerHandler } from './worker-handler.js';
import { transferList, type WorkerReply } from './worker-messages.js';

const scope = self as unknown as {
  postMessage(message: WorkerReply, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent) => void) | null;
};

const handle = createWorkerHandler({
  createRuntime: createOrtWebRuntime,
  post: (reply) => scope.postMessage(reply, transferList(reply)),
  webgpu: () => (self.navigator as Navigator & { gpu?: unknown }).gpu !== undefined,
  log: (message, detail) => console.warn(`[cutout-worker] ${message}`, detail ?? ''),
});
scope.onmessage = (event) => handle(event.data);
