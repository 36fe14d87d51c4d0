import type { DynamicCache } from '@huggingface/transformers';

/**
 * What the dialogue worker remembers of the last generation, so the next turn of the same
 * conversation only has to prefill the tokens that are new.
 */
export interface CachedConversation {
  conversationId: string;
  /** The rendered prompt plus the reply exactly as generated: the text the cache stands for. */
  text: string;
  /** Token ids of `text` as the model saw and produced them. The cache covers all but the last. */
  tokenIds: number[];
  cache: DynamicCache;
}

export interface PromptPlan {
  tokenIds: number[];
  pastKeyValues: DynamicCache | null;
}

/**
 * Reuses the cache when the new prompt text extends the cached text of the same conversation.
 * The reply's own token ids are kept rather than re-encoded: decoding and re-encoding sampled
 * tokens rarely gives the same ids back, and the cache is only valid for the ids it saw.
 */
export function planPrompt(
  cached: CachedConversation | null,
  conversationId: string,
  promptText: string,
  encode: (text: string) => number[],
): PromptPlan {
  if (cached && cached.conversationId === conversationId && promptText.startsWith(cached.text)) {
    const suffix = promptText.slice(cached.text.length);
    const suffixIds = suffix ? encode(suffix) : [];
    if (suffixIds.length > 0) {
      return { tokenIds: [...cached.tokenIds, ...suffixIds], pastKeyValues: cached.cache };
    }
  }
  return { tokenIds: encode(promptText), pastKeyValues: null };
}
