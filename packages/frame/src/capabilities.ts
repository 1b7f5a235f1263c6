/**
 * What this page can do, detected once at start-up. Every probe is guarded: a null-origin
 * `data:` iframe is not a secure context (no navigator.gpu, no Cache Storage, no IndexedDB), a
 * sandboxed `srcdoc` iframe is secure but has no storage, and touching storage there throws.
 * The probes are shared with the model host's cache helper page (cache-helper/main.ts), which
 * has storage where the frame has none (asset-loader.ts).
 */
import type { Capabilities } from '@cutout/protocol';

/** The smallest module using a v128 instruction: validates only where WASM SIMD exists. */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

export interface DetectedCapabilities extends Capabilities {
  /** The adapter, kept so a WebGPU session does not ask for a second one; null when none. */
  readonly adapterInfo: string | null;
}

async function probeGpu(): Promise<{ webgpu: boolean; shaderF16: boolean; adapterInfo: string | null }> {
  const gpu = (globalThis.navigator as Navigator & { gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> } }).gpu;
  if (!gpu) return { webgpu: false, shaderF16: false, adapterInfo: null };
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return { webgpu: false, shaderF16: false, adapterInfo: null };
    const info = adapter.info ? `${adapter.info.vendor ?? ''} ${adapter.info.architecture ?? ''} ${adapter.info.description ?? ''}`.trim() : '';
    return { webgpu: true, shaderF16: adapter.features.has('shader-f16'), adapterInfo: info || 'unknown adapter' };
  } catch {
    // requestAdapter rejecting is the same as no adapter: WASM it is.
    return { webgpu: false, shaderF16: false, adapterInfo: null };
  }
}

interface GpuAdapterLike {
  readonly features: { has(name: string): boolean };
  readonly info?: { vendor?: string; architecture?: string; description?: string };
}

/** Cache Storage usable here (missing outside secure contexts; throws for opaque origins). */
export async function probeCacheStorage(): Promise<boolean> {
  try {
    if (typeof caches === 'undefined') return false;
    await caches.keys();
    return true;
  } catch {
    return false;
  }
}

/** IndexedDB usable here (denied for opaque origins: `data:` and sandboxed frames, and frames nested in a sandboxed one). */
export async function probeIndexedDb(): Promise<boolean> {
  try {
    if (typeof indexedDB === 'undefined') return false;
    return await new Promise<boolean>((resolve) => {
      const request = indexedDB.open('cutout-probe');
      request.onsuccess = () => {
        request.result.close();
        resolve(true);
      };
      request.onerror = () => resolve(false);
      request.onblocked = () => resolve(false);
    });
  } catch {
    return false;
  }
}

export async function detectCapabilities(): Promise<DetectedCapabilities> {
  const [gpu, cacheStorage, indexedDb] = await Promise.all([probeGpu(), probeCacheStorage(), probeIndexedDb()]);
  let simd = false;
  try {
    simd = WebAssembly.validate(SIMD_PROBE);
  } catch {
    simd = false;
  }
  return {
    webgpu: gpu.webgpu,
    shaderF16: gpu.shaderF16,
    adapterInfo: gpu.adapterInfo,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    simd,
    cacheStorage,
    indexedDb,
    secureContext: globalThis.isSecureContext === true,
  };
}
