/**
 * A LLaMA-shape causal LM as an ONNX graph in the layout transformers.js expects
 * (inputs input_ids / attention_mask / position_ids / past_key_values.*, outputs logits /
 * present.*): RMSNorm, RoPE, grouped-query attention, SiLU-gated MLP, tied embeddings.
 */
import { f, GraphBuilder, OPSETS_STANDARD, OPSETS_WITH_MS, type EncodedModel } from './proto.ts';
import { activationType, floatInitializer, LinearEmitter, type WeightPrecision } from './linear.ts';
import { WeightRng } from './rng.ts';
import { transpose } from './quantize.ts';

export interface LlamaDims {
  hidden: number;
  layers: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  intermediate: number;
  vocab: number;
  maxPositions: number;
  ropeTheta: number;
  rmsEps: number;
}

export interface LlamaLayerWeights {
  inputNorm: Float32Array;
  q: Float32Array; // [hidden, heads*headDim]
  k: Float32Array; // [hidden, kvHeads*headDim]
  v: Float32Array;
  o: Float32Array; // [heads*headDim, hidden]
  postNorm: Float32Array;
  gate: Float32Array; // [hidden, intermediate]
  up: Float32Array;
  down: Float32Array; // [intermediate, hidden]
}

export interface LlamaWeights {
  embed: Float32Array; // [vocab, hidden]; also the (tied) output projection
  layers: LlamaLayerWeights[];
  finalNorm: Float32Array;
}

const INIT_STD = 0.02;

export function makeLlamaWeights(d: LlamaDims, seed: number): LlamaWeights {
  if (d.heads % d.kvHeads !== 0) throw new Error('heads must be a multiple of kvHeads');
  if (d.headDim % 2 !== 0) throw new Error('headDim must be even for RoPE');
  const rng = new WeightRng(seed);
  const qDim = d.heads * d.headDim;
  const kvDim = d.kvHeads * d.headDim;
  const ones = (n: number) => new Float32Array(n).fill(1);
  // GPT-2-style scaled init for the projections that write into the residual stream keeps
  // the stream dominated by the embedding, so 4-bit rounding noise stays small in the logits.
  const residualStd = INIT_STD / Math.sqrt(2 * d.layers);
  return {
    embed: rng.normal('embed', d.vocab * d.hidden, INIT_STD),
    layers: Array.from({ length: d.layers }, (_, i) => ({
      inputNorm: ones(d.hidden),
      q: rng.normal(`layers.${i}.q`, d.hidden * qDim, INIT_STD),
      k: rng.normal(`layers.${i}.k`, d.hidden * kvDim, INIT_STD),
      v: rng.normal(`layers.${i}.v`, d.hidden * kvDim, INIT_STD),
      o: rng.normal(`layers.${i}.o`, qDim * d.hidden, residualStd),
      postNorm: ones(d.hidden),
      gate: rng.normal(`layers.${i}.gate`, d.hidden * d.intermediate, INIT_STD),
      up: rng.normal(`layers.${i}.up`, d.hidden * d.intermediate, INIT_STD),
      down: rng.normal(`layers.${i}.down`, d.intermediate * d.hidden, residualStd),
    })),
    finalNorm: ones(d.hidden),
  };
}

/** rotate_half(x) = concat(-x2, x1) as a matrix, so it is one MatMul: x · R. */
function rotateHalfMatrix(D: number): Float32Array {
  const R = new Float32Array(D * D);
  const h = D / 2;
  for (let c = 0; c < h; c++) {
    R[(c + h) * D + c] = -1;
    R[c * D + c + h] = 1;
  }
  return R;
}

