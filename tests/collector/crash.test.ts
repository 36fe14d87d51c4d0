/**
 * Acknowledged means durable. The collector runs as a child process (collector/main.ts); a burst
 * of uploads is cut off by SIGKILL midway; after a restart on the same SQLite file every bundle
 * that got a 2xx is there, the file passes `PRAGMA integrity_check`, and the uploads that got no
 * answer can simply be sent again (201, or 200 with the receipt when the kill came between commit
 * and reply).
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { DonationBundle } from '../../src/donation/bundle-types';
import { makeBundle, newToken } from './support/bundles';
import { seededRng } from './support/rng';
import { killChild, postBundle, readDb, spawnCollector, tempDir, type ChildCollector } from './support/collector';

const UPLOADS = 200;
const CONCURRENCY = 16;
const KILL_AFTER_ACKS = 70;

const dir = tempDir('collector-crash-');
const dbPath = path.join(dir, 'donations.sqlite');
const children: ChildCollector[] = [];

afterAll(async () => {
  for (const child of children) await killChild(child);
  rmSync(dir, { recursive: true, force: true });
});

interface Upload {
  bundle: DonationBundle;
  body: string;
  token: string;
}

it('keeps every acknowledged bundle through kill -9, and takes the rest when re-sent', async () => {
  const env = { COLLECTOR_DB: dbPath, COLLECTOR_RATE_LIMIT: '0' };
  const first = await spawnCollector(env);
  children.push(first);

  const rng = seededRng(8);
  const uploads: Upload[] = Array.from({ length: UPLOADS }, () => {
    const bundle = makeBundle({ rng });
    return { bundle, body: JSON.stringify(bundle), token: newToken() };
  });

  const acknowledged = new Map<string, { receiptId: string }>();
  const failed: Upload[] = [];
  let killed = false;
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const upload = uploads[next++];
      if (upload === undefined) return;
      try {
        const response = await postBundle(first.url, upload.body, { token: upload.token });
        if (response.status !== 201) throw new Error(`unexpected ${response.status}: ${await response.text()}`);
        const receipt = (await response.json()) as { receiptId: string };
        acknowledged.set(upload.bundle.bundleId, receipt);
        if (!killed && acknowledged.size >= KILL_AFTER_ACKS) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      } catch (error) {
        if (!killed) throw error;
        failed.push(upload);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));

  const exit = await first.exited;
  expect(exit.signal).toBe('SIGKILL');
  expect(acknowledged.size).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
  // The kill really was midway: some uploads never got an answer.
  expect(failed.length).toBeGreaterThan(0);
  expect(acknowledged.size + failed.length).toBe(UPLOADS);

  const second = await spawnCollector(env);
  children.push(second);

  const stored = readDb(dbPath, (db) => {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const rows = db.prepare('SELECT bundle_id, receipt_id FROM bundles').all() as Array<{ bundle_id: string; receipt_id: string }>;
    return new Map(rows.map((r) => [r.bundle_id, r.receipt_id]));
  });
  for (const [bundleId, receipt] of acknowledged) expect(stored.get(bundleId), bundleId).toBe(receipt.receiptId);

  const health = (await (await fetch(`${second.url}/healthz`)).json()) as { ok: boolean; bundles: number };
  expect(health).toEqual({ ok: true, bundles: stored.size });

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
  const receipts = readDb(dbPath, (db) => db.prepare('SELECT count(DISTINCT receipt_id) AS n FROM bundles').get());
  expect(receipts).toEqual({ n: UPLOADS });

  // A clean stop on SIGTERM closes the database and exits 0.
  second.child.kill('SIGTERM');
  const stopped = await second.exited;
  expect(stopped.code).toBe(0);
  expect(second.output()).toMatch(/collector: closed/);
  expect(readDb(dbPath, (db) => db.pragma('integrity_check', { simple: true }))).toBe('ok');
});
