/**
 * Issue 13 (B, C): every record of a backup is checked field by field before the one write, for
 * every store; a bad record is named by its store and key and nothing is written.
 */
import 'fake-indexeddb/auto';
import { openDB, type IDBPDatabase } from 'idb';
import { describe, expect, it } from 'vitest';
import { BackupError, createBackup, importBackup, serializeBackup, type BackupFile } from '../../src/backup/backup';
import { encodeBackupJson } from '../../src/backup/backup-codec';
import { hasRecordChecks } from '../../src/backup/backup-records';
import { openChatDb } from '../../src/storage/db';
import { DB_VERSION } from '../../src/storage/schema';
import { conversation, EVERY_FIELD, fullReply, userMessage } from '../support/backup-records';

let count = 0;
const freshDb = async () => (await openChatDb(`backup-records-${++count}`)) as unknown as IDBPDatabase;
const dump = async (db: IDBPDatabase) => (await createBackup(db)).stores;

/** A backup of the current version holding exactly `stores` (records as `[key, value]`). */
async function backupOf(stores: Record<string, Array<[string | number, unknown]>>): Promise<string> {
  const empty = await createBackup(await freshDb());
  const file: BackupFile = {
    ...empty,
    stores: Object.fromEntries(Object.entries(stores).map(([name, records]) => [name, records.map(([key, value]) => ({ key, value }))])),
  };
  return encodeBackupJson(file);
}

/** Imports into a database holding one conversation of the user's, and returns the error (or null). */
async function importInto(text: string): Promise<{ error: unknown; before: unknown; after: unknown }> {
  const db = await freshDb();
  await db.put('conversations', conversation('mine', { title: 'Mine' }));
  const before = await dump(db);
  const error = await importBackup(db, text).then(() => null, (e: unknown) => e);
  return { error, before, after: await dump(db) };
}

const chat = () => ({
  conversations: [['c1', conversation('c1', { currentLeafId: 'm2' })]] as Array<[string, unknown]>,
  messages: [['m1', userMessage('m1', 'c1', null, 'Hi', 10)], ['m2', fullReply('m2', 'c1', 'm1', 'Hello', 20)]] as Array<[string, unknown]>,
});

