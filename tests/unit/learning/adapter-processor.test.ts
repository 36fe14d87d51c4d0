/** The adapter as a logits processor (workers/learning/adapter-processor.ts): exact bias, exact effect. */
import { Tensor } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { AdapterLogitsProcessor } from '../../../workers/learning/adapter-processor';
import { mulberry32, normalSample } from '../../../workers/shared/seeded-random';

const VOCAB = 50;

function logSoftmax(row: number[]): number[] {
  const max = Math.max(...row);
  const lse = max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
  return row.map((v) => v - lse);
}

describe('AdapterLogitsProcessor', () => {
  it('adds the bias as it is to every (already tempered) row, and reports the chosen tokens’ probabilities with and without it', () => {
    const rng = mulberry32(3);
    const bias = new Float32Array(VOCAB);
    for (const t of [2, 7, 31]) bias[t] = normalSample(rng) * 2;
    const processor = new AdapterLogitsProcessor(bias, 6);
    const steps = [0, 1, 2].map(() => Array.from({ length: 2 * VOCAB }, () => normalSample(rng)));
    const chosen = [[7, 4], [31, 31], [2, 9]];
    const ids: bigint[][] = [[1n], [1n]];
    const expectedWith = [0, 0];
    const expectedWithout = [0, 0];
    steps.forEach((values, s) => {
      const tensor = new Tensor('float32', Float32Array.from(values), [2, VOCAB]);
      const out = processor(ids, tensor) as Tensor;
      for (let r = 0; r < 2; r++) {
        const raw = values.slice(r * VOCAB, (r + 1) * VOCAB);
        const adapted = Array.from((out.data as Float32Array).slice(r * VOCAB, (r + 1) * VOCAB));
        raw.forEach((v, t) => expect(adapted[t]).toBeCloseTo(v + bias[t]!, 5));
        const y = chosen[s]![r]!;
        expectedWithout[r] = expectedWithout[r]! + logSoftmax(raw)[y]!;
        expectedWith[r] = expectedWith[r]! + logSoftmax(adapted)[y]!;
        ids[r]!.push(BigInt(y));
      }
    });
    for (let r = 0; r < 2; r++) {
      const effect = processor.effect(r, chosen[2]![r], 3);
      expect(effect.tokens).toBe(3);
      expect(effect.ratings).toBe(6);
      expect(Math.log(effect.meanProbWith)).toBeCloseTo(expectedWith[r]! / 3, 5);
      expect(Math.log(effect.meanProbWithout)).toBeCloseTo(expectedWithout[r]! / 3, 5);
    }
    // A batch row that ran past its own end counts only the tokens its reply kept.
    expect(processor.effect(0, undefined, 1).tokens).toBe(1);
  });

  it('leaves logits of another width alone', () => {
    const processor = new AdapterLogitsProcessor(new Float32Array(VOCAB).fill(1), 1);
    const values = Float32Array.from({ length: VOCAB + 1 }, (_, i) => i);
    const out = processor([[1n]], new Tensor('float32', values.slice(), [1, VOCAB + 1])) as Tensor;
    expect(Array.from(out.data as Float32Array)).toEqual(Array.from(values));
  });
});