export interface LlamaGraphOptions {
  /**
   * A `num_logits_to_keep` input (int64 scalar; 0 keeps every position), as some Hub exports
   * have: transformers.js then asks for the last position's logits only while it generates.
   */
  logitsToKeep?: boolean;
  /**
   * 'gqa': attention as one com.microsoft GroupQueryAttention node per layer, with RoPE inside it
   * (do_rotary and cos/sin caches), as onnxruntime-genai's exports do. Default: plain ops.
   */
  attention?: 'plain' | 'gqa';
  /**
   * q8 and fp32 only. 'tied': the head reads the embedding table itself (q8: as the left operand
   * of MatMulInteger, so onnxruntime cannot pre-pack it). 'transposed': a second copy as
   * [hidden, vocab], read as activation × weight like every other linear layer, as the Hub's
   * exports store it. Default: transposed for q8 (+19–34% decode on WASM in two runs of bench/wasm-levers.ts;
   * the file grows by vocab × hidden bytes), tied for fp32 (Gemm with transB reads the table as
   * fast, and a copy would add 4 bytes per weight).
   */
  lmHead?: 'tied' | 'transposed';
  /**
   * q8 only: one DynamicQuantizeLinear per matmul rather than one per activation shared by the
   * matmuls reading it (q/k/v, gate/up), so each can fuse on its own.
   */
  quantizeEachMatmul?: boolean;
  /**
   * 'fused': each RMSNorm as one SimplifiedLayerNormalization node (onnxruntime's contrib op, as
   * onnxruntime-genai exports and its transformer optimizer write it); fp32 and q8 only.
   * Default: the plain ops (Mul, ReduceMean, Add, Sqrt, Reciprocal, Mul) of an Optimum export.
   */
  norm?: 'plain' | 'fused';
}

/** The opsets a graph of this precision and attention needs. */
export function llamaOpsets(precision: WeightPrecision, options: LlamaGraphOptions = {}) {
  return precision === 'q4' || precision === 'q4f16' || options.attention === 'gqa' ? OPSETS_WITH_MS : OPSETS_STANDARD;
}

export function buildLlamaOnnx(d: LlamaDims, w: LlamaWeights, precision: WeightPrecision, options: LlamaGraphOptions = {}): EncodedModel {
  return llamaGraph(d, w, precision, options).encode(llamaOpsets(precision, options), `LLaMA-shape causal LM, ${precision}`);
}

/** ONNX TensorProto data types, for Cast's `to`. */
const CAST_TO = { float32: 1, float16: 10, int32: 6 } as const;

/**
 * The graph of buildLlamaOnnx, not yet encoded (so it can be written with external data).
 * q4f16 runs in fp16 end to end, past/present KV included, like the Hub's q4f16 exports; the
 * norms and the RoPE angles are computed in fp32 and cast (fp16 loses them), and the logits are
 * cast to fp32 at the output.
 */
