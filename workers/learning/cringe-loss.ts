/**
 * The Cringe loss (Adolphs et al., 2022, "The CRINGE Loss: Learning what language not to model",
 * the loss BlenderBot 3x trained on organic feedback) for the personal generation adapter, with
 * its gradient with respect to the adapter's parameters (b, U, V; see `logit-adapter.ts`).
 *
 * - A positive reply (liked, or "what it should have said"): the token negative log-likelihood,
 *   −log softmax(s)_y, where s = frozen logits + the adapter's bias, over the kept tokens (below).
 * - A negative reply (disliked): at each token y⁻, a token s⁺ is sampled from the adapted model's
 *   own top-k at that position, y⁻ excluded, and −log(e^{s⁺} / (e^{s⁺} + e^{s⁻})) pushes y⁻'s
 *   score below an alternative the model itself finds plausible. It moves two scores, not the
 *   whole distribution, and stops pushing once the alternative is clearly ahead.
 *
 * The positive term scores a reply under the distribution the sampler draws from: the frozen
 * model's kept tokens (its top k along the reply, `sparse-logits.ts`; top-k sampling never reaches
 * the rest) plus whatever the adapter lifts out of the rest. The tokens outside a position's kept
 * set are one frozen mass R; what the adapter changes in it is charged as R · mean over those
 * tokens of (e^{bias} − 1), over the tokens the loss can push up (`chargedTokens`). It is smooth
 * at a zero bias on purpose: clamping it at zero ("lowering a tail token frees nothing") made the
 * fresh adapter a kink where no step went downhill, and every run stopped where it started. The
 * sum is floored at half the kept mass so the normaliser stays positive; it never gets there in
 * practice (it needs most of the tail charged and pushed far down).
 * - Without that charge a token's bias was free wherever it sat in the tail, so the loss rewarded
 *   raising the end-of-turn token (the last target of every liked reply, never in a random
 *   model's top 32) without limit: `npm run eval:learn` saw its bias reach +12 and replies become
 *   empty after 50 ratings, while the loss's view of the liked replies' likelihood said +0.3% and
 *   the exact one −30%.
 * - With the frozen tail itself in the normaliser (the full softmax), every liked reply sampled
 *   with temperature and top-k from a flat distribution (the random demo model's) looks far
 *   likelier to the user than to the model, and the likelihood term pulled every sampled token up
 *   until replies repeated a few tokens (5–17% distinct tokens after 50 ratings). A trained model
 *   keeps most of its mass in its top 32, where the two normalisers agree.
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
 * The tokens the adapter can learn a bias for from `replies`: every kept id and target of every
 * reply, ascending. Every other token's b and U rows stay exactly zero (`adapter-trainer.ts`).
 */
export function learnableTokens(vocabSize: number, replies: readonly RatedReply[]): Int32Array {
  const seen = new Uint8Array(vocabSize);
  for (const { logits } of replies) {
    for (let i = 0; i < logits.topIds.length; i++) seen[logits.topIds[i]!] = 1;
    for (let i = 0; i < logits.targets.length; i++) seen[logits.targets[i]!] = 1;
  }
  const out: number[] = [];
  for (let t = 0; t < vocabSize; t++) if (seen[t]) out.push(t);
  return Int32Array.from(out);
}

/**
 * The tokens whose bias the loss can push up, so the tail charge covers them: the targets of the
 * positive replies and the first `contrastTopK + 1` kept ids of every negative reply's rows (where
 * a sampled alternative comes from). A few thousand after a hundred ratings, against ten to twenty
 * thousand learnable tokens, which made training several times slower when all were charged.
 */
