/**
 * The builder's LLaMA-shape chat model as a llama.cpp GGUF (q8_0 weights, f32 norms): the same
 * seeded weights as its ONNX files, so wllama (llama.cpp in WebAssembly) and onnxruntime-web can
 * be timed on one model. Three things differ from the ONNX layout:
 * - llama.cpp stores a linear layer as [out, in] rows (PyTorch's layout); the builder's are x · W;
 * - llama.cpp's LLaMA RoPE rotates adjacent pairs (2i, 2i+1), the graph rotates halves (i, i + D/2),
 *   so each q/k head's rows are interleaved the way llama.cpp's own HF converter does;
 * - the vocabulary is the SentencePiece form of the same LLaMA-2 tokenizer (scores from the
 *   piece order), padded with unused tokens up to the embedding's rows.
 */
import { float16Bits } from './float16.ts';
import { GGML_TYPE, writeGguf, type GgufTensor, type GgufValue } from './gguf-writer.ts';
import type { LlamaDims, LlamaWeights } from './llama.ts';
import { BOS_ID, CHATML_TEMPLATE, IM_END_ID, UNK_ID } from './tokenizer.ts';

export const Q8_0_BLOCK = 32;
const Q8_0_BLOCK_BYTES = 2 + Q8_0_BLOCK;
/** llama.cpp's `LLAMA_FTYPE_MOSTLY_Q8_0`. */
const FILE_TYPE_Q8_0 = 7;

/** llama.cpp's token types (`llama_token_type`). */
export const TOKEN_TYPE = { normal: 1, unknown: 2, control: 3, unused: 5, byte: 6 } as const;

/** C's roundf: halves away from zero (Math.round sends -2.5 to -2), as ggml's quantizer rounds. */
const roundAway = (x: number) => Math.sign(x) * Math.round(Math.abs(x));

/**
 * ggml's reference q8_0: per block of 32 values one fp16 scale d = max|x| / 127 and 32 int8
 * q = round(x / d). Rows must be a whole number of blocks.
 */
export function quantizeQ8_0(values: Float32Array): Uint8Array {
  if (values.length % Q8_0_BLOCK !== 0) throw new Error(`q8_0 needs a multiple of ${Q8_0_BLOCK} values, got ${values.length}`);
  const blocks = values.length / Q8_0_BLOCK;
  const out = new Uint8Array(blocks * Q8_0_BLOCK_BYTES);
  const view = new DataView(out.buffer);
  for (let b = 0; b < blocks; b++) {
    let amax = 0;
    for (let i = 0; i < Q8_0_BLOCK; i++) amax = Math.max(amax, Math.abs(values[b * Q8_0_BLOCK + i]!));
    const d = amax / 127;
    const inv = d > 0 ? 1 / d : 0;
    const at = b * Q8_0_BLOCK_BYTES;
    view.setUint16(at, float16Bits(d), true);
    for (let i = 0; i < Q8_0_BLOCK; i++) view.setInt8(at + 2 + i, roundAway(values[b * Q8_0_BLOCK + i]! * inv));
  }
  return out;
}

/** The builder's [in, out] matrix (x · W) as llama.cpp's [out, in] rows. */
export function toRows(w: Float32Array, inDim: number, outDim: number): Float32Array {
  const rows = new Float32Array(inDim * outDim);
  for (let i = 0; i < inDim; i++) for (let o = 0; o < outDim; o++) rows[o * inDim + i] = w[i * outDim + o]!;
  return rows;
}

/**
 * Reorders each head's output rows from rotate-half order (i, i + D/2) to llama.cpp's adjacent
 * pairs: new row h·D + 2i + j is old row h·D + j·D/2 + i.
 */
export function interleaveRopeRows(rows: Float32Array, heads: number, headDim: number, inDim: number): Float32Array {
  const out = new Float32Array(rows.length);
  const half = headDim / 2;
  for (let h = 0; h < heads; h++) {
    for (let i = 0; i < half; i++) {
      for (let j = 0; j < 2; j++) {
        const from = (h * headDim + j * half + i) * inDim;
        out.set(rows.subarray(from, from + inDim), (h * headDim + 2 * i + j) * inDim);
      }
    }
  }
  return out;
}

/** The chat tokenizer.json's shape, as far as the vocabulary goes. */
export interface SpmTokenizerJson {
  model: { vocab: Record<string, number> };
  added_tokens: Array<{ id: number; content: string; special: boolean }>;
}

/**
 * llama.cpp's SentencePiece vocabulary for the LLaMA-2 BPE tokenizer.json: pieces by id, a score
 * that ranks pieces as the BPE merges do (earlier id, higher score), byte-fallback pieces typed as
 * bytes, specials as control tokens, and unused padding up to `rows`.
 */
export function spmVocabulary(tok: SpmTokenizerJson, rows: number): { tokens: string[]; scores: Float32Array; types: Int32Array } {
  const tokens: string[] = new Array<string>(rows);
  const scores = new Float32Array(rows);
  const types = new Int32Array(rows).fill(TOKEN_TYPE.unused);
  for (const [piece, id] of Object.entries(tok.model.vocab)) {
    if (id >= rows) throw new Error(`token ${id} does not fit ${rows} embedding rows`);
    tokens[id] = piece;
    const isByte = /^<0x[0-9A-F]{2}>$/.test(piece);
    types[id] = id === UNK_ID ? TOKEN_TYPE.unknown : isByte ? TOKEN_TYPE.byte : TOKEN_TYPE.normal;
    scores[id] = types[id] === TOKEN_TYPE.normal ? -id : 0;
  }
  for (const added of tok.added_tokens) {
    tokens[added.id] = added.content;
    scores[added.id] = 0;
    types[added.id] = added.id === UNK_ID ? TOKEN_TYPE.unknown : TOKEN_TYPE.control;
  }
  for (let id = 0; id < rows; id++) {
    if (tokens[id] === undefined) tokens[id] = `[PAD${id}]`;
  }
  return { tokens, scores, types };
}

