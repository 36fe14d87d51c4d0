import { env } from '@huggingface/transformers';
// Served from our own origin (Vite copies them into the build), so WASM works offline and no
// CDN is ever asked. transformers.js 4.3 uses the asyncify build for both wasm and webgpu.
import ortMjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';

/**
 * Local models (the built demo, an imported folder) must never fall through to the Hub, even
 * when a file is missing: transformers.js' file-existence checks ignore `local_files_only`.
 */
export function allowHubDownloads(allowed: boolean): void {
  env.allowRemoteModels = allowed;
}

/** Points transformers.js at the app's models and runtime files. Must run before the first load. */
export function configureBrowserRuntime(): { threads: number } {
  env.allowLocalModels = true;
  // A path, not a URL: transformers.js only looks "locally" for paths; a full URL is treated
  // as remote and the lookup goes to the Hub.
  env.localModelPath = '/models/';
  env.useBrowserCache = true;
  const wasm = env.backends.onnx.wasm;
  if (!wasm) throw new Error('onnxruntime-web has no wasm backend settings');
  wasm.wasmPaths = { mjs: new URL(ortMjsUrl, self.location.href).href, wasm: new URL(ortWasmUrl, self.location.href).href };
  // Threads need SharedArrayBuffer, which only a cross-origin isolated page has.
  const threads = self.crossOriginIsolated ? Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1)) : 1;
  wasm.numThreads = threads;
  return { threads };
}
