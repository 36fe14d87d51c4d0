import { toLoadProgress } from '../load-progress';
import {
  AutoModelForCausalLM,
  AutoTokenizer,
  LogitsProcessorList,
  StoppingCriteriaList,
  Tensor,
  type TextStreamer,
  type DynamicCache,
  type PreTrainedModel,
  type PreTrainedTokenizer,
  type ProgressInfo,
} from '@huggingface/transformers';
import type { Backend, ChatTurn, Dtype, LoadProgress, ReplyMetrics, SamplingSettings } from '../shared/protocol';
import { decodeRate } from '../shared/backend-benchmark';
import { candidateCount, cutAtStop, StepCounter } from './candidates';
import { fitToContextWindow, type FittedPrompt } from './context-window';
import { cropCache, isSliceableCache, repeatCacheRows } from './kv-cache-ops';
import { reusableLength, type CachedConversation } from './kv-reuse';
import { kvCacheBytesPerRow, PREFILL_CHUNK_TOKENS, rowsThatFit } from './memory-budget';
import { StepTimer } from './step-timer';
import { StopSignal } from './stop-signal';
import { TextDeltaStreamer } from './text-delta-streamer';
import { continuationIds, type LastExchange, type TemplateTools } from './turn-continuation';
import type { AdapterEffect, LogitAdapterState, RatedReplyLogits } from '../shared/learning-protocol';
import { AdapterLogitsProcessor } from '../learning/adapter-processor';
import { contextFeatures } from '../learning/context-features';
import { contextBias, projectContext } from '../learning/logit-adapter';
import { ratedReplyLogits, type RatedReplyRequest } from '../learning/rated-reply-logits';

import { contextText } from '../reward/features';


export interface LoadOptions {
  modelId: string;
  /** 'webgpu' or 'wasm' in the browser; 'cpu' (onnxruntime-node) in Node-side tests. */
  device: Backend | 'cpu';
  dtype: Dtype;
  contextWindow: number;
  localOnly: boolean;
  onProgress?: (progress: LoadProgress) => void;
  /** Prompt positions per prefill pass (default PREFILL_CHUNK_TOKENS); tests set it small. */
  prefillChunk?: number;
  /** KV cache best-of-N rows may share (default KV_CACHE_BUDGET_BYTES). */
  kvCacheBudgetBytes?: number;
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
  /** The prompt exactly as the model saw it (its ids decoded), after the chat template and truncation. */
  prompt: string;
  metrics: ReplyMetrics;
  stoppedByUser: boolean;
  /** The adapter's effect on each candidate (same order), when one was applied. */
  adapterEffects?: AdapterEffect[];
}


/** A loaded chat model plus the KV cache of the conversation it last answered. */
export class DialogueModel {
  private cached: CachedConversation | null = null;
  /** The cache the reply in progress took out of `cached` and extends; freed if the reply fails. */
  private working: DynamicCache | null = null;
  /** The last prompt and its replies, as ids, so the next turn extends them (turn-continuation.ts). */
  private last: (LastExchange & { droppedTurns: number }) | null = null;
  private stopIds: Set<number> | null = null;
  private readonly stopping = new StopSignal();
  /** The personal generation adapter applied to every generation (issue 18); null: none. */
  private adapter: LogitAdapterState | null = null;

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

  /**
   * One forward step over a short prompt, so a backend that compiles kernels on first use
   * (WebGPU's shaders) does it before the first reply. Leaves no cache behind.
   */
  async warmUp(): Promise<void> {
    const ids = this.encode(this.render([{ role: 'user', content: 'Hi' }]));
    const output = (await this.model.generate({
      input_ids: int64Tensor(ids),
      attention_mask: int64Tensor(ids.map(() => 1)),
      do_sample: false,
      max_new_tokens: 1,
      return_dict_in_generate: true,
    })) as unknown as { past_key_values?: DynamicCache };
    await output.past_key_values?.dispose();
  }

  /**
   * Decode speed in tokens per second, for choosing a backend (backend-benchmark.ts): `steps`
   * greedy tokens after a short prompt, timed after the first two (the prefill, and the first
   * cached step, which compiles WebGPU's decode shaders). Leaves no cache behind and does not
   * touch the conversation's.
   */
  async timeDecode(steps: number): Promise<number> {
    const ids = this.encode(this.render([{ role: 'user', content: 'Tell me about the sea.' }]));
    const untimed = 2;
    const timer = new StepTimer();
    const output = (await this.model.generate({
      input_ids: int64Tensor(ids),
      attention_mask: int64Tensor(ids.map(() => 1)),
      do_sample: false,
      // An end-of-sequence token must not cut the run short.
      min_new_tokens: steps + untimed,
      max_new_tokens: steps + untimed,
      streamer: timer as unknown as TextStreamer,
      return_dict_in_generate: true,
    })) as unknown as { past_key_values?: DynamicCache };
    await output.past_key_values?.dispose();
    return decodeRate(timer.tokenTimes, untimed);
  }

