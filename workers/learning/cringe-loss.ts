/**
 * The Cringe loss (Adolphs et al., 2022, "The CRINGE Loss: Learning what language not to model",
 * the loss BlenderBot 3x trained on organic feedback) for the personal generation adapter, with
 * its gradient with respect to the adapter's parameters (b, U, V; see `logit-adapter.ts`).
 *
 * - A positive reply (liked, or "what it should have said"): the usual token negative
 *   log-likelihood, −log softmax(s)_y, where s = frozen logits + the adapter's bias.
 * - A negative reply (disliked): at each token y⁻, a token s⁺ is sampled from the adapted model's
 *   own top-k at that position, y⁻ excluded, and −log(e^{s⁺} / (e^{s⁺} + e^{s⁻})) pushes y⁻'s
 *   score below an alternative the model itself finds plausible. It moves two scores, not the
 *   whole distribution, and stops pushing once the alternative is clearly ahead.
 *
 * Each reply's loss is its mean over its tokens (a long reply does not outweigh a short one), and
 * replies are averaged by weight: a thumbs-down with reasons counts more, by the reward head's
 * own rule (`exampleWeight`), so both learners weigh a rating alike.
 *
 * Design (issue 18; the full reasoning heads `logit-adapter.ts`): the adapter is a low-rank,
 * context-conditioned bias on the frozen model's logits, because it trains in seconds on WASM, is
 * cheap enough to apply at every decode step, and needs only the logits, which every exported
 * graph outputs. The alternative, a LoRA on the LM head, needs the last hidden state, which the
 * exported ONNX decoders the app loads do not output.
 *
 * Why by hand and not through an autodiff library: the adapter's bias enters the loss only as
 * an added term on each kept logit, so the gradient is a short chain rule; no dependency, and the
 * cost stays O(tokens · k · r) per pass over a reply. The logits come sparse (`sparse-logits.ts`,
 * which documents the approximation). The sampled s⁺ is drawn separately (`drawContrastTokens`)
 * and held fixed in the loss, as in the paper: no gradient flows through the sampling.
 */
import { exampleWeight } from '../reward/personal-head';
import { projectContext, tokenBias, unitFeatures, type AdapterShape, type LogitAdapterState } from './logit-adapter';
import type { RatedReply, ReplyLogits } from './sparse-logits';

/** The sampled alternative comes from this many of the adapted model's likeliest tokens. */
export const CONTRAST_TOP_K = 5;

/** A rating's weight, by the personal reward head's rule (a thumbs-down with reasons counts more). */
export function ratingWeight(positive: boolean, reasons: string[] = []): number {
  return exampleWeight({ liked: positive, reasons });
}

/** ∂loss/∂parameters, laid out like the adapter's arrays. Float64 so sums over many tokens stay exact enough. */
export interface AdapterGradient {
  bias: Float64Array;
  u: Float64Array;
  v: Float64Array;
}

export function zeroGradient(shape: AdapterShape): AdapterGradient {
  return {
    bias: new Float64Array(shape.vocabSize),
    u: new Float64Array(shape.vocabSize * shape.rank),
    v: new Float64Array(shape.featureDim * shape.rank),
  };
}

/** Where the target sits in position t's top-k row, or −1 when it is outside it. */
function targetSlot(logits: ReplyLogits, t: number): number {
  const target = logits.targets[t]!;
  const row = t * logits.k;
  for (let i = 0; i < logits.k; i++) if (logits.topIds[row + i] === target) return i;
  return -1;
}

function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/**
 * For a negative reply, one sampled alternative token per position: from the `topK` kept tokens
 * with the highest adapted logits, the negative token excluded, in proportion to their adapted
 * probabilities. −1 where there is no alternative (a row of one token). Deterministic given `rng`.
 */
export function drawContrastTokens(
  adapter: LogitAdapterState,
  reply: RatedReply,
  rng: () => number,
  topK: number = CONTRAST_TOP_K,
): Int32Array {
  const { logits } = reply;
  const p = projectContext(adapter, reply.features);
  const steps = logits.targets.length;
  const out = new Int32Array(steps).fill(-1);
  const ids: number[] = [];
  const scores: number[] = [];
  for (let t = 0; t < steps; t++) {
    ids.length = 0;
    scores.length = 0;
    const row = t * logits.k;
    for (let i = 0; i < logits.k; i++) {
      const id = logits.topIds[row + i]!;
      if (id === logits.targets[t]) continue;
      ids.push(id);
      scores.push(logits.topLogits[row + i]! + tokenBias(adapter, id, p));
    }
    if (ids.length === 0) continue;
    const order = ids.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || ids[a]! - ids[b]!);
    const chosen = order.slice(0, Math.max(1, topK));
    const max = scores[chosen[0]!]!;
    const mass = chosen.map((i) => Math.exp(scores[i]! - max));
    let u = rng() * mass.reduce((a, b) => a + b, 0);
    let pick = chosen[chosen.length - 1]!;
    for (let c = 0; c < chosen.length; c++) {
      u -= mass[c]!;
      if (u < 0) {
        pick = chosen[c]!;
        break;
      }
    }
    out[t] = ids[pick]!;
  }
  return out;
}

