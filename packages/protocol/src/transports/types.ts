/**
 * What every transport provides: an Endpoint sends typed messages and hands incoming values over
 * raw (`unknown`), because whatever arrives over a host boundary must be validated by the receiver
 * (parseHostMessage / parseFrameMessage) before use.
 */
import type { FrameMessage, HostMessage } from '../messages.js';

export type Logger = (message: string, detail?: unknown) => void;

/** One side of a connection. `listen` returns a function that stops listening. */
export interface Endpoint {
  send(message: HostMessage | FrameMessage): void;
  listen(handler: (raw: unknown) => void): () => void;
}

export const silentLogger: Logger = () => undefined;
