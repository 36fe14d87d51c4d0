/**
 * The Cringe loss on the generation adapter: its values, its gradients (checked against finite
 * differences for the likelihood term and the contrastive term), its weights and its sampling.
 */
import { describe, expect, it } from 'vitest';
import {
  cringeLoss,
  drawContrastTokens,
  chargedTokens,
  ratingWeight,
  zeroGradient,
  type AdapterGradient,
} from '../../../workers/learning/cringe-loss';
import { applyAdapter, createAdapter, projectContext, tokenBias, type LogitAdapterState } from '../../../workers/learning/logit-adapter';
import { normalSample, mulberry32 } from '../../../workers/shared/seeded-random';
import { packReplyLogits, type RatedReply } from '../../../workers/learning/sparse-logits';
import { exampleWeight, REASONS_BONUS } from '../../../workers/reward/personal-head';
import { softmax } from './toy-model';

const VOCAB = 30;
const DIM = 5;
const RANK = 3;
const KEEP = 8;

function randomArray(length: number, rng: () => number, scale = 1): Float32Array {
  return Float32Array.from({ length }, () => normalSample(rng) * scale);
}

/** A reply of `targets` with random frozen logits, plus the full rows for exact checks. */
function reply(id: string, targets: number[], positive: boolean, seed: number, weight = 1): { rated: RatedReply; full: Float32Array } {
  const rng = mulberry32(seed);
  const full = randomArray(targets.length * VOCAB, rng, 2);
  const rated: RatedReply = {
    id,
    positive,
    weight,
    features: randomArray(DIM, rng),
    logits: packReplyLogits(full, VOCAB, Int32Array.from(targets), KEEP),
  };
  return { rated, full };
}

/** An adapter with every parameter non-zero, so every part of the gradient is exercised. */
function busyAdapter(): LogitAdapterState {
  const rng = mulberry32(99);
  const adapter = createAdapter('m', VOCAB, DIM, RANK, 4);
  adapter.bias.set(randomArray(VOCAB, rng, 0.5));
  adapter.u.set(randomArray(VOCAB * RANK, rng, 0.5));
  return adapter;
}

/** Central differences, dividing by the step float32 actually took. */
function numericGradient(params: Float32Array, i: number, loss: () => number): number {
  const original = params[i]!;
  const eps = 1e-3 * Math.max(1, Math.abs(original));
  params[i] = original + eps;
  const up = params[i]! - original;
  const lossUp = loss();
  params[i] = original - eps;
  const down = original - params[i]!;
  const lossDown = loss();
  params[i] = original;
  return (lossUp - lossDown) / (up + down);
}

function expectGradientMatches(adapter: LogitAdapterState, replies: RatedReply[], contrasts: (Int32Array | null)[]): AdapterGradient {
  const grad = zeroGradient(adapter);
  cringeLoss(adapter, replies, contrasts, grad);
  const loss = (): number => cringeLoss(adapter, replies, contrasts);
  let checked = 0;
  for (const [params, analytic] of [
    [adapter.bias, grad.bias],
    [adapter.u, grad.u],
    [adapter.v, grad.v],
  ] as const) {
    for (let i = 0; i < params.length; i++) {
      const numeric = numericGradient(params, i, loss);
      expect(Math.abs(numeric - analytic[i]!), `parameter ${i}: numeric ${numeric}, analytic ${analytic[i]}`).toBeLessThan(2e-5 + 1e-3 * Math.abs(analytic[i]!));
      checked++;
    }
  }
  expect(checked).toBe(VOCAB + VOCAB * RANK + DIM * RANK);
  return grad;
}

const someNonZero = (a: Float64Array): boolean => a.some((x) => Math.abs(x) > 1e-6);

