/**
 * Trains the personal generation adapter (`logit-adapter.ts`) on the user's rated replies with the
 * Cringe loss (`cringe-loss.ts`). Pure TypeScript, so a worker, the tests and an evaluation script
 * all run exactly this code.
 *
 * Design (issue 18; the full reasoning heads `logit-adapter.ts`): the adapter is a low-rank,
 * context-conditioned bias on the frozen model's logits, because it trains in seconds on WASM, is
 * cheap enough to apply at every decode step, and needs only the logits, which every exported
 * graph outputs. The alternative, a LoRA on the LM head, needs the last hidden state, which the
 * exported ONNX decoders the app loads do not output.
 *
 * Choices, and why:
 * - Every run starts from the fresh adapter (same seed) and trains on all the stored examples. A
 *   rating taken back or deleted is then forgotten exactly: the result is the adapter that never
 *   saw it, not a warm-started one that still remembers. The cost is the whole set each time,
 *   which stays small: the adapter learns in seconds from hundreds of ratings.
 * - Full-batch Adam, one step per epoch: ratings come one at a time and are few, so there is no
 *   reason for minibatch noise, and Adam's per-parameter step size copes with tokens that appear in
 *   one reply as well as in all of them.
 * - An L2 penalty in the objective (weight decay towards zero for b and U, towards V's seeded
 *   start for V), not AdamW's decoupled decay: the optimum is then b ≈ −gradient / l2, small
 *   wherever the evidence is small. With decoupled decay Adam drives even a tiny but consistent
 *   gradient to a bias of order 1/decay; in a run like the toy test's (`tests/unit/learning/`) that
 *   memorised the training replies and cut held-out good replies' log-probability fourfold. With
 *   no ratings the optimum is the fresh adapter.
 * - Only tokens that appear in some kept logit row can get a gradient (`sparse-logits.ts`), so the
 *   optimiser's state covers those rows alone; the rest of U and b stay exactly zero.
 * - Deterministic given a seed: the Cringe alternatives are drawn once per run from one seeded
 *   generator, so the objective is fixed during a run.
 * - A step that raises the objective is undone and the learning rate halved; the run stops when
 *   `patience` steps in a row have not improved it by `minImprovement` (relative). The state
 *   returned is the lowest-loss one seen, the fresh adapter included, never a worse one.
 */
import { chargedTokens, cringeLoss, CONTRAST_TOP_K, drawContrastTokens, learnableTokens, zeroGradient } from './cringe-loss';
import { freshCopy, type LogitAdapterState } from './logit-adapter';
import { mulberry32 } from '../shared/seeded-random';
import type { RatedReply } from './sparse-logits';

export interface TrainOptions {
  /** Most full-batch steps to take. */
  epochs?: number;
  /** Seed of the sampled Cringe alternatives. */
  seed?: number;
  learningRate?: number;
  /** L2 penalty on b and U (towards zero) and on V (towards its seeded start). */
  l2?: number;
  /** Steps without improvement before stopping. */
  patience?: number;
  /** Relative loss decrease that counts as an improvement. */
  minImprovement?: number;
  contrastTopK?: number;
  /** Adam's ε (see TRAIN_DEFAULTS). */
  epsilon?: number;
  /** Likes and dislikes each count half of the loss when both are present (see `balanceRatings`). */
  balance?: boolean;
}

/**
 * Chosen with `npm run eval:learn` (demo model, no-common-words, 3 seeds, K = 50) and the toy test:
 * - l2 = 0.01: disliked rate 0.39 → about 0.03 at K = 50 with liked replies' log-probability
 *   within 0.2%; 0.03 only reached 0.29, and on the toy test P(X) ×0.65 instead of ×0.50.
 *   (Before the tail charge and the temperature units, 0.01 had cost good replies 7–8%.)
 * - epsilon = 0.01: with Adam's usual 1e-8 every learnable token moved by about the learning rate
 *   each step however small its gradient, which the penalty then charged for: runs stopped at
 *   the fresh adapter. With 0.01 a token whose gradient is far below it barely moves.
 */
export const TRAIN_DEFAULTS: Required<TrainOptions> = {
  epochs: 150,
  seed: 0,
  learningRate: 0.05,
  l2: 0.01,
  patience: 10,
  minImprovement: 1e-4,
  contrastTopK: CONTRAST_TOP_K,
  epsilon: 1e-2,
  balance: true,
};

