/**
 * The messages between a benchmark page and its worker, on the app's worker-RPC layer
 * (workers/shared/rpc): a page's API is a set of async methods taking at most one argument, and
 * each call is one request that the worker answers with one `result` event (or an `error` event).
 * The messages are untyped per method: both ends are typed by the API interface itself.
 */
import type { ErrorKind } from '../../workers/shared/protocol';

/** What a page's API (an interface such as BenchRaw) must look like. */
export type BenchMethods<M> = { [K in keyof M]: (arg: never) => Promise<unknown> };

/**
 * A call of method `type`. `ping`, which no API has, is answered at once: it tells the page that
 * the worker's modules have loaded (a worker reads no message before its module has run).
 */
export interface BenchRequest {
  id: string;
  type: string;
  arg?: unknown;
}

export const PING = 'ping';

export type BenchEvent = { id: string; type: 'result'; value: unknown } | { id: string; type: 'error'; kind: ErrorKind; message: string };
