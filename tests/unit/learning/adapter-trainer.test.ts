/**
 * The generation adapter learns a disliked token from ratings alone (issue 18), on a fixed random
 * "frozen model" (`toy-model.ts`): negatives are sampled replies that contain token X, positives
 * the ones that do not. On held-out contexts P(X) must fall by at least half while the
 * log-probability of held-out good replies moves by less than 10%.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { adapterFromJson, adapterToJson } from '../../../workers/shared/adapter-codec';
import { balanceRatings, trainOn, type TrainResult } from '../../../workers/learning/adapter-trainer';
import { ratingWeight } from '../../../workers/learning/cringe-loss';
import { createAdapter, type LogitAdapterState } from '../../../workers/learning/logit-adapter';
import { mulberry32 } from '../../../workers/shared/seeded-random';
import type { RatedReply } from '../../../workers/learning/sparse-logits';
import { DIM, KEEP, ToyModel, VOCAB, X, type ToyContext } from './toy-model';

const model = new ToyModel();
const fresh = (): LogitAdapterState => createAdapter('toy-model', VOCAB, DIM, 8, 5);

let replies: RatedReply[];
let heldOut: ToyContext[];
let heldOutGood: Int32Array[];
let result: TrainResult;

/** Mean over held-out contexts of f(context, i). */
const mean = (f: (context: ToyContext, i: number) => number): number => heldOut.reduce((s, c, i) => s + f(c, i), 0) / heldOut.length;

beforeAll(() => {
  const rng = mulberry32(3);
  replies = Array.from({ length: 80 }, (_, i) => {
    const context = model.context(rng);
    const tokens = model.sample(context, rng);
    const positive = !tokens.includes(X);
    // Every other thumbs-down gives a reason, as users sometimes do.
    return model.rated(`m${i}`, context, tokens, positive, ratingWeight(positive, !positive && i % 2 ? ['rude'] : []));
  });
  heldOut = Array.from({ length: 100 }, () => model.context(rng));
  // Good held-out replies: sampled from the frozen model until one has no X.
  heldOutGood = heldOut.map((context) => {
    for (;;) {
      const tokens = model.sample(context, rng);
      if (!tokens.includes(X)) return tokens;
    }
  });
  result = trainOn(fresh(), replies, { seed: 1 });
});

describe('training on a simulated user who dislikes token X', () => {
  it('halves P(X) on held-out contexts and keeps good replies’ log-probability within 10%', () => {
    const negatives = replies.filter((r) => !r.positive).length;
    const before = mean((c) => model.probabilityOf(c, null, X));
    const after = mean((c) => model.probabilityOf(c, result.state, X));
    const goodBefore = mean((c, i) => model.logProb(c, null, heldOutGood[i]!));
    const goodAfter = mean((c, i) => model.logProb(c, result.state, heldOutGood[i]!));
    const change = (goodAfter - goodBefore) / Math.abs(goodBefore);
    console.log(
      `${replies.length} ratings (${negatives} negative), vocab ${VOCAB}, features ${DIM}, top ${KEEP} kept: ` +
        `P(X) ${before.toFixed(4)} → ${after.toFixed(4)} (×${(after / before).toFixed(2)}); ` +
        `good replies' mean log-prob ${goodBefore.toFixed(2)} → ${goodAfter.toFixed(2)} (${(100 * change).toFixed(1)}%); ` +
        `${result.steps} steps${result.stoppedEarly ? ' (stopped early)' : ''} in ${result.ms.toFixed(0)} ms`,
    );
    expect(negatives).toBeGreaterThan(10);
    expect(replies.length - negatives).toBeGreaterThan(10);
    expect(after).toBeLessThanOrEqual(before / 2);
    expect(Math.abs(change)).toBeLessThan(0.1);
  });

  it('stops when the loss stops improving, and says what it took', () => {
    expect(result.stoppedEarly).toBe(true);
    expect(result.steps).toBeLessThan(150);
    // Each step's loss, plus one more for every step undone (the state it went back to).
    expect(result.losses.length).toBeGreaterThanOrEqual(result.steps + 1);
    expect(result.losses.at(-1)!).toBeLessThan(result.losses[0]!);
    expect(result.ms).toBeGreaterThan(0);
    expect(result.state.trainingCount).toBe(1);
    expect(result.state.exampleCount).toBe(80);
  });

  it('moves only tokens the frozen model ranked in some kept row; every other row stays exactly zero', () => {
    const seen = new Set<number>();
    for (const { logits } of replies) {
      logits.topIds.forEach((id) => seen.add(id));
      logits.targets.forEach((id) => seen.add(id));
    }
    for (let t = 0; t < VOCAB; t++) {
      if (seen.has(t)) continue;
      expect(result.state.bias[t]).toBe(0);
      expect(result.state.u.subarray(t * 8, t * 8 + 8).every((x) => x === 0)).toBe(true);
    }
    expect(result.state.bias[X]!).toBeLessThan(0);
  });
});