/**
 * Likes and dislikes each carry half the total weight when both are present. Most ratings are
 * likes, and a like of the model's own reply says little ("this was fine") while its likelihood
 * term pulls the adapter towards whatever the model already sampled; unbalanced, 49 likes against
 * one dislike let that pull decide everything, and `npm run eval:learn` saw the retrained adapter
 * feed on its own samples until replies repeated a few tokens. Weights within a side keep their
 * ratios (a dislike with reasons still counts more than one without).
 */
export function balanceRatings(replies: readonly RatedReply[]): RatedReply[] {
  let positive = 0;
  let negative = 0;
  for (const reply of replies) {
    if (reply.positive) positive += reply.weight;
    else negative += reply.weight;
  }
  if (positive <= 0 || negative <= 0) return [...replies];
  const half = (positive + negative) / 2;
  return replies.map((reply) => ({ ...reply, weight: (reply.weight * half) / (reply.positive ? positive : negative) }));
}

export interface TrainResult {
  state: LogitAdapterState;
  /** Optimiser steps taken. */
  steps: number;
  stoppedEarly: boolean;
  /** Where in `losses` the returned state's loss is: the lowest seen (0: the fresh adapter). */
  bestStep: number;
  /** Wall time of the run, milliseconds. */
  ms: number;
  /** The objective of each state evaluated, in order (a step undone adds its start again). */
  losses: number[];
}

const BETA1 = 0.9;
const BETA2 = 0.999;

function checkReplies(adapter: LogitAdapterState, replies: readonly RatedReply[]): void {
  for (const reply of replies) {
    if (reply.features.length !== adapter.featureDim) {
      throw new Error(`Reply ${reply.id} has ${reply.features.length} features; the adapter expects ${adapter.featureDim}.`);
    }
    const { targets, topIds } = reply.logits;
    for (const ids of [targets, topIds]) {
      for (let i = 0; i < ids.length; i++) {
        if (ids[i]! < 0 || ids[i]! >= adapter.vocabSize) throw new Error(`Reply ${reply.id} has token ${ids[i]} outside the vocabulary.`);
      }
    }
    if (!(reply.weight >= 0)) throw new Error(`Reply ${reply.id} has weight ${reply.weight}.`);
  }
}

/**
 * One Adam update of `params[i]` on the data gradient `g` plus the L2 pull towards `anchor`
 * (0 when absent), in place.
 */
function adamStep(
  params: Float32Array,
  i: number,
  g: number,
  moments: { m: Float64Array; v: Float64Array },
  slot: number,
  step: { lr: number; l2: number; correct1: number; correct2: number; epsilon: number },
  anchor = 0,
): void {
  const { m, v } = moments;
  const total = g + step.l2 * (params[i]! - anchor);
  m[slot] = BETA1 * m[slot]! + (1 - BETA1) * total;
  v[slot] = BETA2 * v[slot]! + (1 - BETA2) * total * total;
  params[i] = params[i]! - (step.lr * (m[slot]! / step.correct1)) / (Math.sqrt(v[slot]! / step.correct2) + step.epsilon);
}

/** (l2 / 2) · (‖b‖² + ‖U‖² + ‖V − V₀‖²); only active rows of b and U can be non-zero. */
function penalty(state: LogitAdapterState, active: Int32Array, anchorV: Float32Array, l2: number): number {
  let sum = 0;
  const r = state.rank;
  for (const t of active) {
    sum += state.bias[t]! ** 2;
    for (let k = 0; k < r; k++) sum += state.u[t * r + k]! ** 2;
  }
  for (let i = 0; i < state.v.length; i++) sum += (state.v[i]! - anchorV[i]!) ** 2;
  return 0.5 * l2 * sum;
}

/**
 * Trains a fresh copy of `adapter` (same model, shape and seed) on `replies`; returns the trained
 * state with its training count advanced, and what the run took.
 */
