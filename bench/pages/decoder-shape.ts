/** The KV-cache shape of a causal LM, read from its config.json the way transformers.js reads it. */
import type { DecoderShape } from '../runtime/greedy-loop';

export interface DecoderConfig {
  num_hidden_layers?: number;
  num_attention_heads?: number;
  num_key_value_heads?: number;
  head_dim?: number;
  hidden_size?: number;
}

export function decoderShapeFromConfig(config: DecoderConfig): DecoderShape {
  const layers = config.num_hidden_layers;
  const heads = config.num_attention_heads;
  const kvHeads = config.num_key_value_heads ?? heads;
  const headDim = config.head_dim ?? (config.hidden_size && heads ? config.hidden_size / heads : undefined);
  if (!positiveInteger(layers) || !positiveInteger(kvHeads) || !positiveInteger(headDim)) {
    throw new Error(
      'config.json lacks the decoder shape (num_hidden_layers, num_key_value_heads or num_attention_heads, head_dim or hidden_size)',
    );
  }
  return { layers, kvHeads, headDim };
}

function positiveInteger(value: number | undefined): value is number {
  return value !== undefined && Number.isInteger(value) && value > 0;
}
