/**
 * The page side of a benchmark page: it only relays its window API's calls to its worker through
 * the app's WorkerRpc, so nothing on the main thread competes with the measured work.
 * `data-ready` on <body> says the worker's modules loaded; `data-error` says why it failed instead
 * (a module that did not load, a crash), so the driver never waits in vain.
 */
import { WorkerRpc } from '../../workers/shared/rpc/worker-rpc';
import { PING, type BenchEvent, type BenchMethods, type BenchRequest } from './bench-rpc';

export interface BenchWorkerOptions<M> {
  /** For request ids and crash messages. */
  name: string;
  create: () => Worker;
  /** Every method of `M`: a record rather than a list, so the compiler checks none is missing. */
  methods: Record<keyof M & string, true>;
}

/** Starts the worker; `expose` gets the API once the worker is ready. */
export function openBenchWorker<M extends BenchMethods<M>>(options: BenchWorkerOptions<M>, expose: (api: M) => void): void {
  const rpc = new WorkerRpc<BenchRequest, BenchEvent>({ name: options.name, create: options.create, error: (_kind, message) => new Error(message) });
  // The event, not its value, settles the request: a method may well resolve to undefined.
  const call = (type: string, arg?: unknown) =>
    rpc.request({ type, arg }, (event) => (event.type === 'result' ? event : undefined)).result.then((event) => event.value);
  const fail = (error: Error) => {
    document.body.dataset.error = error.message;
  };
  rpc.onCrash(fail);
  call(PING).then(() => {
    const api = Object.fromEntries(Object.keys(options.methods).map((type) => [type, (arg?: unknown) => call(type, arg)]));
    expose(api as unknown as M);
    document.body.dataset.ready = 'true';
  }, fail);
}
