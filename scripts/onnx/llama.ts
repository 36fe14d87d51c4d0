/**
 * A LLaMA-shape causal LM as an ONNX graph in the layout transformers.js expects
 * (inputs input_ids / attention_mask / position_ids / past_key_values.*, outputs logits /
 * present.*): RMSNorm, RoPE, grouped-query attention, SiLU-gated MLP, tied embeddings.
 */
import { GraphBuilder, OPSETS_STANDARD, OPSETS_WITH_MS, type EncodedModel } from './proto.ts';
import { LinearEmitter, type WeightPrecision } from './linear.ts';
import { WeightRng } from './rng.ts';

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
}

export function buildLlamaOnnx(d: LlamaDims, w: LlamaWeights, precision: WeightPrecision, options: LlamaGraphOptions = {}): EncodedModel {
  return llamaGraph(d, w, precision, options).encode(precision === 'q4' ? OPSETS_WITH_MS : OPSETS_STANDARD, `LLaMA-shape causal LM, ${precision}`);
}

/** The graph of buildLlamaOnnx, not yet encoded (so it can be written with external data). */
export function llamaGraph(d: LlamaDims, w: LlamaWeights, precision: WeightPrecision, options: LlamaGraphOptions = {}): GraphBuilder {
  const g = new GraphBuilder('llama');
  const lin = new LinearEmitter(g, precision);
  const { hidden: H, heads: NH, kvHeads: KV, headDim: D } = d;

  const inputIds = g.input('input_ids', 'int64', ['batch_size', 'sequence_length']);
  const attentionMask = g.input('attention_mask', 'int64', ['batch_size', 'total_sequence_length']);
  const positionIds = g.input('position_ids', 'int64', ['batch_size', 'sequence_length']);
  const past = w.layers.map((_, i) => ({
    key: g.input(`past_key_values.${i}.key`, 'float32', ['batch_size', KV, 'past_sequence_length', D]),
    value: g.input(`past_key_values.${i}.value`, 'float32', ['batch_size', KV, 'past_sequence_length', D]),
  }));

  // Tied embeddings: the lookup table is also the output head (one copy in q8 and fp32).
  const lookup = lin.embedding(inputIds, 'model.embed_tokens', w.embed, d.vocab, H);
  const embed = lookup.weight;
  const embedQ8 = lookup.q8;
  let x = lookup.output;

  // Mask [B, 1, S, T]: key j is visible to query i iff j <= past + i and attention_mask[j] = 1.
  const toScalar = (t: string) => g.op('Squeeze', [t, g.constInt64([0])]);
  const seqLen = toScalar(g.op('Shape', [inputIds], { start: 1, end: 2 }));
  const totalLen = toScalar(g.op('Shape', [attentionMask], { start: 1, end: 2 }));
  const pastLen = g.op('Sub', [totalLen, seqLen]);
  const one = g.constInt64([1], []);
  const keyPos = g.op('Unsqueeze', [g.op('Range', [g.constInt64([0], []), totalLen, one]), g.constInt64([0])]);
  const queryPos = g.op('Unsqueeze', [g.op('Range', [pastLen, totalLen, one]), g.constInt64([1])]);
  const causal = g.op('LessOrEqual', [keyPos, queryPos]); // [S, T]
  const keyValid = g.op('Unsqueeze', [g.op('Cast', [attentionMask], { to: 9 }), g.constInt64([1, 2])]);
  const allowed = g.op('And', [causal, keyValid]); // [B, 1, S, T]
  const masked = g.constFloat([-1e9]);

  // RoPE tables from position_ids: [B, 1, S, D].
  const invFreq = Array.from({ length: D / 2 }, (_, j) => 1 / Math.pow(d.ropeTheta, (2 * j) / D));
  const posF = g.op('Unsqueeze', [g.op('Cast', [positionIds], { to: 1 }), g.constInt64([2])]);
  const freqs = g.op('Mul', [posF, g.constFloat(invFreq, [D / 2])]);
  const angles = g.op('Unsqueeze', [g.op('Concat', [freqs, freqs], { axis: -1 }), g.constInt64([1])]);
  const cos = g.op('Cos', [angles]);
  const sin = g.op('Sin', [angles]);
  const rot = g.initializer('rotate_half', 'float32', [D, D], rotateHalfMatrix(D));
  const rope = (t: string) => g.op('Add', [g.op('Mul', [t, cos]), g.op('Mul', [g.op('MatMul', [t, rot]), sin])]);

  const rmsNorm = (t: string, weight: Float32Array, name: string) => {
    const meanSq = g.op('ReduceMean', [g.op('Mul', [t, t])], { axes: [-1], keepdims: 1 });
    const inv = g.op('Reciprocal', [g.op('Sqrt', [g.op('Add', [meanSq, g.constFloat([d.rmsEps])])])]);
    return g.op('Mul', [g.op('Mul', [t, inv]), g.initializer(name, 'float32', [H], weight)]);
  };
  const heads = (t: string, n: number) =>
    g.op('Transpose', [g.op('Reshape', [t, g.constInt64([0, 0, n, D])])], { perm: [0, 2, 1, 3] });

  w.layers.forEach((layer, i) => {
    const p = `model.layers.${i}`;
    const xn = rmsNorm(x, layer.inputNorm, `${p}.input_layernorm.weight`);
    const q = rope(heads(lin.linear(xn, `${p}.self_attn.q_proj`, layer.q, H, NH * D), NH));
    const k = rope(heads(lin.linear(xn, `${p}.self_attn.k_proj`, layer.k, H, KV * D), KV));
    const v = heads(lin.linear(xn, `${p}.self_attn.v_proj`, layer.v, H, KV * D), KV);
    const presentK = g.op('Concat', [past[i]!.key, k], { axis: 2 }, { outputNames: [`present.${i}.key`] });
    const presentV = g.op('Concat', [past[i]!.value, v], { axis: 2 }, { outputNames: [`present.${i}.value`] });

    // Grouped-query attention without copying K/V: query heads kv*group..kv*group+group-1
    // share KV head kv, so [B, NH, S, D] is viewed as [B, KV, group*S, D].
    const qScaled = g.op('Mul', [q, g.constFloat([1 / Math.sqrt(D)])]);
    const qGrouped = g.op('Reshape', [qScaled, g.constInt64([0, KV, -1, D])]);
    const scores = g.op('MatMul', [qGrouped, g.op('Transpose', [presentK], { perm: [0, 1, 3, 2] })]);
    const scoresPerHead = g.op('Reshape', [scores, g.constInt64([0, NH, -1, 0])]); // [B, NH, S, T]
    const probs = g.op('Softmax', [g.op('Where', [allowed, scoresPerHead, masked])], { axis: -1 });
    const context = g.op('MatMul', [g.op('Reshape', [probs, g.constInt64([0, KV, -1, 0])]), presentV]);
    const merged = g.op('Reshape', [
      g.op('Transpose', [g.op('Reshape', [context, g.constInt64([0, NH, -1, D])])], { perm: [0, 2, 1, 3] }),
      g.constInt64([0, 0, NH * D]),
    ]);
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
  if (embedQ8) {
    // logits^T = E · x^T, so MatMulInteger reads the [vocab, hidden] table as it is stored.
    const [xq, xScale, xZero] = g.node('DynamicQuantizeLinear', [flat], {}, { outputs: 3 });
    const eZero = g.initializer('model.embed_tokens.weight_zero_point', 'uint8', [], Uint8Array.of(embedQ8.zeroPoint));
    const acc = g.op('MatMulInteger', [embed, g.op('Transpose', [xq!], { perm: [1, 0] }), eZero, xZero!]);
    const scale = g.op('Mul', [xScale!, g.constFloat([embedQ8.scale])]);
    logits2d = g.op('Transpose', [g.op('Mul', [g.op('Cast', [acc], { to: 1 }), scale])], { perm: [1, 0] });
  } else if (precision === 'q4') {
    // MatMulNBits stores B as [N, K] blocks: the embedding's own layout, quantised separately.
    logits2d = lin.linearOutIn(flat, 'lm_head', w.embed, H, d.vocab);
  } else {
    // Tied head: Gemm reads the embedding table transposed, no second copy in the file.
    logits2d = g.op('Gemm', [flat, embed], { transB: 1 });
  }
  g.node('Reshape', [logits2d, outShape], {}, { outputNames: ['logits'] });

  g.output('logits', 'float32', ['batch_size', 'sequence_length', d.vocab]);
  w.layers.forEach((_, i) => {
    g.output(`present.${i}.key`, 'float32', ['batch_size', KV, 'total_sequence_length', D]);
    g.output(`present.${i}.value`, 'float32', ['batch_size', KV, 'total_sequence_length', D]);
  });
  return g;
}
