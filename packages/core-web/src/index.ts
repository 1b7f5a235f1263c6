/** Browser entry point: onnxruntime-web runtime (WebGPU first, WASM fallback is the caller's choice). */
export { createOrtWebRuntime, isDeviceLost, type OrtBuild, type OrtWebOptions, type WebBackend } from './ort-web-runtime.js';
