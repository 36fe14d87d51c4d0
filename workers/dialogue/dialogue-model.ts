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
}

export interface GeneratedReply {
  text: string;
  /** The prompt exactly as the model saw it, after the chat template and truncation. */
  prompt: string;
  metrics: ReplyMetrics;
  stoppedByUser: boolean;
}

/** A loaded chat model plus the KV cache of the conversation it last answered. */
export class DialogueModel {
  private cached: CachedConversation | null = null;
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
    };
    return { text, prompt: promptText, metrics, stoppedByUser: this.stopping.stopped };
  }

  private render(turns: ChatTurn[]): string {
    return this.tokenizer.apply_chat_template(turns, { tokenize: false, add_generation_prompt: true }) as string;
  }

  /** Chat templates carry their own special tokens, so the tokenizer must not add BOS/EOS. */
  private encode(text: string): number[] {
    return this.tokenizer.encode(text, { add_special_tokens: false });
  }
}

function int64Tensor(values: number[]): Tensor {
  return new Tensor('int64', BigInt64Array.from(values, (v) => BigInt(v)), [1, values.length]);
}

function toLoadProgress(info: ProgressInfo): LoadProgress | null {
  switch (info.status) {
    case 'initiate':
    case 'download':
    case 'done':
      return { file: info.file, loaded: 0, total: 0, status: info.status };
    case 'progress':
      return { file: info.file, loaded: info.loaded, total: info.total, status: 'progress' };
    default:
      return null;
  }
}
