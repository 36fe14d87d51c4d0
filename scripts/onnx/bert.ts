/**
 * BERT-shape encoders as ONNX graphs: inputs input_ids / attention_mask / token_type_ids,
 * output `last_hidden_state` (feature extraction) or `logits` (sequence classification).
 *
 * The classifier is a stand-in built to flag trigger words, not a trained model: trigger
 * tokens carry a large value in one reserved hidden dimension that no layer reads or writes
 * (only the residual path and the LayerNorms touch it), and the head compares that
 * dimension's maximum over the sequence with a threshold.
 */
import { GraphBuilder, OPSETS_STANDARD, f, type EncodedModel } from './proto.ts';
import { LinearEmitter, type WeightPrecision } from './linear.ts';
import { WeightRng } from './rng.ts';

export interface BertDims {
  hidden: number;
  layers: number;
  heads: number;
  intermediate: number;
  vocab: number;
  maxPositions: number;
  typeVocab: number;
  layerNormEps: number;
}

interface LayerNormWeights {
  gamma: Float32Array;
  beta: Float32Array;
}

export interface BertLayerWeights {
  q: Float32Array; // [hidden, hidden]
  qBias: Float32Array;
  k: Float32Array;
  kBias: Float32Array;
  v: Float32Array;
  vBias: Float32Array;
  o: Float32Array;
  oBias: Float32Array;
  attentionNorm: LayerNormWeights;
  ffnIn: Float32Array; // [hidden, intermediate]
  ffnInBias: Float32Array;
  ffnOut: Float32Array; // [intermediate, hidden]
  ffnOutBias: Float32Array;
  outputNorm: LayerNormWeights;
}

export interface BertWeights {
  word: Float32Array; // [vocab, hidden]
  position: Float32Array; // [maxPositions, hidden]
  tokenType: Float32Array; // [typeVocab, hidden]
  embeddingNorm: LayerNormWeights;
  layers: BertLayerWeights[];
}

/** Trigger-word head: logits = [-a, a] · (max over tokens of h[:, :, dim] − threshold). */
export interface TriggerHead {
  tokenIds: number[];
  /** The reserved hidden dimension. */
  dim: number;
  /** Value of `dim` in a trigger token's word embedding (others get 0). */
  embeddingValue: number;
  threshold: number;
  gain: number;
}

const INIT_STD = 0.02;

export function makeBertWeights(d: BertDims, seed: number): BertWeights {
  const rng = new WeightRng(seed);
  const H = d.hidden;
  const I = d.intermediate;
  const norm = (): LayerNormWeights => ({ gamma: new Float32Array(H).fill(1), beta: new Float32Array(H) });
  return {
    word: rng.normal('word', d.vocab * H, INIT_STD),
    position: rng.normal('position', d.maxPositions * H, INIT_STD),
    tokenType: rng.normal('token_type', d.typeVocab * H, INIT_STD),
    embeddingNorm: norm(),
    layers: Array.from({ length: d.layers }, (_, i) => ({
      q: rng.normal(`layers.${i}.q`, H * H, INIT_STD),
      qBias: new Float32Array(H),
      k: rng.normal(`layers.${i}.k`, H * H, INIT_STD),
      kBias: new Float32Array(H),
      v: rng.normal(`layers.${i}.v`, H * H, INIT_STD),
      vBias: new Float32Array(H),
      o: rng.normal(`layers.${i}.o`, H * H, INIT_STD),
      oBias: new Float32Array(H),
      attentionNorm: norm(),
      ffnIn: rng.normal(`layers.${i}.ffn_in`, H * I, INIT_STD),
      ffnInBias: new Float32Array(I),
      ffnOut: rng.normal(`layers.${i}.ffn_out`, I * H, INIT_STD),
      ffnOutBias: new Float32Array(H),
      outputNorm: norm(),
    })),
  };
}

/** Reserves `head.dim` for the trigger signal; mutates `w`. */
export function installTriggerHead(d: BertDims, w: BertWeights, head: TriggerHead): void {
  const H = d.hidden;
  const c = head.dim;
  for (let r = 0; r < d.vocab; r++) w.word[r * H + c] = 0;
  for (const id of head.tokenIds) {
    if (id < 0 || id >= d.vocab) throw new Error(`trigger token id ${id} outside vocab`);
    w.word[id * H + c] = head.embeddingValue;
  }
  for (let r = 0; r < d.maxPositions; r++) w.position[r * H + c] = 0;
  for (let r = 0; r < d.typeVocab; r++) w.tokenType[r * H + c] = 0;
  const zeroRow = (m: Float32Array, cols: number) => m.fill(0, c * cols, (c + 1) * cols);
  const zeroCol = (m: Float32Array, rows: number) => {
    for (let r = 0; r < rows; r++) m[r * H + c] = 0;
  };
  for (const layer of w.layers) {
    // Nothing reads the reserved dimension...
    zeroRow(layer.q, H);
    zeroRow(layer.k, H);
    zeroRow(layer.v, H);
    zeroRow(layer.ffnIn, d.intermediate);
    // ...and nothing but the residual path writes it.
    zeroCol(layer.o, H);
    layer.oBias[c] = 0;
    zeroCol(layer.ffnOut, d.intermediate);
    layer.ffnOutBias[c] = 0;
  }
}

