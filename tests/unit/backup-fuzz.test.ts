/**
 * Issue 13 (D): the backup importer against seeded hostile files — wrong types, missing fields,
 * huge strings, prototype keys, NaN/Infinity, nested junk, strange keys and structures. For every
 * file: only a BackupError may escape; a refused file leaves the database exactly as it was; an
 * accepted one leaves only records the app can read, shows every conversation, and never turns
 * donation on or queues a bundle. Seeds are fixed, so a failure repeats; its seed is in the message.
 */
import 'fake-indexeddb/auto';
import type { IDBPDatabase } from 'idb';
import { describe, expect, it } from 'vitest';
import { subtreeIds, visibleThread } from '../../src/chat/branches';
import { loadDonationSettings } from '../../src/donation/donation-settings';
import { BackupError, createBackup, importBackup } from '../../src/backup/backup';
import { encodeBackupJson } from '../../src/backup/backup-codec';
import { planImport } from '../../src/backup/backup-records';
import { listConversations, listMessages } from '../../src/storage/conversations';
import { openChatDb, type ChatDb } from '../../src/storage/db';
import { metricsLine } from '../../src/ui/metrics-text';
import { candidateRewardText, rewardBadgeText, safetyText } from '../../src/ui/reward/score-text';
import { acceptableBackup, copyFile, mulberry32, mutate } from '../support/backup-fuzz';
import { conversation, userMessage } from '../support/backup-records';

const CASES = 300;
let count = 0;

async function localDb(): Promise<ChatDb> {
  const db = await openChatDb(`backup-fuzz-${++count}`);
  await db.put('conversations', conversation('local', { title: 'Mine', currentLeafId: 'local-m' }));
  await db.put('messages', userMessage('local-m', 'local', null, 'my own words', 1_600_000_000_000));
  return db;
}

const snapshot = async (db: ChatDb) => (await createBackup(db)).stores;

/** What the chat view computes and formats for every message it shows; throws where the view would. */
async function renderEverything(db: ChatDb): Promise<number> {
  let shown = 0;
  for (const c of await listConversations(db)) {
    const messages = await listMessages(db, c.id);
    const thread = visibleThread(messages, c.currentLeafId);
    if (messages.length > 0 && thread.length === 0) throw new Error(`conversation ${c.id} shows nothing`);
    for (const m of thread) {
      metricsLine(m.metrics);
      if (m.reward) rewardBadgeText(m.reward);
      if (m.safety) safetyText(m.safety);
      for (const candidate of m.candidates ?? []) [candidateRewardText(candidate.reward), safetyText(candidate.safety)].join();
      subtreeIds(messages, m.id);
      shown += 1;
    }
  }
  return shown;
}

describe('the backup importer under seeded hostile files', () => {
  it(`holds its promises on ${CASES} files`, async () => {
    const outcomes = { accepted: 0, refused: 0 };
    for (let seed = 1; seed <= CASES; seed++) {
      const random = mulberry32(seed);
      const { file } = acceptableBackup(random, `s${seed}`);
      const hostile = copyFile(file);
      // Every tenth file is left alone: the importer must take it.
      const mutations = seed % 10 === 0 ? 0 : 1 + Math.floor(random() * 3);
      for (let i = 0; i < mutations; i++) mutate(random, hostile);
      const text = encodeBackupJson(hostile);

      const db = await localDb();
      const before = await snapshot(db);
      const error = await importBackup(db as unknown as IDBPDatabase, text).then(() => null, (e: unknown) => e);
      const where = `seed ${seed}`;

      if (error !== null) {
        expect(error, `${where}: ${String(error)}`).toBeInstanceOf(BackupError);
        expect(mutations, `${where}: an untouched file was refused: ${String(error)}`).toBeGreaterThan(0);
        expect(await snapshot(db), `${where}: a refused file changed the database`).toStrictEqual(before);
        outcomes.refused += 1;
      } else {
        // What was written is what the app writes: checking it again finds nothing wrong.
        const written = Object.entries(await snapshot(db));
        expect(() => planImport(written), where).not.toThrow();
        expect(await renderEverything(db), where).toBeGreaterThan(0);
        expect((await loadDonationSettings(db)).enabled, `${where}: donation was turned on`).toBe(false);
        const unsent = (await db.getAll('donations')).filter((d) => d.status !== 'sent' && d.status !== 'withdrawn');
        expect(unsent, `${where}: a bundle would be sent`).toEqual([]);
        outcomes.accepted += 1;
      }
      expect(Object.prototype, `${where}: Object.prototype was polluted`).not.toHaveProperty('polluted');
      db.close();
    }
    // Both sides were exercised, or the fuzz proves little.
    expect(outcomes.accepted).toBeGreaterThan(CASES / 10);
    expect(outcomes.refused).toBeGreaterThan(CASES / 4);
  });

  it('accepts every untouched file and shows each of its conversations on the thread it was left on', async () => {
    for (let seed = 1; seed <= 20; seed++) {
      const { file, expected } = acceptableBackup(mulberry32(seed * 7919), `ok${seed}`);
      const db = await localDb();
      await importBackup(db as unknown as IDBPDatabase, encodeBackupJson(file));
      for (const { id, thread } of expected) {
        const stored = (await listConversations(db)).find((c) => c.id === id);
        expect(stored, `seed ${seed}: ${id}`).toBeDefined();
        expect(visibleThread(await listMessages(db, id), stored!.currentLeafId).map((m) => m.id)).toEqual(thread);
      }
      db.close();
    }
  });
});
