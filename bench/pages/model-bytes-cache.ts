/**
 * Model files for the raw onnxruntime page, fetched through a Cache API cache of its own, the
 * way transformers.js' useBrowserCache does for the other page: the first load reads the
 * network and stores the bytes, a later page load in the same browser context reads the cache.
 */
const CACHE_NAME = 'bench-raw-ort-models';

export interface CachedBytes {
  bytes: Uint8Array;
  fromCache: boolean;
}

export async function fetchThroughCache(url: string): Promise<CachedBytes> {
  const cache = await caches.open(CACHE_NAME);
  const hit = await cache.match(url);
  if (hit) return { bytes: new Uint8Array(await hit.arrayBuffer()), fromCache: true };
  const response = await fetch(url);
  if (!response.ok) throw new Error(`Could not fetch ${url}: HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  // As transformers.js does: store a fresh Response built from the bytes already read.
  const headers = new Headers(response.headers);
  headers.set('content-length', String(bytes.byteLength));
  try {
    await cache.put(url, new Response(bytes, { headers }));
  } catch (error) {
    // A fresh browser context's quota can be smaller than a big fp32 model: the load still
    // counts, and a warm load that then misses the cache is reported by the driver.
    console.warn(`Not cached (${error instanceof Error ? error.message : String(error)}): ${url}`);
  }
  return { bytes, fromCache: false };
}

export async function fetchJsonThroughCache<T>(url: string): Promise<T> {
  const { bytes } = await fetchThroughCache(url);
  return JSON.parse(new TextDecoder().decode(bytes)) as T;
}
