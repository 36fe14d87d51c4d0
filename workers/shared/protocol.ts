/**
 * Messages between the app (main thread) and the dialogue worker.
 * Every request carries an id; the worker answers with events for that id.
 * It imports only the shared types of the personal generation adapter (learning-protocol.ts).
 */
import type { AdapterEffect, LogitAdapterState, RatedReply, RatedReplyRequest } from './learning-protocol';

export type Backend = 'webgpu' | 'wasm';
export type BackendPreference = Backend | 'auto';
export type Dtype = 'fp32' | 'fp16' | 'q8' | 'q4' | 'q4f16';

export interface ChatTurn {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface SamplingSettings {
  temperature: number;
  topP: number;
  topK: number;
  maxNewTokens: number;
  repetitionPenalty: number;
}

export interface ModelSpec {
  /** Hub repo id, or the folder name under the app's `/models/` path. */
  id: string;
  /** Dtypes whose ONNX files exist for this model; the worker picks among them. */
  dtypes: Dtype[];
  /** Context window in tokens (prompt + reply). */
  contextWindow: number;
  /** True for a model served from the app's own origin (the built demo, an imported folder). */
  local: boolean;
  /** Where a remote model downloads from (transformers.js `remoteHost`); its cache keys include it. */
  host?: string;
}

export interface ReplyMetrics {
  /** Milliseconds from the request to the first streamed token. */
  ttftMs: number;
  /** Decode speed after the first token, in tokens per second. */
  decodeTokensPerSecond: number;
  /** Tokens in the prompt after the chat template and truncation. */
  promptTokens: number;
  /** Prompt tokens actually run through the model; fewer than promptTokens when the KV cache was reused. */
  prefillTokens: number;
  newTokens: number;
  totalMs: number;
  backend: Backend;
  dtype: Dtype;
  /** Turns dropped from the start of the conversation to fit the context window. */
  droppedTurns: number;
  /**
   * Replies sampled in this generation (best-of-N). Above 1, ttftMs is the time to the first
   * batched step, decodeTokensPerSecond counts the tokens of every row, and newTokens is
   * candidate 0's. Absent on metrics stored before best-of-N.
   */
  candidateCount?: number;
  /** Best-of-N asked for more rows than fit in memory (memory-budget.ts): what was asked. */
  candidatesRequested?: number;
  /**
   * The personal generation adapter was applied (issue 18): how much it moved the reply's tokens
   * (for the reply shown: candidate 0, or the one chosen among candidates). Absent without one.
   */
  adapter?: AdapterEffect;
}

export type DialogueRequest =
  /**
   * `offline`: use only files already in the browser cache; never contact the model host.
   * `measured`: with backend 'auto' on a real GPU, the backend the app measured faster for this
   * model on this device (or is measuring now); the worker runs on it.
   * `measureSteps`: after loading, time this many greedy decode steps; `ready` then carries the rate.
   */
  | {
      type: 'load';
      id: string;
      model: ModelSpec;
      backend: BackendPreference;
      offline?: boolean;
      measured?: Backend;
      measureSteps?: number;
    }
  | {
      type: 'generate';
      id: string;
      conversationId: string;
      systemPrompt: string;
      turns: ChatTurn[];
      sampling: SamplingSettings;
      /**
       * Shared with the app when it is cross-origin isolated: the app sets element 0 to 1 to
       * stop. A WASM generation can run many tokens without yielding to the worker's message
       * queue, so an `interrupt` message alone may arrive only after the reply has finished.
       */
      stopFlag: Int32Array | null;
      /**
       * Best-of-N: how many replies to sample in one batched generate call (1–8, clamped;
       * default 1). Above 1 no `token` events are sent (`candidates-progress` instead); the
       * prompt is prefilled once and shared by the rows, and its cache kept for the next turn
       * (the candidates' own caches are not). Greedy sampling
       * (temperature 0) would give identical rows, so it always samples one.
       */
      candidates?: number;
    }
  /** Stops the generation whose request id is `id`; its `done` event follows with the partial text. */
  | { type: 'interrupt'; id: string }
  | { type: 'reset-cache'; id: string }
  /**
   * One rated reply as the adapter learns from it: the frozen model's logits along it (one
   * forward pass over the context + reply; requests run one at a time, so never during a reply),
   * the context's features and the rating's weight.
   */
  | { type: 'rated-logits'; id: string; example: RatedReplyRequest }
  /** Applies this adapter to every generation from now on; null: none. */
  | { type: 'use-adapter'; id: string; adapter: LogitAdapterState | null };

export type ErrorKind =
  | 'model-not-found'
  | 'network'
  | 'corrupt-model'
  | 'out-of-memory'
  | 'storage-full'
  | 'backend'
  | 'generation'
  | 'worker-crashed'
  | 'unknown';

export interface LoadProgress {
  file: string;
  loaded: number;
  total: number;
  status: 'initiate' | 'download' | 'progress' | 'done';
}

export type DialogueEvent =
  | { type: 'progress'; id: string; progress: LoadProgress }
  /** `measuredTokensPerSecond`: the decode rate timed when the load asked for `measureSteps`. */
  | {
      type: 'ready';
      id: string;
      backend: Backend;
      dtype: Dtype;
      fallbackReason: string | null;
      threads: number;
      measuredTokensPerSecond?: number;
      /**
       * How large the worker's WebAssembly heap has grown (it never shrinks, so this is its peak):
       * the model's weights on WASM, and whatever earlier models left behind. 0 before any load.
       */
      wasmHeapBytes: number;
      /** The width of the model's logits: a generation adapter for it is made this wide. */
      vocabSize: number;
    }
  | { type: 'token'; id: string; text: string }
  /** Sent while a batch of candidates (`candidates` > 1) is generated: at most every ~100 ms and at the end. */
  | { type: 'candidates-progress'; id: string; tokens: number; maxTokens: number }
  /** `candidates`: every sampled reply (`[text]` for one); `text` is `candidates[0]`. */
  | {
      type: 'done';
      id: string;
      text: string;
      candidates: string[];
      metrics: ReplyMetrics;
      stoppedByUser: boolean;
      prompt: string;
      /** The adapter's effect on each candidate (same order), when one was applied. */
      adapterEffects?: AdapterEffect[];
    }
  | { type: 'rated-logits'; id: string; example: RatedReply; vocabSize: number }
  | { type: 'adapter-used'; id: string; active: boolean }
  | { type: 'error'; id: string; kind: ErrorKind; message: string };