export function llamaGraph(d: LlamaDims, w: LlamaWeights, precision: WeightPrecision, options: LlamaGraphOptions = {}): GraphBuilder {
  const g = new GraphBuilder('llama');
  const lin = new LinearEmitter(g, precision, { quantizeEachMatmul: options.quantizeEachMatmul });
  const { hidden: H, heads: NH, kvHeads: KV, headDim: D } = d;
  const FT = activationType(precision);
  const half = FT === 'float16';
  const gqa = options.attention === 'gqa';

  const inputIds = g.input('input_ids', 'int64', ['batch_size', 'sequence_length']);
  const attentionMask = g.input('attention_mask', 'int64', ['batch_size', 'total_sequence_length']);
  const positionIds = g.input('position_ids', 'int64', ['batch_size', 'sequence_length']);
  const past = w.layers.map((_, i) => ({
    key: g.input(`past_key_values.${i}.key`, FT, ['batch_size', KV, 'past_sequence_length', D]),
    value: g.input(`past_key_values.${i}.value`, FT, ['batch_size', KV, 'past_sequence_length', D]),
  }));

  // Tied embeddings: the lookup table is also the output head (one copy in q8 and fp32).
  const lookup = lin.embedding(inputIds, 'model.embed_tokens', w.embed, d.vocab, H);
  const embed = lookup.weight;
  const embedQ8 = lookup.q8;
  let x = lookup.output;

  const rmsNorm = (t: string, weight: Float32Array, name: string) => {
    if (options.norm === 'fused' && !half) {
      return g.op('SimplifiedLayerNormalization', [t, floatInitializer(g, precision, name, [H], weight)], { axis: -1, epsilon: f(d.rmsEps) });
    }
    const t32 = half ? g.op('Cast', [t], { to: CAST_TO.float32 }) : t;
    const meanSq = g.op('ReduceMean', [g.op('Mul', [t32, t32])], { axes: [-1], keepdims: 1 });
    const inv = g.op('Reciprocal', [g.op('Sqrt', [g.op('Add', [meanSq, g.constFloat([d.rmsEps])])])]);
    const normed = g.op('Mul', [t32, inv]);
    return g.op('Mul', [half ? g.op('Cast', [normed], { to: CAST_TO.float16 }) : normed, floatInitializer(g, precision, name, [H], weight)]);
  };

  const attend = gqa
    ? groupQueryAttention(g, d, lin, attentionMask, FT)
    : plainAttention(g, d, lin, { inputIds, attentionMask, positionIds }, FT);

  w.layers.forEach((layer, i) => {
    const p = `model.layers.${i}`;
    const xn = rmsNorm(x, layer.inputNorm, `${p}.input_layernorm.weight`);
    const merged = attend(xn, layer, i, past[i]!);
    x = g.op('Add', [x, lin.linear(merged, `${p}.self_attn.o_proj`, layer.o, NH * D, H)]);

    const xn2 = rmsNorm(x, layer.postNorm, `${p}.post_attention_layernorm.weight`);
    const gate = lin.linear(xn2, `${p}.mlp.gate_proj`, layer.gate, H, d.intermediate);
    const up = lin.linear(xn2, `${p}.mlp.up_proj`, layer.up, H, d.intermediate);
    const act = g.op('Mul', [g.op('Mul', [gate, g.op('Sigmoid', [gate])]), up]);
    x = g.op('Add', [x, lin.linear(act, `${p}.mlp.down_proj`, layer.down, d.intermediate, H)]);
  });

  let xf = rmsNorm(x, w.finalNorm, 'model.norm.weight');
  if (options.logitsToKeep) {
    // Keep the last k positions (k = 0: all of them): Slice from -k, or from 0 when k is 0.
    const keep = g.input('num_logits_to_keep', 'int64', []);
    const isZero = g.op('Equal', [keep, g.constInt64([0], [])]);
    const start = g.op('Where', [isZero, g.constInt64([0], []), g.op('Neg', [keep])]);
    const starts = g.op('Unsqueeze', [start, g.constInt64([0])]);
    xf = g.op('Slice', [xf, starts, g.constInt64([Number.MAX_SAFE_INTEGER]), g.constInt64([1])]);
  }
  const flat = g.op('Reshape', [xf, g.constInt64([-1, H])]);
  // [batch, positions kept, vocab]: the positions are the input's unless some were sliced off.
  const kept = options.logitsToKeep ? g.op('Shape', [xf], { start: 0, end: 2 }) : g.op('Shape', [inputIds]);
  const outShape = g.op('Concat', [kept, g.constInt64([d.vocab])], { axis: 0 });
  let logits2d: string;
  const lmHead = options.lmHead ?? (precision === 'q8' ? 'transposed' : 'tied');
  if (lmHead === 'transposed' && (precision === 'q8' || precision === 'fp32')) {
    logits2d = lin.linear(flat, 'lm_head', transpose(w.embed, d.vocab, H), H, d.vocab);
  } else if (embedQ8) {
    // logits^T = E · x^T, so MatMulInteger reads the [vocab, hidden] table as it is stored.
    const [xq, xScale, xZero] = g.node('DynamicQuantizeLinear', [flat], {}, { outputs: 3 });
    const eZero = g.initializer('model.embed_tokens.weight_zero_point', 'uint8', [], Uint8Array.of(embedQ8.zeroPoint));
    const acc = g.op('MatMulInteger', [embed, g.op('Transpose', [xq!], { perm: [1, 0] }), eZero, xZero!]);
    const scale = g.op('Mul', [xScale!, g.constFloat([embedQ8.scale])]);
    logits2d = g.op('Transpose', [g.op('Mul', [g.op('Cast', [acc], { to: 1 }), scale])], { perm: [1, 0] });
  } else if (precision === 'q4' || precision === 'q4f16') {
    // MatMulNBits stores B as [N, K] blocks: the embedding's own layout, quantised separately.
    logits2d = lin.linearOutIn(flat, 'lm_head', w.embed, H, d.vocab);
    // Sampling reads float32 logits: the export casts at the edge.
    if (half) logits2d = g.op('Cast', [logits2d], { to: CAST_TO.float32 });
  } else {
    // Tied head: Gemm reads the embedding table transposed, no second copy in the file.
    logits2d = g.op('Gemm', [flat, embed], { transB: 1 });
  }
  g.node('Reshape', [logits2d, outShape], {}, { outputNames: ['logits'] });

  g.output('logits', 'float32', ['batch_size', 'sequence_length', d.vocab]);
  w.layers.forEach((_, i) => {
    g.output(`present.${i}.key`, FT, ['batch_size', KV, 'total_sequence_length', D]);
    g.output(`present.${i}.value`, FT, ['batch_size', KV, 'total_sequence_length', D]);
  });
  return g;
}

