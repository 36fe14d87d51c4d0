/**
 * Where transformers.js keeps a model's files in the Cache API, so the app can measure, purge
 * and pre-fill them. Mirrors transformers.js 4.3 `buildResourcePaths`: a remote file is stored
 * under `<remoteHost>/<repo>/resolve/main/<file>`, a local one under `<localModelPath><id>/<file>`
 * resolved against the page's origin. Imports nothing, so the app and the worker share it.
 */

/** The Cache API cache transformers.js reads and writes (its `env.cacheKey`). */
export const MODEL_CACHE_NAME = 'transformers-cache';
export const DEFAULT_MODEL_HOST = 'https://huggingface.co';
/** transformers.js `env.localModelPath`: a path, so lookups stay on the app's origin. */
export const LOCAL_MODEL_PATH = '/models/';

export interface CachedModelRef {
  id: string;
  local: boolean;
  host?: string;
}

/** The URL prefix every cached file of `model` starts with. */
export function modelCachePrefix(model: CachedModelRef, origin: string): string {
  if (model.local) return `${trimTrailingSlash(origin)}${LOCAL_MODEL_PATH}${model.id}/`;
  return `${trimTrailingSlash(model.host ?? DEFAULT_MODEL_HOST)}/${model.id}/resolve/main/`;
}

/** The cache key transformers.js looks up for `file` (e.g. `onnx/model_quantized.onnx`) of `model`. */
export function modelFileKey(model: CachedModelRef, origin: string, file: string): string {
  return modelCachePrefix(model, origin) + file.replace(/^\/+/, '');
}

/** transformers.js wants `remoteHost` to end with a slash. */
export function asRemoteHost(host: string): string {
  return `${trimTrailingSlash(host)}/`;
}

function trimTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