export function trainOn(adapter: LogitAdapterState, replies: readonly RatedReply[], options: TrainOptions = {}): TrainResult {
  const started = performance.now();
  const opts = { ...TRAIN_DEFAULTS, ...options };
  checkReplies(adapter, replies);
  const state = freshCopy(adapter);
  const finish = (steps: number, stoppedEarly: boolean, losses: number[], bestStep = 0): TrainResult => ({
    state: { ...state, trainingCount: adapter.trainingCount + 1, exampleCount: replies.length, updatedAt: Date.now() },
    steps,
    stoppedEarly,
    bestStep,
    ms: performance.now() - started,
    losses,
  });
  // Nothing to learn from (the last rating was taken back): the fresh adapter, at once.
  if (replies.length === 0) return finish(0, false, []);
  const weighted = opts.balance ? balanceRatings(replies) : replies;
  const charged = chargedTokens(state.vocabSize, replies, opts.contrastTopK);
  const anchorV = Float32Array.from(state.v);
  const r = state.rank;
  const active = learnableTokens(state.vocabSize, replies);
  const grad = zeroGradient(state);
  const biasMoments = { m: new Float64Array(active.length), v: new Float64Array(active.length) };
  const uMoments = { m: new Float64Array(active.length * r), v: new Float64Array(active.length * r) };
  const vMoments = { m: new Float64Array(state.v.length), v: new Float64Array(state.v.length) };
  // The Cringe alternatives are drawn once per run, from the frozen model's top k (the fresh
  // adapter), so the objective is fixed and every step can be checked against the last.
  const rng = mulberry32(opts.seed);
  const contrasts = weighted.map((reply) => (reply.positive ? null : drawContrastTokens(state, reply, rng, opts.contrastTopK)));
  const losses: number[] = [];
  // The lowest-loss state seen, the fresh adapter included. A step that makes the objective worse
  // is undone, and the steps get smaller: plain Adam's first steps move every learnable parameter
  // by about the learning rate whatever its gradient, and `npm run eval:learn` saw runs stop worse
  // than the fresh adapter after 10 steps (and return that).
  const best = { loss: Infinity, step: 0, bias: new Float32Array(active.length), u: new Float32Array(active.length * r), v: Float32Array.from(state.v) };
  const keepBest = (loss: number): void => {
    best.loss = loss;
    best.step = losses.length - 1;
    active.forEach((t, a) => {
      best.bias[a] = state.bias[t]!;
      best.u.set(state.u.subarray(t * r, t * r + r), a * r);
    });
    best.v.set(state.v);
  };
  const restoreBest = (): void => {
    active.forEach((t, a) => {
      state.bias[t] = best.bias[a]!;
      state.u.set(best.u.subarray(a * r, a * r + r), t * r);
    });
    state.v.set(best.v);
  };
  const moments = [biasMoments, uMoments, vMoments];
  let learningRate = opts.learningRate;
  let adamSteps = 0;
  let restored = false;
  let sinceBest = 0;
  let steps = 0;
  let stoppedEarly = false;

  for (;;) {
    for (const t of active) {
      grad.bias[t] = 0;
      grad.u.fill(0, t * r, t * r + r);
    }
    grad.v.fill(0);
    const loss = cringeLoss(state, weighted, contrasts, grad, charged) + penalty(state, active, anchorV, opts.l2);
    losses.push(loss);
    if (restored) {
      // The best state again, with its gradient: step from it with the smaller rate.
      restored = false;
    } else if (loss < best.loss) {
      const improved = best.loss === Infinity || best.loss - loss > opts.minImprovement * Math.abs(best.loss);
      keepBest(loss);
      sinceBest = improved ? 0 : sinceBest + 1;
    } else {
      restoreBest();
      learningRate /= 2;
      for (const { m, v } of moments) {
        m.fill(0);
        v.fill(0);
      }
      adamSteps = 0;
      restored = true;
      sinceBest++;
    }
    if (sinceBest >= opts.patience) {
      stoppedEarly = true;
      break;
    }
    if (steps >= opts.epochs) break;
    if (restored) continue;
    steps++;
    adamSteps++;
    const step = { lr: learningRate, l2: opts.l2, correct1: 1 - BETA1 ** adamSteps, correct2: 1 - BETA2 ** adamSteps, epsilon: opts.epsilon };
    active.forEach((t, a) => {
      adamStep(state.bias, t, grad.bias[t]!, biasMoments, a, step);
      for (let k = 0; k < r; k++) adamStep(state.u, t * r + k, grad.u[t * r + k]!, uMoments, a * r + k, step);
    });
    for (let i = 0; i < state.v.length; i++) adamStep(state.v, i, grad.v[i]!, vMoments, i, step, anchorV[i]!);
  }
  restoreBest();
  return finish(steps, stoppedEarly, losses, best.step);
}
