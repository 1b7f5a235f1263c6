/**
 * A fake frame engine for Node tests of FrameServer: a real BackgroundRemover on a fake model
 * session (constant-ish alpha, no ORT), with a gate that holds `predict` until the test opens it,
 * so a job can be kept "running" while the test queues, cancels or reconfigures around it.
 */
import { BackgroundRemover, CoreError, type InferenceSession, type ModelManifest, type RemoveQuality, type RgbaImage } from '@cutout/core';
import type { DetectedCapabilities } from '../../packages/frame/src/capabilities.js';
import type { ActiveSession } from '../../packages/frame/src/engine.js';
import type { CreateEngine, EngineLike, EnginePrediction, FrameConfig } from '../../packages/frame/src/engine-factory.js';
import type { PredictOptions } from '../../packages/frame/src/engine.js';

const SIDE = 64;
export const MODEL_BYTES = 123_456;

function manifest(id: string): ModelManifest {
  return {
    id,
    file: `${id}.onnx`,
    bytes: MODEL_BYTES,
    sha256: '0'.repeat(64),
    input: { name: 'input', shape: [1, 3, SIDE, SIDE], mean: [128, 128, 128], std: [256, 256, 256] },
    output: { name: 'output', shape: [1, 1, SIDE, SIDE] },
    precision: 'fp32',
    backends: ['wasm'],
    requiresShaderF16: false,
    dynamicSize: false,
  } as unknown as ModelManifest;
}

/** Left half background, right half subject. */
function fakeSession(id: string): InferenceSession {
  return {
    manifest: manifest(id),
    backend: 'wasm',
    async run() {
      const out = new Float32Array(SIDE * SIDE);
      for (let i = 0; i < out.length; i++) out[i] = i % SIDE >= SIDE / 2 ? 1 : 0;
      return out;
    },
    async dispose() {},
  };
}

/** A promise the test settles by hand. */
export class Gate {
  private open_: () => void = () => undefined;
  readonly opened = new Promise<void>((resolve) => (this.open_ = resolve));
  open(): void {
    this.open_();
  }
}

export class FakeEngine implements EngineLike {
  current: ActiveSession | null = null;
  disposed = false;
  predictCalls = 0;
  /** The quality of each predict call, in order. */
  readonly qualities: RemoveQuality[] = [];
  /** When set, predict waits for it (or for the signal: then it fails with 'cancelled'). */
  gate: Gate | null = null;
  private started: Array<() => void> = [];

  constructor(readonly config: FrameConfig) {}

  /** Resolves when the next predict call has started (and is waiting on the gate). */
  nextPredict(): Promise<void> {
    return new Promise((resolve) => this.started.push(resolve));
  }

  async ensure(): Promise<ActiveSession> {
    if (this.disposed) throw new CoreError('invalid_argument', 'The fake engine was used after dispose.');
    const model = this.config.model ?? 'fake-model';
    this.current ??= { remover: new BackgroundRemover(fakeSession(model)), backend: 'wasm', model, source: 'network', modelBytes: MODEL_BYTES, fallbackReason: undefined };
    return this.current;
  }

  async predict(image: RgbaImage, { signal, quality = 'standard' }: PredictOptions = {}): Promise<EnginePrediction> {
    this.predictCalls++;
    this.qualities.push(quality);
    const session = await this.ensure();
    for (const resolve of this.started.splice(0)) resolve();
    const gate = this.gate;
    if (gate) {
      await new Promise<void>((resolve, reject) => {
        const onAbort = (): void => reject(new CoreError('cancelled', 'cancelled while held'));
        if (signal?.aborted) return onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
        void gate.opened.then(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        });
      });
    }
    return { ...(await session.remover.predict(image, { signal, quality })), session };
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.current?.remover.dispose();
    this.current = null;
  }
}

/** The factory FrameServer gets, and every engine it made (in order). */
export function fakeEngines(): { createEngine: CreateEngine; engines: FakeEngine[] } {
  const engines: FakeEngine[] = [];
  return {
    engines,
    createEngine: (config) => {
      const engine = new FakeEngine(config);
      engines.push(engine);
      return engine;
    },
  };
}

export const TEST_CAPS: DetectedCapabilities = {
  webgpu: true,
  shaderF16: false,
  adapterInfo: 'Test vendor test-arch',
  crossOriginIsolated: false,
  simd: true,
  cacheStorage: false,
  indexedDb: false,
  secureContext: true,
};

/** A small opaque RGBA image (raw pixels: no decoding needed in Node). */
export function testImage(width = 32, height = 24): { width: number; height: number; data: Uint8Array } {
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set([(i * 7) % 256, 120, 200, 255], i * 4);
  return { width, height, data };
}
