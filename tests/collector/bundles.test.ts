/**
 * The collector's HTTP contract, over real HTTP against a listening server on a real store
 * (a SQLite file, or a PostgreSQL database, by test project): storing, receipts, idempotent resends, conflicts, every refusal (and that a refusal
 * stores nothing), gzip, and withdrawal.
 */
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashToken } from '../../collector/tokens';
import { makeBundle, newToken } from './support/bundles';
import { testStoreKind } from './support/test-store';
import { postBundle, startCollector, withdraw, type RunningCollector } from './support/collector';

const LIMIT = 256 * 1024;
let server: RunningCollector;

beforeAll(async () => {
  server = await startCollector({ maxBodyBytes: LIMIT });
});
afterAll(async () => {
  await server?.close();
});

async function rowCount(): Promise<number> {
  return (await server.probe.all<{ n: number }>('SELECT count(*) AS n FROM bundles'))[0]?.n ?? 0;
}

interface BundleRow {
  bundle_id: string;
  receipt_id: string;
  received_at: string;
  token_hash: string;
  schema_version: number;
  body: string;
  conversation_count: number;
  message_count: number;
}

async function row(bundleId: string): Promise<BundleRow | undefined> {
  const rows = await server.probe.all<BundleRow>(
    'SELECT bundle_id, receipt_id, received_at, token_hash, schema_version, body, conversation_count, message_count FROM bundles WHERE bundle_id = ?',
    bundleId,
  );
  return rows[0];
}


describe('POST /v1/bundles', () => {
  it('stores a valid bundle, answers 201 with a receipt, and keeps only the token hash', async () => {
    const bundle = makeBundle({ conversations: 2, turns: 3 });
    const token = newToken();
    const response = await postBundle(server.url, bundle, { token });
    expect(response.status).toBe(201);
    const receipt = (await response.json()) as { bundleId: string; receiptId: string; receivedAt: string };
    expect(receipt.bundleId).toBe(bundle.bundleId);
    expect(receipt.receiptId).toMatch(/^rcpt_[a-z2-7]{20}$/);
    expect(Number.isNaN(Date.parse(receipt.receivedAt))).toBe(false);

    const stored = await row(bundle.bundleId);
    expect(stored).toBeDefined();
    expect(stored?.receipt_id).toBe(receipt.receiptId);
    expect(stored?.received_at).toBe(receipt.receivedAt);
    expect(stored?.schema_version).toBe(1);
    expect(stored?.conversation_count).toBe(2);
    expect(stored?.message_count).toBe(12);
    expect(JSON.parse(stored?.body ?? 'null')).toEqual(bundle);
    expect(stored?.token_hash).toBe(hashToken(token));
    expect(stored?.token_hash).toMatch(/^[0-9a-f]{64}$/);

    const bytes = await server.probe.everything();
    expect(bytes).toContain(bundle.bundleId);
    expect(bytes).not.toContain(token);

    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true, store: testStoreKind(), schemaVersion: expect.any(Number), bundles: await rowCount() });
  });

  it('answers a resend with the same receipt (200) and stores one row; another token gets 409', async () => {
    const bundle = makeBundle();
    const token = newToken();
    const first = await postBundle(server.url, bundle, { token });
    expect(first.status).toBe(201);
    const receipt = await first.json();

    const again = await postBundle(server.url, bundle, { token });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(receipt);

    const gzipped = await postBundle(server.url, bundle, { token, gzip: true });
    expect(gzipped.status).toBe(200);
    expect(await gzipped.json()).toEqual(receipt);

    const other = await postBundle(server.url, bundle, { token: newToken() });
    expect(other.status).toBe(409);
    const body = (await other.json()) as { error: string; problems: string[] };
    expect(body.error).toMatch(/\S/);
    expect(body.problems.length).toBeGreaterThan(0);

    const rows = await server.probe.all('SELECT token_hash FROM bundles WHERE bundle_id = ?', bundle.bundleId);
    expect(rows).toEqual([{ token_hash: hashToken(token) }]);
  });

  it('accepts a gzip-compressed body', async () => {
    const bundle = makeBundle({ conversations: 3 });
    const response = await postBundle(server.url, bundle, { token: newToken(), gzip: true });
    expect(response.status).toBe(201);
    expect(JSON.parse((await row(bundle.bundleId))?.body ?? 'null')).toEqual(bundle);
  });
});

