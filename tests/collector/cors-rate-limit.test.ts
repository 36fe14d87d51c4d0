/** CORS for the configured origins only, and the per-address rate limit, over real HTTP. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBundle, newToken } from './support/bundles';
import { postBundle, startCollector, type RunningCollector } from './support/collector';

describe('CORS', () => {
  let server: RunningCollector;
  const allowed = 'http://localhost:5173';

  beforeAll(async () => {
    server = await startCollector({ origins: [allowed, 'https://donate.example.org'] });
  });
  afterAll(async () => {
    await server?.close();
  });

  function preflight(origin: string): Promise<Response> {
    return fetch(`${server.url}/v1/bundles`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,authorization,content-encoding',
      },
    });
  }

  it('answers a preflight from an allowed origin with the CORS headers', async () => {
    const response = await preflight(allowed);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(allowed);
    const methods = (response.headers.get('access-control-allow-methods') ?? '').split(/,\s*/);
    expect(methods).toEqual(expect.arrayContaining(['POST', 'DELETE', 'GET', 'OPTIONS']));
    const headers = (response.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(/,\s*/);
    expect(headers).toEqual(expect.arrayContaining(['content-type', 'authorization', 'content-encoding']));
  });

  it('gives a disallowed origin no Access-Control-Allow-Origin, on preflight or request', async () => {
    for (const origin of ['http://evil.example', 'http://localhost:5174', 'null']) {
      const pre = await preflight(origin);
      expect(pre.headers.get('access-control-allow-origin')).toBeNull();
      const get = await fetch(`${server.url}/healthz`, { headers: { origin } });
      expect(get.status).toBe(200);
      expect(get.headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  it('marks an allowed origin on real requests, errors included', async () => {
    const ok = await postBundle(server.url, makeBundle(), { token: newToken(), headers: { origin: allowed } });
    expect(ok.status).toBe(201);
    expect(ok.headers.get('access-control-allow-origin')).toBe(allowed);
    const bad = await postBundle(server.url, '{', { token: newToken(), headers: { origin: allowed } });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('access-control-allow-origin')).toBe(allowed);
  });
});

describe('rate limit', () => {
  let server: RunningCollector;

  beforeAll(async () => {
    server = await startCollector({ rateLimitPerMinute: 5 });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers 429 with Retry-After once an address is over its limit', async () => {
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 8; i++) {
      const response = await postBundle(server.url, makeBundle(), { token: newToken() });
      statuses.push(response.status);
      if (response.status === 429) limited ??= response;
      else await response.arrayBuffer();
    }
    expect(statuses.slice(0, 5)).toEqual([201, 201, 201, 201, 201]);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await limited?.json()) as { error: string; problems: string[] };
    expect(body.error).toMatch(/Too many requests/);
    expect(body.problems.length).toBeGreaterThan(0);
    expect(await server.storage.countBundles()).toBe(5);

    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(429);
  });
});
