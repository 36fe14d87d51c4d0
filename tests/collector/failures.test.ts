/**
 * When the collector itself fails (here: its database goes away under it), the client gets a 500
 * that shows nothing internal, /healthz says so with a 503, and the log names the error but not
 * the client's address.
 */
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogger } from '../../collector/log';
import { makeBundle, newToken } from './support/bundles';
import { postBundle, startCollector, type RunningCollector } from './support/collector';

let server: RunningCollector;
let log = '';

beforeAll(async () => {
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
  server = await startCollector({}, { logger: createLogger('warn', stream) });
});
afterAll(async () => {
  await server?.close();
});

it('answers 500 without internals, and /healthz 503, when the database is gone', async () => {
  expect((await postBundle(server.url, makeBundle(), { token: newToken() })).status).toBe(201);
  await server.breakStore();

  const response = await postBundle(server.url, makeBundle(), { token: newToken() });
  expect(response.status).toBe(500);
  const text = await response.text();
  expect(JSON.parse(text)).toEqual({
    error: 'The collector failed to handle this request.',
    problems: ['an internal error occurred; try again later'],
  });
  expect(text).not.toMatch(/database|sqlite|stack|at /i);

  const health = await fetch(`${server.url}/healthz`);
  expect(health.status).toBe(503);
  expect(((await health.json()) as { ok: boolean }).ok).toBe(false);

  // Client errors stay 4xx even now: they are decided before the database is touched.
  expect((await postBundle(server.url, '{', { token: newToken() })).status).toBe(400);

  expect(log).toMatch(/unexpected error/);
  expect(log).toMatch(server.location.kind === 'sqlite' ? /database connection is not open/ : /database .* does not exist|terminat/);
  expect(log).not.toMatch(/127\.0\.0\.1|remoteAddress/);
});