describe('what a run returns', () => {
  it('returns the lowest-loss state it saw, never one worse than the fresh adapter, even when its steps overshoot', () => {
    expect(result.losses[result.bestStep]).toBe(Math.min(...result.losses));
    expect(result.losses[result.bestStep]!).toBeLessThan(result.losses[0]!);
    // A penalty so strong that the first full-size step overshoots: the step is undone, not kept.
    const overshoot = trainOn(fresh(), replies.slice(0, 5), { seed: 1, l2: 50, learningRate: 0.5 });
    expect(overshoot.losses[1]!).toBeGreaterThan(overshoot.losses[0]!);
    expect(overshoot.losses[overshoot.bestStep]!).toBe(Math.min(...overshoot.losses));
    expect(overshoot.losses[overshoot.bestStep]!).toBeLessThanOrEqual(overshoot.losses[0]!);
  });

  it('gives likes and dislikes half the weight each when both are present, keeping ratios within a side', () => {
    const likes = replies.filter((r) => r.positive);
    const dislikes = replies.filter((r) => !r.positive);
    const balanced = balanceRatings(replies);
    const total = (rs: RatedReply[]) => rs.reduce((s, r) => s + r.weight, 0);
    const side = (positive: boolean) => balanced.filter((r) => r.positive === positive);
    expect(total(side(true))).toBeCloseTo(total(side(false)), 10);
    expect(total(balanced)).toBeCloseTo(total(replies), 10);
    const withReason = side(false).find((r) => r.id === dislikes.find((d) => d.weight > 1)!.id)!;
    const without = side(false).find((r) => r.id === dislikes.find((d) => d.weight === 1)!.id)!;
    expect(withReason.weight / without.weight).toBeCloseTo(ratingWeight(false, ['rude']), 10);
    // Only likes: nothing to balance against.
    expect(balanceRatings(likes).map((r) => r.weight)).toEqual(likes.map((r) => r.weight));
  });
});

describe('reproducible and forgetful', () => {
  const small = (): RatedReply[] => replies.slice(0, 12);

  it('gives the same adapter, bit for bit, from the same examples and seed', () => {
    const a = trainOn(fresh(), small(), { seed: 7 }).state;
    const b = trainOn(fresh(), small(), { seed: 7 }).state;
    expect(a.bias).toEqual(b.bias);
    expect(a.u).toEqual(b.u);
    expect(a.v).toEqual(b.v);
  });

  it('retrains without a rating taken back: the result is the adapter that never saw it', () => {
    const withAll = trainOn(fresh(), small(), { seed: 7 }).state;
    const remaining = small().filter((r) => r.id !== 'm3');
    const forgotten = trainOn(withAll, remaining, { seed: 7 }).state;
    const neverSeen = trainOn(fresh(), remaining, { seed: 7 }).state;
    expect(forgotten.bias).toEqual(neverSeen.bias);
    expect(forgotten.u).toEqual(neverSeen.u);
    expect(forgotten.v).toEqual(neverSeen.v);
    expect(forgotten.trainingCount).toBe(2);
    expect(forgotten.exampleCount).toBe(11);
  });

  it('is the fresh adapter again once every rating is taken back', () => {
    const none = trainOn(result.state, []);
    expect(none.steps).toBe(0);
    expect(none.state.bias.every((x) => x === 0) && none.state.u.every((x) => x === 0)).toBe(true);
    expect(none.state.v).toEqual(fresh().v);
  });

  it('stores and restores a trained adapter exactly', () => {
    const back = adapterFromJson(JSON.parse(JSON.stringify(adapterToJson(result.state))));
    expect(back.bias).toEqual(result.state.bias);
    expect(back.u).toEqual(result.state.u);
    expect(back.v).toEqual(result.state.v);
    expect(back.trainingCount).toBe(1);
  });

  it('refuses examples that do not fit the adapter', () => {
    const wrong = { ...replies[0]!, features: new Float32Array(DIM + 1) };
    expect(() => trainOn(fresh(), [wrong])).toThrow(/features/);
    const other = createAdapter('toy-model', 50, DIM, 8, 5);
    expect(() => trainOn(other, replies.slice(0, 1))).toThrow(/outside the vocabulary/);
  });
});
