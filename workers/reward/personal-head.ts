/**
 * The personal reward head (DESIGN §5): logistic regression over encoder features, trained on
 * the user's own ratings. Pure TypeScript, no dependencies, so the worker, the tests, the
 * evaluation scripts and the collector's community training all run exactly this code.
 *
 * With a community prior (workers/shared/community-artifact.ts) the head's logit is the
 * community's logit plus its own: its own part is fit to the user's ratings with the community's
 * as a fixed offset, and the L2 penalty pulls it towards zero, i.e. towards the community. With
 * no ratings the head is the community head; each rating moves it towards the user.
 *
 * The state (`PersonalHeadState`) keeps every example's features, so a changed or withdrawn
 * rating retrains correctly. Features are standardized with the mean and spread of the stored
 * examples, recomputed from them (never stored), and the weights live in that standardized space.
 */
import { communityLogit, type CommunityRewardHead } from '../shared/community-artifact';
import type { PersonalHeadState, RewardScore, TrainingExample } from '../shared/reward-protocol';

/** Full-batch gradient descent steps per training request (warm-started from the last weights). */
export const EPOCHS = 60;
export const LEARNING_RATE = 0.5;
/** L2 penalty on the weights (not the bias). */
export const L2 = 0.05;
/** A thumbs-down that names reasons counts this much more than a bare rating. */
export const REASONS_BONUS = 0.5;
const MIN_STD = 1e-3;

type StoredExample = PersonalHeadState['examples'][number];

/** An untrained head for `encoderId`: zero weights, so every reply scores 0.5 (or the prior's score). */
export function emptyHead(encoderId: string, featureSize: number, prior: CommunityRewardHead | null = null): PersonalHeadState {
  return {
    version: 1,
    encoderId,
    featureSize,
    weights: new Array<number>(featureSize).fill(0),
    bias: 0,
    trainingCount: 0,
    examples: [],
    updatedAt: Date.now(),
    prior: priorFits(prior, encoderId, featureSize) ? prior : null,
  };
}

/** A community head can be the prior of a head only over the same encoder's features. */
export function priorFits(prior: CommunityRewardHead | null | undefined, encoderId: string, featureSize: number): prior is CommunityRewardHead {
  return !!prior && prior.encoderId === encoderId && prior.featureSize === featureSize && prior.weights.length === featureSize;
}

/** The same ratings on top of another prior (or none): refit, nothing forgotten. */
export function withPrior(state: PersonalHeadState, prior: CommunityRewardHead | null): PersonalHeadState {
  const next: PersonalHeadState = {
    ...state,
    prior: priorFits(prior, state.encoderId, state.featureSize) ? prior : null,
    weights: new Array<number>(state.featureSize).fill(0),
    bias: 0,
  };
  return { ...next, ...fit(next), updatedAt: Date.now() };
}

/**
 * The stored head if it fits the loaded encoder, else a fresh one: a head trained on another
 * encoder's embeddings means nothing for this one.
 */
export function adoptHead(stored: PersonalHeadState | null, encoderId: string, featureSize: number): PersonalHeadState {
  if (
    stored &&
    stored.version === 1 &&
    stored.encoderId === encoderId &&
    stored.featureSize === featureSize &&
    stored.weights.length === featureSize &&
    stored.examples.every((e) => e.features.length === featureSize)
  ) {
    // A prior for another encoder is dropped with a refit; the ratings stay.
    return stored.prior && !priorFits(stored.prior, encoderId, featureSize) ? withPrior(stored, null) : stored;
  }
  return emptyHead(encoderId, featureSize);
}

/** How much one rating counts: 1, plus a bonus for a thumbs-down that says why. */
export function exampleWeight(example: Pick<TrainingExample, 'liked' | 'reasons'>): number {
  return 1 + (!example.liked && example.reasons.length > 0 ? REASONS_BONUS : 0);
}

interface Standardizer {
  mean: Float64Array;
  invStd: Float64Array;
}

/** Mean and 1/std of each feature over the stored examples (identity when there are none). */
export function standardizer(examples: readonly StoredExample[], featureSize: number): Standardizer {
  const mean = new Float64Array(featureSize);
  const invStd = new Float64Array(featureSize).fill(1);
  const n = examples.length;
  if (n === 0) return { mean, invStd };
  for (const e of examples) for (let j = 0; j < featureSize; j++) mean[j]! += e.features[j]!;
  for (let j = 0; j < featureSize; j++) mean[j]! /= n;
  const variance = new Float64Array(featureSize);
  for (const e of examples) {
    for (let j = 0; j < featureSize; j++) {
      const d = e.features[j]! - mean[j]!;
      variance[j]! += d * d;
    }
  }
  for (let j = 0; j < featureSize; j++) invStd[j] = 1 / Math.max(MIN_STD, Math.sqrt(variance[j]! / n));
  return { mean, invStd };
}

