/**
 * What every transport provides: an Endpoint sends typed messages and hands incoming values over
 * raw (`unknown`), because whatever arrives over a host boundary must be validated by the receiver
 * (parseHostMessage / parseFrameMessage) before use.
 */
import type { FrameMessage, HostMessage } from '../messages.js';

export type Logger = (message: string, detail?: unknown) => void;

/**
 * One side of a connection, typed by the direction it sends in: a host holds a `HostEndpoint`
 * (it cannot send a frame message), the frame a `FrameEndpoint`. `listen` returns a function
 * that stops listening.
 */
export interface Endpoint<Out extends HostMessage | FrameMessage> {
  send(message: Out): void;
  listen(handler: (raw: unknown) => void): () => void;
}

export type HostEndpoint = Endpoint<HostMessage>;
export type FrameEndpoint = Endpoint<FrameMessage>;

export const silentLogger: Logger = () => undefined;
