/// <reference lib="webworker" />
// First: it must see onnxruntime-web create its heap (see wasm-heap.ts).
import { wasmHeapBytes } from './dialogue/wasm-heap';
import type { DialogueEvent, DialogueRequest } from './shared/protocol';
import { chooseBackend, detectWebGpu, type BackendChoice } from './shared/backend-choice';
import { DialogueModel } from './dialogue/dialogue-model';
import { classifyError, WebGpuLoadError } from './dialogue/errors';
import { DEFAULT_MODEL_HOST } from './shared/cache-keys';
import { allowHubDownloads, configureBrowserRuntime, setModelHost } from './dialogue/runtime-setup';
import { serveRequests } from './shared/rpc/serve-requests';
import { ratingWeight } from './learning/cringe-loss';

declare const self: DedicatedWorkerGlobalScope;

const { threads, guard } = configureBrowserRuntime();
let model: DialogueModel | null = null;
let generating: string | null = null;

function post(event: DialogueEvent): void {
  self.postMessage(event);
}

type LoadRequest = Extract<DialogueRequest, { type: 'load' }>;

async function load(request: LoadRequest): Promise<void> {
  // Measuring a backend loads the same model up to three times in a row: free each one's
  // sessions (and GPU memory) before the next, rather than whenever they are collected.
  const previous = model;
  model = null;
  // A model that cannot be freed must not stop the next one from loading.
  await previous?.dispose().catch(() => undefined);
  guard.begin();
  try {
    const loaded = await loadModel(request);
    // transformers.js keeps going when a cache write fails; the model would then be gone on the
    // next (offline) start, so a full disk counts as a failed download.
    if (guard.writeFailure) throw guard.writeFailure;
    post({ type: 'ready', id: request.id, ...loaded, threads, wasmHeapBytes: wasmHeapBytes(), vocabSize: model!.vocabSize });
  } catch (error) {
    model = null;
    // Stop the other files' downloads and writes before the app purges this model's entries.
    await guard.fail();
    throw error;
  }
}

/**
 * Loads the model on the best backend (the one measured faster, when the app says so), and times
 * its decoding when asked to; returns the backend used and that rate.
 */
async function loadModel(request: LoadRequest): Promise<BackendChoice & { measuredTokensPerSecond?: number }> {
  const offline = request.model.local || request.offline === true;
  allowHubDownloads(!offline);
  setModelHost(request.model.host ?? DEFAULT_MODEL_HOST);
  const webgpu = await detectWebGpu();
  const choice = chooseBackend(request.backend, webgpu, request.model.dtypes, request.measured);
  const loadWith = (c: BackendChoice) =>
    DialogueModel.load({
      modelId: request.model.id,
      device: c.backend,
      dtype: c.dtype,
      contextWindow: request.model.contextWindow,
      localOnly: offline,
      onProgress: (progress) => post({ type: 'progress', id: request.id, progress }),
    });
  try {
    model = await loadWith(choice);
    // WebGPU compiles its shaders on first use: pay that now, not in the user's first reply.
    if (choice.backend === 'webgpu') await model.warmUp();
    if (!request.measureSteps) return choice;
    // Timing is inside the try: WebGPU failing to decode is a failed WebGPU load like any other.
    return { ...choice, measuredTokensPerSecond: await model.timeDecode(request.measureSteps) };
  } catch (error) {
    if (choice.backend !== 'webgpu') throw error;
    // A GPU that advertises WebGPU can still fail to compile or allocate. The app falls back to
    // WASM in a fresh worker: this one cannot load another model after a failed session.
    throw new WebGpuLoadError(classifyError(error).message);
  }
}

async function generate(request: Extract<DialogueRequest, { type: 'generate' }>): Promise<void> {
  if (!model) throw new Error('No model is loaded yet.');
  generating = request.id;
  try {
    const reply = await model.generate({
      conversationId: request.conversationId,
      systemPrompt: request.systemPrompt,
      turns: request.turns,
      sampling: request.sampling,
      stopFlag: request.stopFlag,
      candidates: request.candidates,
      onText: (text) => post({ type: 'token', id: request.id, text }),
      onCandidatesProgress: (tokens, maxTokens) =>
        post({ type: 'candidates-progress', id: request.id, tokens, maxTokens }),
    });
    post({ type: 'done', id: request.id, ...reply });
  } finally {
    generating = null;
  }
}

async function handle(request: DialogueRequest): Promise<void> {
  switch (request.type) {
    case 'load':
      return load(request);
    case 'generate':
      return generate(request);
    case 'interrupt':
      if (generating === request.id) model?.interrupt();
      return;
    case 'reset-cache':
      return model?.resetCache();
    case 'rated-logits': {
      if (!model) throw new Error('No model is loaded yet.');
      const { example } = request;
      const { logits, features, vocabSize } = await model.ratedReplyLogits({ ...example, includeStop: example.positive });
      const weight = ratingWeight(example.positive, example.reasons);
      post({ type: 'rated-logits', id: request.id, example: { id: example.exampleId, positive: example.positive, weight, features, logits }, vocabSize });
      return;
    }
    case 'use-adapter':
      // A model loaded later starts without one: the app sends it again after every load.
      post({ type: 'adapter-used', id: request.id, active: model?.setAdapter(request.adapter) ?? false });
      return;
  }
}

// One request at a time: a second reply (or a load) waits for the first, so two never share the
// stop signal or the KV cache. A stop goes straight to the reply it stops.
serveRequests<DialogueRequest>(self, {
  handle,
  immediate: (request) => request.type === 'interrupt',
  describe: classifyError,
});