type PastKv = { key: string; value: string };
/** Emits one layer's attention over the normed input; returns [B, S, heads·headDim]. */
type AttentionEmitter = (xn: string, layer: LlamaLayerWeights, index: number, past: PastKv) => string;

/** RoPE angles for `positions` (int64, any shape) as [..., headDim] cos and sin in `type`. */
function ropeTables(g: GraphBuilder, d: LlamaDims, positions: string, type: 'float32' | 'float16'): { cos: string; sin: string } {
  const D = d.headDim;
  const invFreq = Array.from({ length: D / 2 }, (_, j) => 1 / Math.pow(d.ropeTheta, (2 * j) / D));
  const posF = g.op('Unsqueeze', [g.op('Cast', [positions], { to: CAST_TO.float32 }), g.constInt64([-1])]);
  const freqs = g.op('Mul', [posF, g.constFloat(invFreq, [D / 2])]);
  const angles = g.op('Concat', [freqs, freqs], { axis: -1 });
  const cast = (t: string) => (type === 'float16' ? g.op('Cast', [t], { to: CAST_TO.float16 }) : t);
  return { cos: cast(g.op('Cos', [angles])), sin: cast(g.op('Sin', [angles])) };
}

/** Attention from plain ONNX ops: mask, RoPE, grouped scores, softmax. */
function plainAttention(
  g: GraphBuilder,
  d: LlamaDims,
  lin: LinearEmitter,
  inputs: { inputIds: string; attentionMask: string; positionIds: string },
  FT: 'float32' | 'float16',
): AttentionEmitter {
  const { hidden: H, heads: NH, kvHeads: KV, headDim: D } = d;
  const constF = (values: number[]) => g.constFloat(values, values.length === 1 ? [] : [values.length], FT);

  // Mask [B, 1, S, T]: key j is visible to query i iff j <= past + i and attention_mask[j] = 1.
  const toScalar = (t: string) => g.op('Squeeze', [t, g.constInt64([0])]);
  const seqLen = toScalar(g.op('Shape', [inputs.inputIds], { start: 1, end: 2 }));
  const totalLen = toScalar(g.op('Shape', [inputs.attentionMask], { start: 1, end: 2 }));
  const pastLen = g.op('Sub', [totalLen, seqLen]);
  const one = g.constInt64([1], []);
  const keyPos = g.op('Unsqueeze', [g.op('Range', [g.constInt64([0], []), totalLen, one]), g.constInt64([0])]);
  const queryPos = g.op('Unsqueeze', [g.op('Range', [pastLen, totalLen, one]), g.constInt64([1])]);
  const causal = g.op('LessOrEqual', [keyPos, queryPos]); // [S, T]
  const keyValid = g.op('Unsqueeze', [g.op('Cast', [inputs.attentionMask], { to: 9 }), g.constInt64([1, 2])]);
  const allowed = g.op('And', [causal, keyValid]); // [B, 1, S, T]
  // fp16 tops out at 65504: its most negative finite value masks as well as -1e9 does in fp32.
  const masked = constF([FT === 'float16' ? -65504 : -1e9]);

  // RoPE tables from position_ids: [B, 1, S, D].
  const tables = ropeTables(g, d, inputs.positionIds, FT);
  const cos = g.op('Unsqueeze', [tables.cos, g.constInt64([1])]);
  const sin = g.op('Unsqueeze', [tables.sin, g.constInt64([1])]);
  const rot = floatInitializer(g, FT === 'float16' ? 'q4f16' : 'fp32', 'rotate_half', [D, D], rotateHalfMatrix(D));
  const rope = (t: string) => g.op('Add', [g.op('Mul', [t, cos]), g.op('Mul', [g.op('MatMul', [t, rot]), sin])]);
  const heads = (t: string, n: number) =>
    g.op('Transpose', [g.op('Reshape', [t, g.constInt64([0, 0, n, D])])], { perm: [0, 2, 1, 3] });

  return (xn, layer, i, past) => {
    const p = `model.layers.${i}`;
    const q = rope(heads(lin.linear(xn, `${p}.self_attn.q_proj`, layer.q, H, NH * D), NH));
    const k = rope(heads(lin.linear(xn, `${p}.self_attn.k_proj`, layer.k, H, KV * D), KV));
    const v = heads(lin.linear(xn, `${p}.self_attn.v_proj`, layer.v, H, KV * D), KV);
    const presentK = g.op('Concat', [past.key, k], { axis: 2 }, { outputNames: [`present.${i}.key`] });
    const presentV = g.op('Concat', [past.value, v], { axis: 2 }, { outputNames: [`present.${i}.value`] });

    // Grouped-query attention without copying K/V: query heads kv*group..kv*group+group-1
    // share KV head kv, so [B, NH, S, D] is viewed as [B, KV, group*S, D].
    const qScaled = g.op('Mul', [q, constF([1 / Math.sqrt(D)])]);
    const qGrouped = g.op('Reshape', [qScaled, g.constInt64([0, KV, -1, D])]);
    const scores = g.op('MatMul', [qGrouped, g.op('Transpose', [presentK], { perm: [0, 1, 3, 2] })]);
    const scoresPerHead = g.op('Reshape', [scores, g.constInt64([0, NH, -1, 0])]); // [B, NH, S, T]
    const probs = g.op('Softmax', [g.op('Where', [allowed, scoresPerHead, masked])], { axis: -1 });
    const context = g.op('MatMul', [g.op('Reshape', [probs, g.constInt64([0, KV, -1, 0])]), presentV]);
    return g.op('Reshape', [
      g.op('Transpose', [g.op('Reshape', [context, g.constInt64([0, NH, -1, D])])], { perm: [0, 2, 1, 3] }),
      g.constInt64([0, 0, NH * D]),
    ]);
  };
}

