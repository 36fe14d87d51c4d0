/**
 * What the personal generation adapter conditions on (issue 18): a hashed bag of the chat
 * model's own token ids in the user's last turn, signed, in CONTEXT_FEATURE_DIM buckets.
 *
 * Why not the reward worker's encoder features, the other candidate (DESIGN §5b): they would
 * need an encoder pass over the context before every reply's first token (in another worker, on
 * the same cores), which the "TTFT does not get worse" rules out, and they tie the adapter
 * to the chosen encoder as well as the chat model. The chat model's tokenizer is already loaded in
 * the dialogue worker; hashing its ids costs microseconds and needs nothing else. It captures what
 * the user's turn is about by the words in it, which is what "not this word here" needs; it does
 * not understand paraphrase (the encoder would). The sign hash keeps collisions from adding up.
 */
export const CONTEXT_FEATURE_DIM = 256;

/** Knuth's multiplicative hash: spreads consecutive ids over the buckets. */
function mix(id: number): number {
  return Math.imul(id ^ (id >>> 16), 0x9e3779b1) >>> 0;
}

/** The features of a context given the token ids of its last user turn; all zeros for none. */
export function contextFeatures(tokenIds: readonly number[], dim: number = CONTEXT_FEATURE_DIM): Float32Array {
  const out = new Float32Array(dim);
  for (const id of tokenIds) {
    const h = mix(id);
    const bucket = h % dim;
    out[bucket] = out[bucket]! + (h & 0x80000000 ? -1 : 1);
  }
  return out;
}
