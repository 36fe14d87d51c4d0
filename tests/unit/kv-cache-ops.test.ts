import { DynamicCache, Tensor } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { cropCache, isSliceableCache, repeatCacheRows } from '../../workers/dialogue/kv-cache-ops';

/** A [batch, heads, seq, headDim] tensor whose every value encodes its own coordinates. */
function coded(batch: number, heads: number, seq: number, headDim: number, layer: number): Tensor {
  const data = new Float32Array(batch * heads * seq * headDim);
  let i = 0;
  for (let b = 0; b < batch; b++)
    for (let h = 0; h < heads; h++)
      for (let s = 0; s < seq; s++) for (let d = 0; d < headDim; d++) data[i++] = layer * 10000 + b * 1000 + h * 100 + s * 10 + d;
  return new Tensor('float32', data, [batch, heads, seq, headDim]);
}

function cacheOf(batch: number, seq: number): DynamicCache {
  return new DynamicCache({
    'past_key_values.0.key': coded(batch, 2, seq, 3, 0),
    'past_key_values.0.value': coded(batch, 2, seq, 3, 1),
  });
}

describe('KV cache cropping and row repetition', () => {
  it('crops every entry to its first positions along the sequence axis', async () => {
    const cropped = await cropCache(cacheOf(2, 5), 3);
    expect(cropped.get_seq_length()).toBe(3);
    for (const [layer, name] of ['past_key_values.0.key', 'past_key_values.0.value'].entries()) {
      const t = cropped[name]!;
      expect(t.dims).toEqual([2, 2, 3, 3]);
      expect(Array.from(t.data as Float32Array)).toEqual(Array.from(coded(2, 2, 3, 3, layer).data as Float32Array));
    }
  });

  it('crops to nothing or to everything, and refuses to grow', async () => {
    expect((await cropCache(cacheOf(1, 4), 0)).get_seq_length()).toBe(0);
    expect(Array.from((await cropCache(cacheOf(1, 4), 4))['past_key_values.0.key']!.data as Float32Array)).toEqual(
      Array.from(coded(1, 2, 4, 3, 0).data as Float32Array),
    );
    await expect(cropCache(cacheOf(1, 4), 5)).rejects.toThrow();
  });

  it('repeats a one-row cache into rows and leaves the source as it was', async () => {
    const source = cacheOf(1, 4);
    const rows = await repeatCacheRows(source, 3);
    const t = rows['past_key_values.0.value']!;
    expect(t.dims).toEqual([3, 2, 4, 3]);
    const one = Array.from(coded(1, 2, 4, 3, 1).data as Float32Array);
    expect(Array.from(t.data as Float32Array)).toEqual([...one, ...one, ...one]);
    expect(source['past_key_values.0.value']!.dims).toEqual([1, 2, 4, 3]);
    await expect(repeatCacheRows(cacheOf(2, 4), 2)).rejects.toThrow();
  });

  it('only handles caches made of 4-D key/value entries', () => {
    expect(isSliceableCache(cacheOf(1, 2))).toBe(true);
    expect(isSliceableCache(new DynamicCache())).toBe(false);
    expect(isSliceableCache(new DynamicCache({ 'past_conv.0': new Tensor('float32', new Float32Array(4), [1, 4]) }))).toBe(false);
  });
});
