/**
 * The page side of the prefill-memory benchmark: relays one `run` to its worker, so the page
 * itself holds nothing of the model.
 */
import { openBenchWorker } from './bench-client';
import type { PrefillMemoryPage } from './prefill-memory-api';

declare global {
  interface Window {
    prefillMemory?: PrefillMemoryPage;
  }
}

openBenchWorker<PrefillMemoryPage>(
  {
    name: 'prefill-memory',
    create: () => new Worker(new URL('./prefill-memory.worker.ts', import.meta.url), { type: 'module' }),
    methods: { run: true },
  },
  (worker) => {
    window.prefillMemory = {
      run: (options) => {
        // The heap only grows: a second run in the same worker would measure nothing new.
        if (document.body.dataset.ran) return Promise.reject(new Error('one run per page: open a fresh page'));
        document.body.dataset.ran = 'true';
        return worker.run(options);
      },
    };
  },
);
