/**
 * The personal generation adapter (issue 18): a small, context-conditioned, low-rank bias on the
 * frozen chat model's vocabulary logits, trained on the device with the Cringe loss
 * (`cringe-loss.ts`, `adapter-trainer.ts`) and applied as a logits processor at every decode step.
 *
 *   bias(context) = b + U · (Vᵀ · f̂)      f̂ = f / ‖f‖, f the context's feature vector (size d)
 *   b: vocab      U: vocab × r (zero when fresh)      V: d × r (seeded random when fresh)
 *
 * Why this shape:
 * - It works on any exported graph. The ONNX decoders the app loads (Hub exports and our own
 *   builds) output `logits` and the KV cache, not hidden states, so a LoRA on the LM head (the
 *   other candidate, which needs the last hidden state at every step) cannot be fed there; the
 *   logits are the one thing every graph gives.
 * - It is cheap to apply: Vᵀf̂ is computed once per reply (O(d·r)), after which each step costs
 *   O(vocab·r) multiply-adds, and a caller can fold the whole bias into one vocab-sized vector per
 *   reply (`contextBias`) to make it O(vocab) per step. Best-of-N rows share the bias.
 * - It trains in seconds on WASM: no backward pass through the model, only through this bias, and
 *   only the rows of tokens the frozen model ranked in its top k along a rated reply
 *   (`sparse-logits.ts`) get a gradient. On the toy test, 80 ratings train in about 0.4 s (Node).
 * - Conditioning on the reward worker's encoder features lets it learn "not this word here" rather
 *   than only "never this word"; b carries what holds in every context.
 * What it cannot do: condition on the tokens generated so far within a reply (f is the context
 * before the reply), or move a token that never appeared in a kept row of a rated reply (the
 * frozen model's top k there, and the rated reply's own tokens).
 *
 * f is scaled to unit length so the encoder's overall scale (which differs between encoders and
 * between the mean/max-pooled parts of its features) does not set the adapter's learning rate.
 * U starts at zero, so a fresh adapter changes no logit at all; V starts random, as LoRA's down
 * projection does, so U's gradient is not zero from the first step.
 *
 * Plain data with Float32Arrays: structured-clone safe for IndexedDB and worker messages; the JSON
 * form for backups is in `adapter-codec.ts`.
 */
import { normalSample, mulberry32 } from '../shared/seeded-random';
import { ADAPTER_VERSION, type AdapterShape, type LogitAdapterState } from '../shared/learning-protocol';

export { ADAPTER_VERSION };
export type { AdapterShape, LogitAdapterState };
/** A default rank: enough directions for a handful of preferences, small enough to train on a few ratings. */
export const DEFAULT_RANK = 8;

function checkShape({ vocabSize, featureDim, rank }: AdapterShape): void {
  for (const [name, value] of [['vocabSize', vocabSize], ['featureDim', featureDim], ['rank', rank]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`Adapter ${name} must be a positive integer, got ${value}.`);
  }
}

/** V's initial values for a seed: N(0, 1), so Vᵀf̂ has entries of order 1 for a unit-length f̂. */
export function initialProjection(featureDim: number, rank: number, seed: number): Float32Array {
  const rng = mulberry32(seed);
  const v = new Float32Array(featureDim * rank);
  for (let i = 0; i < v.length; i++) v[i] = normalSample(rng);
  return v;
}

/** A fresh adapter: b = 0 and U = 0, so it changes no logit; V drawn from `seed`. */
export function createAdapter(modelId: string, vocabSize: number, featureDim: number, rank: number = DEFAULT_RANK, seed = 1): LogitAdapterState {
  checkShape({ vocabSize, featureDim, rank });
  return {
    version: ADAPTER_VERSION,
    modelId,
    vocabSize,
    featureDim,
    rank,
    seed: seed >>> 0,
    bias: new Float32Array(vocabSize),
    u: new Float32Array(vocabSize * rank),
    v: initialProjection(featureDim, rank, seed),
    trainingCount: 0,
    exampleCount: 0,
    updatedAt: Date.now(),
  };
}