const str = (value: string): GgufValue => ({ type: 'string', value });
const u32 = (value: number): GgufValue => ({ type: 'uint32', value });
const f32 = (value: number): GgufValue => ({ type: 'float32', value });

export function llamaGgufMetadata(name: string, d: LlamaDims, tok: SpmTokenizerJson): Record<string, GgufValue> {
  const vocab = spmVocabulary(tok, d.vocab);
  return {
    'general.architecture': str('llama'),
    'general.name': str(name),
    'general.file_type': u32(FILE_TYPE_Q8_0),
    'general.quantization_version': u32(2),
    'general.alignment': u32(32),
    'llama.context_length': u32(d.maxPositions),
    'llama.embedding_length': u32(d.hidden),
    'llama.block_count': u32(d.layers),
    'llama.feed_forward_length': u32(d.intermediate),
    'llama.attention.head_count': u32(d.heads),
    'llama.attention.head_count_kv': u32(d.kvHeads),
    'llama.attention.key_length': u32(d.headDim),
    'llama.attention.value_length': u32(d.headDim),
    'llama.attention.layer_norm_rms_epsilon': f32(d.rmsEps),
    'llama.rope.dimension_count': u32(d.headDim),
    'llama.rope.freq_base': f32(d.ropeTheta),
    'llama.vocab_size': u32(d.vocab),
    'tokenizer.ggml.model': str('llama'),
    'tokenizer.ggml.tokens': { type: 'array', of: 'string', value: vocab.tokens },
    'tokenizer.ggml.scores': { type: 'array', of: 'float32', value: vocab.scores },
    'tokenizer.ggml.token_type': { type: 'array', of: 'int32', value: vocab.types },
    'tokenizer.ggml.bos_token_id': u32(BOS_ID),
    'tokenizer.ggml.eos_token_id': u32(IM_END_ID),
    'tokenizer.ggml.unknown_token_id': u32(UNK_ID),
    'tokenizer.ggml.padding_token_id': u32(UNK_ID),
    'tokenizer.ggml.add_bos_token': { type: 'bool', value: true },
    'tokenizer.ggml.add_eos_token': { type: 'bool', value: false },
    'tokenizer.chat_template': str(CHATML_TEMPLATE),
  };
}

/** The tensors under llama.cpp's names; the tied output head is token_embd itself. */
export function llamaGgufTensors(d: LlamaDims, w: LlamaWeights): GgufTensor[] {
  const qDim = d.heads * d.headDim;
  const kvDim = d.kvHeads * d.headDim;
  const norm = (name: string, values: Float32Array): GgufTensor => ({
    name,
    dims: [values.length],
    type: GGML_TYPE.F32,
    data: new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
  });
  const q8 = (name: string, rows: Float32Array, inDim: number, outDim: number): GgufTensor => ({
    name,
    dims: [inDim, outDim],
    type: GGML_TYPE.Q8_0,
    data: quantizeQ8_0(rows),
  });
  const tensors: GgufTensor[] = [q8('token_embd.weight', w.embed, d.hidden, d.vocab)];
  w.layers.forEach((layer, i) => {
    const p = `blk.${i}`;
    tensors.push(
      norm(`${p}.attn_norm.weight`, layer.inputNorm),
      q8(`${p}.attn_q.weight`, interleaveRopeRows(toRows(layer.q, d.hidden, qDim), d.heads, d.headDim, d.hidden), d.hidden, qDim),
      q8(`${p}.attn_k.weight`, interleaveRopeRows(toRows(layer.k, d.hidden, kvDim), d.kvHeads, d.headDim, d.hidden), d.hidden, kvDim),
      q8(`${p}.attn_v.weight`, toRows(layer.v, d.hidden, kvDim), d.hidden, kvDim),
      q8(`${p}.attn_output.weight`, toRows(layer.o, qDim, d.hidden), qDim, d.hidden),
      norm(`${p}.ffn_norm.weight`, layer.postNorm),
      q8(`${p}.ffn_gate.weight`, toRows(layer.gate, d.hidden, d.intermediate), d.hidden, d.intermediate),
      q8(`${p}.ffn_up.weight`, toRows(layer.up, d.hidden, d.intermediate), d.hidden, d.intermediate),
      q8(`${p}.ffn_down.weight`, toRows(layer.down, d.intermediate, d.hidden), d.intermediate, d.hidden),
    );
  });
  tensors.push(norm('output_norm.weight', w.finalNorm));
  return tensors;
}

/** Writes the model as `path` (q8_0); returns the file's size in bytes. */
export function writeLlamaGguf(path: string, name: string, d: LlamaDims, w: LlamaWeights, tok: SpmTokenizerJson): number {
  return writeGguf(path, llamaGgufMetadata(name, d, tok), llamaGgufTensors(d, w));
}
