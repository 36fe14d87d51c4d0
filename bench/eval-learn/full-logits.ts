/**
 * The frozen model's full logits along a reply, for what the sparse rows cannot show: the exact
 * log-probability model + adapter give a reply (every token's bias in the normaliser, not only the
 * kept ones'), and, for the `--stop-in-rows` and `--rows-k` experiments, rated replies whose kept
 * rows always hold the end-of-turn token, or more than LEARN_TOP_K tokens. A second session of the
 * same ONNX file as the DialogueModel, run through the app's own `ratedReplyLogits` (so the ids
 * are exactly the app's), with its forward pass wrapped to keep the full rows.
 */
import {
  AutoModelForCausalLM,
  AutoTokenizer,
  type PreTrainedModel,
  type PreTrainedTokenizer,
  type Tensor,
} from '@huggingface/transformers';
import { contextFeatures } from '../../workers/learning/context-features';
import { contextBias, projectContext, type LogitAdapterState } from '../../workers/learning/logit-adapter';
import { LEARN_TOP_K, ratedReplyLogits } from '../../workers/learning/rated-reply-logits';
import { packReplyLogits } from '../../workers/learning/sparse-logits';
import type { RatedReplyLogits, ReplyLogits } from '../../workers/shared/learning-protocol';
import type { ChatTurn } from '../../workers/shared/protocol';

export interface FullRows {
  /** T rows of `vocab` logits; row t predicted targets[t]. */
  logits: Float32Array;
  vocab: number;
  targets: Int32Array;
  features: Float32Array;
}

export class FullLogits {
  private constructor(
    private readonly tokenizer: PreTrainedTokenizer,
    private readonly model: PreTrainedModel,
    /** The end-of-turn token (`<|im_end|>`, else EOS). */
    readonly stopId: number,
  ) {}

  /** Loads `modelId` from the current env.localModelPath. */
  static async load(modelId: string): Promise<FullLogits> {
    const tokenizer = await AutoTokenizer.from_pretrained(modelId, { local_files_only: true });
    const model = await AutoModelForCausalLM.from_pretrained(modelId, { local_files_only: true, device: 'cpu', dtype: 'q8' });
    const stop = tokenizer.get_vocab().get('<|im_end|>') ?? tokenizer.eos_token_id;
    if (typeof stop !== 'number') throw new Error(`${modelId} has no end-of-turn token.`);
    return new FullLogits(tokenizer, model, stop);
  }

  encode(text: string): number[] {
    return this.tokenizer.encode(text, { add_special_tokens: false });
  }

  /**
   * The token a word starts with in a reply (" word" encoded), skipping a bare word-start piece
   * ("▁", which SentencePiece gives before a character it has no "▁x" piece for); null if none.
   */
  wordToken(word: string): number | null {
    for (const id of this.encode(` ${word}`)) {
      if (this.tokenizer.decode([id], { skip_special_tokens: true }).trim() !== '') return id;
    }
    return null;
  }

  /** The adapter's context features of a user turn, as the dialogue model computes them. */
  features(userTurn: string): Float32Array {
    return contextFeatures(this.encode(userTurn));
  }

  async rows(systemPrompt: string, prompt: string, reply: string, includeStop: boolean): Promise<FullRows> {
    let logits: Tensor | null = null;
    const forward = this.model as unknown as (inputs: Record<string, Tensor>) => Promise<Record<string, Tensor>>;
    const packed = await ratedReplyLogits(
      {
        forward: async (inputs) => {
          const output = await forward(inputs);
          logits = output.logits ?? null;
          return output;
        },
        render: (turns: ChatTurn[]) => this.tokenizer.apply_chat_template(turns, { tokenize: false, add_generation_prompt: true }) as string,
        encode: (text) => this.encode(text),
        endOfTurnId: this.stopId,
      },
      { systemPrompt, turns: [{ role: 'user', content: prompt }], reply, includeStop },
    );
    const out = logits as Tensor | null;
    if (!out) throw new Error('The model gave no logits.');
    const [, length, vocab] = out.dims as [number, number, number];
    const steps = packed.logits.targets.length;
    const data = out.data as Float32Array;
    // Row i predicts id i + 1: the reply's T tokens are predicted by rows L − 1 − T … L − 2.
    return {
      logits: data.slice((length - 1 - steps) * vocab, (length - 1) * vocab),
      vocab,
      targets: packed.logits.targets,
      features: packed.features,
    };
  }

