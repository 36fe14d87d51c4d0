/**
 * A raw greedy decoding loop over a causal-LM ONNX graph in transformers.js layout
 * (input_ids, attention_mask, position_ids, past_key_values.N.{key,value} → logits, present.*).
 * It takes the onnxruntime API as a parameter, so the same loop measures onnxruntime-node (the
 * native ceiling) and onnxruntime-web (the raw runtime under the app) without a line of
 * difference between them. No sampling, no tokenizer, no stopping on EOS: a fixed number of
 * tokens, so runs compare like for like.
 */

/** The slice of the onnxruntime API the loop uses; onnxruntime-node and -web both provide it. */
export interface OrtTensor {
  readonly dims: readonly number[];
  readonly data: unknown;
}
export interface OrtSession {
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
}
export interface OrtApi {
  Tensor: new (type: 'int64' | 'float32', data: BigInt64Array | Float32Array, dims: readonly number[]) => OrtTensor;
}

export interface DecoderShape {
  layers: number;
  kvHeads: number;
  headDim: number;
}

export interface GreedyRun {
  promptTokens: number;
  newTokens: number;
  /** The prefill pass alone: from the call to the first token's logits. */
  ttftMs: number;
  prefillTokensPerSecond: number;
  /** Tokens after the first, over the time after the first. */
  decodeTokensPerSecond: number;
  totalMs: number;
  /** The tokens chosen, for checking two runtimes agree. */
  tokens: number[];
}

function int64(ort: OrtApi, values: readonly number[]): OrtTensor {
  return new ort.Tensor('int64', BigInt64Array.from(values, (v) => BigInt(v)), [1, values.length]);
}

function emptyPast(ort: OrtApi, shape: DecoderShape): Record<string, OrtTensor> {
  const past: Record<string, OrtTensor> = {};
  for (let layer = 0; layer < shape.layers; layer++) {
    for (const kind of ['key', 'value']) {
      past[`past_key_values.${layer}.${kind}`] = new ort.Tensor('float32', new Float32Array(0), [1, shape.kvHeads, 0, shape.headDim]);
    }
  }
  return past;
}

/** Index of the largest logit in the last position of a [1, seq, vocab] output. */
function lastArgmax(logits: OrtTensor): number {
  const [, seq, vocab] = logits.dims as [number, number, number];
  const data = logits.data as Float32Array;
  const offset = (seq - 1) * vocab;
  let best = 0;
  for (let i = 1; i < vocab; i++) if (data[offset + i]! > data[offset + best]!) best = i;
  return best;
}

/**
 * Where a run left the conversation: its KV cache (every position but the last token chosen) and
 * that token, which a next turn feeds first, as a chat app does when the user answers.
 */
export interface KvState {
  past: Record<string, OrtTensor>;
  /** Positions in `past`. */
  length: number;
  lastToken: number;
}

export async function greedyGenerate(
  ort: OrtApi,
  session: OrtSession,
  shape: DecoderShape,
  promptIds: readonly number[],
  newTokens: number,
  now: () => number = () => performance.now(),
): Promise<GreedyRun> {
  return (await greedyTurn(ort, session, shape, promptIds, newTokens, undefined, now)).run;
}

/**
 * One turn of a conversation: `promptIds` are the new positions, the whole prompt or, with `from`,
 * the next turn's text after the previous turn (whose last token is fed first and counts among the
 * prompt tokens). Returns the figures and where the conversation now stands.
 */
export async function greedyTurn(
  ort: OrtApi,
  session: OrtSession,
  shape: DecoderShape,
  promptIds: readonly number[],
  newTokens: number,
  from?: KvState,
  now: () => number = () => performance.now(),
): Promise<{ run: GreedyRun; state: KvState }> {
  const started = now();
  const fed = from ? [from.lastToken, ...promptIds] : [...promptIds];
  const offset = from?.length ?? 0;
  let past = from?.past ?? emptyPast(ort, shape);
  let length = offset + fed.length;
  let feeds: Record<string, OrtTensor> = {
    input_ids: int64(ort, fed),
    attention_mask: int64(ort, Array.from({ length }, () => 1)),
    position_ids: int64(ort, fed.map((_, i) => offset + i)),
    ...past,
  };
  const tokens: number[] = [];
  let firstTokenAt = 0;
  while (tokens.length < newTokens) {
    const out = await session.run(feeds);
    tokens.push(lastArgmax(out.logits!));
    if (firstTokenAt === 0) firstTokenAt = now();
    past = {};
    for (let layer = 0; layer < shape.layers; layer++) {
      past[`past_key_values.${layer}.key`] = out[`present.${layer}.key`]!;
      past[`past_key_values.${layer}.value`] = out[`present.${layer}.value`]!;
    }
    length += 1;
    feeds = {
      input_ids: int64(ort, [tokens.at(-1)!]),
      attention_mask: int64(ort, Array.from({ length }, () => 1)),
      position_ids: int64(ort, [length - 1]),
      ...past,
    };
  }
  const finished = now();
  const ttftMs = firstTokenAt - started;
  const decodeMs = finished - firstTokenAt;
  const run: GreedyRun = {
    promptTokens: fed.length,
    newTokens: tokens.length,
    ttftMs,
    prefillTokensPerSecond: ttftMs > 0 ? (fed.length / ttftMs) * 1000 : 0,
    decodeTokensPerSecond: tokens.length > 1 && decodeMs > 0 ? ((tokens.length - 1) / decodeMs) * 1000 : 0,
    totalMs: finished - started,
    tokens,
  };
  // The last token chosen is not in the cache yet: the loop stops before feeding it.
  return { run, state: { past, length: length - 1, lastToken: tokens.at(-1)! } };
}

/** A fixed pseudo-random prompt (no tokenizer needed): ids in [lowestId, vocab) from a seed. */
export function seededPrompt(length: number, vocab: number, seed = 1, lowestId = 100): number[] {
  let state = seed >>> 0;
  const next = () => {
    // mulberry32: small, fast, good enough to pick token ids.
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length }, () => lowestId + Math.floor(next() * (vocab - lowestId)));
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
