/**
 * (d) of issue 19: the field's other CPU engine in the browser, llama.cpp compiled to WebAssembly
 * (@wllama/wllama), on the GGUF the builder writes from the same seeded weights. wllama runs the
 * model in a worker of its own, so this page drives it directly. It takes text, not token ids:
 * the prompt is the chat-templated text the other paths encode, and the figures are llama.cpp's
 * own timings (prompt processing, then generation), read from its completion result.
 */
import { Wllama, type RawCompletionParams } from '@wllama/wllama/esm/index.js';
import wllamaWasmUrl from '@wllama/wllama/esm/wasm/wllama.wasm?url';
import type { BenchWllama, RawLoadResult, WllamaGenerateOptions, WllamaGenerateResult, WllamaLoadOptions } from './bench-api';
import { fetchThroughCache } from './model-bytes-cache';

declare global {
  interface Window {
    benchWllama?: BenchWllama;
  }
}

let engine: Wllama | null = null;

function ggufUrl(model: string): string {
  if (!/^[\w.-]+$/.test(model)) throw new Error(`load(): model must be a folder name under /gguf/ (got ${JSON.stringify(model)})`);
  return new URL(`/gguf/${encodeURIComponent(model)}/model-q8_0.gguf`, location.href).href;
}

async function load(opts: WllamaLoadOptions): Promise<RawLoadResult> {
  if (!Number.isInteger(opts?.threads) || opts.threads < 1) throw new Error(`load(): threads must be a whole number ≥ 1 (got ${JSON.stringify(opts?.threads)})`);
  await dispose();
  const started = performance.now();
  const { bytes, fromCache } = await fetchThroughCache(ggufUrl(opts.model));
  engine = new Wllama({ default: new URL(wllamaWasmUrl, location.href).href }, { suppressNativeLog: true });
  // n_gpu_layers 0: the CPU (WebAssembly) backend only, as paths (b) and (c) on WASM.
  await engine.loadModel([new Blob([bytes as Uint8Array<ArrayBuffer>])], { n_threads: opts.threads, n_ctx: 2048, n_gpu_layers: 0, warmup: true });
  return {
    loadMs: performance.now() - started,
    threads: engine.getNumThreads(),
    device: 'wasm',
    dtype: 'q8_0',
    fromCache,
  };
}

async function generate(opts: WllamaGenerateOptions): Promise<WllamaGenerateResult> {
  if (!engine) throw new Error('generate(): load() a model first');
  if (typeof opts?.promptText !== 'string' || opts.promptText.length === 0) throw new Error('generate(): promptText must be a non-empty string');
  if (!Number.isInteger(opts.newTokens) || opts.newTokens < 1) throw new Error(`generate(): newTokens must be a whole number ≥ 1 (got ${JSON.stringify(opts.newTokens)})`);
  const started = performance.now();
  // Greedy, every token generated (no stop on end-of-turn), nothing reused from the last run.
  const request: RawCompletionParams & { stream: false; cache_prompt: boolean } = {
    stream: false,
    prompt: opts.promptText,
    max_tokens: opts.newTokens,
    temp: 0,
    top_k: 1,
    ignore_eos: true,
    // llama-server's own field, which wllama passes through: on, a repeated prefix is not prefilled again.
    cache_prompt: opts.reuseCache === true,
  };
  const result = await engine.createCompletion(request);
  const totalMs = performance.now() - started;
  const t = result.timings;
  if (!t) throw new Error('generate(): wllama returned no timings');
  if (t.cache_n > 0 && !opts.reuseCache) throw new Error(`generate(): ${t.cache_n} prompt tokens came from the cache; the run would not time a prefill`);
  return {
    promptTokens: t.prompt_n,
    newTokens: t.predicted_n,
    ttftMs: t.prompt_ms,
    prefillTokensPerSecond: t.prompt_per_second,
    decodeTokensPerSecond: t.predicted_per_second,
    totalMs,
    // Asking llama.cpp for the ids (log-probabilities) would add a softmax per token to the timing.
    tokens: [],
    promptIds: [],
    text: result.choices[0]?.text ?? '',
    cachedPromptTokens: t.cache_n,
  };
}

async function dispose(): Promise<void> {
  const current = engine;
  engine = null;
  await current?.exit();
}

window.benchWllama = { load, generate, dispose };
document.body.dataset.ready = 'true';
