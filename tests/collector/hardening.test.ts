/**
 * Regression tests for what an outside attack found (issue 13): one error-heavy request froze
 * the server, one UUID could be stored three times, self-contradicting bundles were stored, a
 * rate-limited large upload saw EPIPE instead of its 429, and some errors left in other shapes.
 */
import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DonationBundle } from '../../src/donation/bundle-types';
import { makeBundle, newToken } from './support/bundles';
import { postBundle, startCollector, withdraw, type RunningCollector } from './support/collector';

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Informational answers (100 Continue) seen before the final one. */
  informational: number[];
}

/** A POST through node:http, so a failure to read the answer (EPIPE, reset) is visible as such. */
function rawPost(url: string, body: Buffer, headers: Record<string, string>, options: { expectContinue?: boolean } = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const informational: number[] = [];
    const req = request(`${url}/v1/bundles`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, informational }));
    });
    req.on('information', (info) => informational.push(info.statusCode));
    req.on('error', reject);
    if (options.expectContinue === true) {
      req.on('continue', () => req.end(body));
      req.flushHeaders();
    } else {
      req.end(body);
    }
  });
}

function errorBody(text: string): { error: string; problems: string[] } {
  const body = JSON.parse(text) as { error: unknown; problems: unknown };
  expect(typeof body.error).toBe('string');
  expect(Array.isArray(body.problems) && body.problems.length > 0).toBe(true);
  return body as { error: string; problems: string[] };
}

