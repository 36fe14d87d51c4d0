/**
 * What the personal head sees of a reply: pooled token states from the sentence encoder.
 * features = [mean-pool(reply), max-pool(reply), mean-pool(context) ⊙ mean-pool(reply)], where
 * the context is the user's last turn. Pure TypeScript, shared by the worker, tests and bench.
 */
import type { ChatTurn } from '../shared/protocol';

/** An encoder's last hidden states for one text: `tokens` rows of `hidden` numbers, row-major. */
export interface TokenStates {
  data: ArrayLike<number>;
  tokens: number;
  hidden: number;
}

/** Turns a text into its token states (the encoder's feature-extraction output, unpooled). */
export type EncodeTokens = (text: string) => Promise<TokenStates>;

export function meanPool(states: TokenStates): Float64Array {
  const out = new Float64Array(states.hidden);
  if (states.tokens === 0) return out;
  for (let t = 0; t < states.tokens; t++) {
    for (let j = 0; j < states.hidden; j++) out[j]! += states.data[t * states.hidden + j]!;
  }
  for (let j = 0; j < states.hidden; j++) out[j]! /= states.tokens;
  return out;
}

export function maxPool(states: TokenStates): Float64Array {
  const out = new Float64Array(states.hidden);
  if (states.tokens === 0) return out;
  out.fill(-Infinity);
  for (let t = 0; t < states.tokens; t++) {
    for (let j = 0; j < states.hidden; j++) out[j] = Math.max(out[j]!, states.data[t * states.hidden + j]!);
  }
  return out;
}

/** The feature size for an encoder with `hidden` units. */
export function featureSize(hidden: number): number {
  return 3 * hidden;
}

/** Features of one reply given the context's mean-pooled states. */
export function rewardFeatures(contextMean: ArrayLike<number>, reply: TokenStates): number[] {
  const mean = meanPool(reply);
  const max = maxPool(reply);
  const out = new Array<number>(featureSize(reply.hidden));
  for (let j = 0; j < reply.hidden; j++) {
    out[j] = mean[j]!;
    out[reply.hidden + j] = max[j]!;
    out[2 * reply.hidden + j] = contextMean[j]! * mean[j]!;
  }
  return out;
}

/** The text the reply answers: the conversation's last user turn (empty when there is none). */
export function contextText(context: readonly ChatTurn[]): string {
  for (let i = context.length - 1; i >= 0; i--) if (context[i]!.role === 'user') return context[i]!.content;
  return '';
}

/** Features of each reply to the same context; the context is encoded once. */
export async function replyFeatures(encode: EncodeTokens, context: readonly ChatTurn[], replies: readonly string[]): Promise<number[][]> {
  const contextMean = meanPool(await encode(contextText(context)));
  const out: number[][] = [];
  for (const reply of replies) out.push(rewardFeatures(contextMean, await encode(reply)));
  return out;
}
