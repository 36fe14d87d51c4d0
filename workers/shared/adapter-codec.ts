/**
 * The generation adapter and its rated examples as JSON, the form IndexedDB keeps them in and
 * backups copy (issue 18): exact (every float32 comes back bit for
 * bit) and sparse (only tokens with a non-zero bias or U row are written).
 *
 * Design (issue 18; the full reasoning heads `logit-adapter.ts`): the adapter is a low-rank,
 * context-conditioned bias on the frozen model's logits, because it trains in seconds on WASM, is
 * cheap enough to apply at every decode step, and needs only the logits, which every exported
 * graph outputs. The alternative, a LoRA on the LM head, needs the last hidden state, which the
 * exported ONNX decoders the app loads do not output.
 *
 * Why sparse: training only ever moves tokens the frozen model ranked in its top k on some rated
 * reply (`sparse-logits.ts`), a few thousand of a vocabulary of 32k–150k, so a dense U would be
 * mostly zeros (a rank-8 U over Qwen's vocabulary is 4.8 MB). Why base64 of little-endian bytes:
 * decimal text of float32 values is longer and easy to round differently; bytes through a
 * DataView are exact and do not depend on the machine's byte order.
 *
 * Why IndexedDB keeps this form too, not the typed arrays: the backup copies every store as plain
 * JSON, and its import checks every record; one form for both means one set of checks.
 */
import { ADAPTER_VERSION, type LogitAdapterState, type RatedReply } from './learning-protocol';

