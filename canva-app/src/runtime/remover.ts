/**
 * The frame's server in this document, reached through the protocol's in-process pair (the
 * design every host shares: typed requests with ids, progress, cancel), with no frame and no
 * worker: Canva allows neither. The panel drives it with host-kit's `runBatch`.
 */
import { INITIAL_STATE, Store, type FrameState } from '@cutout/frame/frame-state';
import { FrameServer, type CreateEngine } from '@cutout/frame/server';
import { createDirectPair, createFrameClient, type FrameClient } from '@cutout/protocol';
import { CANVA_CONFIG, createCanvaEngine, log, type RuntimeEnvironment } from './engine.js';

export interface Remover {
  readonly client: FrameClient;
  /** The frame's state: download bytes and stages for the progress view. */
  readonly store: Store<FrameState>;
  dispose(): Promise<void>;
}

export function startRemover(env: RuntimeEnvironment, createEngine: CreateEngine = createCanvaEngine): Remover {
  const [hostEnd, frameEnd] = createDirectPair(log);
  const store = new Store<FrameState>(INITIAL_STATE);
  const server = new FrameServer({
    endpoint: frameEnd,
    caps: env.caps,
    config: CANVA_CONFIG,
    store,
    log,
    createEngine,
  });
  const client = createFrameClient(hostEnd, { log, idPrefix: 'canva' });
  server.start();
  return {
    client,
    store,
    async dispose() {
      client.close('panel closed');
      await server.stop();
    },
  };
}