  /**
   * A rated reply's sparse rows as `ratedReplyLogits` packs them, but with the top `k` kept
   * (`--rows-k`; LEARN_TOP_K in the app) and, given `keepStop`, the end-of-turn token kept in every
   * row, in place of the k-th largest when it is not among the top k (`--stop-in-rows`).
   */
  async ratedForExperiment(
    systemPrompt: string,
    prompt: string,
    reply: string,
    includeStop: boolean,
    { k = LEARN_TOP_K, keepStop = false, temperature = 1 }: { k?: number; keepStop?: boolean; temperature?: number },
  ): Promise<RatedReplyLogits> {
    const full = await this.rows(systemPrompt, prompt, reply, includeStop);
    // As `ratedReplyLogits`: the adapter learns the tempered logits.
    if (temperature > 0 && temperature !== 1) full.logits = full.logits.map((x) => x / temperature);
    const logits = keepStop ? packWithStop(full, k, this.stopId) : packReplyLogits(full.logits, full.vocab, full.targets, k);
    return { logits, features: full.features, vocabSize: full.vocab };
  }

  dispose(): Promise<unknown> {
    return this.model.dispose();
  }
}

function packWithStop(full: FullRows, k: number, stopId: number): ReplyLogits {
  const packed = packReplyLogits(full.logits, full.vocab, full.targets, k);
  const steps = full.targets.length;
  for (let t = 0; t < steps; t++) {
    const row = t * k;
    let kept = false;
    for (let i = 0; i < k; i++) if (packed.topIds[row + i] === stopId) kept = true;
    if (kept) continue;
    packed.topIds[row + k - 1] = stopId;
    packed.topLogits[row + k - 1] = full.logits[t * full.vocab + stopId]!;
    // The rest's mass again: everything neither kept nor the target.
    const keptIds = new Set([...packed.topIds.subarray(row, row + k), full.targets[t]!]);
    let max = -Infinity;
    for (let j = 0; j < full.vocab; j++) if (!keptIds.has(j)) max = Math.max(max, full.logits[t * full.vocab + j]!);
    let sum = 0;
    for (let j = 0; j < full.vocab; j++) if (!keptIds.has(j)) sum += Math.exp(full.logits[t * full.vocab + j]! - max);
    packed.restLogSumExp[t] = sum > 0 ? max + Math.log(sum) : -Infinity;
  }
  return packed;
}

/**
 * Mean over the reply's tokens of the exact log p(target) under softmax(frozen logits / T + the
 * adapter's bias), the distribution sampled from (before top-k), every vocabulary entry in the
 * normaliser.
 */
export function exactMeanLogProb(full: FullRows, adapter: LogitAdapterState | null, temperature = 1): number {
  const inv = temperature > 0 ? 1 / temperature : 1;
  const steps = full.targets.length;
  if (steps === 0) return 0;
  const bias = adapter && adapter.exampleCount > 0 ? contextBias(adapter, projectContext(adapter, full.features)) : null;
  let total = 0;
  for (let t = 0; t < steps; t++) {
    const offset = t * full.vocab;
    let max = -Infinity;
    for (let j = 0; j < full.vocab; j++) max = Math.max(max, full.logits[offset + j]! * inv + (bias ? bias[j]! : 0));
    let sum = 0;
    for (let j = 0; j < full.vocab; j++) sum += Math.exp(full.logits[offset + j]! * inv + (bias ? bias[j]! : 0) - max);
    const target = full.targets[t]!;
    total += full.logits[offset + target]! * inv + (bias ? bias[target]! : 0) - (max + Math.log(sum));
  }
  return total / steps;
}
