/**
 * How much memory a generation may take beyond the weights, so a long prompt or a wide best-of-N
 * cannot exhaust the worker (WASM memory is at most 4 GiB, weights included).
 */

/** Best-of-N rows share at most this much KV cache. */
export const KV_CACHE_BUDGET_BYTES = 1024 ** 3;

/**
 * Prompt positions per prefill pass. Exports without `num_logits_to_keep` return float32 logits
 * for every position fed: 256 × a 152k vocabulary is 155 MB, where a 3,500-token prefill in one
 * pass would be 2.1 GB.
 */
export const PREFILL_CHUNK_TOKENS = 256;

interface DecoderShape {
  num_hidden_layers?: number;
  num_key_value_heads?: number;
  num_attention_heads?: number;
  hidden_size?: number;
  head_dim?: number;
}

/** Bytes of KV cache one row holds at `tokens` positions (float32 keys and values, the larger case). */
export function kvCacheBytesPerRow(config: unknown, tokens: number, bytesPerValue = 4): number {
  const shape = (config ?? {}) as DecoderShape;
  const layers = shape.num_hidden_layers ?? 0;
  const heads = shape.num_attention_heads ?? 0;
  const kvHeads = shape.num_key_value_heads ?? heads;
  const headDim = shape.head_dim ?? (heads > 0 && shape.hidden_size ? shape.hidden_size / heads : 0);
  return layers * 2 * kvHeads * headDim * tokens * bytesPerValue;
}

/** How many of `requested` rows fit in `budgetBytes` at `rowBytes` each; always at least one. */
export function rowsThatFit(requested: number, rowBytes: number, budgetBytes: number = KV_CACHE_BUDGET_BYTES): number {
  if (!(rowBytes > 0)) return requested;
  return Math.max(1, Math.min(requested, Math.floor(budgetBytes / rowBytes)));
}
