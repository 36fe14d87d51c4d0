import 'fake-indexeddb/auto';
import { openDB, type IDBPDatabase } from 'idb';
import { describe, expect, it } from 'vitest';
import { BackupError, createBackup, importBackup, parseBackup, serializeBackup } from '../../src/storage/backup';
import { openChatDb } from '../../src/storage/db';
import { DB_VERSION } from '../../src/storage/schema';

let count = 0;
/** The app's database, seen through the schema-free surface the backup code uses. */
const freshDb = async () => (await openChatDb(`backup-test-${++count}`)) as unknown as IDBPDatabase;

async function seed(db: IDBPDatabase): Promise<void> {
  await db.put('conversations', { id: 'c1', title: 'First', createdAt: 1, updatedAt: 30, systemPrompt: 'be brief', currentLeafId: 'm2' });
  await db.put('conversations', { id: 'c2', title: 'Second <b>', createdAt: 2, updatedAt: 40, systemPrompt: '', currentLeafId: null });
  await db.put('messages', { id: 'm1', conversationId: 'c1', parentId: null, role: 'user', content: 'Hello', createdAt: 10, updatedAt: 10, status: 'complete' });
  await db.put('messages', {
    id: 'm2', conversationId: 'c1', parentId: 'm1', role: 'assistant', content: '<img src=x onerror=alert(1)>', createdAt: 20, updatedAt: 30,
    status: 'partial', stopReason: undefined, metrics: { ttftMs: NaN, decodeTokensPerSecond: Infinity, newTokens: -0 },
    when: new Date(5), embedding: new Float32Array([0.5, -1.25]),
  });
  await db.put('settings', { backend: 'wasm', sampling: { temperature: 0.3 }, tags: new Set(['a']), map: new Map([[1, 'x']]) }, 'app');
}

/** Everything in the database, keyed by store. */
async function dump(db: IDBPDatabase) {
  return (await createBackup(db)).stores;
}

async function backupText(db: IDBPDatabase): Promise<string> {
  return serializeBackup(await createBackup(db));
}