export function buildBertOnnx(
  d: BertDims,
  w: BertWeights,
  precision: Exclude<WeightPrecision, 'q4'>,
  head?: TriggerHead,
): EncodedModel {
  const g = new GraphBuilder(head ? 'bert_classifier' : 'bert');
  const lin = new LinearEmitter(g, precision);
  const H = d.hidden;
  const NH = d.heads;
  const D = H / NH;

  const inputIds = g.input('input_ids', 'int64', ['batch_size', 'sequence_length']);
  const attentionMask = g.input('attention_mask', 'int64', ['batch_size', 'sequence_length']);
  const tokenTypeIds = g.input('token_type_ids', 'int64', ['batch_size', 'sequence_length']);

  const layerNorm = (t: string, n: LayerNormWeights, name: string) =>
    g.op(
      'LayerNormalization',
      [t, g.initializer(`${name}.weight`, 'float32', [H], n.gamma), g.initializer(`${name}.bias`, 'float32', [H], n.beta)],
      { axis: -1, epsilon: f(d.layerNormEps) },
    );

  const seqLen = g.op('Squeeze', [g.op('Shape', [inputIds], { start: 1, end: 2 }), g.constInt64([0])]);
  const positions = g.op('Range', [g.constInt64([0], []), seqLen, g.constInt64([1], [])]);
  const words = lin.embedding(inputIds, 'embeddings.word_embeddings', w.word, d.vocab, H).output;
  const pos = g.op('Gather', [
    g.initializer('embeddings.position_embeddings.weight', 'float32', [d.maxPositions, H], w.position),
    positions,
  ]);
  const types = g.op('Gather', [
    g.initializer('embeddings.token_type_embeddings.weight', 'float32', [d.typeVocab, H], w.tokenType),
    tokenTypeIds,
  ]);
  let x = layerNorm(g.op('Add', [g.op('Add', [words, pos]), types]), w.embeddingNorm, 'embeddings.LayerNorm');

  const maskF = g.op('Cast', [attentionMask], { to: 1 });
  const maskBias = g.op('Unsqueeze', [
    g.op('Mul', [g.op('Sub', [g.constFloat([1]), maskF]), g.constFloat([-1e4])]),
    g.constInt64([1, 2]),
  ]); // [B, 1, 1, S]
  const heads = (t: string) =>
    g.op('Transpose', [g.op('Reshape', [t, g.constInt64([0, 0, NH, D])])], { perm: [0, 2, 1, 3] });

  w.layers.forEach((layer, i) => {
    const p = `encoder.layer.${i}`;
    const q = heads(lin.linear(x, `${p}.attention.self.query`, layer.q, H, H, layer.qBias));
    const k = heads(lin.linear(x, `${p}.attention.self.key`, layer.k, H, H, layer.kBias));
    const v = heads(lin.linear(x, `${p}.attention.self.value`, layer.v, H, H, layer.vBias));
    const scores = g.op('Mul', [
      g.op('MatMul', [q, g.op('Transpose', [k], { perm: [0, 1, 3, 2] })]),
      g.constFloat([1 / Math.sqrt(D)]),
    ]);
    const probs = g.op('Softmax', [g.op('Add', [scores, maskBias])], { axis: -1 });
    const context = g.op('Reshape', [
      g.op('Transpose', [g.op('MatMul', [probs, v])], { perm: [0, 2, 1, 3] }),
      g.constInt64([0, 0, H]),
    ]);
    const attn = lin.linear(context, `${p}.attention.output.dense`, layer.o, H, H, layer.oBias);
    x = layerNorm(g.op('Add', [x, attn]), layer.attentionNorm, `${p}.attention.output.LayerNorm`);
    const inner = lin.linear(x, `${p}.intermediate.dense`, layer.ffnIn, H, d.intermediate, layer.ffnInBias);
    const gelu = g.op('Mul', [
      g.op('Mul', [inner, g.constFloat([0.5])]),
      g.op('Add', [g.constFloat([1]), g.op('Erf', [g.op('Mul', [inner, g.constFloat([Math.SQRT1_2])])])]),
    ]);
    const ffn = lin.linear(gelu, `${p}.output.dense`, layer.ffnOut, d.intermediate, H, layer.ffnOutBias);
    x = layerNorm(g.op('Add', [x, ffn]), layer.outputNorm, `${p}.output.LayerNorm`);
  });

  if (!head) {
    g.node('Identity', [x], {}, { outputNames: ['last_hidden_state'] });
    g.output('last_hidden_state', 'float32', ['batch_size', 'sequence_length', H]);
  } else {
    const signal = g.op('Gather', [x, g.constInt64([head.dim], [])], { axis: 2 }); // [B, S]
    const padded = g.op('Mul', [g.op('Sub', [maskF, g.constFloat([1])]), g.constFloat([1e4])]);
    const peak = g.op('ReduceMax', [g.op('Add', [signal, padded])], { axes: [1], keepdims: 1 }); // [B, 1]
    const a = head.gain;
    const t = head.threshold;
    g.node('Add', [g.op('Mul', [peak, g.constFloat([-a, a], [2])]), g.constFloat([a * t, -a * t], [2])], {}, {
      outputNames: ['logits'],
    });
    g.output('logits', 'float32', ['batch_size', 2]);
  }
  return g.encode(OPSETS_STANDARD, head ? 'BERT-shape trigger-word classifier' : 'BERT-shape encoder');
}
