/**
 * The onnxruntime-web files and thread count both bare pages use, chosen exactly as the app's
 * dialogue worker does (workers/dialogue/runtime-setup.ts), so the pages differ from the app
 * only in what sits above the runtime.
 */
// transformers.js 4.3 asks for the asyncify build for wasm and webgpu alike; served from this
// origin so no CDN is ever asked.
import ortMjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';

export function runtimeWasmPaths(): { mjs: string; wasm: string } {
  return { mjs: new URL(ortMjsUrl, self.location.href).href, wasm: new URL(ortWasmUrl, self.location.href).href };
}

/** Threads need SharedArrayBuffer, which only a cross-origin isolated page has. */
export function threadCount(): number {
  return self.crossOriginIsolated ? Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1)) : 1;
}