describe('backup and restore', () => {
  it('restores every store exactly, including values JSON cannot hold', async () => {
    const source = await freshDb();
    await seed(source);
    const target = await freshDb();

    const summary = await importBackup(target, await backupText(source));

    expect(summary).toEqual({ added: 5, updated: 0, unchanged: 0, keptLocal: 0 });
    expect(await dump(target)).toStrictEqual(await dump(source));
    const m2 = await target.get('messages', 'm2');
    expect(Number.isNaN(m2.metrics.ttftMs)).toBe(true);
    expect(m2.embedding).toBeInstanceOf(Float32Array);
    expect('stopReason' in m2).toBe(true);
  });

  it('records the schema version and every store by name', async () => {
    const db = await freshDb();
    const backup = parseBackup(await backupText(db));
    expect(backup.schemaVersion).toBe(DB_VERSION);
    expect(Object.keys(backup.stores).sort()).toEqual(Array.from(db.objectStoreNames).sort());
  });

  it('importing the same file twice changes nothing the second time', async () => {
    const source = await freshDb();
    await seed(source);
    const text = await backupText(source);
    const target = await freshDb();
    await importBackup(target, text);
    const afterFirst = await dump(target);

    const summary = await importBackup(target, text);

    expect(summary).toEqual({ added: 0, updated: 0, unchanged: 5, keptLocal: 0 });
    expect(await dump(target)).toStrictEqual(afterFirst);
  });

  it('merges by key: keeps local-only records and newer local edits, takes newer backup edits', async () => {
    const source = await freshDb();
    await seed(source);
    const text = await backupText(source);
    const target = await freshDb();
    await importBackup(target, text);
    await target.put('conversations', { id: 'c3', title: 'Only here', createdAt: 3, updatedAt: 50, systemPrompt: '', currentLeafId: null });
    await target.put('conversations', { id: 'c1', title: 'Renamed later here', createdAt: 1, updatedAt: 99, systemPrompt: 'be brief', currentLeafId: 'm2' });
    await target.put('conversations', { id: 'c2', title: 'Older here', createdAt: 2, updatedAt: 1, systemPrompt: '', currentLeafId: null });

    const summary = await importBackup(target, text);

    expect(summary).toEqual({ added: 0, updated: 1, unchanged: 3, keptLocal: 1 });
    expect((await target.get('conversations', 'c3')).title).toBe('Only here');
    expect((await target.get('conversations', 'c1')).title).toBe('Renamed later here');
    expect((await target.get('conversations', 'c2')).title).toBe('Second <b>');
    expect(await target.count('conversations')).toBe(3);
  });

  it('refuses a backup from a newer schema version and writes nothing', async () => {
    const source = await freshDb();
    await seed(source);
    const newer = { ...parseBackup(await backupText(source)), schemaVersion: DB_VERSION + 1 };
    const target = await freshDb();
    await target.put('conversations', { id: 'keep', title: 'Mine', createdAt: 1, updatedAt: 1, systemPrompt: '', currentLeafId: null });
    const before = await dump(target);

    await expect(importBackup(target, serializeBackup(newer))).rejects.toThrow(/newer version of the app.*Update the app/);
    expect(await dump(target)).toStrictEqual(before);
  });

  const damaged: Array<[string, (backup: Record<string, any>) => unknown, RegExp]> = [
    ['not JSON at all', () => 'this is { not json', /not valid JSON/],
    ['another app\'s JSON', () => ({ hello: 'world' }), /not a Private Chat backup/],
    ['no schema version', (b) => ({ ...b, schemaVersion: 'two' }), /does not say which database version/],
    ['a store the app does not have', (b) => ({ ...b, stores: { ...b.stores, secrets: [] }, shapes: { ...b.shapes, secrets: { keyPath: null, autoIncrement: false, indexes: [] } } }), /"secrets" data/],
    ['a record without a valid key', (b) => ({ ...b, stores: { ...b.stores, messages: [...b.stores.messages, { key: { no: 1 }, value: {} }] } }), /records of "messages" are not valid/],
    ['a record whose key does not match', (b) => ({ ...b, stores: { ...b.stores, conversations: [...b.stores.conversations, { key: 'x', value: { id: 'y', title: 't', updatedAt: 1 } }] } }), /does not match its key/],
    ['a message without text', (b) => ({ ...b, stores: { ...b.stores, messages: [...b.stores.messages, { key: 'm9', value: { id: 'm9', conversationId: 'c1', role: 'assistant', createdAt: 1, content: { html: '<script>' } } }] } }), /missing fields the app needs/],
  ];

  it.each(damaged)('refuses %s with a clear message and loses nothing', async (_name, damage, message) => {
    const source = await freshDb();
    await seed(source);
    const good = parseBackup(await backupText(source));
    const target = await freshDb();
    await target.put('conversations', { id: 'keep', title: 'Mine', createdAt: 1, updatedAt: 1, systemPrompt: '', currentLeafId: null });
    const before = await dump(target);
    const broken = damage(JSON.parse(JSON.stringify(good)) as Record<string, any>);
    const text = typeof broken === 'string' ? broken : JSON.stringify(broken);

    const error = await importBackup(target, text).then(() => null, (e: unknown) => e);

    expect(error).toBeInstanceOf(BackupError);
    expect((error as Error).message).toMatch(message);
    expect(await dump(target)).toStrictEqual(before);
  });

  it('writes all or nothing: a record the database refuses rolls back the whole import', async () => {
    // A store with a unique index, so the second record fails only when it is written.
    const people = async (name: string) => openDB(name, 1, {
      upgrade(db) {
        db.createObjectStore('people', { keyPath: 'id' }).createIndex('byEmail', 'email', { unique: true });
      },
    });
    const target = await people(`unique-${++count}`);
    const backup = {
      format: 'private-chat-backup', formatVersion: 1, database: 'people', schemaVersion: 1, exportedAt: new Date(0).toISOString(),
      shapes: { people: { keyPath: 'id', autoIncrement: false, indexes: [{ name: 'byEmail', keyPath: 'email', unique: true, multiEntry: false }] } },
      stores: { people: [{ key: 'a', value: { id: 'a', email: 'same@example.com' } }, { key: 'b', value: { id: 'b', email: 'same@example.com' } }] },
    };

    await expect(importBackup(target, JSON.stringify(backup))).rejects.toThrow(/Nothing was imported/);
    expect(await target.count('people')).toBe(0);
  });

  it('upgrades a backup from schema version 1 with the app\'s own migration', async () => {
    const v1 = await openDB(`v1-${++count}`, 1, {
      upgrade(db) {
        db.createObjectStore('conversations', { keyPath: 'id' }).createIndex('byUpdatedAt', 'updatedAt');
        db.createObjectStore('messages', { keyPath: 'id' }).createIndex('byConversation', ['conversationId', 'createdAt']);
        db.createObjectStore('settings');
      },
    });
    await v1.put('conversations', { id: 'c1', title: 'Old', createdAt: 1, updatedAt: 2, systemPrompt: '' });
    await v1.put('messages', { id: 'm1', conversationId: 'c1', role: 'user', content: 'Hi', createdAt: 1, updatedAt: 1, status: 'complete' });
    await v1.put('messages', { id: 'm2', conversationId: 'c1', role: 'assistant', content: 'Hello', createdAt: 2, updatedAt: 2, status: 'complete' });
    const text = await backupText(v1);
    const target = await freshDb();

    await importBackup(target, text);

    expect((await target.get('messages', 'm2')).parentId).toBe('m1');
    expect((await target.get('messages', 'm1')).parentId).toBeNull();
    expect(await target.count('messages')).toBe(2);
    // The scratch database used for the upgrade is gone.
    expect((await indexedDB.databases()).some((info) => info.name?.includes('-import-'))).toBe(false);
  });
});
