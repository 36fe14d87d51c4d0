/**
 * What the people running a collector rely on, on both stores: a graceful stop that finishes the
 * upload in flight, JSON logs that never carry bundle content, tokens, ids or client addresses,
 * the retention setting, and a backup that restores into a working collector.
 */
import { spawnSync } from 'node:child_process';
import { request } from 'node:http';
import path from 'node:path';
import { inject, afterAll, describe, expect, it } from 'vitest';
import { makeBundle, newToken } from './support/bundles';
import { childStore, killChild, type ChildStore, postBundle, REPO_ROOT, spawnCollector, withdraw, type ChildCollector } from './support/collector';
import { createDatabase, dropDatabase, runClientProgram } from './support/postgres';

const children: ChildCollector[] = [];
const stores: Array<{ dispose(): Promise<void> }> = [];

afterAll(async () => {
  for (const child of children) await killChild(child);
  for (const store of stores) await store.dispose();
});

async function newStore(): Promise<ChildStore> {
  const store = await childStore();
  stores.push(store);
  return store;
}

async function spawn(env: Record<string, string>, args: string[] = []): Promise<ChildCollector> {
  const child = await spawnCollector({ COLLECTOR_RATE_LIMIT: '0', ...env }, 60_000, args);
  children.push(child);
  return child;
}

/** Starts a POST, sends all but the last bytes of its body, and returns how to finish it. */
function halfSentUpload(url: string, body: string, token: string): { finish(): Promise<{ status: number; body: string }> } {
  const bytes = Buffer.from(body);
  const target = new URL('/v1/bundles', url);
  let answer!: Promise<{ status: number; body: string }>;
  const req = request({
    host: target.hostname,
    port: target.port,
    path: target.pathname,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'content-length': bytes.length },
  });
  answer = new Promise((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
  });
  req.write(bytes.subarray(0, bytes.length - 10));
  return {
    finish() {
      req.end(bytes.subarray(bytes.length - 10));
      return answer;
    },
  };
}

describe.each([1, 2])('graceful stop with %i worker(s)', (workers) => {
  it('finishes the upload in flight on SIGTERM, stores it, and exits 0', async () => {
    const store = await newStore();
    const collector = await spawn(store.env, ['--workers', String(workers)]);
    const bundle = makeBundle();
    const upload = halfSentUpload(collector.url, JSON.stringify(bundle), newToken());
    // The request has reached a worker (its headers are parsed) before the stop begins.
    await new Promise((resolve) => setTimeout(resolve, 300));
    collector.child.kill('SIGTERM');
    await expect.poll(() => collector.logRecords().some((r) => r.event === 'stop'), { timeout: 10_000 }).toBe(true);
    if (workers === 1) {
      // No new connections once stopping.
      await expect(fetch(`${collector.url}/healthz`)).rejects.toThrow();
    }
    const answer = await upload.finish();
    expect(answer.status, answer.body).toBe(201);
    expect((await collector.exited).code).toBe(0);
    expect(await store.probe.all('SELECT bundle_id FROM bundles')).toEqual([{ bundle_id: bundle.bundleId }]);
  });
});

it('logs one JSON record per line, requests by route pattern, and never a body, token, bundle id or client address', async () => {
  const store = await newStore();
  const collector = await spawn({ ...store.env, COLLECTOR_LOG_LEVEL: 'info' });
  const canary = 'canary-pelican-7781';
  const bundle = makeBundle();
  bundle.conversations[0]!.messages[0]!.text = `my secret is ${canary}`;
  const token = newToken();
  expect((await postBundle(collector.url, bundle, { token })).status).toBe(201);
  expect((await postBundle(collector.url, { ...bundle, schemaVersion: canary }, { token: newToken() })).status).toBe(422);
  expect((await withdraw(collector.url, bundle.bundleId, token)).status).toBe(200);
  expect((await fetch(`${collector.url}/nothing/${canary}`)).status).toBe(404);
  collector.child.kill('SIGTERM');
  await collector.exited;

  const stdout = collector.logRecords();
  const raw = collector.output();
  for (const line of raw.split('\n').filter((l) => l.trim() !== '')) expect(() => JSON.parse(line), line).not.toThrow();
  for (const secret of [canary, token, bundle.bundleId]) expect(raw).not.toContain(secret);
  const requests = stdout.filter((r) => r.msg === 'request');
  expect(requests.map((r) => [r.method, r.route, r.status])).toEqual([
    ['POST', '/v1/bundles', 201],
    ['POST', '/v1/bundles', 422],
    ['DELETE', '/v1/bundles/:id', 200],
    ['GET', '(no route)', 404],
  ]);
  for (const record of requests) {
    expect(Object.keys(record).sort()).toEqual(['hostname', 'level', 'method', 'ms', 'msg', 'pid', 'reqId', 'route', 'status', 'time']);
  }
  expect(stdout.find((r) => r.event === 'store')).toMatchObject({ store: store.location.kind, level: 'info' });
});

