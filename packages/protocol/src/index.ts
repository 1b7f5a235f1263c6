/** @cutout/protocol: the one typed protocol between host adapters and the inference frame. */
export * from './messages.js';
export {
  parseHostMessage,
  parseFrameMessage,
  isWireErrorCode,
  WIRE_ERROR_CODES,
  PROGRESS_STAGES,
  MAX_ERROR_MESSAGE_LENGTH,
  type Parsed,
} from './validate.js';
export { encodeBase64, decodeBase64 } from './base64.js';
export type { Endpoint, Logger } from './transports/types.js';
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