export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/**
 * Retrains on every stored example: warm-started full-batch gradient descent on the weighted
 * log loss plus L2, a fixed number of epochs. With a prior, each example's community logit is a
 * fixed offset. Returns the new weights and bias (the head's own part).
 */
export function fit(
  state: Pick<PersonalHeadState, 'featureSize' | 'examples' | 'weights' | 'bias' | 'prior'>,
  epochs: number = EPOCHS,
  l2: number = L2,
): { weights: number[]; bias: number } {
  const d = state.featureSize;
  const n = state.examples.length;
  if (n === 0) return { weights: new Array<number>(d).fill(0), bias: 0 };
  const { mean, invStd } = standardizer(state.examples, d);
  const x = new Float64Array(n * d);
  const y = new Float64Array(n);
  const offset = new Float64Array(n);
  const sampleWeight = new Float64Array(n);
  let totalWeight = 0;
  state.examples.forEach((e, i) => {
    for (let j = 0; j < d; j++) x[i * d + j] = (e.features[j]! - mean[j]!) * invStd[j]!;
    y[i] = e.liked ? 1 : 0;
    offset[i] = state.prior ? communityLogit(state.prior, e.features) : 0;
    sampleWeight[i] = e.weight;
    totalWeight += e.weight;
  });
  const w = Float64Array.from(state.weights.length === d ? state.weights : new Array<number>(d).fill(0));
  let b = state.bias;
  const grad = new Float64Array(d);
  for (let epoch = 0; epoch < epochs; epoch++) {
    grad.fill(0);
    let gradB = 0;
    for (let i = 0; i < n; i++) {
      const row = i * d;
      let z = b + offset[i]!;
      for (let j = 0; j < d; j++) z += w[j]! * x[row + j]!;
      const r = (sigmoid(z) - y[i]!) * sampleWeight[i]!;
      gradB += r;
      for (let j = 0; j < d; j++) grad[j]! += r * x[row + j]!;
    }
    for (let j = 0; j < d; j++) w[j]! -= LEARNING_RATE * (grad[j]! / totalWeight + l2 * w[j]!);
    b -= LEARNING_RATE * (gradB / totalWeight);
  }
  return { weights: Array.from(w), bias: b };
}

/** Adds or replaces (by message id) one rated reply's features, retrains, and counts one update. */
export function trainHead(
  state: PersonalHeadState,
  example: { messageId: string; features: number[]; liked: boolean; weight: number },
): PersonalHeadState {
  if (example.features.length !== state.featureSize) {
    throw new Error(`Feature size ${example.features.length} does not match the head's ${state.featureSize}.`);
  }
  const examples = state.examples.filter((e) => e.messageId !== example.messageId);
  examples.push({ messageId: example.messageId, features: example.features, liked: example.liked, weight: example.weight });
  const next: PersonalHeadState = { ...state, examples };
  return { ...next, ...fit(next), trainingCount: state.trainingCount + 1, updatedAt: Date.now() };
}

/** Drops a withdrawn rating and retrains on what is left (a head with no examples is untrained again). */
export function forgetExample(state: PersonalHeadState, messageId: string): PersonalHeadState {
  const examples = state.examples.filter((e) => e.messageId !== messageId);
  if (examples.length === state.examples.length) return state;
  const next: PersonalHeadState = { ...state, examples, weights: examples.length ? state.weights : new Array<number>(state.featureSize).fill(0), bias: examples.length ? state.bias : 0 };
  return { ...next, ...fit(next), updatedAt: Date.now() };
}

/**
 * Scores feature vectors with a head. Build one per head state: it caches the standardizer.
 */
export class HeadScorer {
  private readonly std: Standardizer;

  constructor(readonly state: PersonalHeadState) {
    this.std = standardizer(state.examples, state.featureSize);
  }

  /** P(__ok__) for one feature vector: exactly 0.5 from an untrained head without a prior. */
  probability(features: ArrayLike<number>): number {
    const { community, personal } = this.contributions(features);
    return sigmoid(community + personal);
  }

  /** The logit's two parts: the community prior's (0 without one) and the head's own. */
  contributions(features: ArrayLike<number>): { community: number; personal: number } {
    const { weights, bias, featureSize, prior } = this.state;
    let z = bias;
    for (let j = 0; j < featureSize; j++) z += weights[j]! * (features[j]! - this.std.mean[j]!) * this.std.invStd[j]!;
    return { community: prior ? communityLogit(prior, features) : 0, personal: z };
  }

  score(features: ArrayLike<number>): RewardScore {
    const parts = this.contributions(features);
    const ok = sigmoid(parts.community + parts.personal);
    const score: RewardScore = { ok, label: ok >= 0.5 ? '__ok__' : '__not_ok__', trainingCount: this.state.trainingCount };
    const prior = this.state.prior;
    return prior ? { ...score, parts: { ...parts, communityVersion: prior.version } } : score;
  }
}
