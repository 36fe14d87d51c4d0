/**
 * A fixed random "frozen model" for the generation adapter's tests: over a small vocabulary, the
 * logits at position t of a reply to context c are W·f_c + E_t (+ a lift on one token, X, so
 * that replies contain it often enough to be disliked for it). Seeded, so every run sees the same
 * model, contexts and replies. It stands in for one forward pass of the real chat model over
 * prompt + reply; the adapter never sees W or E, only logits and context features.
 */
import { applyAdapter, projectContext, type LogitAdapterState } from '../../../workers/learning/logit-adapter';
import { normalSample, mulberry32 } from '../../../workers/shared/seeded-random';
import { packReplyLogits, type RatedReply } from '../../../workers/learning/sparse-logits';

export const VOCAB = 200;
export const DIM = 16;
export const LENGTH = 12;
/** The token the simulated user dislikes. */
export const X = 7;
/** Kept logits per position, as a worker would keep them (fewer than the vocabulary, so the tail is lumped). */
export const KEEP = 64;
const X_LIFT = 3;

export interface ToyContext {
  features: Float32Array;
}

export class ToyModel {
  private readonly w: Float32Array;
  private readonly e: Float32Array;

  constructor(seed = 11) {
    const rng = mulberry32(seed);
    this.w = Float32Array.from({ length: VOCAB * DIM }, () => normalSample(rng) * 0.4);
    this.e = Float32Array.from({ length: LENGTH * VOCAB }, () => normalSample(rng) * 0.8);
  }

  context(rng: () => number): ToyContext {
    return { features: Float32Array.from({ length: DIM }, () => normalSample(rng)) };
  }

  /** The frozen logits at reply position t. */
  logits(context: ToyContext, t: number): Float32Array {
    const out = new Float32Array(VOCAB);
    for (let v = 0; v < VOCAB; v++) {
      let z = this.e[t * VOCAB + v]!;
      for (let j = 0; j < DIM; j++) z += this.w[v * DIM + j]! * context.features[j]!;
      out[v] = z + (v === X ? X_LIFT : 0);
    }
    return out;
  }

  /** Logits at every position, with the adapter's bias when one is given (as the logits processor would). */
  adaptedLogits(context: ToyContext, adapter: LogitAdapterState | null): Float32Array[] {
    const p = adapter ? projectContext(adapter, context.features) : null;
    return Array.from({ length: LENGTH }, (_, t) => {
      const row = this.logits(context, t);
      if (adapter && p) applyAdapter(adapter, row, p);
      return row;
    });
  }

  /** A reply sampled from the frozen model. */
  sample(context: ToyContext, rng: () => number): Int32Array {
    return Int32Array.from(this.adaptedLogits(context, null), (row) => {
      const probs = softmax(row);
      let u = rng();
      for (let v = 0; v < VOCAB; v++) {
        u -= probs[v]!;
        if (u < 0) return v;
      }
      return VOCAB - 1;
    });
  }

  /** What a worker would hand the trainer for a rated reply. */
  rated(id: string, context: ToyContext, tokens: Int32Array, positive: boolean, weight = 1): RatedReply {
    const full = new Float32Array(LENGTH * VOCAB);
    for (let t = 0; t < LENGTH; t++) full.set(this.logits(context, t), t * VOCAB);
    return { id, positive, weight, features: context.features, logits: packReplyLogits(full, VOCAB, tokens, KEEP) };
  }

  /** Mean probability of `token` over a reply's positions. */
  probabilityOf(context: ToyContext, adapter: LogitAdapterState | null, token: number): number {
    const rows = this.adaptedLogits(context, adapter);
    return rows.reduce((sum, row) => sum + softmax(row)[token]!, 0) / rows.length;
  }

  /** log P(tokens | context), exact over the whole vocabulary. */
  logProb(context: ToyContext, adapter: LogitAdapterState | null, tokens: Int32Array): number {
    const rows = this.adaptedLogits(context, adapter);
    return rows.reduce((sum, row, t) => sum + Math.log(softmax(row)[tokens[t]!]!), 0);
  }
}

export function softmax(row: ArrayLike<number>): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < row.length; i++) max = Math.max(max, row[i]!);
  const out = new Float64Array(row.length);
  let sum = 0;
  for (let i = 0; i < row.length; i++) sum += out[i] = Math.exp(row[i]! - max);
  for (let i = 0; i < row.length; i++) out[i]! /= sum;
  return out;
}