export interface AdapterJson {
  version: typeof ADAPTER_VERSION;
  modelId: string;
  vocabSize: number;
  featureDim: number;
  rank: number;
  seed: number;
  trainingCount: number;
  exampleCount: number;
  updatedAt: number;
  /** Tokens with a non-zero bias or U row, ascending, as base64 int32 (little-endian). */
  tokens: string;
  /** Their biases, base64 float32, one per token. */
  bias: string;
  /** Their U rows, base64 float32, rank per token. */
  u: string;
  /** V whole, base64 float32, featureDim × rank. */
  v: string;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

function encodeNumbers(values: ArrayLike<number>, kind: 'f32' | 'i32'): string {
  const view = new DataView(new ArrayBuffer(values.length * 4));
  for (let i = 0; i < values.length; i++) {
    if (kind === 'f32') view.setFloat32(i * 4, values[i]!, true);
    else view.setInt32(i * 4, values[i]!, true);
  }
  return toBase64(new Uint8Array(view.buffer));
}

/** Decodes base64 numbers; `count` null takes as many as there are. `allowMinusInfinity`: an empty log-sum-exp. */
function decodeNumbers(text: unknown, count: number | null, kind: 'f32' | 'i32', field: string, allowMinusInfinity = false): number[] {
  if (typeof text !== 'string') throw new Error(`Adapter field ${field} is not a string.`);
  let bytes: Uint8Array;
  try {
    bytes = fromBase64(text);
  } catch {
    throw new Error(`Adapter field ${field} is not base64.`);
  }
  const n = count ?? Math.floor(bytes.length / 4);
  if (bytes.length !== n * 4) throw new Error(`Adapter field ${field} holds ${bytes.length / 4} values, expected ${n}.`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const value = kind === 'f32' ? view.getFloat32(i * 4, true) : view.getInt32(i * 4, true);
    if (!Number.isFinite(value) && !(allowMinusInfinity && value === -Infinity)) throw new Error(`Adapter field ${field} has a value that is not finite.`);
    out[i] = value;
  }
  return out;
}

export function adapterToJson(state: LogitAdapterState): AdapterJson {
  const r = state.rank;
  const tokens: number[] = [];
  for (let t = 0; t < state.vocabSize; t++) {
    // Object.is: a −0 is written out too, so it comes back as −0.
    let used = !Object.is(state.bias[t], 0);
    for (let k = 0; k < r && !used; k++) used = !Object.is(state.u[t * r + k], 0);
    if (used) tokens.push(t);
  }
  const u = new Float32Array(tokens.length * r);
  tokens.forEach((t, i) => u.set(state.u.subarray(t * r, t * r + r), i * r));
  return {
    version: state.version,
    modelId: state.modelId,
    vocabSize: state.vocabSize,
    featureDim: state.featureDim,
    rank: r,
    seed: state.seed,
    trainingCount: state.trainingCount,
    exampleCount: state.exampleCount,
    updatedAt: state.updatedAt,
    tokens: encodeNumbers(tokens, 'i32'),
    bias: encodeNumbers(tokens.map((t) => state.bias[t]!), 'f32'),
    u: encodeNumbers(u, 'f32'),
    v: encodeNumbers(state.v, 'f32'),
  };
}

function positiveInteger(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new Error(`Adapter field ${field} must be a positive integer.`);
  return value;
}

function count(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new Error(`Adapter field ${field} must be a whole number.`);
  return value;
}

/** Reads an adapter back from JSON, checking every field; throws on anything malformed. */
export function adapterFromJson(json: unknown): LogitAdapterState {
  if (typeof json !== 'object' || json === null) throw new Error('Adapter is not an object.');
  const record = json as Record<string, unknown>;
  if (record.version !== ADAPTER_VERSION) throw new Error(`Adapter version ${String(record.version)} is not ${ADAPTER_VERSION}.`);
  if (typeof record.modelId !== 'string' || !record.modelId) throw new Error('Adapter field modelId must be a non-empty string.');
  const vocabSize = positiveInteger(record.vocabSize, 'vocabSize');
  const featureDim = positiveInteger(record.featureDim, 'featureDim');
  const rank = positiveInteger(record.rank, 'rank');
  const updatedAt = record.updatedAt;
  if (typeof updatedAt !== 'number' || !Number.isFinite(updatedAt)) throw new Error('Adapter field updatedAt must be a number.');
  const tokens = decodeNumbers(record.tokens, null, 'i32', 'tokens');
  tokens.forEach((t, i) => {
    if (t < 0 || t >= vocabSize || (i > 0 && t <= tokens[i - 1]!)) throw new Error('Adapter tokens must be ascending ids inside the vocabulary.');
  });
  const sparseBias = decodeNumbers(record.bias, tokens.length, 'f32', 'bias');
  const sparseU = decodeNumbers(record.u, tokens.length * rank, 'f32', 'u');
  const bias = new Float32Array(vocabSize);
  const u = new Float32Array(vocabSize * rank);
  tokens.forEach((t, i) => {
    bias[t] = sparseBias[i]!;
    for (let k = 0; k < rank; k++) u[t * rank + k] = sparseU[i * rank + k]!;
  });
  return {
    version: ADAPTER_VERSION,
    modelId: record.modelId,
    vocabSize,
    featureDim,
    rank,
    seed: count(record.seed, 'seed'),
    bias,
    u,
    v: Float32Array.from(decodeNumbers(record.v, featureDim * rank, 'f32', 'v')),
    trainingCount: count(record.trainingCount, 'trainingCount'),
    exampleCount: count(record.exampleCount, 'exampleCount'),
    updatedAt,
  };
}

/** One rated reply (`RatedReply`) as JSON: its arrays as base64 little-endian bytes. */
export interface RatedReplyJson {
  id: string;
  positive: boolean;
  weight: number;
  /** float32 × featureDim */
  features: string;
  k: number;
  /** int32 × T */
  targets: string;
  /** int32 × T·k */
  topIds: string;
  /** float32 × T·k */
  topLogits: string;
  /** float32 × T */
  targetLogits: string;
  /** float32 × T (−Infinity allowed) */
  restLogSumExp: string;
}

export function ratedReplyToJson(reply: RatedReply): RatedReplyJson {
  const { logits } = reply;
  return {
    id: reply.id,
    positive: reply.positive,
    weight: reply.weight,
    features: encodeNumbers(reply.features, 'f32'),
    k: logits.k,
    targets: encodeNumbers(logits.targets, 'i32'),
    topIds: encodeNumbers(logits.topIds, 'i32'),
    topLogits: encodeNumbers(logits.topLogits, 'f32'),
    targetLogits: encodeNumbers(logits.targetLogits, 'f32'),
    restLogSumExp: encodeNumbers(logits.restLogSumExp, 'f32'),
  };
}

/** Reads a rated reply back, checking that its arrays agree in length and its ids are valid; throws on anything malformed. */
export function ratedReplyFromJson(json: unknown, vocabSize = Number.MAX_SAFE_INTEGER): RatedReply {
  if (typeof json !== 'object' || json === null) throw new Error('Rated reply is not an object.');
  const record = json as Record<string, unknown>;
  if (typeof record.id !== 'string' || !record.id) throw new Error('Rated reply field id must be a non-empty string.');
  if (typeof record.positive !== 'boolean') throw new Error('Rated reply field positive must be true or false.');
  const weight = record.weight;
  if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0 || weight > 100) throw new Error('Rated reply field weight must be a number from 0 to 100.');
  const k = positiveInteger(record.k, 'k');
  const targets = decodeNumbers(record.targets, null, 'i32', 'targets');
  const steps = targets.length;
  if (steps === 0) throw new Error('Rated reply has no tokens.');
  const topIds = decodeNumbers(record.topIds, steps * k, 'i32', 'topIds');
  for (const id of [...targets, ...topIds]) {
    if (id < 0 || id >= vocabSize) throw new Error(`Rated reply has token ${id} outside the vocabulary.`);
  }
  return {
    id: record.id,
    positive: record.positive,
    weight,
    features: Float32Array.from(decodeNumbers(record.features, null, 'f32', 'features')),
    logits: {
      k,
      targets: Int32Array.from(targets),
      topIds: Int32Array.from(topIds),
      topLogits: Float32Array.from(decodeNumbers(record.topLogits, steps * k, 'f32', 'topLogits')),
      targetLogits: Float32Array.from(decodeNumbers(record.targetLogits, steps, 'f32', 'targetLogits')),
      restLogSumExp: Float32Array.from(decodeNumbers(record.restLogSumExp, steps, 'f32', 'restLogSumExp', true)),
    },
  };
}
