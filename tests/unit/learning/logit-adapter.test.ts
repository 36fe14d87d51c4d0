/**
 * The personal generation adapter as a logits processor (issue 18): a fresh one changes nothing,
 * applying is deterministic and O(vocab·r), and it belongs to one model.
 */
import { describe, expect, it } from 'vitest';
import {
  adoptAdapter,
  applyAdapter,
  contextBias,
  createAdapter,
  projectContext,
  type LogitAdapterState,
} from '../../../workers/learning/logit-adapter';
import { normalSample, mulberry32 } from '../../../workers/shared/seeded-random';

function randomArray(length: number, seed: number, scale = 1): Float32Array {
  const rng = mulberry32(seed);
  return Float32Array.from({ length }, () => normalSample(rng) * scale);
}

/** An adapter with every parameter random, as if trained. */
function trainedLike(vocab: number, dim: number, rank: number): LogitAdapterState {
  const adapter = createAdapter('model-a', vocab, dim, rank, 3);
  adapter.bias.set(randomArray(vocab, 4, 0.5));
  adapter.u.set(randomArray(vocab * rank, 5, 0.3));
  return adapter;
}

describe('a fresh adapter', () => {
  it('leaves the logits bit for bit as they were, −0 included', () => {
    const adapter = createAdapter('model-a', 500, 16, 8, 1);
    const logits = randomArray(2 * 500, 9);
    logits[3] = -0;
    logits[600] = -1e30;
    const before = new Uint8Array(logits.slice().buffer);
    applyAdapter(adapter, logits, projectContext(adapter, randomArray(16, 2)));
    expect(new Uint8Array(logits.buffer)).toEqual(before);
    expect(Object.is(logits[3], -0)).toBe(true);
  });

  it('starts from its seed: U and b zero, V the same for the same seed and different for another', () => {
    const a = createAdapter('model-a', 100, 12, 4, 42);
    const b = createAdapter('model-a', 100, 12, 4, 42);
    const c = createAdapter('model-a', 100, 12, 4, 43);
    expect(a.u.every((x) => x === 0) && a.bias.every((x) => x === 0)).toBe(true);
    expect(a.v).toEqual(b.v);
    expect(a.v).not.toEqual(c.v);
    expect(a.v.some((x) => x !== 0)).toBe(true);
    expect([a.version, a.trainingCount, a.exampleCount, a.modelId]).toEqual([1, 0, 0, 'model-a']);
  });

  it('rejects shapes that are not positive integers', () => {
    expect(() => createAdapter('m', 0, 4, 2)).toThrow(/vocabSize/);
    expect(() => createAdapter('m', 10, 4, 1.5)).toThrow(/rank/);
  });
});

describe('applying an adapter', () => {
  const vocab = 300;
  const dim = 16;
  const rank = 6;
  const adapter = trainedLike(vocab, dim, rank);
  const features = randomArray(dim, 7);

  it('adds b + U·(Vᵀ·f̂) to every row of the logits, the same bias on each best-of-N row', () => {
    const p = projectContext(adapter, features);
    const logits = randomArray(3 * vocab, 8);
    const before = logits.slice();
    applyAdapter(adapter, logits, p);
    const norm = Math.hypot(...features);
    for (const t of [0, 17, 299]) {
      let expected = adapter.bias[t]!;
      for (let k = 0; k < rank; k++) {
        let pk = 0;
        for (let j = 0; j < dim; j++) pk += adapter.v[j * rank + k]! * (features[j]! / norm);
        expected += adapter.u[t * rank + k]! * pk;
      }
      for (let row = 0; row < 3; row++) expect(logits[row * vocab + t]! - before[row * vocab + t]!).toBeCloseTo(expected, 5);
    }
    const bias = contextBias(adapter, p);
    for (let t = 0; t < vocab; t++) expect(logits[t]!).toBeCloseTo(before[t]! + bias[t]!, 5);
  });

  it('is deterministic: the same state, context and logits give the same bits', () => {
    const p = projectContext(adapter, features);
    const a = randomArray(vocab, 10);
    const b = a.slice();
    applyAdapter(adapter, a, p);
    applyAdapter(adapter, b, projectContext(adapter, features));
    expect(new Uint8Array(a.buffer)).toEqual(new Uint8Array(b.buffer));
  });

  it('sees the context only through its direction: f and 3·f project alike', () => {
    const p1 = projectContext(adapter, features);
    const p3 = projectContext(adapter, features.map((x) => 3 * x));
    for (let k = 0; k < rank; k++) expect(p3[k]!).toBeCloseTo(p1[k]!, 6);
    expect(projectContext(adapter, new Float32Array(dim)).every((x) => x === 0)).toBe(true);
  });

  it('refuses logits, contexts and projections of the wrong size', () => {
    const p = projectContext(adapter, features);
    expect(() => applyAdapter(adapter, new Float32Array(vocab + 1), p)).toThrow(/rows/);
    expect(() => applyAdapter(adapter, new Float32Array(vocab), new Float64Array(rank + 1))).toThrow(/rank/);
    expect(() => projectContext(adapter, new Float32Array(dim - 1))).toThrow(/expects 16/);
  });

  it('costs O(vocab·r) per step: a 32k vocabulary at rank 8 in well under the time of a decode step', () => {
    const big = trainedLike(32_000, 384, 8);
    const p = projectContext(big, randomArray(384, 11));
    const logits = randomArray(32_000, 12);
    applyAdapter(big, logits, p); // warm the JIT
    const runs = 20;
    const started = performance.now();
    for (let i = 0; i < runs; i++) applyAdapter(big, logits, p);
    const ms = (performance.now() - started) / runs;
    console.log(`apply, vocab 32000, rank 8: ${ms.toFixed(2)} ms per decode step`);
    // A generous bound for a shared two-core machine: the work is 256k multiply-adds (~0.3 ms).
    expect(ms).toBeLessThan(15);
  });
});

describe('which model an adapter belongs to', () => {
  const shape = { vocabSize: 50, featureDim: 8, rank: 4 };

  it('keeps a stored adapter for the same model and shape', () => {
    const stored = { ...trainedLike(50, 8, 4), trainingCount: 5 };
    expect(adoptAdapter(stored, 'model-a', shape)).toBe(stored);
  });

  it('starts a fresh adapter for another model, another shape, or none stored', () => {
    const stored = { ...trainedLike(50, 8, 4), trainingCount: 5 };
    for (const adopted of [
      adoptAdapter(stored, 'model-b', shape),
      adoptAdapter(stored, 'model-a', { ...shape, vocabSize: 51 }),
      adoptAdapter(stored, 'model-a', { ...shape, featureDim: 9 }),
      adoptAdapter(null, 'model-a', shape),
    ]) {
      expect(adopted).not.toBe(stored);
      expect(adopted.trainingCount).toBe(0);
      expect(adopted.u.every((x) => x === 0) && adopted.bias.every((x) => x === 0)).toBe(true);
    }
    expect(adoptAdapter(stored, 'model-b', shape).modelId).toBe('model-b');
  });
});