  interrupt(): void {
    this.stopping.interrupt();
  }

  /** The width of the model's logits, which an adapter for it must match. */
  get vocabSize(): number {
    return (this.model.config as { vocab_size?: number }).vocab_size ?? this.tokenizer.get_vocab().size;
  }

  /**
   * Applies `adapter` to every generation from now on (null: none). One for another model, or of
   * another width, is not applied; nor is one that learned from no ratings (it changes nothing).
   * Returns whether it will be applied.
   */
  setAdapter(adapter: LogitAdapterState | null): boolean {
    const usable = adapter !== null && adapter.exampleCount > 0 && adapter.modelId === this.options.modelId && adapter.vocabSize === this.vocabSize;
    this.adapter = usable ? adapter : null;
    return usable;
  }

  /** The adapter as a logits processor for one reply's context, or null when none applies. */
  private adapterProcessor(turns: ChatTurn[]): AdapterLogitsProcessor | null {
    const adapter = this.adapter;
    if (!adapter) return null;
    const features = contextFeatures(this.encode(contextText(turns)), adapter.featureDim);
    const bias = contextBias(adapter, projectContext(adapter, features));
    return new AdapterLogitsProcessor(bias, adapter.exampleCount);
  }

  /**
   * What the adapter's training needs from one rated reply (see rated-reply-logits.ts): one
   * forward pass with no cache, so the conversation's stays as it is. Called only between replies.
   */
  ratedReplyLogits(request: RatedReplyRequest): Promise<RatedReplyLogits> {
    return ratedReplyLogits(
      {
        forward: (inputs) => (this.model as unknown as (inputs: Record<string, Tensor>) => Promise<Record<string, Tensor>>)(inputs),
        render: (turns) => this.render(turns),
        encode: (text) => this.encode(text),
        endOfTurnId: this.endOfTurnId(),
      },
      request,
    );
  }


  /** Frees the cache and the model's sessions (GPU buffers on WebGPU) before another model loads. */
  async dispose(): Promise<void> {
    await this.resetCache();
    await this.model.dispose();
  }

  async resetCache(): Promise<void> {
    const old = this.cached;
    this.cached = null;
    this.last = null;
    await old?.cache.dispose();
  }

  /**
   * One reply (or best-of-N). A reply that fails leaves nothing behind: the cache it was
   * extending is freed at once (GPU buffers are not garbage-collected) and the next turn starts
   * from its prompt, so an error can never leave a half-written cache to be reused.
   */
  async generate(request: GenerateOptions): Promise<GeneratedReply> {
    try {
      return await this.run(request);
    } catch (error) {
      const working = this.working;
      if (working && working !== this.cached?.cache) await working.dispose().catch(() => undefined);
      await this.resetCache().catch(() => undefined);
      throw error;
    } finally {
      this.working = null;
    }
  }

