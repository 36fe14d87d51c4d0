/**
 * Several collector processes on one store: separate processes on their own ports (as behind a
 * load balancer), and `--workers 2` (Node's cluster on one port). Whatever process a request
 * reaches, a bundle id is stored once, a withdrawal wins over a racing resend, and kill -9 of one
 * process mid-burst loses no acknowledged bundle. Runs on SQLite and on PostgreSQL.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION as POSTGRES_SCHEMA } from '../../collector/store/postgres-migrations';
import { SCHEMA_VERSION as SQLITE_SCHEMA } from '../../collector/store/sqlite-migrations';
import { makeBundle, newToken } from './support/bundles';
import { makeUploads, uploadBurst } from './support/burst';
import { childStore, killChild, postBundle, spawnCollector, withdraw, type ChildCollector } from './support/collector';
import { seededRng } from './support/rng';
import type { TestStore } from './support/test-store';

const children: ChildCollector[] = [];
const stores: TestStore[] = [];

afterAll(async () => {
  for (const child of children) await killChild(child);
  for (const store of stores) await store.dispose();
});

async function newStore(): Promise<TestStore> {
  const store = await childStore();
  stores.push(store);
  return store;
}

async function spawn(store: TestStore, args: string[] = []): Promise<ChildCollector> {
  const child = await spawnCollector({ ...store.env, COLLECTOR_RATE_LIMIT: '0' }, 60_000, args);
  children.push(child);
  return child;
}

async function sortedStatuses(responses: Response[]): Promise<number[]> {
  return responses.map((r) => r.status).sort();
}

describe('two collector processes on one store', () => {
  let store: TestStore;
  let a: ChildCollector;
  let b: ChildCollector;

  beforeAll(async () => {
    store = await newStore();
    // Started together on an empty store: both migrate it at once, and each migration runs once.
    [a, b] = await Promise.all([spawn(store), spawn(store)]);
  });

  it('migrated the empty store once, though both started together', async () => {
    if (store.location.kind === 'postgres') {
      expect(await store.probe.all('SELECT version FROM collector_schema_migrations ORDER BY version')).toEqual(
        Array.from({ length: POSTGRES_SCHEMA }, (_, i) => ({ version: i + 1 })),
      );
    } else {
      expect(await store.probe.all('PRAGMA user_version')).toEqual([{ user_version: SQLITE_SCHEMA }]);
    }
  });

  it('stores a bundle sent to both at once exactly once: one 201, one 200 with the same receipt', async () => {
    const bundles = Array.from({ length: 40 }, () => ({ bundle: makeBundle(), token: newToken() }));
    await Promise.all(
      bundles.map(async ({ bundle, token }) => {
        const body = JSON.stringify(bundle);
        const answers = await Promise.all([postBundle(a.url, body, { token }), postBundle(b.url, body, { token })]);
        expect(await sortedStatuses(answers), bundle.bundleId).toEqual([200, 201]);
        const [first, second] = await Promise.all(answers.map((r) => r.json()));
        expect(first).toEqual(second);
      }),
    );
    const ids = bundles.map((x) => x.bundle.bundleId);
    const rows = await store.probe.all<{ bundle_id: string }>('SELECT bundle_id FROM bundles');
    expect(rows.map((r) => r.bundle_id).sort()).toEqual([...ids].sort());
  });

  it('gives one of two different tokens the id, and the other a 409', async () => {
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        const body = JSON.stringify(makeBundle());
        const answers = await Promise.all([postBundle(a.url, body, { token: newToken() }), postBundle(b.url, body, { token: newToken() })]);
        expect(await sortedStatuses(answers)).toEqual([201, 409]);
      }),
    );
  });

  it('never stores a bundle again once a withdrawal on the other process went through', async () => {
    const sent = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const bundle = makeBundle();
        const token = newToken();
        expect((await postBundle(a.url, bundle, { token })).status).toBe(201);
        return { bundle, token };
      }),
    );
    await Promise.all(
      sent.map(async ({ bundle, token }) => {
        const [withdrawal, resend] = await Promise.all([withdraw(a.url, bundle.bundleId, token), postBundle(b.url, bundle, { token })]);
        expect(withdrawal.status).toBe(200);
        // The resend was decided before the withdrawal (200, the first receipt) or after it (410).
        expect([200, 410]).toContain(resend.status);
        expect((await postBundle(b.url, bundle, { token })).status).toBe(410);
      }),
    );
    const ids = sent.map((x) => x.bundle.bundleId);
    const left = await store.probe.all<{ bundle_id: string }>('SELECT bundle_id FROM bundles');
    expect(left.filter((r) => ids.includes(r.bundle_id))).toEqual([]);
    const tombstones = await store.probe.all<{ bundle_id: string }>('SELECT bundle_id FROM withdrawals');
    expect(tombstones.map((r) => r.bundle_id).sort()).toEqual([...ids].sort());
  });
});

/** The cluster workers of a primary collector process (Linux: /proc). */
function workerPids(primaryPid: number): number[] {
  return readFileSync(`/proc/${primaryPid}/task/${primaryPid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
}

describe('npm run collector -- --workers 2', () => {
  it('keeps every acknowledged bundle when one worker is killed mid-burst, and goes on with a new one', async () => {
    const store = await newStore();
    const collector = await spawn(store, ['--workers', '2']);
    const primary = collector.child.pid!;
    const workers = workerPids(primary);
    expect(workers).toHaveLength(2);

    const uploads = makeUploads(seededRng(20), 300);
    const { acknowledged, failed, timedOut } = await uploadBurst({
      url: collector.url,
      uploads,
      concurrency: 16,
      killAfterAcks: 100,
      kill: () => process.kill(workers[0]!, 'SIGKILL'),
    });
    expect(acknowledged.size).toBeGreaterThanOrEqual(100);
    // The other worker kept answering after the kill.
    expect(acknowledged.size + failed.length).toBe(300);
    expect(failed.length).toBeLessThan(300 - 100);
    if (timedOut > 0) console.log(`${timedOut} uploads got no answer within 10 s after the kill (re-sent below)`);

    // Both workers answered before the kill: their request log lines carry two process ids.
    const requestPids = new Set(collector.logRecords().filter((r) => r.msg === 'request').map((r) => r.pid));
    expect([...requestPids].sort()).toEqual([...workers].sort());

    const rows = await store.probe.all<{ bundle_id: string; receipt_id: string }>('SELECT bundle_id, receipt_id FROM bundles');
    const stored = new Map(rows.map((r) => [r.bundle_id, r.receipt_id]));
    for (const [bundleId, receiptId] of acknowledged) expect(stored.get(bundleId), bundleId).toBe(receiptId);

    // The primary replaced the dead worker, and the uploads that got no answer go through now.
    await expect.poll(() => workerPids(primary).length, { timeout: 30_000 }).toBe(2);
    expect(workerPids(primary)).not.toContain(workers[0]);
    expect(collector.logRecords().some((r) => r.event === 'worker-exit' && r.signal === 'SIGKILL')).toBe(true);
    for (const upload of failed) expect([200, 201]).toContain((await postBundle(collector.url, upload.body, { token: upload.token })).status);
    const health = (await (await fetch(`${collector.url}/healthz`)).json()) as { bundles: number; store: string };
    expect(health).toMatchObject({ store: store.location.kind, bundles: 300 });

    collector.child.kill('SIGTERM');
    expect((await collector.exited).code).toBe(0);
    expect(collector.logRecords().filter((r) => r.msg === 'collector closed').length).toBeGreaterThanOrEqual(1);
  });
});
