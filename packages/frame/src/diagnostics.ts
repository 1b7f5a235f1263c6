/**
 * What a user reads out (or copies) to tell us what their host's frame can do: where the frame
 * was loaded from, what the page allows, and what model this session has loaded. We cannot run
 * the hosts' apps here, so this is how a real host's limits reach us.
 */
import { LIMITS, type DiagnosticsResult, type InferenceMode } from '@cutout/protocol';
import type { DetectedCapabilities } from './capabilities.js';
import type { EngineLike, FrameConfig } from './engine-factory.js';

export interface DiagnosticsInput {
  readonly caps: DetectedCapabilities;
  readonly config: FrameConfig;
  readonly engine: EngineLike | null;
  readonly helperFrame: boolean;
}

/** The protocol bounds every diagnostics string; a long user agent must not make the reply invalid. */
const bounded = (text: string): string => text.slice(0, LIMITS.maxDiagnosticsText);

/** `location` and `navigator` exist in every frame, but not in Node tests of the server. */
function pageFacts(): { origin: string; scheme: string; userAgent: string } {
  const loc = (globalThis as { location?: Location }).location;
  return {
    origin: loc?.origin ?? 'null',
    scheme: loc?.protocol ?? '',
    userAgent: (globalThis as { navigator?: Navigator }).navigator?.userAgent ?? '',
  };
}

export function collectDiagnostics({ caps, config, engine, helperFrame }: DiagnosticsInput): DiagnosticsResult {
  const page = pageFacts();
  const session = engine?.current ?? null;
  // The engine knows where the model runs once started (a worker may fall back); before that, what was asked.
  const inference: InferenceMode = engine?.where?.() ?? config.inference ?? 'worker';
  return {
    origin: bounded(page.origin),
    scheme: bounded(page.scheme),
    secureContext: caps.secureContext,
    crossOriginIsolated: caps.crossOriginIsolated,
    webgpuAdapter: bounded(caps.adapterInfo ?? ''),
    shaderF16: caps.shaderF16,
    cacheStorage: caps.cacheStorage,
    indexedDb: caps.indexedDb,
    helperFrame,
    inference,
    model: session?.model ?? '',
    modelSource: session?.source ?? 'none',
    modelBytes: session?.modelBytes ?? 0,
    backend: session?.backend ?? 'none',
    userAgent: bounded(page.userAgent),
  };
}

const yesNo = (v: boolean): string => (v ? 'yes' : 'no');

/** The same fields in plain words, one per line: what the UI shows and the Copy button copies. */
export function diagnosticsLines(d: DiagnosticsResult): Array<[string, string]> {
  return [
    ['Loaded from', `${d.origin} (${d.scheme || 'unknown scheme'})`],
    ['Secure context', yesNo(d.secureContext)],
    ['Cross-origin isolated', yesNo(d.crossOriginIsolated)],
    ['WebGPU adapter', d.webgpuAdapter ? `${d.webgpuAdapter}${d.shaderF16 ? ' (fp16)' : ''}` : 'none'],
    ['Cache Storage', yesNo(d.cacheStorage)],
    ['IndexedDB', yesNo(d.indexedDb)],
    ['Model helper frame', yesNo(d.helperFrame)],
    ['Inference runs in', d.inference === 'worker' ? 'a worker' : 'the main thread'],
    ['Model', d.model ? `${d.model} on ${d.backend}, ${(d.modelBytes / 1e6).toFixed(1)} MB from ${d.modelSource}` : 'not loaded yet'],
    ['Browser', d.userAgent || 'unknown'],
  ];
}

export function diagnosticsText(d: DiagnosticsResult): string {
  return diagnosticsLines(d)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
}