/**
 * Attention as com.microsoft GroupQueryAttention: the node takes the projections as they come
 * ([B, S, heads·headDim]), rotates q and k itself from cos/sin caches indexed by position, and
 * reads each row's length from seqlens_k (attention_mask summed, minus one) and the total length.
 * It computes positions itself, so position_ids stays an input only because transformers.js feeds it.
 */
function groupQueryAttention(g: GraphBuilder, d: LlamaDims, lin: LinearEmitter, attentionMask: string, FT: 'float32' | 'float16'): AttentionEmitter {
  const { hidden: H, heads: NH, kvHeads: KV, headDim: D } = d;
  const seqlensK = g.op('Cast', [g.op('Sub', [g.op('ReduceSum', [attentionMask, g.constInt64([1])], { keepdims: 0 }), g.constInt64([1], [])])], { to: CAST_TO.int32 });
  const totalLength = g.op('Cast', [g.op('Squeeze', [g.op('Shape', [attentionMask], { start: 1, end: 2 }), g.constInt64([0])])], { to: CAST_TO.int32 });
  // [maxPositions, headDim / 2]: the first half of each angle row (RoPE's halves repeat).
  const positions = Float32Array.from({ length: d.maxPositions }, (_, i) => i);
  const invFreq = Array.from({ length: D / 2 }, (_, j) => 1 / Math.pow(d.ropeTheta, (2 * j) / D));
  const cosCache = new Float32Array(d.maxPositions * (D / 2));
  const sinCache = new Float32Array(d.maxPositions * (D / 2));
  positions.forEach((pos, i) => {
    invFreq.forEach((f, j) => {
      cosCache[i * (D / 2) + j] = Math.cos(pos * f);
      sinCache[i * (D / 2) + j] = Math.sin(pos * f);
    });
  });
  const precision = FT === 'float16' ? 'q4f16' : 'fp32';
  const cos = floatInitializer(g, precision, 'cos_cache', [d.maxPositions, D / 2], cosCache);
  const sin = floatInitializer(g, precision, 'sin_cache', [d.maxPositions, D / 2], sinCache);

  return (xn, layer, i, past) => {
    const p = `model.layers.${i}`;
    const q = lin.linear(xn, `${p}.self_attn.q_proj`, layer.q, H, NH * D);
    const k = lin.linear(xn, `${p}.self_attn.k_proj`, layer.k, H, KV * D);
    const v = lin.linear(xn, `${p}.self_attn.v_proj`, layer.v, H, KV * D);
    const [output] = g.node(
      'GroupQueryAttention',
      [q, k, v, past.key, past.value, seqlensK, totalLength, cos, sin],
      { num_heads: NH, kv_num_heads: KV, do_rotary: 1, rotary_interleaved: 0, scale: f(1 / Math.sqrt(D)) },
      { domain: 'com.microsoft', outputNames: [g.fresh('gqa'), `present.${i}.key`, `present.${i}.value`] },
    );
    return output!;
  };
}
