/**
 * Every message between a host adapter (Figma sandbox, Photoshop panel, Canva app code) and the
 * inference frame. Requests carry an id chosen by the host; progress, result and error replies
 * carry the same id; cancel is a message of its own. Nothing here imports the DOM or a host API.
 *
 * Every closed set of strings is a const array first and its type is derived from it, so the
 * validators (validate.ts) check exactly the values the types allow.
 *
 * Binary payloads are Uint8Array. Transports that cannot carry them (the Photoshop webview bridge
 * is JSON only) encode them; see transports/webview-json.ts.
 */
import type { CoreErrorCode } from '@cutout/core/error-codes';

export const PROTOCOL_VERSION = 1;
export type ProtocolVersion = typeof PROTOCOL_VERSION;

/** Codes the protocol adds to the core's ('busy' is a core code): a malformed request; a frame bug. */
export const PROTOCOL_ERROR_CODES = ['bad_request', 'internal'] as const;
/** Error codes a reply can carry: the core's codes plus the protocol's own. */
export type WireErrorCode = CoreErrorCode | (typeof PROTOCOL_ERROR_CODES)[number];

export const OUTPUT_KINDS = ['mask', 'cutout'] as const;
export type OutputKind = (typeof OUTPUT_KINDS)[number];
/** The automatic mode's quality (the core's RemoveQuality): 'high' also runs the model on the mirror image and averages (~2× model time). */
export const QUALITIES = ['standard', 'high'] as const;
export type Quality = (typeof QUALITIES)[number];
export const BACKEND_CHOICES = ['auto', 'webgpu', 'wasm'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];
export const WEB_BACKENDS = ['webgpu', 'wasm'] as const;
export type WebBackendName = (typeof WEB_BACKENDS)[number];
export const THEMES = ['light', 'dark', 'figma'] as const;
export type ThemeName = (typeof THEMES)[number];
export const HOSTS = ['figma', 'photoshop', 'canva', 'test'] as const;
export type HostName = (typeof HOSTS)[number];
/** Where inference runs: a dedicated worker (Figma, the Photoshop webview) or the frame's own thread (Canva: no workers). */
export const INFERENCE_MODES = ['worker', 'main-thread'] as const;
export type InferenceMode = (typeof INFERENCE_MODES)[number];
/** Where the model bytes came from: the network, a storage of the frame, the model host's helper frame, or memory. */
export const MODEL_SOURCES = ['network', 'cache-storage', 'indexeddb', 'helper-frame', 'memory'] as const;
export type ModelSource = (typeof MODEL_SOURCES)[number];
/**
 * How a page reads model files that lie next to it (a page-relative model base, './'): 'fetch' them
 * (the default); load them as '<file>.part-<n>.js' scripts carrying base64 (where the page may load
 * scripts but not fetch local files); or wait for the host to send them with `asset` requests
 * (streamed over the host's bridge: the last resort). The Photoshop panel probes them in this order.
 */
export const MODEL_DELIVERIES = ['fetch', 'script', 'host'] as const;
export type ModelDelivery = (typeof MODEL_DELIVERIES)[number];
/**
 * modelDelivery 'script': the file at <base><path> is split into `<path>.part-<index>.js` scripts, each
 * one call `globalThis.__cutoutModelPart(path, index, count, totalBytes, base64)`, pieces in order.
 */
export const MODEL_PART_CALLBACK = '__cutoutModelPart';
export const modelPartPath = (path: string, index: number): string => `${path}.part-${index}.js`;
export const PROGRESS_STAGES = ['download', 'preprocess', 'inference', 'refine', 'compose', 'review'] as const;
export type ProgressStage = (typeof PROGRESS_STAGES)[number];
export const METHODS = ['hello', 'configure', 'preload', 'remove', 'panel', 'diagnostics', 'asset'] as const;
export type RequestMethod = (typeof METHODS)[number];

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

/** The core's edge controls, as they cross the wire (same fields and meaning as core's EdgeControls). */
export interface WireEdgeControls {
  readonly feather?: number;
  readonly shift?: number;
  readonly smooth?: number;
  readonly hard?: boolean;
}

