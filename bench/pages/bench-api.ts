/**
 * The contract between the lead's Playwright driver and the two bare benchmark pages
 * (raw transformers.js, raw onnxruntime-web). The calls travel to each page's worker as bench-rpc.ts says.
 */
import type { GreedyRun } from '../runtime/greedy-loop';

export type RawDevice = 'wasm' | 'webgpu';
export type RawDtype = 'q8' | 'q4' | 'fp32';

export interface RawLoadOptions {
  /** A folder under /models/ on this origin, in transformers.js layout. */
  model: string;
  device: RawDevice;
  dtype: RawDtype;
  /**
   * Levers the raw onnxruntime page may pull beyond what transformers.js sets (bench/wasm-levers.ts);
   * the transformers.js page refuses them.
   */
  levers?: OrtLevers;
}

export interface OrtLevers {
  /** onnxruntime's default is 'all'. */
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  /** `session.intra_op.allow_spinning`: whether idle pool threads spin (onnxruntime's default: yes). */
  allowSpinning?: boolean;
}

export interface RawLoadResult {
  loadMs: number;
  threads: number;
  device: RawDevice;
  dtype: string;
  /** Whether the model weights came from the Cache API rather than the network. */
  fromCache: boolean;
  /** Beyond the brief: the session options used, as canonical JSON, to check both pages match. */
  sessionOptions?: string;
}

export interface RawGenerateOptions {
  /** An already chat-templated prompt, encoded without special tokens (transformers.js page only). */
  promptText?: string;
  /** Token ids fed as they are. */
  promptIds?: number[];
  newTokens: number;
  repetitionPenalty?: number;
  /**
   * Sample as the app does with these settings (transformers.js page only); greedy without.
   * The app's replies are sampled, so (a) ÷ (b) compares the same per-token work.
   */
  sampling?: { temperature: number; topP: number; topK: number };
  /**
   * Raw onnxruntime page, WASM only: `promptIds` is the next turn's text after the previous run,
   * whose KV cache is kept (the previous run's last token is fed first).
   */
  continueConversation?: boolean;
}

/** The raw loop's figures (TTFT from the call, decode after the first token), plus the ids fed. */
export interface RawGenerateResult extends GreedyRun {
  promptIds: number[];
}

export interface BenchRaw {
  load(opts: RawLoadOptions): Promise<RawLoadResult>;
  generate(opts: RawGenerateOptions): Promise<RawGenerateResult>;
  dispose(): Promise<void>;
}

/** Maps the benchmark's dtype names onto transformers.js file suffixes (onnx/model<suffix>.onnx). */
export const MODEL_FILE_BY_DTYPE: Readonly<Record<RawDtype, string>> = {
  q8: 'model_quantized.onnx',
  q4: 'model_q4.onnx',
  fp32: 'model.onnx',
};

export function modelFileUrl(model: string, dtype: RawDtype, base: string): string {
  return new URL(`/models/${encodeURIComponent(model)}/onnx/${MODEL_FILE_BY_DTYPE[dtype]}`, base).href;
}

/** Both pages' figures come from the same three timestamps, so they are computed one way. */
export function rates(promptTokens: number, newTokens: number, started: number, firstTokenAt: number, finished: number) {
  const ttftMs = firstTokenAt - started;
  const decodeMs = finished - firstTokenAt;
  return {
    ttftMs,
    prefillTokensPerSecond: ttftMs > 0 ? (promptTokens / ttftMs) * 1000 : 0,
    decodeTokensPerSecond: newTokens > 1 && decodeMs > 0 ? ((newTokens - 1) / decodeMs) * 1000 : 0,
    totalMs: finished - started,
  };
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Path (d): wllama loads the builder's GGUF of a model, served under /gguf/<model>/. */
export interface WllamaLoadOptions {
  model: string;
  threads: number;
}

export interface WllamaGenerateOptions {
  /** The chat-templated prompt as text: llama.cpp tokenizes it itself (specials parsed, BOS added). */
  promptText: string;
  newTokens: number;
  /**
   * Keep the KV cache and reuse its longest common prefix with this prompt (llama-server's
   * cache_prompt), as a chat's second turn does. Off: every run prefills the whole prompt.
   */
  reuseCache?: boolean;
}

export interface WllamaGenerateResult extends RawGenerateResult {
  /** The text generated, for building the next turn's prompt. */
  text: string;
  /** Prompt tokens taken from the cache rather than prefilled. */
  cachedPromptTokens: number;
}

export interface BenchWllama {
  load(opts: WllamaLoadOptions): Promise<RawLoadResult>;
  generate(opts: WllamaGenerateOptions): Promise<WllamaGenerateResult>;
  dispose(): Promise<void>;
}
