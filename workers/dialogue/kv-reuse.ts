import type { DynamicCache } from '@huggingface/transformers';

/**
 * What the dialogue worker remembers of the last generation, so the next turn of the same
 * conversation only has to prefill the tokens that are new.
 */
export interface CachedConversation {
  conversationId: string;
  /** Token ids as the model saw and produced them. The cache covers a prefix of them (all but the last, after a reply). */
  tokenIds: number[];
  cache: DynamicCache;
}

/** Length of the common prefix of two id sequences. */
export function commonPrefixLength(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

/**
 * How many cached positions the new prompt can keep: the longest common prefix of token ids
 * between what the cache saw and the new prompt, bounded by the cache's length, and short of
 * the whole prompt (generate needs at least one token to prefill for the first logits).
 *
 * Ids rather than text: a sampled reply's tokens do not always re-encode to the same ids, and
 * the chat template may render a stored reply differently (trimmed, special tokens dropped).
 * Comparing ids keeps everything up to the first difference and re-prefills only what follows.
 * 0 means start cold.
 */
export function reusableLength(
  cached: Pick<CachedConversation, 'conversationId' | 'tokenIds'> | null,
  cacheLength: number,
  conversationId: string,
  promptIds: readonly number[],
): number {
  if (!cached || cached.conversationId !== conversationId) return 0;
  const common = commonPrefixLength(cached.tokenIds, promptIds);
  return Math.max(0, Math.min(common, cacheLength, promptIds.length - 1));
}
