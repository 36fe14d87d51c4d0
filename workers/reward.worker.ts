/// <reference lib="webworker" />
/**
 * The reward worker (DESIGN §4, §5): a sentence encoder feeding the user's personal reward head,
 * and the safety classifier. The message handling lives in reward/reward-service.ts.
 */
import { env } from '@huggingface/transformers';
import type { RewardEvent, RewardRequest } from './shared/reward-protocol';
import { detectWebGpu } from './shared/backend-choice';
import { DEFAULT_MODEL_HOST } from './shared/cache-keys';
import { allowHubDownloads, configureBrowserRuntime, setModelHost } from './dialogue/runtime-setup';
import { RewardService } from './reward/reward-service';

declare const self: DedicatedWorkerGlobalScope;

const { guard } = configureBrowserRuntime();
// An encoder and a classifier over a few sentences are small jobs: one thread is enough, and it
// leaves the cores to the chat model, which runs beside this worker (and spawns no pthread workers).
if (env.backends.onnx.wasm) env.backends.onnx.wasm.numThreads = 1;
const service = new RewardService({
  detectWebGpu,
  beforeLoad(spec) {
    allowHubDownloads(!spec.local);
    setModelHost(spec.host ?? DEFAULT_MODEL_HOST);
  },
  guard,
});

function post(event: RewardEvent): void {
  self.postMessage(event);
}

// RewardService queues the requests itself (the shared RequestQueue), so Node tests run it as the worker does.
self.addEventListener('message', (message: MessageEvent<RewardRequest>) => {
  void service.handle(message.data, post);
});