/** For every store: one bad field, and where the message must say it is. */
const badRecords: Array<[string, string, string, unknown, RegExp]> = [
  ['conversations', 'a title that is a number', 'c9', { ...conversation('c9'), title: 5 }, /"title" is not text/],
  ['conversations', 'a time that is NaN', 'c9', { ...conversation('c9'), updatedAt: NaN }, /"updatedAt" is not a time/],
  ['messages', 'empty metrics (issue 13 C)', 'm2', { ...fullReply('m2', 'c1', 'm1', 'x', 20), metrics: {} }, /"metrics\.ttftMs" is missing/],
  ['messages', 'Infinity tokens per second', 'm2', { ...fullReply('m2', 'c1', 'm1', 'x', 20), metrics: { ...EVERY_FIELD.message.metrics, decodeTokensPerSecond: Infinity } }, /"metrics\.decodeTokensPerSecond" is not a number of 0 or more/],
  ['messages', 'an unknown role', 'm2', { ...fullReply('m2', 'c1', 'm1', 'x', 20), role: 'system' }, /"role" is not one of "user", "assistant"/],
  ['messages', 'a candidate reward above 1', 'm2', { ...fullReply('m2', 'c1', 'm1', 'x', 20), candidates: [{ text: 'a', chosen: true, reward: { ok: 7, label: '__ok__', trainingCount: 1 } }] }, /"candidates\[0\]\.reward\.ok" is not a number from 0 to 1/],
  ['messages', 'a message that follows itself', 'm2', { ...fullReply('m2', 'c1', 'm2', 'x', 20) }, /"parentId" is not another message's id/],
  ['messages', 'a huge text', 'm2', { ...fullReply('m2', 'c1', 'm1', 'x'.repeat(1_000_001), 20) }, /"content" is not text of at most 1,000,000 characters/],
  ['feedback', 'an unknown rating', 'm2', { ...EVERY_FIELD.feedback, messageId: 'm2', rating: 'meh' }, /"rating" is not one of "up", "down"/],
  ['feedback', 'an unknown reason', 'm2', { ...EVERY_FIELD.feedback, messageId: 'm2', reasons: ['boring'] }, /"reasons\[0\]"/],
  ['personalModel', 'a head with too few weights', 'head', { ...EVERY_FIELD.head, weights: [1] }, /"weights" is not a list of featureSize \(3\) numbers/],
  ['personalModel', 'a NaN weight', 'head', { ...EVERY_FIELD.head, weights: [1, NaN, 2] }, /"weights\[1\]"/],
  ['donations', 'a withdrawal token with a line break', EVERY_FIELD.donation.bundleId, { ...EVERY_FIELD.donation, withdrawalToken: 'a\r\nX-Evil: 1' }, /"withdrawalToken" is not a withdrawal token/],
  ['donations', 'a javascript: endpoint', EVERY_FIELD.donation.bundleId, { ...EVERY_FIELD.donation, endpoint: 'javascript:alert(1)' }, /"endpoint" is not a collector address/],
  ['settings', 'best-of-N of 0', 'app', { bestOfN: 0 }, /"bestOfN" is not a whole number from 1 to 8/],
  ['settings', 'a model host on ftp', 'models', { host: 'ftp://models.example' }, /"host" is not a model host address/],
  ['settings', 'a local model that climbs out of /models/', 'models', { added: [{ ...EVERY_FIELD.models.added[0], spec: { id: '../../evil', dtypes: ['q8'], contextWindow: 2048, local: true } }] }, /"added\[0\]\.spec\.id"/],
  ['settings', 'donation settings with a bad donor', 'donation', { enabled: false, donor: 'me' }, /"donor" is not a donor pseudonym/],
];

describe('importing a backup checks every record before writing anything', () => {
  it('has checks for every store of the current database', async () => {
    const db = await freshDb();
    for (const store of Array.from(db.objectStoreNames)) expect(hasRecordChecks(store), store).toBe(true);
  });

  it.each(badRecords)('refuses %s record with %s, naming its store and key', async (store, _what, key, value, problem) => {
    const stores = chat();
    const text = await backupOf({ ...stores, [store]: [...(stores[store as keyof typeof stores] ?? []), [key, value]] });

    const { error, before, after } = await importInto(text);

    expect(error).toBeInstanceOf(BackupError);
    const message = (error as Error).message;
    expect(message).toContain(`record "${key}" in "${store}" cannot be imported`);
    expect(message).toMatch(problem);
    expect(message).toMatch(/Nothing was imported\. If you edited this file, undo that change; otherwise export the backup again/);
    expect(after).toStrictEqual(before);
  });

  it('drops fields the app does not know, prototype keys included, and pollutes nothing', async () => {
    const hostile = JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}') as object;
    const reply = { ...fullReply('m2', 'c1', 'm1', 'Hello', 20), ...hostile, extra: 'ignored', metrics: { ...EVERY_FIELD.message.metrics, ...hostile } };
    const text = await backupOf({ ...chat(), messages: [['m2', reply]], settings: [['app', { ...hostile, backend: 'wasm' }]] });
    const db = await freshDb();

    await importBackup(db, text);

    const stored = await db.get('messages', 'm2');
    expect(stored).toStrictEqual(fullReply('m2', 'c1', 'm1', 'Hello', 20));
    expect(Object.getPrototypeOf(stored.metrics)).toBe(Object.prototype);
    expect(await db.get('settings', 'app')).toStrictEqual({ backend: 'wasm' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('treats an `undefined` setting as missing, so the default applies rather than nothing', async () => {
    const text = await backupOf({ settings: [['app', { backend: undefined, safetyGate: { enabled: undefined, threshold: 0.3 } }]] });
    const db = await freshDb();

    await importBackup(db, text);

    expect(await db.get('settings', 'app')).toStrictEqual({ safetyGate: { threshold: 0.3 } });
  });

  it('leaves out records no version of this app reads, and says so', async () => {
    const text = await backupOf({ settings: [['theme', { dark: true }]], personalModel: [['old-head', {}]] });
    const db = await freshDb();

    const summary = await importBackup(db, text);

    expect(summary.notes).toEqual(['2 records that this version of the app does not use were left out.']);
    expect(await db.count('settings')).toBe(0);
    expect(await db.count('personalModel')).toBe(0);
  });

  it('checks an older backup after the upgrade, with the current rules', async () => {
    const v4 = await openDB(`v4-${++count}`, 4, {
      upgrade(db) {
        db.createObjectStore('conversations', { keyPath: 'id' }).createIndex('byUpdatedAt', 'updatedAt');
        db.createObjectStore('messages', { keyPath: 'id' }).createIndex('byConversation', ['conversationId', 'createdAt']);
        db.createObjectStore('settings');
        const feedback = db.createObjectStore('feedback', { keyPath: 'messageId' });
        feedback.createIndex('byConversation', 'conversationId');
        feedback.createIndex('byUpdatedAt', 'updatedAt');
        db.createObjectStore('personalModel');
      },
    });
    await v4.put('conversations', conversation('c1'));
    await v4.put('messages', { ...userMessage('m1', 'c1', null, 'Hi', 10), metrics: {} });
    const text = serializeBackup(await createBackup(v4));
    expect(JSON.parse(text)).toMatchObject({ schemaVersion: 4 });

    const { error, before, after } = await importInto(text);

    expect((error as Error).message).toMatch(/record "m1" in "messages" cannot be imported: "metrics\.ttftMs" is missing/);
    expect(after).toStrictEqual(before);
    expect(DB_VERSION).toBeGreaterThan(4);
  });
});
