import type { FrameMessage, HostMessage } from '../messages.js';

export type Logger = (message: string, detail?: unknown) => void;

/** One side of a connection. `listen` hands over raw values: the receiver validates them. */
export interface Endpoint {
  send(message: HostMessage | FrameMessage): void;
  listen(handler: (raw: unknown) => void): () => void;
}

export const silentLogger: Logger = () => undefined;
