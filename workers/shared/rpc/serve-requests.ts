/**
 * The worker's side of WorkerRpc: requests run one at a time in arrival order (a second
 * generation waits for the first, so two never share a stop signal or a KV cache), except those
 * marked immediate (a stop must reach the generation it stops). A handler's failure becomes an
 * `error` event for its request, never an unhandled rejection.
 */
import type { ErrorKind } from '../protocol';

export interface MessagePort {
  addEventListener(type: 'message', listener: (message: MessageEvent) => void): void;
  postMessage(message: unknown): void;
}

export interface ServeOptions<Req extends { id: string; type: string }> {
  handle(request: Req): Promise<void>;
  /** Requests handled at once, beside the queue. */
  immediate?: (request: Req) => boolean;
  /** The error event's kind and message for a failure. */
  describe(error: unknown): { kind: ErrorKind; message: string };
}

export class RequestQueue<Req extends { id: string; type: string }> {
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly options: ServeOptions<Req>,
    /** Where a failed request's `error` event goes (the port it came from). */
    private readonly post: (event: { type: 'error'; id: string; kind: ErrorKind; message: string }, request: Req) => void,
  ) {}

  /** Queues (or, when immediate, runs) one request; resolves when it has been handled. */
  accept(request: Req): Promise<void> {
    const run = () =>
      this.options.handle(request).catch((error: unknown) => {
        this.post({ type: 'error', id: request.id, ...this.options.describe(error) }, request);
      });
    if (this.options.immediate?.(request)) return run();
    this.tail = this.tail.then(run);
    return this.tail;
  }
}

/** Serves requests arriving on `port` (the worker's global scope). */
export function serveRequests<Req extends { id: string; type: string }>(port: MessagePort, options: ServeOptions<Req>): RequestQueue<Req> {
  const queue = new RequestQueue<Req>(options, (event) => port.postMessage(event));
  port.addEventListener('message', (message: MessageEvent<Req>) => void queue.accept(message.data));
  return queue;
}
