/** The worker side of a bare benchmark page: one request at a time, errors turned into messages. */
import { errorMessage, type BenchRaw, type WorkerRequest, type WorkerResponse } from './bench-api';

export function serveBenchRaw(implementation: BenchRaw): void {
  const post = (message: WorkerResponse) => self.postMessage(message);
  // Requests run one after another, as a benchmark driver would issue them anyway; a second
  // generate must never overlap the first and skew both timings.
  let queue: Promise<void> = Promise.resolve();
  self.addEventListener('message', (event: MessageEvent<WorkerRequest>) => {
    const request = event.data;
    queue = queue.then(async () => {
      try {
        const value = await dispatch(implementation, request);
        post({ type: 'result', id: request.id, ok: true, value });
      } catch (error) {
        post({ type: 'result', id: request.id, ok: false, error: errorMessage(error) });
      }
    });
  });
  post({ type: 'ready' });
}

function dispatch(implementation: BenchRaw, request: WorkerRequest): Promise<unknown> {
  switch (request.method) {
    case 'load':
      return implementation.load(request.opts);
    case 'generate':
      return implementation.generate(request.opts);
    case 'dispose':
      return implementation.dispose();
  }
}
