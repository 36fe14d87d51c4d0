/**
 * The contract between bench/prefill-memory.ts (through Playwright) and the prefill-memory page:
 * `window.prefillMemory.run(options)` loads a model in a fresh worker, prefills one long prompt
 * and answers with the WASM heap's size (see workers/dialogue/wasm-heap.ts). One run per page.
 */

export interface PrefillMemoryOptions {
  /** A folder under /models/ on this origin, in transformers.js layout. */
  model: string;
  dtype: 'q8' | 'q4' | 'fp32';
  /** One user message, chat-templated by the model. */
  message: string;
  /** Prompt positions per prefill pass; at least the prompt's length means one pass. */
  prefillChunk: number;
  contextWindow: number;
}

export interface PrefillMemoryResult {
  threads: number;
  crossOriginIsolated: boolean;
  /** WASM heap once the model is loaded: the weights plus what loading them needed at most. */
  heapAfterLoadBytes: number;
  /** WASM heap after the prefill and two new tokens: the peak of the whole run. */
  heapAfterPrefillBytes: number;
  /** Absent when the prefill failed. */
  promptTokens?: number;
  ttftMs?: number;
  /** Why the prefill failed (ORT's message: out of memory once the heap reaches 4 GiB). */
  error?: string;
}

export interface PrefillMemoryPage {
  run(options: PrefillMemoryOptions): Promise<PrefillMemoryResult>;
}