export interface ConfigurePayload {
  /** Where models/index.json, the model files and the ORT .wasm files live (absolute URL). */
  readonly modelBaseUrl?: string;
  readonly backend?: BackendChoice;
  readonly theme?: ThemeName;
  readonly host?: HostName;
  /** Model id override (e.g. 'isnet-fp32-web-dynamic' for reduced-size tests); default by backend. */
  readonly model?: string;
  /** Square model input size for dynamic-size models (multiple of 64, 64..1024). */
  readonly inputSize?: number;
  /** Where inference runs; default 'worker' where the page can start one. */
  readonly inference?: InferenceMode;
  /** With a page-relative model base: how the page reads the files beside it (default 'fetch'). */
  readonly modelDelivery?: ModelDelivery;
}

/**
 * One piece of a model file the host sends (modelDelivery 'host'): `path` relative to the model base
 * ('models/<file>', 'ort/<file>'), pieces in order from offset 0, each at most LIMITS.maxAssetChunkBytes.
 * The frame verifies the whole file by size and sha256 when it reads it, as it does any download.
 */
export interface AssetPayload {
  readonly path: string;
  readonly offset: number;
  readonly total: number;
  readonly data: Uint8Array;
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
   * Return the output only as PNG bytes (the mask as white + alpha, or the cut-out), no larger
   * than maxOutputSide on its longer side (an integer area average when the image is larger).
   * The raw matte and cut-out are then left out of the reply: only the bytes the host asked for cross.
   */
  readonly png?: boolean;
  readonly maxOutputSide?: number;
  readonly edge?: WireEdgeControls;
  /** 'mask' returns only the matte; 'cutout' also returns decontaminated RGBA. Default 'mask'. */
  readonly output?: OutputKind;
  /**
   * 'high': the model also runs on the mirror image and the two mattes are averaged (about twice the
   * model time; slightly cleaner edges). Absent: what the user chose in the frame (default 'standard').
   */
  readonly quality?: Quality;
  /**
   * Open the preview + brush UI and reply when the user applies (or error 'cancelled' when they
   * cancel). false: reply as soon as the matte is computed.
   */
  readonly interactive?: boolean;
  /**
   * With interactive: the output kind is the host's, not the user's (a refine writes back into
   * what exists). The review panel then offers no output choice.
   */
  readonly fixedOutput?: boolean;
  /** Shown in the UI ("Rectangle 3", "2 of 5"). */
  readonly label?: string;
  /**
   * false: reply with the network's own alpha (`matte` at the model's output size, unrefined), for a host
   * that refines at full resolution where the full pixels live (the Photoshop panel sends only a
   * model-size copy over its bridge). Only with output 'mask', no png, no hints, not interactive.
   */
  readonly refine?: boolean;
}

/** A button the host offers in the frame's panel; the frame sends `command` with its id when clicked. */
export interface PanelCommand {
  readonly id: string;
  readonly label: string;
  readonly enabled: boolean;
}

/** What a host that keeps the frame open as a panel shows there (the current selection and what can be done). */
export interface PanelPayload {
  /** A line about the selection ("2 images selected", "Select a layer with an image fill"). */
  readonly status: string;
  readonly commands: ReadonlyArray<PanelCommand>;
}

type Request<M extends RequestMethod, P> = { readonly v: ProtocolVersion; readonly kind: 'request'; readonly id: string; readonly method: M; readonly payload: P };

/** Host → frame. */
export type HostRequest =
  | Request<'hello', undefined>
  | Request<'configure', ConfigurePayload>
  | Request<'preload', undefined>
  | Request<'remove', RemovePayload>
  | Request<'panel', PanelPayload>
  | Request<'diagnostics', undefined>
  | Request<'asset', AssetPayload>;

export type HostCancel = { readonly v: ProtocolVersion; readonly kind: 'cancel'; readonly id: string };

export type HostMessage = HostRequest | HostCancel;
/** The payload type of a method. */
export type PayloadOf<M extends RequestMethod> = Extract<HostRequest, { method: M }>['payload'];

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
  readonly protocol: ProtocolVersion;
  readonly capabilities: Capabilities;
}

export interface PreloadResult {
  readonly backend: WebBackendName;
  readonly model: string;
  /** Where the model bytes came from this time. */
  readonly source: ModelSource;
  /** The model file's size in bytes. */
  readonly bytes: number;
}