  private async run(request: GenerateOptions): Promise<GeneratedReply> {
    const started = performance.now();
    this.stopping.arm(request.stopFlag ?? null);
    const fitted = this.fit(request);
    const { ids: promptIds, text: promptText } = this.prompt(request.conversationId, fitted.turns, this.budget(request));
    const requested = candidateCount(request.candidates, request.sampling.temperature);
    const count = rowsThatFit(
      requested,
      kvCacheBytesPerRow(this.model.config, promptIds.length + request.sampling.maxNewTokens),
      this.options.kvCacheBudgetBytes,
    );
    if (count > 1) return this.generateBatch(request, { count, requested }, promptIds, promptText, fitted, started);
    const cached = await this.takeCache(request.conversationId, promptIds);
    this.working = cached;
    const pastLength = cached?.get_seq_length() ?? 0;
    // A long prompt goes in chunks first, so no pass returns logits for thousands of positions;
    // generate then feeds the last chunk or less.
    const pastKeyValues = await this.extendCache(promptIds, cached, promptIds.length, this.options.prefillChunk ?? PREFILL_CHUNK_TOKENS);
    this.working = pastKeyValues;

    let firstTokenAt = 0;
    let streamedTokens = 0;
    const streamer = new TextDeltaStreamer(
      this.tokenizer,
      (text) => request.onText?.(text),
      () => {
        streamedTokens += 1;
        if (firstTokenAt === 0) firstTokenAt = performance.now();
      },
    );
    const stoppingCriteria = new StoppingCriteriaList();
    stoppingCriteria.push(this.stopping);

    const { sampling } = request;
    const adapter = this.adapterProcessor(fitted.turns);
    const output = (await this.model.generate({
      // The whole prompt with the cache: generate feeds only the ids past the cache's length, and
      // the full-length attention mask gives those their positions after the cached ones.
      input_ids: int64Tensor(promptIds),
      attention_mask: int64Tensor(promptIds.map(() => 1)),
      ...(pastKeyValues ? { past_key_values: pastKeyValues } : {}),
      do_sample: sampling.temperature > 0,
      temperature: sampling.temperature > 0 ? sampling.temperature : 1,
      top_p: sampling.topP,
      top_k: sampling.topK,
      repetition_penalty: sampling.repetitionPenalty,
      max_new_tokens: sampling.maxNewTokens,
      streamer: streamer as unknown as TextStreamer,
      stopping_criteria: stoppingCriteria,
      ...(adapter ? { logits_processor: processorList(adapter) } : {}),
      return_dict_in_generate: true,
    })) as unknown as { sequences: Tensor; past_key_values: DynamicCache };

    const finished = performance.now();
    const allIds = (output.sequences.tolist() as bigint[][])[0]?.map(Number) ?? [];
    const newIds = allIds.slice(promptIds.length);
    const text = this.tokenizer.decode(newIds, { skip_special_tokens: true });
    this.cached = { conversationId: request.conversationId, tokenIds: allIds, cache: output.past_key_values };
    this.remember(request.conversationId, fitted, promptIds, [{ ids: newIds, text }]);

    const decodeSeconds = (finished - firstTokenAt) / 1000;
    const metrics: ReplyMetrics = {
      ttftMs: firstTokenAt ? firstTokenAt - started : finished - started,
      decodeTokensPerSecond: newIds.length > 1 && decodeSeconds > 0 ? (newIds.length - 1) / decodeSeconds : 0,
      promptTokens: promptIds.length,
      prefillTokens: promptIds.length - pastLength,
      newTokens: Math.max(newIds.length, streamedTokens),
      totalMs: finished - started,
      backend: this.options.device === 'webgpu' ? 'webgpu' : 'wasm',
      dtype: this.options.dtype,
      droppedTurns: fitted.droppedTurns,
      candidateCount: 1,
      ...(requested > 1 ? { candidatesRequested: requested } : {}),
    };
    if (!adapter) return { text, candidates: [text], prompt: promptText, metrics, stoppedByUser: this.stopping.stopped };
    const effect = adapter.effect(0, allIds.at(-1), newIds.length);
    metrics.adapter = effect;
    return { text, candidates: [text], prompt: promptText, metrics, stoppedByUser: this.stopping.stopped, adapterEffects: [effect] };
  }

