/**
 * The generation adapter's JSON form (for backups): exact, sparse, and checked on the way in.
 */
import { describe, expect, it } from 'vitest';
import { adapterFromJson, adapterToJson, type AdapterJson } from '../../../workers/shared/adapter-codec';
import { createAdapter, type LogitAdapterState } from '../../../workers/learning/logit-adapter';
import { normalSample, mulberry32 } from '../../../workers/shared/seeded-random';

/** An adapter where a few tokens have learned something, like one after training. */
function sparseTrained(): LogitAdapterState {
  const rng = mulberry32(21);
  const adapter = { ...createAdapter('HuggingFaceTB/SmolLM2-360M-Instruct', 1000, 24, 4, 8), trainingCount: 3, exampleCount: 17, updatedAt: 1_700_000_000_123 };
  for (const t of [0, 5, 6, 400, 999]) {
    adapter.bias[t] = normalSample(rng);
    for (let k = 0; k < 4; k++) adapter.u[t * 4 + k] = normalSample(rng) * 1e-7;
  }
  adapter.u[77 * 4 + 2] = 3.4028234663852886e38; // largest float32; b of token 77 stays 0
  adapter.bias[500] = -0; // a −0 must come back as −0
  adapter.v[3] = 1.401298464324817e-45; // smallest float32 subnormal
  return adapter;
}

const bits = (a: Float32Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

describe('adapter JSON', () => {
  it('round-trips through JSON text exactly, every float32 bit for bit', () => {
    const adapter = sparseTrained();
    const back = adapterFromJson(JSON.parse(JSON.stringify(adapterToJson(adapter))));
    const { bias, u, v, ...rest } = back;
    const { bias: bias0, u: u0, v: v0, ...rest0 } = adapter;
    expect(rest).toEqual(rest0);
    expect(bits(bias)).toEqual(bits(bias0));
    expect(bits(u)).toEqual(bits(u0));
    expect(bits(v)).toEqual(bits(v0));
    expect(Object.is(bias[500], -0)).toBe(true);
  });

  it('writes only the tokens that learned something', () => {
    const json = adapterToJson(sparseTrained());
    expect(atob(json.tokens).length / 4).toBe(7); // 0, 5, 6, 77, 400, 500 (−0), 999
    expect(atob(json.u).length).toBe(7 * 4 * 4);
    const fresh = adapterToJson(createAdapter('m', 150_000, 384, 8));
    expect(fresh.tokens).toBe('');
    expect(JSON.stringify(fresh).length).toBeLessThan(20_000);
  });

  it('turns down malformed records instead of restoring them', () => {
    const good = adapterToJson(sparseTrained());
    const bad: Array<[Partial<Record<keyof AdapterJson, unknown>>, RegExp]> = [
      [{ version: 2 }, /version/],
      [{ modelId: '' }, /modelId/],
      [{ vocabSize: -1 }, /vocabSize/],
      [{ rank: 2.5 }, /rank/],
      [{ trainingCount: -1 }, /trainingCount/],
      [{ bias: good.bias.slice(0, -8) }, /bias holds/],
      [{ v: '%%%' }, /v is not base64/],
      [{ tokens: btoa('\x05\0\0\0\x01\0\0\0') + '' }, /ascending/],
      [{ u: 42 }, /u is not a string/],
      [{ bias: btoa('\0\0\xc0\x7f'.repeat(7)) }, /not finite/],
    ];
    for (const [change, message] of bad) expect(() => adapterFromJson({ ...good, ...change }), JSON.stringify(change)).toThrow(message);
    expect(() => adapterFromJson(null)).toThrow(/not an object/);
  });
});