/** What a user reads out (or copies) to tell us what their host's frame can do. */
export interface DiagnosticsResult {
  /** `location.origin` ('null' for opaque origins) and the URL scheme the frame was loaded from. */
  readonly origin: string;
  readonly scheme: string;
  readonly secureContext: boolean;
  readonly crossOriginIsolated: boolean;
  /** The WebGPU adapter ('' when none), and whether it has shader-f16. */
  readonly webgpuAdapter: string;
  readonly shaderF16: boolean;
  readonly cacheStorage: boolean;
  readonly indexedDb: boolean;
  /** Whether the model host's helper frame answered (it can keep the model where the frame cannot). */
  readonly helperFrame: boolean;
  readonly inference: InferenceMode;
  /** The model loaded in this session: its id, where it came from and its size; '' / 'memory' / 0 before the first run. */
  readonly model: string;
  readonly modelSource: ModelSource | 'none';
  readonly modelBytes: number;
  readonly backend: WebBackendName | 'none';
  readonly userAgent: string;
}

export interface RemoveTimings {
  readonly preprocess: number;
  readonly inference: number;
  readonly refine: number;
  readonly compose: number;
}

export interface RemovePng {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

export interface RemoveResult {
  /** The full-resolution matte: only when png was not asked for (with refine: false, the network alpha at model size). */
  readonly matte?: WireGray;
  /** When png was asked for: the output as PNG, its size, and the hints in effect (for a later refine). */
  readonly png?: RemovePng;
  readonly hintsPng?: Uint8Array;
  /** When output was 'cutout' and png was not asked for. */
  readonly cutout?: WireRgba;
  readonly output: OutputKind;
  readonly backend: WebBackendName;
  readonly model: string;
  /** Why the backend differs from the first choice, if it does (e.g. WebGPU session failed). */
  readonly fallbackReason?: string;
  readonly timings: RemoveTimings;
}

export interface OkResult {
  readonly ok: true;
}

/** The result type of each method. */
export interface ResultMap {
  readonly hello: HelloResult;
  readonly configure: OkResult;
  readonly preload: PreloadResult;
  readonly remove: RemoveResult;
  readonly panel: OkResult;
  readonly diagnostics: DiagnosticsResult;
  readonly asset: OkResult;
}

export type ResultPayload = { [M in RequestMethod]: { readonly method: M; readonly value: ResultMap[M] } }[RequestMethod];

/** Frame → host. */
export type FrameMessage =
  | { readonly v: ProtocolVersion; readonly kind: 'ready'; readonly capabilities: Capabilities }
  | {
      readonly v: ProtocolVersion;
      readonly kind: 'progress';
      readonly id: string;
      readonly stage: ProgressStage;
      /** 0..1, never decreasing within a stage. */
      readonly fraction: number;
      readonly loadedBytes?: number;
      readonly totalBytes?: number;
    }
  | { readonly v: ProtocolVersion; readonly kind: 'result'; readonly id: string; readonly result: ResultPayload }
  | { readonly v: ProtocolVersion; readonly kind: 'error'; readonly id: string; readonly code: WireErrorCode; readonly message: string }
  /** The user pressed one of the panel's commands (see PanelPayload). */
  | { readonly v: ProtocolVersion; readonly kind: 'command'; readonly command: string };

export const FRAME_MESSAGE_KINDS = ['ready', 'progress', 'result', 'error', 'command'] as const satisfies ReadonlyArray<FrameMessage['kind']>;
export const HOST_MESSAGE_KINDS = ['request', 'cancel'] as const satisfies ReadonlyArray<HostMessage['kind']>;

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
  /** Panel: most commands, longest command id and label, longest status line. */
  maxCommands: 8,
  maxCommandIdLength: 64,
  maxStatusLength: 200,
  /** Longest diagnostics string (user agent, adapter description). */
  maxDiagnosticsText: 1000,
  /** A model file sent with `asset`: at most this large in all, in pieces of at most maxAssetChunkBytes. */
  maxAssetBytes: 512 * 1024 * 1024,
  maxAssetChunkBytes: 4 * 1024 * 1024,
} as const;