/** The same adapter's starting point: its identity and V's seed, nothing learned. */
export function freshCopy(state: LogitAdapterState): LogitAdapterState {
  return createAdapter(state.modelId, state.vocabSize, state.featureDim, state.rank, state.seed);
}

/**
 * The stored adapter if it belongs to this model and feature size, else a fresh one: token ids and
 * logits of another model (or features of another encoder) mean nothing to it. A stored adapter
 * keeps its own rank (still valid if the default rank changes); `shape.rank` is for a fresh one.
 */
export function adoptAdapter(
  stored: LogitAdapterState | null | undefined,
  modelId: string,
  shape: AdapterShape,
  seed = 1,
): LogitAdapterState {
  if (
    stored &&
    stored.version === ADAPTER_VERSION &&
    stored.modelId === modelId &&
    stored.vocabSize === shape.vocabSize &&
    stored.featureDim === shape.featureDim &&
    stored.bias.length === stored.vocabSize &&
    stored.u.length === stored.vocabSize * stored.rank &&
    stored.v.length === stored.featureDim * stored.rank
  ) {
    return stored;
  }
  return createAdapter(modelId, shape.vocabSize, shape.featureDim, shape.rank, seed);
}

/** f / ‖f‖ (all zeros stays all zeros). */
export function unitFeatures(features: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(features as ArrayLike<number>);
  let norm = 0;
  for (let j = 0; j < out.length; j++) norm += out[j]! * out[j]!;
  if (norm > 0) {
    const inv = 1 / Math.sqrt(norm);
    for (let j = 0; j < out.length; j++) out[j]! *= inv;
  }
  return out;
}

/** Vᵀ · f̂, the context's r numbers: compute once per reply, before the first decode step. */
export function projectContext(state: LogitAdapterState, features: ArrayLike<number>): Float64Array {
  if (features.length !== state.featureDim) {
    throw new Error(`Context features have ${features.length} values; the adapter expects ${state.featureDim}.`);
  }
  const f = unitFeatures(features);
  const r = state.rank;
  const p = new Float64Array(r);
  for (let j = 0; j < state.featureDim; j++) {
    const fj = f[j]!;
    if (fj === 0) continue;
    const row = j * r;
    for (let k = 0; k < r; k++) p[k]! += state.v[row + k]! * fj;
  }
  return p;
}

/** The adapter's bias on token t for a projected context: b_t + U_t · p. */
export function tokenBias(state: LogitAdapterState, token: number, projected: ArrayLike<number>): number {
  const r = state.rank;
  const row = token * r;
  let s = state.bias[token]!;
  for (let k = 0; k < r; k++) s += state.u[row + k]! * projected[k]!;
  return s;
}

/** The whole bias vector for one reply (vocabSize numbers), when a caller prefers O(vocab) steps. */
export function contextBias(state: LogitAdapterState, projected: ArrayLike<number>): Float32Array {
  const out = new Float32Array(state.vocabSize);
  for (let t = 0; t < state.vocabSize; t++) out[t] = tokenBias(state, t, projected);
  return out;
}

/**
 * Adds the adapter's bias to `logits` in place: one row of vocabSize logits, or several rows one
 * after another (best-of-N candidates of one reply share the context, hence the bias). O(vocab·r),
 * no allocation. A token with zero bias is left untouched (not even −0 becomes +0), so a fresh
 * adapter leaves the logits bit for bit as they were.
 */
export function applyAdapter(state: LogitAdapterState, logits: Float32Array, projected: ArrayLike<number>): void {
  const vocab = state.vocabSize;
  if (logits.length % vocab !== 0) {
    throw new Error(`Logits of length ${logits.length} are not rows of the adapter's vocabulary (${vocab}).`);
  }
  if (projected.length !== state.rank) throw new Error(`Projected context has ${projected.length} values; rank is ${state.rank}.`);
  for (let t = 0; t < vocab; t++) {
    const s = tokenBias(state, t, projected);
    if (s === 0) continue;
    for (let row = t; row < logits.length; row += vocab) logits[row] = logits[row]! + s;
  }
}