it('deletes bundles and tombstones older than COLLECTOR_RETENTION_DAYS at startup, and keeps newer ones', async () => {
  const store = await newStore();
  const first = await spawn(store.env);
  const old = makeBundle();
  const oldWithdrawn = makeBundle();
  const recent = makeBundle();
  const token = newToken();
  for (const bundle of [old, oldWithdrawn, recent]) expect((await postBundle(first.url, bundle, { token })).status).toBe(201);
  expect((await withdraw(first.url, oldWithdrawn.bundleId, token)).status).toBe(200);
  first.child.kill('SIGTERM');
  await first.exited;
  // 40 days ago, as the store writes times (ISO text in SQLite, timestamptz in PostgreSQL).
  const longAgo = new Date(Date.now() - 40 * 86_400_000).toISOString();
  await store.probe.run('UPDATE bundles SET received_at = ? WHERE bundle_id = ?', longAgo, old.bundleId);
  await store.probe.run('UPDATE withdrawals SET withdrawn_at = ? WHERE bundle_id = ?', longAgo, oldWithdrawn.bundleId);

  const second = await spawn({ ...store.env, COLLECTOR_RETENTION_DAYS: '30' });
  await expect.poll(() => second.logRecords().find((r) => r.event === 'retention'), { timeout: 10_000 }).toMatchObject({
    deletedBundles: 1,
    deletedTombstones: 1,
  });
  expect(await store.probe.all('SELECT bundle_id FROM bundles')).toEqual([{ bundle_id: recent.bundleId }]);
  expect(await store.probe.all('SELECT bundle_id FROM withdrawals')).toEqual([]);
});

it('restores from a backup into a collector that holds the same donations and tombstones', async () => {
  const store = await newStore();
  const collector = await spawn(store.env);
  const kept = [makeBundle(), makeBundle()];
  const gone = makeBundle();
  const token = newToken();
  for (const bundle of [...kept, gone]) expect((await postBundle(collector.url, bundle, { token })).status).toBe(201);
  expect((await withdraw(collector.url, gone.bundleId, token)).status).toBe(200);

  // The documented backup, taken while the collector runs (docs/collector.md, "Backup and restore").
  let restoredEnv: Record<string, string>;
  let restoredArgs: string[];
  if (store.location.kind === 'postgres') {
    const binDir = inject('postgresBinDir');
    const dump = path.join(store.dir, 'donations.dump');
    runClientProgram(binDir, 'pg_dump', ['--format=custom', `--file=${dump}`, store.location.url]);
    const restored = await createDatabase(inject('postgresAdminUrl'), 'restored');
    stores.push({ dispose: () => dropDatabase(inject('postgresAdminUrl'), restored) });
    runClientProgram(binDir, 'pg_restore', ['--no-owner', `--dbname=${restored}`, dump]);
    restoredEnv = { COLLECTOR_DATABASE_URL: restored };
    restoredArgs = ['--database-url', restored];
  } else {
    const copy = path.join(store.dir, 'backup.sqlite');
    await store.probe.run(`VACUUM INTO '${copy}'`);
    restoredEnv = { COLLECTOR_DB: copy };
    restoredArgs = ['--db', copy];
  }

  const restored = await spawn(restoredEnv);
  expect(await (await fetch(`${restored.url}/healthz`)).json()).toMatchObject({ ok: true, bundles: 2 });
  expect((await postBundle(restored.url, gone, { token })).status).toBe(410);
  expect((await postBundle(restored.url, kept[0], { token })).status).toBe(200);
  const exported = spawnSync(process.execPath, ['--import', 'tsx', 'collector/export-main.ts', '--format', 'bb3x', ...restoredArgs], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(exported.status, exported.stderr).toBe(0);
  for (const bundle of kept) expect(exported.stdout).toContain(bundle.bundleId);
  expect(exported.stdout).not.toContain(gone.bundleId);
});
