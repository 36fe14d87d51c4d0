/**
 * The app's side of a model worker, for every worker the app runs (dialogue, reward) and the
 * benchmark pages: requests get ids, each event goes to the request it names, an `error` event
 * rejects its request, and a worker that dies fails everything in flight at once (nothing
 * waits forever) and is replaced by a fresh one on the next request. Our own small module rather
 * than Comlink: the workers stream events (tokens, progress) per request and report errors as
 * data with a kind the UI acts on, neither of which Comlink's call/return proxies model.
 */
import type { ErrorKind } from '../protocol';
import { listenToWorker } from './worker-events';

/** A request as its caller writes it: the RPC layer adds the id. */
export type RequestBody<R> = R extends unknown ? Omit<R, 'id'> : never;

/** What every worker event has; an `error` event also says what went wrong. */
export type RpcEvent = { id: string; type: string } & ({ type: 'error'; kind: ErrorKind; message: string } | { type: string });

export interface WorkerRpcOptions {
  /** For ids and messages: 'dialogue', 'reward'. */
  name: string;
  create: () => Worker;
  /** The error a failed request rejects with. */
  error: (kind: ErrorKind, message: string) => Error;
}

interface Pending<E> {
  onEvent(event: E): void;
  fail(error: Error): void;
}

export class WorkerRpc<Req extends { id: string; type: string }, Ev extends RpcEvent> {
  private worker: Worker | null = null;
  private readonly pending = new Map<string, Pending<Ev>>();
  private nextId = 0;
  private readonly crashListeners = new Set<(error: Error) => void>();

  constructor(private readonly options: WorkerRpcOptions) {}

  /**
   * Sends a request. `answer` sees each of its events: a value settles the request with it,
   * undefined means "not the answer yet" (progress, tokens). An `error` event rejects it.
   */
  request<T>(body: RequestBody<Req>, answer: (event: Ev) => T | undefined): { id: string; result: Promise<T> } {
    const id = this.newId();
    const result = new Promise<T>((resolve, reject) => {
      this.pending.set(id, {
        onEvent: (event) => {
          if (isErrorEvent(event)) {
            this.pending.delete(id);
            reject(this.options.error(event.kind, event.message));
            return;
          }
          const value = answer(event);
          if (value === undefined) return;
          this.pending.delete(id);
          resolve(value);
        },
        fail: reject,
      });
      this.ensureWorker().postMessage({ ...body, id });
    });
    return { id, result };
  }

  /** A message that is not answered (a stop for request `id`); dropped when no worker runs. */
  notify(message: Req): void {
    this.worker?.postMessage(message);
  }

  /** Told when the worker died; in-flight requests have already failed. */
  onCrash(listener: (error: Error) => void): () => void {
    this.crashListeners.add(listener);
    return () => this.crashListeners.delete(listener);
  }

  /** Ends the worker (after a failed WebGPU session, say): in-flight requests fail; the next request starts a fresh one. */
  restart(reason = `The ${this.options.name} worker was restarted.`): void {
    this.stopWorker();
    this.failAll(this.options.error('worker-crashed', reason));
  }

  dispose(): void {
    this.restart(`The ${this.options.name} worker was shut down.`);
  }

  get inFlight(): number {
    return this.pending.size;
  }

  private newId(): string {
    this.nextId += 1;
    return `${this.options.name}-${this.nextId}`;
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = this.options.create();
    listenToWorker<Ev>(
      worker,
      (event) => this.pending.get(event.id)?.onEvent(event),
      (reason) => {
        // A late error from a worker already replaced says nothing about the current one.
        if (this.worker === worker) this.crashed(reason);
      },
    );
    this.worker = worker;
    return worker;
  }

  private crashed(reason: string): void {
    this.stopWorker();
    const error = this.options.error('worker-crashed', `The ${this.options.name} worker crashed (${reason}).`);
    this.failAll(error);
    for (const listener of this.crashListeners) listener(error);
  }

  private stopWorker(): void {
    this.worker?.terminate();
    this.worker = null;
  }

  private failAll(error: Error): void {
    const calls = [...this.pending.values()];
    this.pending.clear();
    for (const call of calls) call.fail(error);
  }
}

function isErrorEvent(event: RpcEvent): event is RpcEvent & { type: 'error'; kind: ErrorKind; message: string } {
  return event.type === 'error';
}
