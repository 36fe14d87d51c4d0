/** config.json / generation_config.json contents for the built models (Hugging Face field names). */
import type { BertDims, TriggerHead } from './bert.ts';
import type { LlamaDims } from './llama.ts';
import { BOS_ID, IM_END_ID, UNK_ID } from './tokenizer.ts';

export interface Provenance {
  preset: string;
  seed: number;
  builderVersion: number;
}

function demoFields(p: Provenance) {
  return {
    demo_untrained: true,
    demo_builder: { preset: p.preset, seed: p.seed, version: p.builderVersion },
  };
}

/** How a chat model's files differ from the plain demo layout, as some Hub exports do. */
export interface ExportShape {
  /** Several ids end a reply (Llama-3.2 lists three). */
  eosIds?: number[];
  /** Weights in `model*.onnx_data` beside each `.onnx`. */
  externalData?: boolean;
}

export function llamaConfig(d: LlamaDims, p: Provenance, shape: ExportShape = {}): object {
  return {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    hidden_size: d.hidden,
    intermediate_size: d.intermediate,
    num_hidden_layers: d.layers,
    num_attention_heads: d.heads,
    num_key_value_heads: d.kvHeads,
    head_dim: d.headDim,
    vocab_size: d.vocab,
    max_position_embeddings: d.maxPositions,
    rms_norm_eps: d.rmsEps,
    rope_theta: d.ropeTheta,
    rope_scaling: null,
    hidden_act: 'silu',
    attention_bias: false,
    mlp_bias: false,
    tie_word_embeddings: true,
    initializer_range: 0.02,
    bos_token_id: BOS_ID,
    eos_token_id: shape.eosIds ?? IM_END_ID,
    pad_token_id: UNK_ID,
    torch_dtype: 'float32',
    use_cache: true,
    // Without use_external_data_format transformers.js never mounts the _data files.
    'transformers.js_config': { dtype: 'q8', ...(shape.externalData ? { use_external_data_format: true } : {}) },
    ...demoFields(p),
  };
}

export function llamaGenerationConfig(shape: ExportShape = {}): object {
  // Random weights make greedy decoding repeat one token, so sampling is the default.
  return {
    bos_token_id: BOS_ID,
    eos_token_id: shape.eosIds ?? IM_END_ID,
    pad_token_id: UNK_ID,
    do_sample: true,
    temperature: 0.9,
    top_k: 50,
  };
}

export function bertConfig(d: BertDims, p: Provenance): object {
  return {
    architectures: ['BertModel'],
    model_type: 'bert',
    hidden_size: d.hidden,
    num_hidden_layers: d.layers,
    num_attention_heads: d.heads,
    intermediate_size: d.intermediate,
    hidden_act: 'gelu',
    hidden_dropout_prob: 0,
    attention_probs_dropout_prob: 0,
    max_position_embeddings: d.maxPositions,
    type_vocab_size: d.typeVocab,
    vocab_size: d.vocab,
    layer_norm_eps: d.layerNormEps,
    pad_token_id: UNK_ID,
    position_embedding_type: 'absolute',
    torch_dtype: 'float32',
    'transformers.js_config': { dtype: 'q8' },
    ...demoFields(p),
  };
}

export function bertClassifierConfig(
  d: BertDims,
  p: Provenance,
  triggerWords: string[],
  head: TriggerHead,
): object {
  return {
    ...bertConfig(d, p),
    architectures: ['BertForSequenceClassification'],
    id2label: { 0: 'safe', 1: 'unsafe' },
    label2id: { safe: 0, unsafe: 1 },
    problem_type: 'single_label_classification',
    demo_stand_in: 'Flags text containing a trigger word as unsafe; says nothing about real safety.',
    demo_trigger_words: triggerWords,
    demo_trigger_token_ids: head.tokenIds,
  };
}
