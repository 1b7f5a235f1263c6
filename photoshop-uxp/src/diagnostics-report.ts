/**
 * The Diagnostics report a designer copies and sends us: probes P1–P4 (notes, "Design consequences" 8)
 * in plain lines. P1/P2 come from the page (the protocol's `diagnostics` reply: origin, scheme, secure
 * context, storage, WebGPU adapter) plus the model probe (did the relative read work, and where did
 * inference run); P3 and P4 from probes.ts.
 */
import type { DiagnosticsResult, ModelDelivery, PreloadResult } from '@cutout/protocol';
import type { BridgeSample, MaskSample } from './probes.js';

export interface ReportInput {
  readonly plugin: string;
  readonly host: string;
  readonly pageUrl: string;
  readonly page: DiagnosticsResult | null;
  readonly pageError: string | null;
  readonly model: PreloadResult | null;
  /** The way the page read the model (fetch beside it, script parts, over the bridge). */
  readonly delivery: ModelDelivery | null;
  /** Why the ways tried before it (or all of them) failed. */
  readonly modelError: string | null;
  readonly modelInstalled: boolean;
  readonly bridge: ReadonlyArray<BridgeSample>;
  /** The last run's reply: request → result time and the frame's own work, for the page → panel direction. */
  readonly lastRun: { readonly totalMs: number; readonly workMs: number; readonly replyBytes: number } | null;
  readonly masks: ReadonlyArray<MaskSample>;
}

const yes = (v: boolean): string => (v ? 'yes' : 'no');
const mb = (bytes: number): string => `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;

const WAYS: Record<ModelDelivery, string> = { fetch: 'relative fetch', script: 'script parts + wasmBinary', host: 'bytes over the bridge' };

function modelLine(i: ReportInput): string {
  if (i.model && i.delivery) {
    const loaded = `${WAYS[i.delivery]} works (${i.model.model}, ${mb(i.model.bytes)}, ${i.model.backend})`;
    return i.modelError ? `${loaded}; failed before it: ${i.modelError}` : loaded;
  }
  if (i.modelError) return `FAILED every way (${i.modelError})`;
  return i.modelInstalled ? 'not tried yet' : 'not tried (the model is not downloaded yet)';
}

function pageLines(i: ReportInput): string[] {
  const p = i.page;
  if (!p) return [`P1 page: did not answer (${i.pageError ?? 'not started'})`];
  return [
    `P1 origin: ${p.origin} (scheme ${p.scheme || 'unknown'})`,
    `P1 secure context: ${yes(p.secureContext)}; cross-origin isolated: ${yes(p.crossOriginIsolated)}`,
    `P1 model read by the page: ${modelLine(i)}`,
    `P1 workers: ${i.model ? (p.inference === 'worker' ? 'yes (inference runs in a worker)' : 'no (inference runs on the page thread)') : `not known before the model loads (asked for: ${p.inference})`}`,
    `P1 IndexedDB: ${yes(p.indexedDb)}; Cache Storage: ${yes(p.cacheStorage)}`,
    `P2 WebGPU adapter: ${p.webgpuAdapter ? `${p.webgpuAdapter}${p.shaderF16 ? ' (shader-f16)' : ''}` : 'none'}; backend in use: ${p.backend}`,
    `Browser: ${p.userAgent || 'unknown'}`,
  ];
}

function bridgeLines(i: ReportInput): string[] {
  const lines = i.bridge.map((b) => (b.ms === null ? `P3 panel → page ${b.mib} MiB: failed (${b.error ?? 'unknown'})` : `P3 panel → page ${b.mib} MiB: ${b.ms} ms (${b.ms > 0 ? ((b.mib * 1000) / b.ms).toFixed(1) : '∞'} MiB/s)`));
  if (!lines.length) lines.push('P3 bridge: not measured (the page did not start)');
  const r = i.lastRun;
  lines.push(r ? `P3 page → panel (last run): ${mb(r.replyBytes)} reply; ${Math.round(r.totalMs)} ms request to result, of which ${Math.round(r.workMs)} ms the frame's work` : 'P3 page → panel: run Remove Background once, then Diagnostics again');
  return lines;
}

function maskLines(i: ReportInput): string[] {
  return i.masks.map((m) => {
    const what = `P4 putLayerMask ${m.data === 'native' ? `${m.depth}-bit data` : '8-bit data'} into a ${m.depth}-bit document`;
    if (m.maxError === null) return `${what}: FAILED (${m.error ?? 'unknown'})`;
    return `${what}: read back as ${m.readBits}-bit, largest difference ${(m.maxError * 255).toFixed(2)}/255${m.maxError * 255 <= 1 ? ' (ok)' : ' (MISMATCH)'}`;
  });
}

export function diagnosticsReport(i: ReportInput): string {
  return [`Cutout for Photoshop diagnostics — ${i.plugin}`, `Host: ${i.host}`, `Page: ${i.pageUrl || 'not installed'}`, ...pageLines(i), ...bridgeLines(i), ...maskLines(i)].join('\n');
}
