/**
 * WebGPU under Canva's CSP. The adapter itself is not governed by the CSP (gpuweb#3483), but every
 * onnxruntime-web build with the WebGPU execution provider carries Embind glue that calls
 * `new Function(...)`, which a `script-src` without 'unsafe-eval' refuses (canva-notes §5). This
 * app therefore bundles the WASM-only build and only reports what WebGPU would find. The probe
 * never throws: a missing `navigator.gpu`, a rejected or null adapter all read as 'unavailable'.
 */
export type WebGpuProbe =
  | { readonly status: 'unavailable'; readonly detail: string }
  | { readonly status: 'adapter'; readonly detail: string };

interface GpuLike {
  requestAdapter(): Promise<{ readonly info?: { vendor?: string; architecture?: string } } | null>;
}

export async function probeWebGpu(timeoutMs = 2000): Promise<WebGpuProbe> {
  const gpu = (globalThis.navigator as (Navigator & { gpu?: GpuLike }) | undefined)?.gpu;
  if (!gpu) return { status: 'unavailable', detail: 'navigator.gpu is missing' };
  try {
    const adapter = await Promise.race([
      gpu.requestAdapter(),
      new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), timeoutMs)),
    ]);
    if (adapter === 'timeout') return { status: 'unavailable', detail: `requestAdapter gave no answer in ${timeoutMs} ms` };
    if (!adapter) return { status: 'unavailable', detail: 'requestAdapter returned null' };
    const info = `${adapter.info?.vendor ?? ''} ${adapter.info?.architecture ?? ''}`.trim();
    return { status: 'adapter', detail: `${info || 'an adapter'}; the WebGPU execution provider is not bundled (its glue needs eval, which the CSP refuses)` };
  } catch (e) {
    return { status: 'unavailable', detail: `requestAdapter failed: ${(e as Error).message}` };
  }
}
