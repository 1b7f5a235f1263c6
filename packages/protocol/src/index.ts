/** @cutout/protocol: the one typed protocol between host adapters and the inference frame. */
export * from './messages.js';
export { parseHostMessage, parseFrameMessage, isWireErrorCode, WIRE_ERROR_CODES, MAX_ERROR_MESSAGE_LENGTH, type Parsed } from './validate.js';
export {
  createFrameClient,
  FrameError,
  isFrameError,
  CLIENT_ERROR_CODES,
  DEFAULT_READY_TIMEOUT_MS,
  type ClientErrorCode,
  type FrameClient,
  type FrameClientOptions,
  type PendingRequest,
  type ProgressInfo,
  type RequestOptions,
} from './client.js';
export { encodeBase64, decodeBase64 } from './base64.js';
export type { Endpoint, HostEndpoint, FrameEndpoint, Logger } from './transports/types.js';
export { createFigmaUiEndpoint, createFigmaSandboxEndpoint, type FigmaUiWindow, type FigmaUiApiLike } from './transports/figma.js';
export {
  createWebviewEndpoint,
  Reassembler,
  toWire,
  encodeJson,
  DEFAULT_CHUNK_CHARS,
  MIN_CHUNK_CHARS,
  MAX_MESSAGE_CHARS,
  MAX_CHUNK_COUNT,
  MAX_PARTIAL_MESSAGES,
  MAX_PENDING_CHARS,
  type WebviewPort,
  type WebviewOptions,
} from './transports/webview-json.js';
export { createDirectPair } from './transports/direct.js';
