/**
 * What a worker hands the adapter's trainer: the frozen logits along a reply, kept sparse.
 */
import { describe, expect, it } from 'vitest';
import { normalSample, mulberry32 } from '../../../workers/shared/seeded-random';
import { packReplyLogits } from '../../../workers/learning/sparse-logits';

function logSumExp(values: number[]): number {
  const max = Math.max(...values);
  return max + Math.log(values.reduce((s, v) => s + Math.exp(v - max), 0));
}

describe('packing logits along a reply', () => {
  const vocab = 120;
  const rng = mulberry32(5);
  const full = Float32Array.from({ length: 3 * vocab }, () => normalSample(rng) * 2);
  const row = (t: number): number[] => Array.from(full.subarray(t * vocab, (t + 1) * vocab));

  it('keeps the k largest logits largest first, the target logit, and the rest as one log-sum-exp', () => {
    const order0 = row(0).map((v, i) => [v, i] as const).sort((a, b) => b[0] - a[0]);
    const outside = order0[40]![1]; // a target outside the top 10
    const inside = order0[2]![1];
    const targets = Int32Array.from([outside, inside, 0]);
    const packed = packReplyLogits(full, vocab, targets, 10);
    expect(packed.k).toBe(10);
    for (let t = 0; t < 3; t++) {
      const sorted = row(t).map((v, i) => [v, i] as const).sort((a, b) => b[0] - a[0]);
      const ids = Array.from(packed.topIds.subarray(t * 10, t * 10 + 10));
      expect(ids).toEqual(sorted.slice(0, 10).map(([, i]) => i));
      expect(Array.from(packed.topLogits.subarray(t * 10, t * 10 + 10))).toEqual(ids.map((i) => full[t * vocab + i]!));
      expect(packed.targetLogits[t]).toBe(full[t * vocab + targets[t]!]);
      const rest = row(t).filter((_, i) => !ids.includes(i) && i !== targets[t]);
      expect(packed.restLogSumExp[t]).toBeCloseTo(logSumExp(rest), 4);
    }
  });

  it('breaks ties towards the lower id, so packing is deterministic', () => {
    const flat = new Float32Array(8).fill(1);
    flat[6] = 2;
    const packed = packReplyLogits(flat, 8, Int32Array.from([7]), 3);
    expect(Array.from(packed.topIds)).toEqual([6, 0, 1]);
  });

  it('has no rest when everything is kept, and refuses rows and targets that do not fit', () => {
    const packed = packReplyLogits(full.subarray(0, vocab), vocab, Int32Array.from([3]), 500);
    expect(packed.k).toBe(vocab);
    expect(packed.restLogSumExp[0]).toBe(-Infinity);
    expect(() => packReplyLogits(full, vocab, Int32Array.from([1, 2]), 4)).toThrow(/rows/);
    expect(() => packReplyLogits(full.subarray(0, vocab), vocab, Int32Array.from([vocab]), 4)).toThrow(/outside/);
  });
});
