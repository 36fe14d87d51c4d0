/**
 * The page side of the prefill-memory benchmark: relays one `run` to its worker, so the page
 * itself holds nothing of the model. `data-ready` says the worker's modules loaded.
 */
import type { PrefillMemoryOptions, PrefillMemoryPage, PrefillMemoryReply, PrefillMemoryResult } from './prefill-memory-api';

declare global {
  interface Window {
    prefillMemory?: PrefillMemoryPage;
  }
}

const worker = new Worker(new URL('./prefill-memory.worker.ts', import.meta.url), { type: 'module' });
let pending: { resolve: (value: PrefillMemoryResult) => void; reject: (error: Error) => void } | null = null;

const fail = (message: string) => {
  document.body.dataset.error = message;
  pending?.reject(new Error(message));
  pending = null;
};

worker.addEventListener('message', (event: MessageEvent<PrefillMemoryReply>) => {
  const reply = event.data;
  if (reply.type === 'ready') {
    window.prefillMemory = {
      run: (options: PrefillMemoryOptions) =>
        new Promise((resolve, reject) => {
          // The heap only grows: a second run in the same worker would measure nothing new.
          if (pending || document.body.dataset.ran) return reject(new Error('one run per page: open a fresh page'));
          document.body.dataset.ran = 'true';
          pending = { resolve, reject };
          worker.postMessage(options);
        }),
    };
    document.body.dataset.ready = 'true';
  } else if (reply.ok) {
    pending?.resolve(reply.value);
    pending = null;
  } else {
    fail(reply.error);
  }
});
// A worker that dies (a module that fails to load, an abort) never answers: say why instead of hanging.
worker.addEventListener('error', (event) => fail(`prefill-memory worker failed: ${event.message || 'module did not load'}`));
