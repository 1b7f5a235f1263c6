/**
 * Messages between the frame and its inference worker. Every request carries an id; every reply
 * carries the id it answers. Big arrays travel as transfers (never copies), which is why each
 * message knows its own transfer list. Both sides validate what they receive and log what does not
 * parse, as at every other boundary of the frame.
 */
import { CoreError, type CoreErrorCode, type ModelManifest } from '@cutout/core';
import type { OrtBuild, WebBackend } from '@cutout/core-web';

interface WorkerOrtOptions {
  readonly backend: WebBackend;
  /** Which onnxruntime-web build (the worker carries both; one per worker, chosen by the engine). */
  readonly build: OrtBuild;
  readonly numThreads: number | undefined;
  /** Sent with the first session only: ORT reads it once per worker, when it initialises. */
  readonly wasmBinary: Uint8Array | undefined;
}

export type WorkerRequest =
  | { readonly kind: 'ping'; readonly id: number }
  | { readonly kind: 'create'; readonly id: number; readonly manifest: ModelManifest; readonly bytes: Uint8Array; readonly options: WorkerOrtOptions }
  | { readonly kind: 'run'; readonly id: number; readonly session: number; readonly input: Float32Array }
  | { readonly kind: 'release'; readonly id: number; readonly session: number };

export type WorkerReply =
  /** webgpu: navigator.gpu exists in the worker (not where its context is insecure: sandboxed or data: frames). */
  | { readonly kind: 'pong'; readonly id: number; readonly webgpu: boolean }
  | { readonly kind: 'created'; readonly id: number; readonly session: number; readonly backend: WebBackend }
  | { readonly kind: 'output'; readonly id: number; readonly output: Float32Array }
  | { readonly kind: 'released'; readonly id: number }
  | { readonly kind: 'failed'; readonly id: number; readonly code: WorkerErrorCode; readonly message: string };

/** The codes a worker may report; anything else it throws is reported as 'inference_failed'. */
const WORKER_ERROR_CODES = [
  'runtime_unavailable',
  'inference_failed',
  'gpu_lost',
  'model_invalid_output',
  'invalid_argument',
  'disposed',
  'busy',
] as const satisfies readonly CoreErrorCode[];
type WorkerErrorCode = (typeof WORKER_ERROR_CODES)[number];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isId = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isBackend = (v: unknown): v is WebBackend => v === 'webgpu' || v === 'wasm';

function isWorkerErrorCode(v: unknown): v is WorkerErrorCode {
  return typeof v === 'string' && (WORKER_ERROR_CODES as readonly string[]).includes(v);
}

/** A reply from the worker, or null when it does not parse (the caller logs and drops it). */
export function parseWorkerReply(raw: unknown): WorkerReply | null {
  if (!isRecord(raw) || !isId(raw['id'])) return null;
  const id = raw['id'];
  switch (raw['kind']) {
    case 'pong':
      return typeof raw['webgpu'] === 'boolean' ? { kind: 'pong', id, webgpu: raw['webgpu'] } : null;
    case 'released':
      return { kind: 'released', id };
    case 'created':
      return isId(raw['session']) && isBackend(raw['backend']) ? { kind: 'created', id, session: raw['session'], backend: raw['backend'] } : null;
    case 'output':
      return raw['output'] instanceof Float32Array ? { kind: 'output', id, output: raw['output'] } : null;
    case 'failed':
      return isWorkerErrorCode(raw['code']) && typeof raw['message'] === 'string' ? { kind: 'failed', id, code: raw['code'], message: raw['message'] } : null;
    default:
      return null;
  }
}

/**
 * A request from the frame, or null. The manifest was parsed and verified by the frame before it
 * was sent (only the frame can post to a dedicated worker), so only its shape is checked here.
 */
export function parseWorkerRequest(raw: unknown): WorkerRequest | null {
  if (!isRecord(raw) || !isId(raw['id'])) return null;
  const id = raw['id'];
  switch (raw['kind']) {
    case 'ping':
      return { kind: 'ping', id };
    case 'create': {
      const { manifest, bytes, options } = raw;
      if (!isRecord(manifest) || !isRecord(manifest['input']) || !(bytes instanceof Uint8Array) || !isRecord(options) || !isBackend(options['backend'])) return null;
      const numThreads = options['numThreads'];
      const wasmBinary = options['wasmBinary'];
      const build = options['build'];
      if (numThreads !== undefined && !(Number.isSafeInteger(numThreads) && (numThreads as number) > 0)) return null;
      if (wasmBinary !== undefined && !(wasmBinary instanceof Uint8Array)) return null;
      if (build !== 'jsep' && build !== 'wasm') return null;
      return { kind: 'create', id, manifest: manifest as unknown as ModelManifest, bytes, options: { backend: options['backend'], build, numThreads: numThreads as number | undefined, wasmBinary } };
    }
    case 'run':
      return isId(raw['session']) && raw['input'] instanceof Float32Array ? { kind: 'run', id, session: raw['session'], input: raw['input'] } : null;
    case 'release':
      return isId(raw['session']) ? { kind: 'release', id, session: raw['session'] } : null;
    default:
      return null;
  }
}

/** The buffer of a view, when the view covers all of it (only then may it be transferred whole). */
function ownBuffer(view: ArrayBufferView): ArrayBuffer | null {
  const buffer = view.buffer;
  return buffer instanceof ArrayBuffer && view.byteOffset === 0 && view.byteLength === buffer.byteLength ? buffer : null;
}

/**
 * The array itself when its buffer can be transferred, else a copy that can: a view into a larger
 * buffer (or WebAssembly memory) would otherwise hand over, or fail on, memory it does not own.
 */
export function transferable<T extends Uint8Array | Float32Array>(view: T): T {
  return ownBuffer(view) ? view : (view.slice() as T);
}

/** What to transfer with a message: the model bytes, the input, the output. */
export function transferList(message: WorkerRequest | WorkerReply): Transferable[] {
  const view = message.kind === 'create' ? message.bytes : message.kind === 'run' ? message.input : message.kind === 'output' ? message.output : null;
  const buffer = view ? ownBuffer(view) : null;
  return buffer ? [buffer] : [];
}

export function replyError(id: number, e: unknown): WorkerReply {
  if (e instanceof CoreError && isWorkerErrorCode(e.code)) return { kind: 'failed', id, code: e.code, message: e.message };
  return { kind: 'failed', id, code: 'inference_failed', message: e instanceof Error ? e.message : String(e) };
}
