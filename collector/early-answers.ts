/**
 * Answers given before a body was read must still reach the client.
 *
 * A 429 from the rate limit, or a 400/415 decided from the headers, is sent while the client is
 * still uploading. If the server then closes the connection with the body unread, the kernel
 * resets it and a client busy sending a megabyte sees EPIPE instead of the answer, so the app's
 * outbox never reads Retry-After. So the rest of a body is read and dropped (never buffered)
 * before such an answer goes out, up to the body limit; past it the connection is closed.
 *
 * `Expect: 100-continue` is the polite form of the same problem: a client that announces a body
 * larger than the limit is refused before it is invited to send it.
 */
import type { FastifyInstance } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import { tooLarge } from './body/read-body';

/** Reads and drops the rest of `raw`; true when it ended within `limit` bytes. */
export function drainBody(raw: IncomingMessage, limit: number): Promise<boolean> {
  if (raw.readableEnded || raw.destroyed) return Promise.resolve(raw.readableEnded);
  return new Promise<boolean>((resolve) => {
    let bytes = 0;
    const settle = (ended: boolean): void => {
      raw.off('data', onData);
      raw.off('end', onEnd);
      raw.off('error', onFailure);
      raw.off('close', onFailure);
      resolve(ended);
    };
    const onData = (chunk: Buffer): void => {
      bytes += chunk.length;
      if (bytes > limit) settle(false);
    };
    const onEnd = (): void => settle(true);
    const onFailure = (): void => settle(raw.readableEnded);
    raw.on('data', onData);
    raw.on('end', onEnd);
    raw.on('error', onFailure);
    raw.on('close', onFailure);
    raw.resume();
  });
}

export function answerAfterDrainingBodies(app: FastifyInstance, maxBodyBytes: number): void {
  app.addHook('onSend', async (request, reply, payload) => {
    // A route that gave up on a body mid-way has already chosen to close the connection.
    if (reply.getHeader('connection') === 'close' || request.raw.readableEnded) return payload;
    const declared = Number(request.headers['content-length'] ?? 0);
    const ended = declared <= maxBodyBytes && (await drainBody(request.raw, maxBodyBytes));
    if (!ended) reply.header('connection', 'close');
    return payload;
  });
}

/** Refuses an announced oversized body before `100 Continue`; lets every other request through as usual. */
export function refuseOversizedBeforeContinue(app: FastifyInstance, maxBodyBytes: number): void {
  app.server.on('checkContinue', (request: IncomingMessage, response: ServerResponse) => {
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > maxBodyBytes) {
      const error = tooLarge(maxBodyBytes, `Content-Length ${request.headers['content-length']}`);
      const body = JSON.stringify(error.body());
      response.writeHead(413, STATUS_CODES[413], {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
        connection: 'close',
      });
      response.end(body);
      return;
    }
    response.writeContinue();
    app.server.emit('request', request, response);
  });
}
