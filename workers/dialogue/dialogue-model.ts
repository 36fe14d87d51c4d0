import { toLoadProgress } from '../load-progress';
import {
  AutoModelForCausalLM,
  AutoTokenizer,
  StoppingCriteriaList,
  Tensor,
  TextStreamer,
  type DynamicCache,
  type PreTrainedModel,
  type PreTrainedTokenizer,
  type ProgressInfo,
} from '@huggingface/transformers';
import type { Backend, ChatTurn, Dtype, LoadProgress, ReplyMetrics, SamplingSettings } from '../protocol';
import { candidateCount, cutAtStop, StepCounter } from './candidates';
import { fitToContextWindow } from './context-window';
import { planPrompt, type CachedConversation } from './kv-reuse';
import { StopSignal } from './stop-signal';

export interface LoadOptions {
  modelId: string;
  /** 'webgpu' or 'wasm' in the browser; 'cpu' (onnxruntime-node) in Node-side tests. */
  device: Backend | 'cpu';
  dtype: Dtype;
  contextWindow: number;
  localOnly: boolean;
  onProgress?: (progress: LoadProgress) => void;
}

export interface GenerateOptions {
  conversationId: string;
  systemPrompt: string;
  turns: ChatTurn[];
  sampling: SamplingSettings;
  /** Shared memory the app sets to 1 to stop (see StopSignal). */
  stopFlag?: Int32Array | null;
  onText?: (delta: string) => void;
  /** Best-of-N: replies to sample in one batched call (clamped to 1–8; 1 when greedy). */
  candidates?: number;
  /** Generation steps done of a batch (`candidates` > 1), at most every ~100 ms and at the end. */
  onCandidatesProgress?: (tokens: number, maxTokens: number) => void;
}

export interface GeneratedReply {
  /** candidates[0]. */
  text: string;
  /** Every sampled reply; `[text]` for a single candidate. */
  candidates: string[];
  /** The prompt exactly as the model saw it, after the chat template and truncation. */
  prompt: string;
  metrics: ReplyMetrics;
  stoppedByUser: boolean;
}

/** A loaded chat model plus the KV cache of the conversation it last answered. */
export class DialogueModel {
  private cached: CachedConversation | null = null;
  private stopIds: Set<number> | null = null;
  private readonly stopping = new StopSignal();

  private constructor(
    private readonly tokenizer: PreTrainedTokenizer,
    private readonly model: PreTrainedModel,
    private readonly options: LoadOptions,
  ) {}

  static async load(options: LoadOptions): Promise<DialogueModel> {
    const progress_callback = (info: ProgressInfo) => {
      const forwarded = toLoadProgress(info);
      if (forwarded) options.onProgress?.(forwarded);
    };
    const common = { progress_callback, local_files_only: options.localOnly };
    const tokenizer = await AutoTokenizer.from_pretrained(options.modelId, common);
    const model = await AutoModelForCausalLM.from_pretrained(options.modelId, {
      ...common,
      device: options.device,
      dtype: options.dtype,
    });
    return new DialogueModel(tokenizer, model, options);
  }

  get device(): LoadOptions['device'] {
    return this.options.device;
  }

  interrupt(): void {
    this.stopping.interrupt();
  }

  async resetCache(): Promise<void> {
    const old = this.cached;
    this.cached = null;
    await old?.cache.dispose();
  }

  async generate(request: GenerateOptions): Promise<GeneratedReply> {
    const started = performance.now();
    this.stopping.arm(request.stopFlag ?? null);
    const budget = Math.max(1, this.options.contextWindow - request.sampling.maxNewTokens);
    const fitted = fitToContextWindow(request.systemPrompt, request.turns, budget, (turns) =>
      this.encode(this.render(turns)).length,
    );
    const promptText = this.render(fitted.turns);
    const count = candidateCount(request.candidates, request.sampling.temperature);
    if (count > 1) return this.generateBatch(request, count, promptText, fitted.droppedTurns, started);
    const plan = planPrompt(this.cached, request.conversationId, promptText, (text) => this.encode(text));
    if (plan.pastKeyValues === null) await this.resetCache();
    const pastLength = plan.pastKeyValues?.get_seq_length() ?? 0;

    let firstTokenAt = 0;
    let streamedTokens = 0;
    const streamer = new TextStreamer(this.tokenizer, {
      skip_prompt: true,
      skip_special_tokens: true,
      callback_function: (text: string) => request.onText?.(text),
      token_callback_function: () => {
        streamedTokens += 1;
        if (firstTokenAt === 0) firstTokenAt = performance.now();
      },
    });
    const stoppingCriteria = new StoppingCriteriaList();
    stoppingCriteria.push(this.stopping);

    const { sampling } = request;
    const output = (await this.model.generate({
      input_ids: int64Tensor(plan.tokenIds),
      attention_mask: int64Tensor(plan.tokenIds.map(() => 1)),
      ...(plan.pastKeyValues ? { past_key_values: plan.pastKeyValues } : {}),
      do_sample: sampling.temperature > 0,
      temperature: sampling.temperature > 0 ? sampling.temperature : 1,
      top_p: sampling.topP,
      top_k: sampling.topK,
      repetition_penalty: sampling.repetitionPenalty,
      max_new_tokens: sampling.maxNewTokens,
      streamer,
      stopping_criteria: stoppingCriteria,
      return_dict_in_generate: true,
    })) as unknown as { sequences: Tensor; past_key_values: DynamicCache };

    const finished = performance.now();
    const allIds = (output.sequences.tolist() as bigint[][])[0]?.map(Number) ?? [];
    const newIds = allIds.slice(plan.tokenIds.length);
    const text = this.tokenizer.decode(newIds, { skip_special_tokens: true });
    const rawReply = this.tokenizer.decode(newIds, { skip_special_tokens: false });
    this.cached = {
      conversationId: request.conversationId,
      text: promptText + rawReply,
      tokenIds: allIds,
      cache: output.past_key_values,
    };

    const decodeSeconds = (finished - firstTokenAt) / 1000;
    const metrics: ReplyMetrics = {
      ttftMs: firstTokenAt ? firstTokenAt - started : finished - started,
      decodeTokensPerSecond: newIds.length > 1 && decodeSeconds > 0 ? (newIds.length - 1) / decodeSeconds : 0,
      promptTokens: plan.tokenIds.length,
      prefillTokens: plan.tokenIds.length - pastLength,
      newTokens: Math.max(newIds.length, streamedTokens),
      totalMs: finished - started,
      backend: this.options.device === 'webgpu' ? 'webgpu' : 'wasm',
      dtype: this.options.dtype,
      droppedTurns: fitted.droppedTurns,
      candidateCount: 1,
    };
    return { text, candidates: [text], prompt: promptText, metrics, stoppedByUser: this.stopping.stopped };
  }

