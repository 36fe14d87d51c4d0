import type { Dtype } from '../../workers/shared/protocol';
import { MODEL_CACHE_NAME, modelCachePrefix, modelFileKey, type CachedModelRef } from '../../workers/shared/cache-keys';
import { completeDtypes } from './model-files';

/** What the browser cache holds of one model. */
export interface CachedFiles {
  /** Paths relative to the model folder, e.g. `onnx/model_quantized.onnx`. */
  files: string[];
  bytes: number;
  /** Dtypes whose weights are cached, so a later load can run offline. */
  dtypes: Dtype[];
}

const origin = (): string => globalThis.location.origin;

/** Lists the model's entries in the cache transformers.js uses, with their total size. */
export async function readCachedFiles(model: CachedModelRef): Promise<CachedFiles> {
  const cache = await caches.open(MODEL_CACHE_NAME);
  const prefix = modelCachePrefix(model, origin());
  const requests = (await cache.keys()).filter((request) => request.url.startsWith(prefix));
  let bytes = 0;
  const files: string[] = [];
  for (const request of requests) {
    const response = await cache.match(request);
    if (!response) continue;
    files.push(request.url.slice(prefix.length));
    bytes += await bodySize(response);
  }
  // A dtype counts only when its external data is stored too: the .onnx alone cannot load offline.
  const config = files.includes('config.json') ? await cache.match(`${prefix}config.json`).then((r) => r?.json()).catch(() => null) : null;
  return { files, bytes, dtypes: completeDtypes(files, config) };
}

/** Deletes every cached file of the model; resolves with the number deleted. */
export async function purgeCachedModel(model: CachedModelRef): Promise<number> {
  const cache = await caches.open(MODEL_CACHE_NAME);
  const prefix = modelCachePrefix(model, origin());
  const requests = (await cache.keys()).filter((request) => request.url.startsWith(prefix));
  const deleted = await Promise.all(requests.map((request) => cache.delete(request)));
  return deleted.filter(Boolean).length;
}

/**
 * Writes a file under the key transformers.js will look up for a local model, so the model
 * loads from the cache with no network at all (how an imported folder reaches the worker).
 */
export async function cacheLocalModelFile(model: CachedModelRef, path: string, file: Blob): Promise<void> {
  const cache = await caches.open(MODEL_CACHE_NAME);
  const headers = { 'content-type': file.type || 'application/octet-stream', 'content-length': String(file.size) };
  await cache.put(modelFileKey(model, origin(), path), new Response(file, { headers }));
}

/** transformers.js stores `content-length`; a missing header means reading the (disk-backed) blob. */
async function bodySize(response: Response): Promise<number> {
  const length = Number(response.headers.get('content-length'));
  if (Number.isFinite(length) && length > 0) return length;
  return (await response.blob()).size;
}
