/// <reference lib="webworker" />
import type { DialogueEvent, DialogueRequest } from './protocol';
import { chooseBackend, detectWebGpu, type BackendChoice } from './dialogue/backend-choice';
import { DialogueModel } from './dialogue/dialogue-model';
import { classifyError } from './dialogue/errors';
import { allowHubDownloads, configureBrowserRuntime } from './dialogue/runtime-setup';

declare const self: DedicatedWorkerGlobalScope;

const { threads } = configureBrowserRuntime();
let model: DialogueModel | null = null;
let generating: string | null = null;

function post(event: DialogueEvent): void {
  self.postMessage(event);
}

async function load(request: Extract<DialogueRequest, { type: 'load' }>): Promise<void> {
  await model?.resetCache();
  model = null;
  allowHubDownloads(!request.model.local);
  const webgpu = await detectWebGpu();
  const choice = chooseBackend(request.backend, webgpu, request.model.dtypes);
  const loadWith = (c: BackendChoice) =>
    DialogueModel.load({
      modelId: request.model.id,
      device: c.backend,
      dtype: c.dtype,
      contextWindow: request.model.contextWindow,
      localOnly: request.model.local,
      onProgress: (progress) => post({ type: 'progress', id: request.id, progress }),
    });
  try {
    model = await loadWith(choice);
    post({ type: 'ready', id: request.id, ...choice, threads });
  } catch (error) {
    if (choice.backend !== 'webgpu') throw error;
    // A GPU that advertises WebGPU can still fail to compile or allocate: fall back to the CPU.
    const fallback = chooseBackend('wasm', webgpu, request.model.dtypes);
    fallback.fallbackReason = `WebGPU failed to load the model (${classifyError(error).message}). Using WebAssembly (CPU).`;
    model = await loadWith(fallback);
    post({ type: 'ready', id: request.id, ...fallback, threads });
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
      onText: (text) => post({ type: 'token', id: request.id, text }),
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
  }
}

self.addEventListener('message', (message: MessageEvent<DialogueRequest>) => {
  const request = message.data;
  handle(request).catch((error: unknown) => {
    post({ type: 'error', id: request.id, ...classifyError(error) });
  });
});