  /**
   * Best-of-N in one generate call: the prompt repeated as a [count, length] batch, each row
   * sampled on its own. The batch cannot extend the single-row cache (and its own cache is of no
   * use to the next turn), so the cache is dropped and the next turn starts cold.
   */
  private async generateBatch(
    request: GenerateOptions,
    count: number,
    promptText: string,
    droppedTurns: number,
    started: number,
  ): Promise<GeneratedReply> {
    await this.resetCache();
    const promptIds = this.encode(promptText);
    const { sampling } = request;
    const counter = new StepCounter(sampling.maxNewTokens, request.onCandidatesProgress);
    const stoppingCriteria = new StoppingCriteriaList();
    stoppingCriteria.push(this.stopping);

    const rows = Array.from({ length: count }, () => promptIds);
    // Without past_key_values or return_dict_in_generate, generate disposes its own cache.
    const sequences = (await this.model.generate({
      input_ids: int64Tensor(rows),
      attention_mask: int64Tensor(rows.map((row) => row.map(() => 1))),
      do_sample: true,
      temperature: sampling.temperature,
      top_p: sampling.topP,
      top_k: sampling.topK,
      repetition_penalty: sampling.repetitionPenalty,
      max_new_tokens: sampling.maxNewTokens,
      // The typings ask for a TextStreamer; generate itself only calls put and end.
      streamer: counter as unknown as TextStreamer,
      stopping_criteria: stoppingCriteria,
    })) as unknown as Tensor;

    const finished = performance.now();
    const stopIds = this.stopTokenIds();
    const replies = (sequences.tolist() as bigint[][]).map((row) =>
      cutAtStop(row.slice(promptIds.length).map(Number), stopIds),
    );
    const candidates = replies.map((ids) => this.tokenizer.decode(ids, { skip_special_tokens: true }));
    const generated = replies.reduce((sum, ids) => sum + ids.length, 0);
    // As for one row: speed counts the tokens after the first step, over the time after it.
    const decodeSeconds = (finished - counter.firstStepAt) / 1000;
    const afterFirst = generated - Math.min(count, generated);
    const metrics: ReplyMetrics = {
      ttftMs: counter.firstStepAt ? counter.firstStepAt - started : finished - started,
      decodeTokensPerSecond: counter.firstStepAt && afterFirst > 0 && decodeSeconds > 0 ? afterFirst / decodeSeconds : 0,
      promptTokens: promptIds.length,
      prefillTokens: promptIds.length,
      newTokens: replies[0]?.length ?? 0,
      totalMs: finished - started,
      backend: this.options.device === 'webgpu' ? 'webgpu' : 'wasm',
      dtype: this.options.dtype,
      droppedTurns,
      candidateCount: count,
    };
    return {
      text: candidates[0] ?? '',
      candidates,
      prompt: promptText,
      metrics,
      stoppedByUser: this.stopping.stopped,
    };
  }

  /** Ids that end a reply: the generation config's and tokenizer's EOS, and `<|im_end|>`. */
  private stopTokenIds(): Set<number> {
    if (this.stopIds) return this.stopIds;
    const ids = new Set<number>();
    const eos = (this.model.generation_config as { eos_token_id?: number | number[] | null } | null)?.eos_token_id;
    for (const id of [eos, this.tokenizer.eos_token_id, this.tokenizer.get_vocab().get('<|im_end|>')].flat()) {
      if (typeof id === 'number') ids.add(id);
    }
    this.stopIds = ids;
    return ids;
  }

  private render(turns: ChatTurn[]): string {
    return this.tokenizer.apply_chat_template(turns, { tokenize: false, add_generation_prompt: true }) as string;
  }

  /** Chat templates carry their own special tokens, so the tokenizer must not add BOS/EOS. */
  private encode(text: string): number[] {
    return this.tokenizer.encode(text, { add_special_tokens: false });
  }
}

/** One row of ids as a [1, length] tensor, or equal-length rows as a [rows, length] batch. */
function int64Tensor(values: number[] | number[][]): Tensor {
  const rows = (Array.isArray(values[0]) ? values : [values]) as number[][];
  const data = BigInt64Array.from(rows.flat(), (v) => BigInt(v));
  return new Tensor('int64', data, [rows.length, rows[0]?.length ?? 0]);
}