/**
 * The weighted Cringe loss over rated replies, for the adapter as it is. `contrasts[i]` holds the
 * sampled alternatives for reply i when it is negative (from `drawContrastTokens`), null when it
 * is positive. When `grad` is given, ∂loss/∂(b, U, V) is added into it (the caller zeroes it).
 */
export function cringeLoss(
  adapter: LogitAdapterState,
  replies: readonly RatedReply[],
  contrasts: readonly (Int32Array | null)[],
  grad?: AdapterGradient,
): number {
  if (contrasts.length !== replies.length) throw new Error('One contrast entry per reply is needed.');
  let totalWeight = 0;
  for (const reply of replies) if (reply.logits.targets.length > 0) totalWeight += reply.weight;
  if (totalWeight <= 0) return 0;
  const r = adapter.rank;
  let loss = 0;
  replies.forEach((reply, index) => {
    const { logits } = reply;
    const steps = logits.targets.length;
    if (steps === 0) return;
    const scale = reply.weight / (steps * totalWeight);
    const p = projectContext(adapter, reply.features);
    // ∂loss/∂p, gathered over the reply's tokens, then pushed back to V once.
    const gradP = new Float64Array(r);
    const addTokenGradient = (token: number, g: number): void => {
      if (!grad) return;
      grad.bias[token]! += g;
      const row = token * r;
      for (let k = 0; k < r; k++) {
        grad.u[row + k]! += g * p[k]!;
        gradP[k]! += g * adapter.u[row + k]!;
      }
    };
    let replyLoss = 0;
    const contrast = reply.positive ? null : contrasts[index];
    if (!reply.positive && (!contrast || contrast.length !== steps)) {
      throw new Error(`Negative reply ${reply.id} needs one sampled alternative per token.`);
    }
    const adapted = new Float64Array(logits.k);
    for (let t = 0; t < steps; t++) {
      const target = logits.targets[t]!;
      const row = t * logits.k;
      const targetScore = logits.targetLogits[t]! + tokenBias(adapter, target, p);
      if (contrast) {
        const alternative = contrast[t]!;
        if (alternative < 0) continue;
        let base = NaN;
        for (let i = 0; i < logits.k; i++) if (logits.topIds[row + i] === alternative) base = logits.topLogits[row + i]!;
        if (Number.isNaN(base)) throw new Error(`Sampled token ${alternative} is not among position ${t}'s kept logits.`);
        const margin = targetScore - (base + tokenBias(adapter, alternative, p));
        replyLoss += softplus(margin);
        const g = sigmoid(margin) * scale;
        addTokenGradient(target, g);
        addTokenGradient(alternative, -g);
        continue;
      }
      // Positive: −log softmax over the kept tokens (top k, the target) and the frozen rest.
      const slot = targetSlot(logits, t);
      let max = Math.max(targetScore, logits.restLogSumExp[t]!);
      for (let i = 0; i < logits.k; i++) {
        adapted[i] = logits.topLogits[row + i]! + tokenBias(adapter, logits.topIds[row + i]!, p);
        max = Math.max(max, adapted[i]!);
      }
      let sum = Math.exp(logits.restLogSumExp[t]! - max);
      for (let i = 0; i < logits.k; i++) sum += Math.exp(adapted[i]! - max);
      if (slot < 0) sum += Math.exp(targetScore - max);
      const logZ = max + Math.log(sum);
      replyLoss += logZ - targetScore;
      for (let i = 0; i < logits.k; i++) addTokenGradient(logits.topIds[row + i]!, Math.exp(adapted[i]! - logZ) * scale);
      addTokenGradient(target, ((slot < 0 ? Math.exp(targetScore - logZ) : 0) - 1) * scale);
    }
    loss += (reply.weight * replyLoss) / steps;
    if (grad) {
      const f = unitFeatures(reply.features);
      for (let j = 0; j < adapter.featureDim; j++) {
        const fj = f[j]!;
        if (fj === 0) continue;
        for (let k = 0; k < r; k++) grad.v[j * r + k]! += fj * gradP[k]!;
      }
    }
  });
  return loss / totalWeight;
}