describe('Cringe loss values', () => {
  it('is the token NLL over the kept tokens (what top-k sampling draws from) on a positive reply while the adapter is fresh', () => {
    const adapter = createAdapter('m', VOCAB, DIM, RANK, 4);
    const targets = [3, 17, 29, 0, 11];
    const { rated, full } = reply('p', targets, true, 1);
    let nll = 0;
    targets.forEach((y, t) => {
      const kept = new Set([...rated.logits.topIds.subarray(t * KEEP, (t + 1) * KEEP), y]);
      const z = [...kept].reduce((sum, id) => sum + Math.exp(full[t * VOCAB + id]!), 0);
      nll -= full[t * VOCAB + y]! - Math.log(z);
    });
    expect(cringeLoss(adapter, [rated], [null])).toBeCloseTo(nll / targets.length, 5);
  });

  it('is the exact NLL of the adapted logits when the whole vocabulary is kept', () => {
    const adapter = busyAdapter();
    const targets = [4, 9, 22];
    const rng = mulberry32(2);
    const full = randomArray(targets.length * VOCAB, rng, 2);
    const features = randomArray(DIM, rng);
    const rated: RatedReply = { id: 'p', positive: true, weight: 1, features, logits: packReplyLogits(full, VOCAB, Int32Array.from(targets), VOCAB) };
    const adapted = full.slice();
    applyAdapter(adapter, adapted, projectContext(adapter, features));
    let nll = 0;
    targets.forEach((y, t) => (nll -= Math.log(softmax(adapted.subarray(t * VOCAB, (t + 1) * VOCAB))[y]!)));
    expect(cringeLoss(adapter, [rated], [null])).toBeCloseTo(nll / targets.length, 5);
  });

  it('on a negative reply is −log(e^{s⁺}/(e^{s⁺}+e^{s⁻})) with the adapted scores, averaged over tokens', () => {
    const adapter = busyAdapter();
    const { rated, full } = reply('n', [5, 6], false, 3);
    const contrast = drawContrastTokens(adapter, rated, mulberry32(1));
    const adapted = full.slice();
    applyAdapter(adapter, adapted, projectContext(adapter, rated.features));
    let expected = 0;
    [5, 6].forEach((y, t) => {
      const sMinus = adapted[t * VOCAB + y]!;
      const sPlus = adapted[t * VOCAB + contrast[t]!]!;
      expected -= Math.log(Math.exp(sPlus) / (Math.exp(sPlus) + Math.exp(sMinus)));
    });
    expect(cringeLoss(adapter, [rated], [contrast])).toBeCloseTo(expected / 2, 5);
  });

  it('weighs replies by the reward head’s rule: a thumbs-down with reasons counts more', () => {
    expect(ratingWeight(false, ['rude'])).toBe(exampleWeight({ liked: false, reasons: ['rude'] }));
    expect(ratingWeight(false, ['rude'])).toBe(1 + REASONS_BONUS);
    expect(ratingWeight(false)).toBe(1);
    expect(ratingWeight(true, ['ignored on a like'])).toBe(1);
    const adapter = busyAdapter();
    const a = reply('a', [1, 2, 3], true, 4, 1).rated;
    const b = { ...reply('b', [7, 8], false, 5).rated, weight: ratingWeight(false, ['spam']) };
    const contrastB = drawContrastTokens(adapter, b, mulberry32(2));
    // One charged set for all three: a reply's tail charge depends on which tokens can be pushed up.
    const charged = chargedTokens(VOCAB, [a, b]);
    const lossA = cringeLoss(adapter, [a], [null], undefined, charged);
    const lossB = cringeLoss(adapter, [b], [contrastB], undefined, charged);
    expect(cringeLoss(adapter, [a, b], [null, contrastB])).toBeCloseTo((lossA + 1.5 * lossB) / 2.5, 10);
  });

  it('charges what the adapter lifts out of the tail in the normaliser (exact when the tail’s frozen logits are equal)', () => {
    // Kept tokens stand out; every other token has the same frozen logit, so R · mean(e^bias − 1) is exact.
    const targets = [4, 9, 22];
    const rng = mulberry32(6);
    const full = new Float32Array(targets.length * VOCAB).fill(-1);
    for (let t = 0; t < targets.length; t++) for (let i = 0; i < KEEP; i++) full[t * VOCAB + ((t * 7 + i * 3) % VOCAB)] = 2 + normalSample(rng);
    const features = randomArray(DIM, rng);
    const rated: RatedReply = { id: 'p', positive: true, weight: 1, features, logits: packReplyLogits(full, VOCAB, Int32Array.from(targets), KEEP) };
    const adapter = busyAdapter();
    adapter.bias.set(adapter.bias.map(Math.abs)); // a lift, so the tail's added mass is positive
    const everyToken = Int32Array.from({ length: VOCAB }, (_, i) => i);
    const adapted = full.slice();
    applyAdapter(adapter, adapted, projectContext(adapter, features));
    let nll = 0;
    targets.forEach((y, t) => {
      const kept = new Set([...rated.logits.topIds.subarray(t * KEEP, (t + 1) * KEEP), y]);
      let z = 0;
      let lifted = 0;
      for (let id = 0; id < VOCAB; id++) {
        if (kept.has(id)) z += Math.exp(adapted[t * VOCAB + id]!);
        else lifted += Math.exp(adapted[t * VOCAB + id]!) - Math.exp(full[t * VOCAB + id]!);
      }
      expect(lifted).toBeGreaterThan(0);
      nll -= adapted[t * VOCAB + y]! - Math.log(z + lifted);
    });
    expect(cringeLoss(adapter, [rated], [null], undefined, everyToken)).toBeCloseTo(nll / targets.length, 5);

    // So lifting a token that is never kept (an end-of-turn token a random model never ranks high)
    // costs the positive reply likelihood; it used to be free.
    const before = cringeLoss(adapter, [rated], [null], undefined, everyToken);
    const tailToken = [...everyToken].find((id) => !rated.logits.topIds.includes(id) && !targets.includes(id))!;
    adapter.bias[tailToken] = adapter.bias[tailToken]! + 5;
    expect(cringeLoss(adapter, [rated], [null], undefined, everyToken)).toBeGreaterThan(before + 0.05);
  });
});

