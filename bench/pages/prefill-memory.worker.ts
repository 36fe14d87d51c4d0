/**
 * Issue 14, item 2 in the browser: the app's DialogueModel on WASM in a module worker, one long
 * prefill, and the size of onnxruntime-web's WASM heap after the load and after the prefill.
 */
// First, so the heap's constructor is wrapped before anything could create it.
import { wasmHeapBytes } from '../../workers/dialogue/wasm-heap';
import { env } from '@huggingface/transformers';
import { DialogueModel } from '../../workers/dialogue/dialogue-model';
import { errorMessage } from './bench-api';
import type { PrefillMemoryOptions, PrefillMemoryPage, PrefillMemoryResult } from './prefill-memory-api';
import { runtimeWasmPaths, threadCount } from './runtime-files';
import { serveBench } from './serve-bench';

declare const self: DedicatedWorkerGlobalScope;

const threads = configureRuntime();

/** The app's runtime files and thread rule (runtime-setup.ts), without its Cache API layer. */
function configureRuntime(): number {
  env.allowLocalModels = true;
  env.localModelPath = '/models/';
  env.allowRemoteModels = false;
  // Nothing to reuse in a fresh page, and a cached copy would only add to the browser's memory.
  env.useBrowserCache = false;
  env.useWasmCache = false;
  const wasm = env.backends.onnx.wasm;
  if (!wasm) throw new Error('onnxruntime-web has no wasm backend settings');
  wasm.wasmPaths = runtimeWasmPaths();
  const count = threadCount();
  wasm.numThreads = count;
  return count;
}

async function run(options: PrefillMemoryOptions): Promise<PrefillMemoryResult> {
  const model = await DialogueModel.load({
    modelId: options.model,
    device: 'wasm',
    dtype: options.dtype,
    contextWindow: options.contextWindow,
    localOnly: true,
    prefillChunk: options.prefillChunk,
  });
  const common = { threads, crossOriginIsolated: self.crossOriginIsolated, heapAfterLoadBytes: wasmHeapBytes() };
  try {
    const reply = await model.generate({
      conversationId: 'long',
      systemPrompt: '',
      turns: [{ role: 'user', content: options.message }],
      sampling: { temperature: 0, topP: 1, topK: 0, maxNewTokens: 2, repetitionPenalty: 1 },
    });
    return { ...common, heapAfterPrefillBytes: wasmHeapBytes(), promptTokens: reply.metrics.promptTokens, ttftMs: reply.metrics.ttftMs };
  } catch (error) {
    // A heap that cannot grow past 4 GiB fails the run inside ORT; its size then is the figure.
    return { ...common, heapAfterPrefillBytes: wasmHeapBytes(), error: errorMessage(error) };
  }
}

serveBench<PrefillMemoryPage>(self, { run });
