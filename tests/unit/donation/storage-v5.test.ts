/** v5 adds the `donations` store (the donation outbox); a v4 database upgrades with nothing lost. */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { addDonation, listDonations, requeueInterruptedSends } from '../../../src/donation/donation-repository';
import type { DonationRecord } from '../../../src/donation/donation-store-api';
import { openChatDb } from '../../../src/storage/db';
import { DB_VERSION } from '../../../src/storage/schema';
import { createStoresOfVersion, request } from '../support/old-databases';

/** Writes a database exactly as version 4 of the app left it. */
async function writeV4Database(name: string, records: Record<'conversations' | 'messages' | 'feedback', object[]> & { settings: unknown; head: unknown }): Promise<void> {
  const open = indexedDB.open(name, 4);
  open.onupgradeneeded = () => createStoresOfVersion(open.result, 4);
  const db = await request(open);
  const tx = db.transaction(['conversations', 'messages', 'feedback', 'settings', 'personalModel'], 'readwrite');
  for (const c of records.conversations) tx.objectStore('conversations').put(c);
  for (const m of records.messages) tx.objectStore('messages').put(m);
  for (const f of records.feedback) tx.objectStore('feedback').put(f);
  tx.objectStore('settings').put(records.settings, 'app');
  tx.objectStore('personalModel').put(records.head, 'head');
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
  db.close();
}

const record = (bundleId: string, createdAt: number, status: DonationRecord['status']): DonationRecord => ({
  bundleId, createdAt, status, body: '{}', endpoint: 'http://localhost:8787', conversationCount: 1, messageCount: 2, withdrawalToken: 't', attempts: 0,
});

describe('database v5', () => {
  it('upgrades a v4 database with every record kept and an empty donation outbox added', async () => {
    const name = 'v4-upgrade';
    const conversations = [{ id: 'c', title: 'Hi', createdAt: 1, updatedAt: 4, systemPrompt: '', currentLeafId: 'b1' }];
    const messages = [
      { id: 'b1', conversationId: 'c', parentId: 'u1', role: 'assistant', content: 'Hi there', createdAt: 2, updatedAt: 3, status: 'complete', reward: { ok: 0.7, label: '__ok__', trainingCount: 2 } },
      { id: 'u1', conversationId: 'c', parentId: null, role: 'user', content: 'Hello', createdAt: 1, updatedAt: 1, status: 'complete' },
    ];
    const feedback = [{ messageId: 'b1', conversationId: 'c', rating: 'up', reasons: [], comment: '', betterResponse: '', createdAt: 4, updatedAt: 4 }];
    const settings = { backend: 'wasm' };
    const head = { version: 1, encoderId: 'demo-encoder-tiny', featureSize: 1, weights: [0.5], bias: 0, trainingCount: 1, examples: [], updatedAt: 5 };
    await writeV4Database(name, { conversations, messages, feedback, settings, head });

    const db = await openChatDb(name);
    expect(db.version).toBe(DB_VERSION);
    expect(Array.from(db.objectStoreNames).sort()).toEqual(['adapterExamples', 'adapters', 'conversations', 'donations', 'feedback', 'messages', 'personalModel', 'settings']);
    expect(await db.getAll('conversations')).toEqual(conversations);
    expect(await db.getAll('messages')).toEqual(messages);
    expect(await db.getAll('feedback')).toEqual(feedback);
    expect(await db.get('settings', 'app')).toEqual(settings);
    expect(await db.get('personalModel', 'head')).toEqual(head);

    const donations = db.transaction('donations').store;
    expect(donations.keyPath).toBe('bundleId');
    expect(Array.from(donations.indexNames)).toEqual(['byCreatedAt']);
    expect(await db.count('donations')).toBe(0);
    // v6: the generation adapter's stores, empty.
    const examples = db.transaction('adapterExamples').store;
    expect(examples.keyPath).toBe('key');
    expect(Array.from(examples.indexNames).sort()).toEqual(['byMessage', 'byModel']);
    expect(await db.count('adapters')).toBe(0);
    expect(await db.count('adapterExamples')).toBe(0);
    db.close();
  });

  it('keeps the outbox across a reopen, newest first, and puts a send cut off by a closed tab back in the queue', async () => {
    const name = 'v5-outbox';
    const db = await openChatDb(name);
    await addDonation(db, record('older', 10, 'sent'));
    await addDonation(db, record('cut-off', 30, 'sending'));
    await addDonation(db, record('newer', 20, 'queued'));
    await expect(addDonation(db, record('newer', 40, 'queued'))).rejects.toThrow();
    db.close();

    const reopened = await openChatDb(name);
    expect(await requeueInterruptedSends(reopened)).toBe(1);
    expect((await listDonations(reopened)).map((r) => [r.bundleId, r.status])).toEqual([
      ['cut-off', 'queued'], ['newer', 'queued'], ['older', 'sent'],
    ]);
    reopened.close();
  });
});
