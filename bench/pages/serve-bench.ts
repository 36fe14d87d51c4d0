/**
 * The worker side of a benchmark page: the app's serveRequests runs the calls one at a time (a
 * second generate must never overlap the first and skew both timings), and a method's failure
 * becomes an `error` event carrying its own message, which is what the driver checks and prints.
 */
import { serveRequests, type MessagePort } from '../../workers/shared/rpc/serve-requests';
import { errorMessage } from './bench-api';
import { PING, type BenchEvent, type BenchMethods, type BenchRequest } from './bench-rpc';

type Method = (arg: unknown) => Promise<unknown>;

export function serveBench<M extends BenchMethods<M>>(port: MessagePort, methods: M): void {
  const table = methods as unknown as Partial<Record<string, Method>>;
  const answer = (event: BenchEvent) => port.postMessage(event);
  serveRequests<BenchRequest>(port, {
    async handle({ id, type, arg }) {
      if (type === PING) return answer({ type: 'result', id, value: null });
      // Own properties only: `toString` is no method of a page's API.
      const method = Object.hasOwn(table, type) ? table[type] : undefined;
      if (!method) throw new Error(`the worker has no method ${JSON.stringify(type)}`);
      answer({ type: 'result', id, value: await method(arg) });
    },
    // No user sees these: a kind would add nothing to the message the driver reads.
    describe: (error) => ({ kind: 'unknown', message: errorMessage(error) }),
  });
}
