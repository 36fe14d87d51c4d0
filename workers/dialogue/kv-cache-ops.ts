import { DynamicCache, Tensor } from '@huggingface/transformers';

/**
 * Cropping and batching a decoder KV cache. transformers.js 4.3's DynamicCache has neither, so
 * these work on its entries directly: every `past_key_values.*` tensor is [batch, heads, seq,
 * headDim]. On WebGPU the entries live in GPU buffers; they are read back once and the results
 * are CPU tensors, which onnxruntime uploads as inputs on the next pass.
 */

type TypedArray = Float32Array | Uint16Array | Int8Array | Uint8Array;

/** Names the cache must consist of for the helpers below to understand it. */
function isKvName(name: string): boolean {
  return name.startsWith('past_key_values.');
}

/** Whether every entry is a 4-D key/value tensor these helpers can slice (other caches, e.g. conv states, are not). */
export function isSliceableCache(cache: DynamicCache): boolean {
  const entries = Object.entries(cache);
  return entries.length > 0 && entries.every(([name, t]) => isKvName(name) && t instanceof Tensor && t.dims.length === 4);
}

async function readData(tensor: Tensor): Promise<TypedArray> {
  if (tensor.location === 'gpu-buffer') return (await tensor.ort_tensor.getData()) as TypedArray;
  return tensor.data as TypedArray;
}

async function disposeAll(cache: DynamicCache): Promise<void> {
  // DynamicCache.dispose frees GPU buffers; CPU tensors are left to the garbage collector.
  await cache.dispose();
}

/**
 * A cache holding only the first `length` positions of `cache`. Disposes `cache`: the caller
 * replaces it with the result.
 */
export async function cropCache(cache: DynamicCache, length: number): Promise<DynamicCache> {
  if (!isSliceableCache(cache)) throw new Error('This model’s cache cannot be cropped.');
  const entries: Record<string, Tensor> = {};
  for (const [name, tensor] of Object.entries(cache)) {
    const [batch, heads, seq, headDim] = tensor.dims as [number, number, number, number];
    if (length > seq || length < 0) throw new Error(`Cannot crop a cache of ${seq} positions to ${length}.`);
    const source = await readData(tensor);
    const Ctor = source.constructor as new (n: number) => TypedArray;
    const target = new Ctor(batch * heads * length * headDim);
    // Each (batch, head) pair is one contiguous [seq, headDim] block; keep its first rows.
    const keep = length * headDim;
    for (let block = 0; block < batch * heads; block++) {
      target.set(source.subarray(block * seq * headDim, block * seq * headDim + keep), block * keep);
    }
    entries[name] = new Tensor(tensor.type as 'float32', target as Float32Array, [batch, heads, length, headDim]);
  }
  await disposeAll(cache);
  return new DynamicCache(entries);
}

/**
 * A new cache with the single row of `cache` repeated `rows` times, for sampling several
 * replies after one shared prefill. Leaves `cache` as it is.
 */
export async function repeatCacheRows(cache: DynamicCache, rows: number): Promise<DynamicCache> {
  if (!isSliceableCache(cache)) throw new Error('This model’s cache cannot be batched.');
  const entries: Record<string, Tensor> = {};
  for (const [name, tensor] of Object.entries(cache)) {
    const [batch, heads, seq, headDim] = tensor.dims as [number, number, number, number];
    if (batch !== 1) throw new Error(`Only a one-row cache can be repeated (got ${batch} rows).`);
    const source = await readData(tensor);
    const Ctor = source.constructor as new (n: number) => TypedArray;
    const target = new Ctor(rows * source.length);
    for (let row = 0; row < rows; row++) target.set(source, row * source.length);
    entries[name] = new Tensor(tensor.type as 'float32', target as Float32Array, [rows, heads, seq, headDim]);
  }
  return new DynamicCache(entries);
}