describe('validation cost does not grow with the number of errors', () => {
  let server: RunningCollector;
  beforeAll(async () => {
    server = await startCollector();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers a bundle with 20,000 bad messages at once, and /healthz is not kept waiting', async () => {
    const bundle = makeBundle({ conversations: 1, turns: 1 }) as unknown as { conversations: Array<{ messages: unknown[] }> };
    bundle.conversations[0]!.messages = Array.from({ length: 20_000 }, () => ({ id: 'x', role: 'x', text: 1 }));
    const started = performance.now();
    const [answer, health] = await Promise.all([
      postBundle(server.url, bundle, { token: newToken() }).then(async (r) => ({ status: r.status, body: await r.text(), at: performance.now() })),
      // Sent right behind the big body: before the fix it waited the full 20 s of validation.
      new Promise((resolve) => setTimeout(resolve, 20)).then(() => fetch(`${server.url}/healthz`)).then((r) => ({ status: r.status, at: performance.now() })),
    ]);
    expect(answer.status).toBe(422);
    expect(errorBody(answer.body).problems).toEqual(['/conversations/0/messages: must NOT have more than 1000 items']);
    // Bounds, not benchmarks: before the fix this took 20 s (and 4 s at 10,000 messages).
    expect(answer.at - started).toBeLessThan(1_000);
    expect(health.status).toBe(200);
    expect(health.at - started).toBeLessThan(1_000);
  });

  it('answers a ~5 MiB bundle whose every message is wrong within a second', async () => {
    const bundle = makeBundle({ conversations: 1, turns: 1 }) as unknown as { conversations: Array<{ id: string; messages: unknown[] }> };
    bundle.conversations = Array.from({ length: 500 }, (_, c) => ({
      id: `c${c + 1}`,
      messages: Array.from({ length: 200 }, () => ({ id: 'bad', role: 'robot', text: 7, extra: true })),
    }));
    const json = JSON.stringify(bundle);
    expect(json.length).toBeGreaterThan(4 * 1024 * 1024);
    expect(json.length).toBeLessThanOrEqual(server.config.maxBodyBytes);
    const started = performance.now();
    const response = await postBundle(server.url, json, { token: newToken() });
    expect(response.status).toBe(422);
    await response.arrayBuffer();
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('stores a valid ~5 MiB bundle of 60,000 short messages within a second', async () => {
    const bundle = makeBundle({ conversations: 1, turns: 1 });
    let id = 0;
    bundle.conversations = Array.from({ length: 60 }, (_, c) => ({
      id: `c${c + 1}`,
      messages: Array.from({ length: 1000 }, (_, m) => ({ id: `m${++id}`, role: m % 2 === 0 ? ('user' as const) : ('assistant' as const), text: 'A short turn of chat text.' })),
    }));
    bundle.consent.scope.conversationCount = 60;
    bundle.consent.scope.includesFeedback = false;
    const json = JSON.stringify(bundle);
    expect(json.length).toBeGreaterThan(3.5 * 1024 * 1024);
    expect(json.length).toBeLessThanOrEqual(server.config.maxBodyBytes);
    const started = performance.now();
    const response = await postBundle(server.url, json, { token: newToken() });
    expect(response.status, await response.text()).toBe(201);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('bundle ids have one form', () => {
  let server: RunningCollector;
  beforeAll(async () => {
    server = await startCollector();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('stores a UUID once: upper case and urn:uuid: forms are refused with the canonical form named', async () => {
    const bundle = makeBundle();
    const token = newToken();
    expect((await postBundle(server.url, bundle, { token })).status).toBe(201);
    for (const id of [bundle.bundleId.toUpperCase(), `urn:uuid:${bundle.bundleId}`, `{${bundle.bundleId}}`]) {
      const response = await postBundle(server.url, { ...bundle, bundleId: id }, { token });
      expect(response.status, id).toBe(422);
      expect(errorBody(await response.text()).problems[0]).toMatch(/^\/bundleId: must match pattern/);
    }
    expect(await server.storage.countBundles()).toBe(1);
  });

  it('withdraws the stored bundle when it is named in another form, and refuses what is no UUID', async () => {
    const bundle = makeBundle();
    const token = newToken();
    expect((await postBundle(server.url, bundle, { token })).status).toBe(201);
    const response = await withdraw(server.url, bundle.bundleId.toUpperCase(), token);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { bundleId: string }).bundleId).toBe(bundle.bundleId);
    const junk = await withdraw(server.url, 'not-a-uuid', token);
    expect(junk.status).toBe(400);
    expect(errorBody(await junk.text()).problems[0]).toMatch(/lower-case UUIDs/);
  });
});

describe('bundles that contradict themselves are refused', () => {
  let server: RunningCollector;
  beforeAll(async () => {
    server = await startCollector();
  });
  afterAll(async () => {
    await server?.close();
  });

  const base = () => makeBundle({ conversations: 2, turns: 2 });
  const reply = (bundle: DonationBundle) => bundle.conversations[0]!.messages[1]!;
  const user = (bundle: DonationBundle) => bundle.conversations[0]!.messages[0]!;
  const cases: Array<{ name: string; edit: (bundle: DonationBundle) => void; problem: RegExp }> = [
    {
      name: 'a consent count that does not match the conversations',
      edit: (b) => void (b.consent.scope.conversationCount = 1),
      problem: /^\/consent\/scope\/conversationCount: says 1 but the bundle holds 2 conversations$/,
    },
    {
      name: 'feedback in a bundle whose consent excludes feedback',
      edit: (b) => {
        b.consent.scope.includesFeedback = false;
        reply(b).feedback = { rating: 'up', reasons: [] };
      },
      problem: /\/feedback: the consent record says this bundle includes no feedback$/,
    },
    { name: 'a conversation id used twice', edit: (b) => void (b.conversations[1]!.id = 'c1'), problem: /^\/conversations\/1\/id: "c1" is used twice/ },
    {
      name: 'a message id used twice',
      edit: (b) => void (b.conversations[1]!.messages[0]!.id = user(b).id),
      problem: /^\/conversations\/1\/messages\/0\/id: "m1" is used twice/,
    },
    {
      name: 'feedback on a user message',
      edit: (b) => void (user(b).feedback = { rating: 'down', reasons: ['rude'] }),
      problem: /^\/conversations\/0\/messages\/0\/feedback: only the bot's replies carry feedback/,
    },
    {
      name: 'a reward on a user message',
      edit: (b) => void (user(b).reward = { label: '__ok__', probability: 0.5 }),
      problem: /^\/conversations\/0\/messages\/0\/reward: only the bot's replies/,
    },
    {
      name: 'reasons on a thumbs-up',
      edit: (b) => void (reply(b).feedback = { rating: 'up', reasons: ['rude'] }),
      problem: /\/feedback\/reasons: reasons belong to a thumbs-down only$/,
    },
    { name: 'createdAt in the year 9999', edit: (b) => void (b.createdAt = '9999-01-01T00:00:00Z'), problem: /^\/createdAt: 9999-01-01T00:00:00Z is in the future$/ },
    { name: 'createdAt before the app existed', edit: (b) => void (b.createdAt = '1970-01-01T00:00:00Z'), problem: /^\/createdAt: .* before this app existed$/ },
    {
      name: 'consent given after the bundle was made',
      edit: (b) => void (b.consent.givenAt = new Date(Date.parse(b.createdAt) + 60_000).toISOString()),
      problem: /^\/consent\/givenAt: consent is dated after the bundle was created$/,
    },
  ];

  for (const c of cases) {
    it(`${c.name} → 422 naming the problem, nothing stored`, async () => {
      const bundle = base();
      c.edit(bundle);
      const response = await postBundle(server.url, bundle, { token: newToken() });
      expect(response.status).toBe(422);
      const body = errorBody(await response.text());
      expect(body.problems).toHaveLength(1);
      expect(body.problems[0]).toMatch(c.problem);
      expect(await server.storage.countBundles()).toBe(0);
    });
  }

  it('still takes a consistent bundle (the same one, unedited)', async () => {
    expect((await postBundle(server.url, base(), { token: newToken() })).status).toBe(201);
  });
});

describe('answers sent before the body is read still reach the client', () => {
  let server: RunningCollector;
  beforeAll(async () => {
    server = await startCollector({ rateLimitPerMinute: 1 });
  });
  afterAll(async () => {
    await server?.close();
  });

  /**
   * Sends headers and the whole body the way a simple client does (write all, then read), with
   * `Connection: close`, and reports whether the write completed and what came back.
   */
  function sendThenRead(body: Buffer, headers: string): Promise<{ writeError?: string; answer: string }> {
    const port = Number(new URL(server.url).port);
    return new Promise((resolve) => {
      let answer = '';
      let writeError: string | undefined;
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(`POST /v1/bundles HTTP/1.1\r\nHost: collector\r\nConnection: close\r\n${headers}Content-Length: ${body.length}\r\n\r\n`);
        socket.write(body, (error) => {
          if (error) writeError = error.message;
        });
      });
      socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
      socket.on('error', (error) => (writeError ??= error.message));
      socket.on('close', () => resolve({ writeError, answer }));
    });
  }

  it('a rate-limited 4 MiB upload is read to its end, so the client sees its 429 and Retry-After (not EPIPE)', async () => {
    expect((await postBundle(server.url, makeBundle(), { token: newToken() })).status).toBe(201);
    const big = Buffer.from(JSON.stringify({ ...makeBundle(), padding: 'x'.repeat(4 * 1024 * 1024) }));
    for (let i = 0; i < 3; i++) {
      const { writeError, answer } = await sendThenRead(big, `Content-Type: application/json\r\nAuthorization: Bearer ${newToken()}\r\n`);
      expect(writeError).toBeUndefined();
      expect(answer).toMatch(/^HTTP\/1\.1 429 /);
      expect(answer).toMatch(/\r\nretry-after: \d+\r\n/i);
      expect(errorBody(answer.slice(answer.indexOf('\r\n\r\n') + 4)).error).toMatch(/Too many requests/);
    }
  });
});

describe('every error has the documented shape, and every request counts', () => {
  it('answers an undecodable URL with the JSON error shape', async () => {
    const server = await startCollector();
    try {
      const response = await fetch(`${server.url}/v1/bundles/%`, { method: 'DELETE', headers: { authorization: `Bearer ${newToken()}` } });
      expect(response.status).toBe(400);
      const text = await response.text();
      expect(text).not.toMatch(/FST_ERR/);
      expect(errorBody(text).error).toBe('The request is malformed.');
    } finally {
      await server.close();
    }
  });

  it('answers an OPTIONS request that is no preflight with the JSON error shape', async () => {
    const server = await startCollector();
    try {
      const response = await fetch(`${server.url}/v1/bundles`, { method: 'OPTIONS' });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(errorBody(await response.text()).problems[0]).toMatch(/Preflight/);
    } finally {
      await server.close();
    }
  });

  it('counts 404s against the rate limit', async () => {
    const server = await startCollector({ rateLimitPerMinute: 3 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await fetch(`${server.url}/probe-${i}`)).status);
      expect(statuses).toEqual([404, 404, 404, 429, 429]);
    } finally {
      await server.close();
    }
  });

  it('counts requests whose HTTP or URL cannot be parsed against the rate limit', async () => {
    const server = await startCollector({ rateLimitPerMinute: 3 });
    try {
      const port = new URL(server.url).port;
      const garbage = () =>
        new Promise<string>((resolve, reject) => {
          const socket = connect(Number(port), '127.0.0.1', () => socket.end('NOT HTTP AT ALL\r\n\r\n'));
          let text = '';
          socket.on('data', (chunk) => (text += chunk.toString('latin1')));
          socket.on('close', () => resolve(text));
          socket.on('error', reject);
        });
      const first = await garbage();
      expect(first).toMatch(/^HTTP\/1\.1 400 /);
      expect(errorBody(first.slice(first.indexOf('\r\n\r\n') + 4)).problems).toEqual(['the HTTP request could not be parsed']);
      await garbage();
      expect((await fetch(`${server.url}/v1/bundles/%`)).status).toBe(400);
      const limited = await garbage();
      expect(limited).toMatch(/^HTTP\/1\.1 429 /);
      expect(limited).toMatch(/\r\nRetry-After: \d+\r\n/);
      // The address is now over its limit for well-formed requests too.
      expect((await fetch(`${server.url}/healthz`)).status).toBe(429);
      expect((await fetch(`${server.url}/v1/bundles/%`)).status).toBe(429);
    } finally {
      await server.close();
    }
  });

  it('refuses an announced 1 GB body before inviting it with 100 Continue', async () => {
    const server = await startCollector();
    try {
      const answer = await new Promise<RawAnswer>((resolve, reject) => {
        const informational: number[] = [];
        const req = request(`${server.url}/v1/bundles`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${newToken()}`, expect: '100-continue', 'content-length': String(1024 ** 3) },
        });
        req.on('information', (info) => informational.push(info.statusCode));
        req.on('continue', () => informational.push(100));
        req.on('response', (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => {
            req.destroy();
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body, informational });
          });
        });
        req.on('error', reject);
        req.flushHeaders();
      });
      expect(answer.informational).toEqual([]);
      expect(answer.status).toBe(413);
      expect(errorBody(answer.body).problems[0]).toMatch(/exceeds the limit/);
    } finally {
      await server.close();
    }
  });

  it('still invites and stores a small body sent with Expect: 100-continue', async () => {
    const server = await startCollector();
    try {
      const answer = await rawPost(server.url, Buffer.from(JSON.stringify(makeBundle())), { authorization: `Bearer ${newToken()}`, expect: '100-continue' }, { expectContinue: true });
      expect(answer.status).toBe(201);
    } finally {
      await server.close();
    }
  });

  it('names schemaVersion 1e400 for what it is, not "null"', async () => {
    const server = await startCollector();
    try {
      const text = JSON.stringify(makeBundle()).replace('"schemaVersion":1', '"schemaVersion":1e400');
      const response = await postBundle(server.url, text, { token: newToken() });
      expect(response.status).toBe(422);
      expect(errorBody(await response.text()).problems[0]).toBe('schemaVersion Infinity (a number out of range) is not supported; this side accepts 1');
    } finally {
      await server.close();
    }
  });
});
