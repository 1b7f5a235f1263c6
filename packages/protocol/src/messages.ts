/**
 * Every message between a host adapter (Figma sandbox, Photoshop panel, Canva app code) and the
 * inference frame. Requests carry an id chosen by the host; progress, result and error replies
 * carry the same id; cancel is a message of its own. Nothing here imports the DOM or a host API.
 *
 * Binary payloads are Uint8Array. Transports that cannot carry them (the Photoshop webview bridge
 * is JSON only) encode them; see transports/webview-json.ts.
 */

export const PROTOCOL_VERSION = 1;

import type { CoreErrorCode } from '@cutout/core';

/** Error codes a reply can carry: the core's codes plus the protocol's own. */
export type WireErrorCode =
  | CoreErrorCode
  /** Another request is running; the frame runs one at a time. */
  | 'busy'
  /** The request parsed as a message but its method or payload is wrong. */
  | 'bad_request'
  | 'internal';

/** 8-bit RGBA pixels, row-major, width*height*4 bytes, straight (not premultiplied) alpha. */
export interface WireRgba {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** One byte per pixel (a matte 0..255, or hints 0 remove / 255 keep / other = decide). */
export interface WireGray {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

export interface WireEdgeControls {
  readonly feather?: number;
  readonly shift?: number;
  readonly smooth?: number;
  readonly hard?: boolean;
}

export type OutputKind = 'mask' | 'cutout';
export type BackendChoice = 'auto' | 'webgpu' | 'wasm';
export type ThemeName = 'light' | 'dark' | 'figma';

export interface ConfigurePayload {
  /** Where models/index.json, the model files and the ORT .wasm files live (absolute URL). */
  readonly modelBaseUrl?: string;
  readonly backend?: BackendChoice;
  readonly theme?: ThemeName;
  readonly host?: 'figma' | 'photoshop' | 'canva' | 'test';
  /** Model id override (e.g. 'isnet-fp32-web-dynamic' for reduced-size tests); default by backend. */
  readonly model?: string;
  /** Square model input size for dynamic-size models (multiple of 64, 64..1024). */
  readonly inputSize?: number;
}

/** An encoded image file (PNG, JPEG, GIF, WebP), decoded by the frame: the Figma sandbox cannot decode. */
export interface WireEncoded {
  readonly data: Uint8Array;
}

export interface RemovePayload {
  /** The pixels; exactly one of image / encoded. */
  readonly image?: WireRgba;
  readonly encoded?: WireEncoded;
  /** Optional trimap hints at image size: raw, or a PNG whose red channel holds them. */
  readonly hints?: WireGray;
  readonly hintsEncoded?: WireEncoded;
  /**
   * Also return the output as PNG bytes (the mask as white + alpha, or the cut-out), no larger than
   * maxOutputSide on its longer side (downscaled with area averaging when the image is larger).
   */
  readonly png?: boolean;
  readonly maxOutputSide?: number;
  readonly edge?: WireEdgeControls;
  /** 'mask' returns only the matte; 'cutout' also returns decontaminated RGBA. Default 'mask'. */
  readonly output?: OutputKind;
  /**
   * Open the preview + brush UI and reply when the user applies (or error 'cancelled' when they
   * cancel). false: reply as soon as the matte is computed.
   */
  readonly interactive?: boolean;
  /** Shown in the UI ("Rectangle 3", "2 of 5"). */
  readonly label?: string;
}

/** Host → frame. */
export type HostRequest =
  | { readonly v: 1; readonly kind: 'request'; readonly id: string; readonly method: 'hello'; readonly payload?: undefined }
  | { readonly v: 1; readonly kind: 'request'; readonly id: string; readonly method: 'configure'; readonly payload: ConfigurePayload }
  | { readonly v: 1; readonly kind: 'request'; readonly id: string; readonly method: 'preload'; readonly payload?: undefined }
  | { readonly v: 1; readonly kind: 'request'; readonly id: string; readonly method: 'remove'; readonly payload: RemovePayload };

export type HostCancel = { readonly v: 1; readonly kind: 'cancel'; readonly id: string };

export type HostMessage = HostRequest | HostCancel;
export type RequestMethod = HostRequest['method'];

export interface Capabilities {
  readonly webgpu: boolean;
  readonly shaderF16: boolean;
  readonly crossOriginIsolated: boolean;
  readonly simd: boolean;
  readonly cacheStorage: boolean;
  readonly indexedDb: boolean;
  readonly secureContext: boolean;
}

export interface HelloResult {
  readonly protocol: 1;
  readonly capabilities: Capabilities;
}

export interface PreloadResult {
  readonly backend: 'webgpu' | 'wasm';
  readonly model: string;
  /** Where the model bytes came from this time. */
  readonly source: 'network' | 'cache-storage' | 'indexeddb' | 'memory';
}

export interface RemoveResult {
  readonly matte: WireGray;
  /** When png was asked for: the output as PNG, its size, and the hints in effect (for a later refine). */
  readonly png?: { readonly data: Uint8Array; readonly width: number; readonly height: number };
  readonly hintsPng?: Uint8Array;
  /** Present when output was 'cutout'. */
  readonly cutout?: WireRgba;
  readonly output: OutputKind;
  readonly backend: 'webgpu' | 'wasm';
  readonly model: string;
  /** Why the backend differs from the first choice, if it does (e.g. WebGPU session failed). */
  readonly fallbackReason?: string;
  readonly timings: { readonly preprocess: number; readonly inference: number; readonly refine: number; readonly compose: number };
}

export type ResultPayload = { readonly method: 'hello'; readonly value: HelloResult }
  | { readonly method: 'configure'; readonly value: { readonly ok: true } }
  | { readonly method: 'preload'; readonly value: PreloadResult }
  | { readonly method: 'remove'; readonly value: RemoveResult };

export type ProgressStage = 'download' | 'session' | 'preprocess' | 'inference' | 'refine' | 'compose' | 'review';

/** Frame → host. */
export type FrameMessage =
  | { readonly v: 1; readonly kind: 'ready'; readonly capabilities: Capabilities }
  | {
      readonly v: 1;
      readonly kind: 'progress';
      readonly id: string;
      readonly stage: ProgressStage;
      /** 0..1, never decreasing within a stage. */
      readonly fraction: number;
      readonly loadedBytes?: number;
      readonly totalBytes?: number;
    }
  | { readonly v: 1; readonly kind: 'result'; readonly id: string; readonly result: ResultPayload }
  | { readonly v: 1; readonly kind: 'error'; readonly id: string; readonly code: WireErrorCode; readonly message: string };

/** Limits the validators enforce (hostile input must not make the frame allocate without bound). */
export const LIMITS = {
  /** Longest request id. */
  maxIdLength: 128,
  /** Largest image side the protocol accepts; the frame downscales for inference itself. */
  maxSide: 16384,
  /** Largest pixel count (RGBA bytes = 4×). */
  maxPixels: 64 * 1024 * 1024,
  maxUrlLength: 2048,
  maxLabelLength: 200,
  maxEdgePx: 200,
  /** Largest encoded image file accepted (a 4096² PNG is at most ~64 MB). */
  maxEncodedBytes: 128 * 1024 * 1024,
} as const;