describe('refusals store nothing', () => {
  const token = newToken();
  let refusalBaseline = 0;

  beforeEach(async () => {
    // Each refusal is checked against the rows stored before it: a refusal must add none.
    refusalBaseline = await rowCount();
  });

  const cases: Array<{ name: string; status: number; send: () => Promise<Response> }> = [
    { name: 'malformed JSON', status: 400, send: () => postBundle(server.url, '{"schemaVersion": 1,', { token }) },
    { name: 'empty body', status: 400, send: () => postBundle(server.url, '', { token }) },
    { name: 'a JSON array', status: 400, send: () => postBundle(server.url, [makeBundle()], { token }) },
    { name: 'a JSON string', status: 400, send: () => postBundle(server.url, '"bundle"', { token }) },
    { name: 'JSON null', status: 400, send: () => postBundle(server.url, 'null', { token }) },
    { name: 'invalid UTF-8', status: 400, send: () => postBundle(server.url, Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { token }) },
    { name: 'a missing token', status: 400, send: () => postBundle(server.url, makeBundle(), { token: null }) },
    { name: 'a too-short token', status: 400, send: () => postBundle(server.url, makeBundle(), { token: 'short' }) },
    { name: 'a token with bad characters', status: 400, send: () => postBundle(server.url, makeBundle(), { token: `${'a'.repeat(40)}!` }) },
    {
      name: 'a Basic credential',
      status: 400,
      send: () => postBundle(server.url, makeBundle(), { token: null, headers: { authorization: `Basic ${'a'.repeat(40)}` } }),
    },
    { name: 'text/plain', status: 415, send: () => postBundle(server.url, makeBundle(), { token, contentType: 'text/plain' }) },
    { name: 'no Content-Type', status: 415, send: () => postBundle(server.url, makeBundle(), { token, contentType: null }) },
    {
      name: 'an unknown Content-Encoding',
      status: 415,
      send: () => postBundle(server.url, makeBundle(), { token, headers: { 'content-encoding': 'br' } }),
    },
    { name: 'schemaVersion 2', status: 422, send: () => postBundle(server.url, { ...makeBundle(), schemaVersion: 2 }, { token }) },
    {
      name: 'schema problems',
      status: 422,
      send: () => {
        const bundle = makeBundle() as unknown as Record<string, unknown>;
        bundle.donor = 'alice@example.com';
        bundle.extra = true;
        delete bundle.consent;
        return postBundle(server.url, bundle, { token });
      },
    },
    {
      name: 'a bundle id that is not a UUID',
      status: 422,
      send: () => postBundle(server.url, { ...makeBundle(), bundleId: 'not-a-uuid' }, { token }),
    },
    {
      // Ajv's uniqueItems compares these deep-equal, recursively: without the depth guard, a stack overflow.
      name: 'feedback reasons nested 20,000 levels deep',
      status: 422,
      send: () => {
        const bundle = makeBundle({ conversations: 1, turns: 1 });
        const reply = bundle.conversations[0]?.messages[1];
        if (reply === undefined) throw new Error('no reply');
        reply.feedback = { rating: 'down', reasons: [] };
        const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
        const text = JSON.stringify(bundle).replace('"reasons":[]', `"reasons":[${deep},${deep}]`);
        return postBundle(server.url, text, { token });
      },
    },
    {
      name: 'a body over the limit on the wire',
      status: 413,
      send: () => postBundle(server.url, { ...makeBundle(), padding: 'x'.repeat(LIMIT) }, { token }),
    },
    {
      name: 'a gzip bomb (small on the wire, over the limit decompressed)',
      status: 413,
      send: () => {
        const bomb = gzipSync(Buffer.from(`{"schemaVersion":1,"pad":"${' '.repeat(LIMIT * 8)}"}`));
        expect(bomb.length).toBeLessThan(LIMIT / 8);
        return postBundle(server.url, bomb, { token, headers: { 'content-encoding': 'gzip' } });
      },
    },
    {
      name: 'corrupt gzip',
      status: 400,
      send: () => {
        const gz = gzipSync(Buffer.from(JSON.stringify(makeBundle())));
        gz.fill(0x55, 12, 40);
        return postBundle(server.url, gz, { token, headers: { 'content-encoding': 'gzip' } });
      },
    },
    {
      name: 'truncated gzip',
      status: 400,
      send: () => {
        const gz = gzipSync(Buffer.from(JSON.stringify(makeBundle())));
        return postBundle(server.url, gz.subarray(0, gz.length - 20), { token, headers: { 'content-encoding': 'gzip' } });
      },
    },
    {
      name: 'plain JSON labelled gzip',
      status: 400,
      send: () => postBundle(server.url, JSON.stringify(makeBundle()), { token, headers: { 'content-encoding': 'gzip' } }),
    },
  ];

  for (const c of cases) {
    it(`${c.name} → ${c.status} with problems`, async () => {
      const response = await c.send();
      expect(response.status).toBe(c.status);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const body = (await response.json()) as { error: unknown; problems: unknown };
      expect(typeof body.error).toBe('string');
      expect(String(body.error)).toMatch(/\S/);
      expect(Array.isArray(body.problems)).toBe(true);
      expect((body.problems as unknown[]).length).toBeGreaterThan(0);
      for (const problem of body.problems as unknown[]) expect(typeof problem).toBe('string');
      expect(await rowCount()).toBe(refusalBaseline);
    });
  }

  it('names a wrong schemaVersion as such', async () => {
    const response = await postBundle(server.url, { ...makeBundle(), schemaVersion: 2 }, { token });
    const body = (await response.json()) as { problems: string[] };
    expect(body.problems.join(' ')).toMatch(/schemaVersion 2 is not supported/);
  });

  it('refuses deep nesting before the validator walks it', async () => {
    const deep = `${'['.repeat(5_000)}${']'.repeat(5_000)}`;
    const text = JSON.stringify({ ...makeBundle(), conversations: '@' }).replace('"@"', deep);
    const response = await postBundle(server.url, text, { token });
    expect(response.status).toBe(422);
    expect(((await response.json()) as { problems: string[] }).problems).toEqual(['bundle: nested deeper than 32 levels']);
  });

  it('names the first schema problem precisely, and only that one', async () => {
    const bundle = makeBundle() as unknown as Record<string, unknown>;
    bundle.donor = 'alice@example.com';
    bundle.extra = true;
    const response = await postBundle(server.url, bundle, { token });
    // Validation stops at the first problem, so its cost never grows with the number of errors.
    expect(((await response.json()) as { problems: string[] }).problems).toEqual(['bundle: unknown field "extra"']);
  });

  it('an oversized Content-Length is refused before the body is read', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${server.url}/v1/bundles`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'content-length': String(LIMIT * 100) },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write('{"schemaVersion":1'); // and never the rest
    });
    expect(status).toBe(413);
    expect(await rowCount()).toBe(refusalBaseline);
  });

  it('a chunked body (no Content-Length) is cut off at the limit with 413', async () => {
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${server.url}/v1/bundles`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      });
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.write('{"schemaVersion":1,"pad":"');
      const chunk = 'y'.repeat(16 * 1024);
      let sent = 0;
      const pump = (): void => {
        // Keep sending well past the limit unless the answer already came.
        while (sent < LIMIT * 3) {
          sent += chunk.length;
          if (!req.write(chunk)) {
            req.once('drain', pump);
            return;
          }
        }
        req.end('"}');
      };
      pump();
    });
    expect(status).toBe(413);
    expect((JSON.parse(body) as { problems: string[] }).problems.join(' ')).toMatch(/exceeds the limit/);
    expect(await rowCount()).toBe(refusalBaseline);
  });
});

