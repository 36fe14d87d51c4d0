/**
 * Builds the collector's Fastify instance (routes, CORS, rate limit, error bodies) without
 * listening, so tests and main.ts start it the same way.
 */
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { CollectorConfig } from './config';
import { ClientError, clip, sentenceFor, type ErrorBody } from './errors';
import { bundleRoutes } from './routes/bundles';
import { healthRoutes } from './routes/health';
import type { Storage } from './storage';

export interface ServerOptions {
  /** Fastify's logger; off unless given. Requests are never logged, and never with an address. */
  logger?: FastifyServerOptions['logger'];
}

/** Logs that mention a request name its method and path only: no client address, no headers. */
export const privacyLogSerializers = {
  req: (request: { method: string; url: string }) => ({ method: request.method, url: request.url }),
};

const INTERNAL: ErrorBody = {
  error: 'The collector failed to handle this request.',
  problems: ['an internal error occurred; try again later'],
};

export function buildServer(config: CollectorConfig, storage: Storage, options: ServerOptions = {}): FastifyInstance {
  const app = Fastify({
    logger: options.logger ?? false,
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: false,
    requestTimeout: 60_000,
    bodyLimit: config.maxBodyBytes,
    clientErrorHandler: answerBrokenRequest,
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

  app.setNotFoundHandler((request, reply) => {
    const body: ErrorBody = { error: 'Nothing is here.', problems: [clip(`no route for ${request.method} ${request.url}`)] };
    return reply.code(404).send(body);
  });

  app.register(cors, {
    origin: config.origins,
    methods: ['GET', 'POST', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['Content-Type', 'Authorization', 'Content-Encoding'],
    // The outbox reads Retry-After to back off after a 429.
    exposedHeaders: ['Retry-After'],
    maxAge: 600,
  });

  if (config.rateLimitPerMinute > 0) {
    // Counts live in this process's memory only, keyed by client address; nothing is written down.
    app.register(rateLimit, {
      global: true,
      max: config.rateLimitPerMinute,
      timeWindow: 60_000,
      errorResponseBuilder: (_request, context) =>
        new ClientError(context.statusCode, 'Too many requests from this address; try again later.', [
          `the limit is ${context.max} requests per minute; retry in ${context.after}`,
        ]),
    });
  }

  app.register(healthRoutes, { storage });
  app.register(bundleRoutes, { storage, maxBodyBytes: config.maxBodyBytes });
  return app;
}

/** Requests Node's HTTP parser rejects never reach a route; they still get the JSON error shape. */
function answerBrokenRequest(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const body = JSON.stringify({
    error: status === 431 ? 'The request headers are too large.' : sentenceFor(status),
    problems: [status === 408 ? 'the request did not arrive in time' : 'the HTTP request could not be parsed'],
  } satisfies ErrorBody);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