describe('Cringe loss gradients match finite differences', () => {
  it('for the likelihood term (targets inside and outside the kept top k)', () => {
    const adapter = busyAdapter();
    const replies = [reply('p1', [3, 17, 29, 0], true, 6).rated, reply('p2', [12, 12, 5], true, 7, 2).rated];
    const outside = replies[0]!.logits.targets.some((y, t) => !replies[0]!.logits.topIds.subarray(t * KEEP, (t + 1) * KEEP).includes(y));
    expect(outside).toBe(true);
    const grad = expectGradientMatches(adapter, replies, [null, null]);
    expect(someNonZero(grad.bias) && someNonZero(grad.u) && someNonZero(grad.v)).toBe(true);
  });

  it('for the contrastive term on a negative reply', () => {
    const adapter = busyAdapter();
    const replies = [reply('n1', [3, 17, 29, 0, 8], false, 8).rated, reply('n2', [1, 2], false, 9, 1.5).rated];
    const rng = mulberry32(3);
    const contrasts = replies.map((r) => drawContrastTokens(adapter, r, rng));
    const grad = expectGradientMatches(adapter, replies, contrasts);
    expect(someNonZero(grad.bias) && someNonZero(grad.u) && someNonZero(grad.v)).toBe(true);
  });

  it('for both together, weighted', () => {
    const adapter = busyAdapter();
    const replies = [reply('p', [4, 5, 6], true, 10).rated, reply('n', [4, 9], false, 11, 1.5).rated];
    const contrasts = [null, drawContrastTokens(adapter, replies[1]!, mulberry32(4))];
    expectGradientMatches(adapter, replies, contrasts);
  });
});

describe('sampling the alternative token s⁺', () => {
  const adapter = busyAdapter();
  const { rated } = reply('n', [3, 17, 29, 0, 8, 3], false, 12);

  it('never picks the negative token, only the adapted top k, and is deterministic given the seed', () => {
    const first = drawContrastTokens(adapter, rated, mulberry32(5), 3);
    expect(drawContrastTokens(adapter, rated, mulberry32(5), 3)).toEqual(first);
    const p = projectContext(adapter, rated.features);
    const { logits } = rated;
    for (let draw = 0; draw < 20; draw++) {
      const picks = drawContrastTokens(adapter, rated, mulberry32(100 + draw), 3);
      picks.forEach((pick, t) => {
        expect(pick).not.toBe(logits.targets[t]);
        const top3 = Array.from({ length: KEEP }, (_, i) => {
          const id = logits.topIds[t * KEEP + i]!;
          return { id, score: logits.topLogits[t * KEEP + i]! + tokenBias(adapter, id, p) };
        })
          .filter(({ id }) => id !== logits.targets[t])
          .sort((a, b) => b.score - a.score)
          .slice(0, 3)
          .map(({ id }) => id);
        expect(top3).toContain(pick);
      });
    }
  });

  it('follows the adapter: a token it lifts far above the rest becomes the alternative everywhere', () => {
    const lifted = { ...adapter, bias: adapter.bias.slice() };
    const candidate = rated.logits.topIds[KEEP - 1]!; // the weakest kept token at position 0
    lifted.bias[candidate] = 100;
    const picks = drawContrastTokens(lifted, rated, mulberry32(6), 1);
    rated.logits.targets.forEach((y, t) => {
      const kept = rated.logits.topIds.subarray(t * KEEP, (t + 1) * KEEP);
      if (kept.includes(candidate) && y !== candidate) expect(picks[t]).toBe(candidate);
    });
  });
});