  /**
   * Best-of-N in one generate call. The prompt is prefilled once, on one row (reusing the
   * conversation's cache where it can), up to its last id; that cache is repeated to `count`
   * rows and each row then samples on its own from the last prompt id on. Prefilling a
   * [count, length] batch instead would cost `count` prefills. The one-row prompt cache stays
   * for the next turn, which extends the prompt with whichever candidate the user keeps.
   */
  private async generateBatch(
    request: GenerateOptions,
    { count, requested }: { count: number; requested: number },
    promptIds: number[],
    promptText: string,
    fitted: FittedPrompt,
    started: number,
  ): Promise<GeneratedReply> {
    const { shared, reused } = await this.prefillSharedPrompt(request.conversationId, promptIds);
    this.working = shared;
    const batchCache = shared ? await repeatCacheRows(shared, count) : null;
    const { sampling } = request;
    const counter = new StepCounter(sampling.maxNewTokens, request.onCandidatesProgress);
    const stoppingCriteria = new StoppingCriteriaList();
    stoppingCriteria.push(this.stopping);

    const rows = Array.from({ length: count }, () => promptIds);
    const adapter = this.adapterProcessor(fitted.turns);
    let sequences: Tensor;
    try {
      sequences = (await this.model.generate({
        input_ids: int64Tensor(rows),
        attention_mask: int64Tensor(rows.map((row) => row.map(() => 1))),
        ...(batchCache ? { past_key_values: batchCache } : {}),
        do_sample: true,
        temperature: sampling.temperature,
        top_p: sampling.topP,
        top_k: sampling.topK,
        repetition_penalty: sampling.repetitionPenalty,
        max_new_tokens: sampling.maxNewTokens,
        // The typings ask for a TextStreamer; generate itself only calls put and end.
        streamer: counter as unknown as TextStreamer,
        stopping_criteria: stoppingCriteria,
        ...(adapter ? { logits_processor: processorList(adapter) } : {}),
      })) as unknown as Tensor;
    } finally {
      // generate keeps a cache it was given; the batch's is of no use once the rows are sampled.
      await batchCache?.dispose();
    }
    if (shared) this.cached = { conversationId: request.conversationId, tokenIds: promptIds, cache: shared };

    const finished = performance.now();
    const stopIds = this.stopTokenIds();
    const rowIds = (sequences.tolist() as bigint[][]).map((row) => row.map(Number));
    const replies = rowIds.map((row) => cutAtStop(row.slice(promptIds.length), stopIds));
    const adapterEffects = adapter ? replies.map((ids, r) => adapter.effect(r, rowIds[r]!.at(-1), ids.length + 1)) : undefined;
    const candidates = replies.map((ids) => this.tokenizer.decode(ids, { skip_special_tokens: true }));
    this.remember(request.conversationId, fitted, promptIds, replies.map((ids, i) => ({ ids, text: candidates[i] ?? '' })));
    const generated = replies.reduce((sum, ids) => sum + ids.length, 0);
    // As for one row: speed counts the tokens after the first step, over the time after it.
    const decodeSeconds = (finished - counter.firstStepAt) / 1000;
    const afterFirst = generated - Math.min(count, generated);
    const metrics: ReplyMetrics = {
      ttftMs: counter.firstStepAt ? counter.firstStepAt - started : finished - started,
      decodeTokensPerSecond: counter.firstStepAt && afterFirst > 0 && decodeSeconds > 0 ? afterFirst / decodeSeconds : 0,
      promptTokens: promptIds.length,
      prefillTokens: promptIds.length - reused,
      newTokens: replies[0]?.length ?? 0,
      totalMs: finished - started,
      backend: this.options.device === 'webgpu' ? 'webgpu' : 'wasm',
      dtype: this.options.dtype,
      droppedTurns: fitted.droppedTurns,
      candidateCount: count,
      ...(requested > count ? { candidatesRequested: requested } : {}),
      ...(adapterEffects?.[0] ? { adapter: adapterEffects[0] } : {}),
    };
    return {
      text: candidates[0] ?? '',
      candidates,
      prompt: promptText,
      metrics,
      stoppedByUser: this.stopping.stopped,
      ...(adapterEffects ? { adapterEffects } : {}),
    };
  }

  /**
   * A one-row cache of all the prompt's ids but the last, and how many of them came from the
   * conversation's cache. Null when the prompt is a single id or the model's cache cannot be
   * repeated into rows; the batch then prefills every row itself.
   */
  private async prefillSharedPrompt(
    conversationId: string,
    promptIds: number[],
  ): Promise<{ shared: DynamicCache | null; reused: number }> {
    const head = promptIds.slice(0, -1);
    let cache = await this.takeCache(conversationId, promptIds);
    const reused = cache?.get_seq_length() ?? 0;
    if (head.length === 0) {
      await cache?.dispose();
      return { shared: null, reused: 0 };
    }
    cache = await this.extendCache(head, cache, head.length, 0);
    if (!cache || !isSliceableCache(cache)) {
      await cache?.dispose();
      return { shared: null, reused: 0 };
    }
    return { shared: cache, reused };
  }

  /**
   * Runs `ids` into `cache` until at most `leave` of the first `upTo` remain outside it, at most
   * `prefillChunk` positions per pass. Each pass is one greedy step of generate: its forward
   * fills the cache with the ids fed, and the id it samples is dropped (never fed, so never cached).
   */
  private async extendCache(ids: number[], cache: DynamicCache | null, upTo: number, leave: number): Promise<DynamicCache | null> {
    const chunk = Math.max(1, this.options.prefillChunk ?? PREFILL_CHUNK_TOKENS);
    let current = cache;
    let length = current?.get_seq_length() ?? 0;
    while (upTo - length > leave) {
      const part = ids.slice(0, Math.min(upTo, length + chunk));
      const output = (await this.model.generate({
        input_ids: int64Tensor(part),
        attention_mask: int64Tensor(part.map(() => 1)),
        ...(current ? { past_key_values: current } : {}),
        do_sample: false,
        max_new_tokens: 1,
        return_dict_in_generate: true,
      })) as unknown as { past_key_values: DynamicCache };
      current = output.past_key_values;
      length = current.get_seq_length();
    }
    return current;
  }