export function chargedTokens(vocabSize: number, replies: readonly RatedReply[], contrastTopK: number = CONTRAST_TOP_K): Int32Array {
  const seen = new Uint8Array(vocabSize);
  for (const { positive, logits } of replies) {
    if (positive) {
      for (let i = 0; i < logits.targets.length; i++) seen[logits.targets[i]!] = 1;
      continue;
    }
    const first = Math.min(logits.k, contrastTopK + 1);
    for (let t = 0; t < logits.targets.length; t++) for (let i = 0; i < first; i++) seen[logits.topIds[t * logits.k + i]!] = 1;
  }
  const out: number[] = [];
  for (let t = 0; t < vocabSize; t++) if (seen[t]) out.push(t);
  return Int32Array.from(out);
}

/** e^{bias} of each charged token in one context, and Σ (e^{bias} − 1) over them. */
function chargedExpBias(adapter: LogitAdapterState, charged: Int32Array, projected: ArrayLike<number>): { exp: Float64Array; excess: number } {
  const exp = new Float64Array(charged.length);
  let excess = 0;
  for (let a = 0; a < charged.length; a++) {
    const bias = tokenBias(adapter, charged[a]!, projected);
    exp[a] = Math.exp(bias);
    excess += Math.expm1(bias);
  }
  return { exp, excess };
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
  charged: Int32Array = chargedTokens(adapter.vocabSize, replies),
): number {
  if (contrasts.length !== replies.length) throw new Error('One contrast entry per reply is needed.');
  const vocab = adapter.vocabSize;
  const isCharged = new Uint8Array(vocab);
  for (const token of charged) isCharged[token] = 1;
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
    // e^{bias} of every charged token in this reply's context, and Σ (e^{bias} − 1) over them:
    // what the adapter lifts out of the tail (see the header). Positives only.
    const tailBias = reply.positive ? chargedExpBias(adapter, charged, p) : null;
    // Σ_t of the tail's gradient weight per token, applied to every charged token after the loop.
    let tailWeight = 0;
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
      // The tail: V − |kept| tokens of frozen mass R; only the mean (e^{bias} − 1) the adapter adds counts.
      const tailSize = vocab - logits.k - (slot < 0 ? 1 : 0);
      let keptExcess = 0;
      for (let i = 0; i < logits.k; i++) if (isCharged[logits.topIds[row + i]!]) keptExcess += Math.expm1(adapted[i]! - logits.topLogits[row + i]!);
      if (slot < 0 && isCharged[target]) keptExcess += Math.expm1(targetScore - logits.targetLogits[t]!);
      const rest = logits.restLogSumExp[t]!;
      let keptSum = 0;
      for (let i = 0; i < logits.k; i++) keptSum += Math.exp(adapted[i]! - max);
      if (slot < 0) keptSum += Math.exp(targetScore - max);
      let tailChange = tailSize > 0 && Number.isFinite(rest) ? (Math.exp(rest - max) * (tailBias!.excess - keptExcess)) / tailSize : 0;
      const floored = tailChange < -0.5 * keptSum;
      if (floored) tailChange = -0.5 * keptSum;
      const logZ = max + Math.log(keptSum + tailChange);
      replyLoss += logZ - targetScore;
      // ∂logZ/∂bias_j = R·e^{bias_j} / (tailSize·Z) for a charged tail token j, so the kept ones
      // (each charged token is kept at some positions) are taken back out of the sum below.
      const w = tailSize > 0 && Number.isFinite(rest) && !floored ? (Math.exp(rest - logZ) / tailSize) * scale : 0;
      tailWeight += w;
      for (let i = 0; i < logits.k; i++) {
        const id = logits.topIds[row + i]!;
        addTokenGradient(id, Math.exp(adapted[i]! - logZ) * scale - (isCharged[id] ? w * Math.exp(adapted[i]! - logits.topLogits[row + i]!) : 0));
      }
      const targetTail = slot < 0 && isCharged[target] ? w * Math.exp(targetScore - logits.targetLogits[t]!) : 0;
      addTokenGradient(target, ((slot < 0 ? Math.exp(targetScore - logZ) : 0) - 1) * scale - targetTail);
    }
    if (grad && tailBias && tailWeight > 0) {
      for (let a = 0; a < charged.length; a++) addTokenGradient(charged[a]!, tailWeight * tailBias.exp[a]!);
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
