export * from './messages.js';
export { parseHostMessage, parseFrameMessage, isWireErrorCode, WIRE_ERROR_CODES, type Parsed } from './validate.js';
export { encodeBase64, decodeBase64 } from './base64.js';
export type { Endpoint, Logger } from './transports/types.js';
export { createFigmaUiEndpoint, createFigmaSandboxEndpoint, type FigmaUiWindow, type FigmaUiApiLike } from './transports/figma.js';
export { createWebviewEndpoint, Reassembler, toWire, encodeJson, DEFAULT_CHUNK_CHARS, MAX_PARTIAL_MESSAGES, type WebviewPort } from './transports/webview-json.js';
export { createDirectPair } from './transports/direct.js';
