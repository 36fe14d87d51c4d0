/**
 * Builds the collector's Fastify instance (routes, CORS, rate limit, error bodies) without
 * listening, so tests and main.ts start it the same way.
 */
import cors from '@fastify/cors';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { CollectorConfig } from './config';
import { answerAfterDrainingBodies, refuseOversizedBeforeContinue } from './early-answers';
import { ClientError, clip, sentenceFor, type ErrorBody } from './errors';
import { limitedError, registerRateLimit, type CountUnrouted } from './rate-limit';
import { bundleRoutes } from './routes/bundles';
import { communityRoutes } from './routes/community';
import { healthRoutes } from './routes/health';
import type { DonationStore } from './store/donation-store';

export interface ServerOptions {
  /** The structured log (log.ts); off unless given. Never a body, a header or an address. */
  logger?: FastifyBaseLogger;
}

const INTERNAL: ErrorBody = {
  error: 'The collector failed to handle this request.',
  problems: ['an internal error occurred; try again later'],
};

export function buildServer(config: CollectorConfig, storage: DonationStore, options: ServerOptions = {}): FastifyInstance {
  // Set once the rate limit is registered; requests that reach no route are counted through it.
  let countUnrouted: CountUnrouted = async () => ({ limited: false, retryAfterSeconds: 0 });
  const app = Fastify({
    ...(options.logger === undefined ? { logger: false } : { loggerInstance: options.logger }),
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: false,
    requestTimeout: 60_000,
    bodyLimit: config.maxBodyBytes,
    clientErrorHandler: (error, socket) => void answerBrokenRequest(error, socket, countUnrouted),
    // A URL Fastify cannot decode (`/v1/bundles/%`) never reaches a route or its hooks.
    frameworkErrors: async (error, request, rawReply) => {
      // The generic reply type here is unresolved; it is an ordinary reply.
      const reply = rawReply as unknown as FastifyReply;
      const verdict = await countUnrouted(request.ip);
      if (verdict.limited) {
        reply.header('retry-after', String(verdict.retryAfterSeconds));
        return reply.code(429).send(limitedError(config.rateLimitPerMinute, `${verdict.retryAfterSeconds} seconds`).body());
      }
      const body: ErrorBody = { error: sentenceFor(400), problems: [clip(error.message)] };
      return reply.code(400).send(body);
    },
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ClientError) return reply.code(error.statusCode).send(error.body());
    const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status >= 400 && status < 500) {
      const body: ErrorBody = { error: sentenceFor(status), problems: [clip(error.message || sentenceFor(status))] };
      return reply.code(status).send(body);
    }
    request.log.error({ err: error }, 'unexpected error');
    return reply.code(500).send(INTERNAL);
  });

  // Plugins answer some errors themselves (CORS: "Invalid Preflight Request" as text/plain);
  // every error still leaves in the documented `{error, problems}` shape.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (reply.statusCode < 400 || /^application\/json/.test(String(reply.getHeader('content-type') ?? ''))) return payload;
    const detail = typeof payload === 'string' && payload.trim() !== '' ? payload : sentenceFor(reply.statusCode);
    reply.type('application/json; charset=utf-8');
    return JSON.stringify({ error: sentenceFor(reply.statusCode), problems: [clip(detail)] } satisfies ErrorBody);
  });
  // One structured line per answered request: the route's pattern (never the URL, which can hold
  // a bundle id), the status and the time taken. No address, no headers, no body.
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      { method: request.method, route: request.routeOptions.url ?? '(no route)', status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'request',
    );
  });
  answerAfterDrainingBodies(app, config.maxBodyBytes);
  refuseOversizedBeforeContinue(app, config.maxBodyBytes);

  app.register(cors, {
    origin: config.origins,
    methods: ['GET', 'POST', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['Content-Type', 'Authorization', 'Content-Encoding', 'If-None-Match'],
    // The outbox reads Retry-After to back off after a 429.
    exposedHeaders: ['Retry-After', 'ETag'],
    maxAge: 600,
  });

  countUnrouted = registerRateLimit(app, config.rateLimitPerMinute, (request, reply) => {
    const body: ErrorBody = { error: 'Nothing is here.', problems: [clip(`no route for ${request.method} ${request.url}`)] };
    return reply.code(404).send(body);
  });

  app.register(healthRoutes, { storage });
  app.register(communityRoutes, { dir: config.communityDir });
  app.register(bundleRoutes, { storage, maxBodyBytes: config.maxBodyBytes });
  return app;
}

/**
 * Requests Node's HTTP parser rejects never reach a route; they still count against their
 * address's limit and get the JSON error shape.
 */
async function answerBrokenRequest(error: Error & { code?: string }, socket: Socket, countUnrouted: CountUnrouted): Promise<void> {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const verdict = await countUnrouted(socket.remoteAddress);
  const status = verdict.limited ? 429 : error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const body = JSON.stringify({
    error: status === 431 ? 'The request headers are too large.' : sentenceFor(status),
    problems: [
      status === 429 ? `retry in ${verdict.retryAfterSeconds} seconds` : status === 408 ? 'the request did not arrive in time' : 'the HTTP request could not be parsed',
    ],
  } satisfies ErrorBody);
  if (!socket.writable) return;
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      (verdict.limited ? `Retry-After: ${verdict.retryAfterSeconds}\r\n` : '') +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
