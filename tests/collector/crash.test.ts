/**
 * Acknowledged means durable. The collector runs as a child process (collector/main.ts); a burst
 * of uploads is cut off by SIGKILL midway; after a restart on the same store every bundle that got
 * a 2xx is there (and a SQLite file passes `PRAGMA integrity_check`), and the uploads that got no
 * answer can simply be sent again (201, or 200 with the receipt when the kill came between commit
 * and reply).
 */
import { afterAll, expect, it } from 'vitest';
import { makeUploads, uploadBurst } from './support/burst';
import { childStore, killChild, postBundle, spawnCollector, type ChildCollector } from './support/collector';
import { seededRng } from './support/rng';
import type { TestStore } from './support/test-store';

const UPLOADS = 200;
const CONCURRENCY = 16;
const KILL_AFTER_ACKS = 70;

const children: ChildCollector[] = [];
let store: TestStore | undefined;

afterAll(async () => {
  for (const child of children) await killChild(child);
  await store?.dispose();
});

async function integrityOk(probe: TestStore['probe'], kind: TestStore['location']['kind']): Promise<void> {
  if (kind !== 'sqlite') return;
  expect(await probe.all('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
}

it('keeps every acknowledged bundle through kill -9, and takes the rest when re-sent', async () => {
  store = await childStore();
  const env = { ...store.env, COLLECTOR_RATE_LIMIT: '0' };
  const first = await spawnCollector(env);
  children.push(first);

  const uploads = makeUploads(seededRng(8), UPLOADS);
  const { acknowledged, failed } = await uploadBurst({
    url: first.url,
    uploads,
    concurrency: CONCURRENCY,
    killAfterAcks: KILL_AFTER_ACKS,
    kill: () => first.child.kill('SIGKILL'),
  });

  const exit = await first.exited;
  expect(exit.signal).toBe('SIGKILL');
  expect(acknowledged.size).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
  // The kill really was midway: some uploads never got an answer.
  expect(failed.length).toBeGreaterThan(0);
  expect(acknowledged.size + failed.length).toBe(UPLOADS);

  const second = await spawnCollector(env);
  children.push(second);

  await integrityOk(store.probe, store.location.kind);
  const rows = await store.probe.all<{ bundle_id: string; receipt_id: string }>('SELECT bundle_id, receipt_id FROM bundles');
  const stored = new Map(rows.map((r) => [r.bundle_id, r.receipt_id]));
  for (const [bundleId, receiptId] of acknowledged) expect(stored.get(bundleId), bundleId).toBe(receiptId);

  const health = (await (await fetch(`${second.url}/healthz`)).json()) as { ok: boolean; bundles: number };
  expect(health).toMatchObject({ ok: true, store: store.location.kind, bundles: stored.size });

  // Re-send what got no answer: stored now (201), or already stored before the kill (200).
  let resentStored = 0;
  let resentKnown = 0;
  for (const upload of failed) {
    const response = await postBundle(second.url, upload.body, { token: upload.token });
    expect([200, 201]).toContain(response.status);
    if (response.status === 201) resentStored++;
    else {
      resentKnown++;
      expect(stored.has(upload.bundle.bundleId)).toBe(true);
    }
  }
  expect(resentStored + resentKnown).toBe(failed.length);

  const final = (await (await fetch(`${second.url}/healthz`)).json()) as { bundles: number };
  expect(final.bundles).toBe(UPLOADS);
  // The acknowledged ones were not stored twice or changed by the restart.
  expect(await store.probe.all('SELECT count(DISTINCT receipt_id) AS n FROM bundles')).toEqual([{ n: UPLOADS }]);

  // A clean stop on SIGTERM closes the database and exits 0.
  second.child.kill('SIGTERM');
  const stopped = await second.exited;
  expect(stopped.code).toBe(0);
  expect(second.logRecords().map((r) => r.msg)).toContain('collector closed');
  await integrityOk(store.probe, store.location.kind);
});
