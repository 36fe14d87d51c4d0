/**
 * The page side of a bare benchmark page: it only relays `window.benchRaw` calls to its worker,
 * so nothing on the main thread competes with the measured work.
 */
import type { BenchRaw, WorkerRequest, WorkerResponse } from './bench-api';

declare global {
  interface Window {
    benchRaw?: BenchRaw;
  }
}

/** A request without its id, per method (Omit over a union would merge the methods). */
type Call = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

export function relayBenchRaw(worker: Worker): void {
  const pending = new Map<number, Pending>();
  let nextId = 1;

  const failAll = (message: string) => {
    document.body.dataset.error = message;
    for (const { reject } of pending.values()) reject(new Error(message));
    pending.clear();
  };

  const call = <T>(request: Call): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ ...request, id } as WorkerRequest);
    });

  worker.addEventListener('message', (event: MessageEvent<WorkerResponse>) => {
    const message = event.data;
    if (message.type === 'ready') {
      window.benchRaw = {
        load: (opts) => call({ method: 'load', opts }),
        generate: (opts) => call({ method: 'generate', opts }),
        dispose: () => call({ method: 'dispose' }),
      };
      document.body.dataset.ready = 'true';
      return;
    }
    const waiting = pending.get(message.id);
    if (!waiting) return;
    pending.delete(message.id);
    if (message.ok) waiting.resolve(message.value);
    else waiting.reject(new Error(message.error));
  });
  // A worker whose module fails to load never says `ready`; say why instead of hanging.
  worker.addEventListener('error', (event) => failAll(`Benchmark worker failed: ${event.message || 'module did not load'}`));
  worker.addEventListener('messageerror', () => failAll('Benchmark worker sent a message that could not be read'));
}
