/**
 * The per-address request limit (@fastify/rate-limit), applied to everything an address sends:
 * routed requests, requests for routes that do not exist (404), and requests that never reach a
 * route because their URL or their HTTP could not be parsed. Counting only the well-formed ones
 * would let a client probe or hammer the server for free with the others.
 *
 * Counts live in this process's memory only, keyed by client address; nothing is written down.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, RouteHandlerMethod } from 'fastify';
import { ClientError } from './errors';

export interface AddressVerdict {
  limited: boolean;
  /** Seconds until the address may send again; 0 when not limited. */
  retryAfterSeconds: number;
}

/** Counts one request that reached no route (bad URL, unparseable HTTP) against its address. */
export type CountUnrouted = (address: string | undefined) => Promise<AddressVerdict>;

const NOT_LIMITED: AddressVerdict = { limited: false, retryAfterSeconds: 0 };

export function limitedError(max: number, after: string): ClientError {
  return new ClientError(429, 'Too many requests from this address; try again later.', [`the limit is ${max} requests per minute; retry in ${after}`]);
}

/**
 * Registers the limit (when `perMinute` > 0) and the 404 handler, which the limit must also
 * cover. Returns the counter for requests that reach no route.
 */
export function registerRateLimit(app: FastifyInstance, perMinute: number, notFound: RouteHandlerMethod): CountUnrouted {
  if (perMinute <= 0) {
    app.setNotFoundHandler(notFound);
    return async () => NOT_LIMITED;
  }

  app.register(rateLimit, {
    global: true,
    max: perMinute,
    timeWindow: 60_000,
    errorResponseBuilder: (_request, context) => limitedError(context.max, context.after),
  });

  let check: ((request: { ip: string; routeOptions: { config: object } }) => Promise<{ isExceeded?: boolean; ttlInSeconds?: number }>) | undefined;
  app.after(() => {
    // Routes get the limit from the plugin's global hook; the 404 handler only when asked.
    app.setNotFoundHandler({ preHandler: app.rateLimit() }, notFound);
    check = app.createRateLimit() as unknown as typeof check;
  });

  return async (address) => {
    if (check === undefined || address === undefined) return NOT_LIMITED;
    // Such a request has no route, hence no route options: the limiter reads only these two.
    const verdict = await check({ ip: address, routeOptions: { config: {} } });
    return verdict.isExceeded === true ? { limited: true, retryAfterSeconds: Math.max(1, verdict.ttlInSeconds ?? 60) } : NOT_LIMITED;
  };
}