  /**
   * The last generation's cache cut to what the new prompt shares with it (see reusableLength),
   * taken out of `cached` because generate extends it in place; null, with the old cache freed,
   * when nothing can be reused.
   */
  private async takeCache(conversationId: string, promptIds: number[]): Promise<DynamicCache | null> {
    const cached = this.cached;
    if (!cached) return null;
    const cacheLength = cached.cache.get_seq_length();
    let keep = reusableLength(cached, cacheLength, conversationId, promptIds);
    if (keep < cacheLength && !isSliceableCache(cached.cache)) keep = 0;
    if (keep === 0) {
      await this.resetCache();
      return null;
    }
    this.cached = null;
    return keep === cacheLength ? cached.cache : cropCache(cached.cache, keep);
  }

  /**
   * The turns that fit the window. A conversation that outgrew it keeps the start its last
   * prompt had, and when it outgrows it again drops down to about half the window in one step,
   * so the turns in between extend the cached prompt instead of prefilling the window each time.
   */
  /** Prompt tokens that leave room for the longest reply asked for. */
  private budget(request: GenerateOptions): number {
    return Math.max(1, this.options.contextWindow - request.sampling.maxNewTokens);
  }

  private fit(request: GenerateOptions): FittedPrompt {
    const budget = this.budget(request);
    const sameConversation = this.last?.conversationId === request.conversationId;
    // Measured as the prompt will be built: a turn that continues the last prompt reuses the ids the
    // model produced, which can outnumber the reply's text re-encoded (byte-level models).
    const length = (turns: ChatTurn[]) => (continuationIds(this.last, request.conversationId, turns, this.templateTools())?.length ?? this.encode(this.render(turns)).length);
    return fitToContextWindow(request.systemPrompt, request.turns, budget, length, {
      alreadyDropped: sameConversation ? this.last?.droppedTurns : 0,
      trimTarget: Math.floor(budget / 2),
    });
  }

  /**
   * The prompt's ids: the last prompt's ids + the reply the user kept + the template's glue, or
   * the rendered template encoded when that does not apply. The text is what Look inside shows:
   * the ids decoded in the first case, since a reply's ids need not match its text re-encoded.
   */
  private templateTools(): TemplateTools {
    return { render: (t: ChatTurn[]) => this.render(t), encode: (text: string) => this.encode(text), stopIds: this.stopTokenIds() };
  }

  private prompt(conversationId: string, turns: ChatTurn[], budget: number): { ids: number[]; text: string } {
    const continued = continuationIds(this.last, conversationId, turns, this.templateTools());
    // The fit measured these same ids, so this holds; should it not, a prompt past the budget
    // would run the reply beyond the model's positions: encode the turns afresh instead.
    if (continued && continued.length <= budget) return { ids: continued, text: this.tokenizer.decode(continued, { skip_special_tokens: false }) };
    const text = this.render(turns);
    return { ids: this.encode(text), text };
  }

  private remember(conversationId: string, fitted: FittedPrompt, promptIds: number[], replies: LastExchange['replies']): void {
    this.last = { conversationId, promptTurns: fitted.turns, promptIds, replies, droppedTurns: fitted.droppedTurns };
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

  /** The token that ends a turn in the chat template (`<|im_end|>`), else the end-of-sequence token. */
  private endOfTurnId(): number | null {
    const imEnd = this.tokenizer.get_vocab().get('<|im_end|>');
    if (typeof imEnd === 'number') return imEnd;
    const eos = this.tokenizer.eos_token_id;
    return typeof eos === 'number' ? eos : null;
  }

  private render(turns: ChatTurn[]): string {
    return this.tokenizer.apply_chat_template(turns, { tokenize: false, add_generation_prompt: true }) as string;
  }

  /** Chat templates carry their own special tokens, so the tokenizer must not add BOS/EOS. */
  private encode(text: string): number[] {
    return this.tokenizer.encode(text, { add_special_tokens: false });
  }
}

/** generate spreads the list it is given into its own, so it takes a LogitsProcessorList. */
function processorList(processor: AdapterLogitsProcessor): LogitsProcessorList {
  const list = new LogitsProcessorList();
  list.push(processor);
  return list;
}

/** One row of ids as a [1, length] tensor, or equal-length rows as a [rows, length] batch. */
function int64Tensor(values: number[] | number[][]): Tensor {
  const rows = (Array.isArray(values[0]) ? values : [values]) as number[][];
  const data = BigInt64Array.from(rows.flat(), (v) => BigInt(v));
  return new Tensor('int64', data, [rows.length, rows[0]?.length ?? 0]);
}

