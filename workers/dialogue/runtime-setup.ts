import { env } from '@huggingface/transformers';
// Served from our own origin (Vite copies them into the build), so WASM works offline and no
// CDN is ever asked. transformers.js 4.3 uses the asyncify build for both wasm and webgpu.
import ortMjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import { asRemoteHost, LOCAL_MODEL_PATH, MODEL_CACHE_NAME } from '../shared/cache-keys';
import { DownloadGuard } from './download-guard';

/**
 * Local models (the built demo, an imported folder) must never fall through to the Hub, even
 * when a file is missing: transformers.js' file-existence checks ignore `local_files_only`.
 */
export function allowHubDownloads(allowed: boolean): void {
  env.allowRemoteModels = allowed;
}

/** The model host the user chose in the app (a Hub mirror, or the Hub itself). */
export function setModelHost(host: string): void {
  env.remoteHost = asRemoteHost(host);
}

/** Points transformers.js at the app's models and runtime files. Must run before the first load. */
export function configureBrowserRuntime(): { threads: number; guard: DownloadGuard } {
  env.allowLocalModels = true;
  // A path, not a URL: transformers.js only looks "locally" for paths; a full URL is treated
  // as remote and the lookup goes to the Hub.
  env.localModelPath = LOCAL_MODEL_PATH;
  // The same Cache API cache transformers.js would open itself, seen through the guard so a
  // failed load can stop its downloads and writes (see DownloadGuard).
  env.cacheKey = MODEL_CACHE_NAME;
  const guard = new DownloadGuard(() => caches.open(MODEL_CACHE_NAME), self.location.href);
  env.useBrowserCache = false;
  env.useCustomCache = true;
  env.customCache = guard.cache;
  env.fetch = guard.fetch;
  // The service worker precaches the ORT wasm (27 MB); caching it here as well would store it twice.
  env.useWasmCache = false;
  const wasm = env.backends.onnx.wasm;
  if (!wasm) throw new Error('onnxruntime-web has no wasm backend settings');
  wasm.wasmPaths = { mjs: new URL(ortMjsUrl, self.location.href).href, wasm: new URL(ortWasmUrl, self.location.href).href };
  // Threads need SharedArrayBuffer, which only a cross-origin isolated page has.
  const threads = self.crossOriginIsolated ? Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1)) : 1;
  wasm.numThreads = threads;
  return { threads, guard };
}