describe('DELETE /v1/bundles/:id', () => {
  it('withdraws with the right token: content deleted, tombstone kept, re-POST → 410, repeat → same answer', async () => {
    const bundle = makeBundle();
    const token = newToken();
    expect((await postBundle(server.url, bundle, { token })).status).toBe(201);

    const response = await withdraw(server.url, bundle.bundleId, token);
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { bundleId: string; withdrawnAt: string };
    expect(answer.bundleId).toBe(bundle.bundleId);
    expect(Number.isNaN(Date.parse(answer.withdrawnAt))).toBe(false);

    expect(await row(bundle.bundleId)).toBeUndefined();
    const tombstone = await server.probe.all('SELECT bundle_id, withdrawn_at, token_hash FROM withdrawals WHERE bundle_id = ?', bundle.bundleId);
    expect(tombstone).toEqual([{ bundle_id: bundle.bundleId, withdrawn_at: answer.withdrawnAt, token_hash: hashToken(token) }]);

    const again = await withdraw(server.url, bundle.bundleId, token);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(answer);

    for (const t of [token, newToken()]) {
      const repost = await postBundle(server.url, bundle, { token: t });
      expect(repost.status).toBe(410);
      expect(((await repost.json()) as { problems: string[] }).problems.length).toBeGreaterThan(0);
    }
    expect(await row(bundle.bundleId)).toBeUndefined();

    const wrongAfter = await withdraw(server.url, bundle.bundleId, newToken());
    expect(wrongAfter.status).toBe(403);
  });

  it('refuses a wrong token (403) or none (401), and the bundle stays stored', async () => {
    const bundle = makeBundle();
    const token = newToken();
    expect((await postBundle(server.url, bundle, { token })).status).toBe(201);

    const wrong = await withdraw(server.url, bundle.bundleId, newToken());
    expect(wrong.status).toBe(403);
    expect(((await wrong.json()) as { problems: string[] }).problems.length).toBeGreaterThan(0);

    const malformed = await withdraw(server.url, bundle.bundleId, 'nope');
    expect(malformed.status).toBe(403);

    const missing = await withdraw(server.url, bundle.bundleId);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');

    expect((await row(bundle.bundleId))?.token_hash).toBe(hashToken(token));
    const tombstones = await server.probe.all('SELECT count(*) AS n FROM withdrawals WHERE bundle_id = ?', bundle.bundleId);
    expect(tombstones).toEqual([{ n: 0 }]);
  });

  it('answers 404 for an id never stored', async () => {
    const response = await withdraw(server.url, crypto.randomUUID(), newToken());
    expect(response.status).toBe(404);
    const body = (await response.json()) as { error: string; problems: string[] };
    expect(body.problems.length).toBeGreaterThan(0);
  });
});

describe('other paths', () => {
  it('answers unknown routes with the JSON error shape', async () => {
    const response = await fetch(`${server.url}/v1/nothing`);
    expect(response.status).toBe(404);
    const body = (await response.json()) as { error: string; problems: string[] };
    expect(body.problems.length).toBeGreaterThan(0);
  });
});
