import 'fake-indexeddb/auto';
import { openDB, type IDBPDatabase } from 'idb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BackupError, createBackup, importBackup, parseBackup, serializeBackup } from '../../src/backup/backup';
import { decodeBackupJson, encodeBackupJson } from '../../src/backup/backup-codec';
import { openChatDb } from '../../src/storage/db';
import { DB_VERSION } from '../../src/storage/schema';
import { ADAPTER_EXAMPLE, ADAPTER_JSON, conversation, EVERY_FIELD, fullReply, userMessage } from '../support/backup-records';

let count = 0;
/** The app's database, seen through the schema-free surface the backup code uses. */
const freshDb = async () => (await openChatDb(`backup-test-${++count}`)) as unknown as IDBPDatabase;

/** A record of every store, with every field the app writes (see tests/support/backup-records.ts). */
async function seed(db: IDBPDatabase): Promise<void> {
  await db.put('conversations', conversation('c1', { title: 'First', createdAt: 1, updatedAt: 30, systemPrompt: 'be brief', currentLeafId: 'm2' }));
  await db.put('conversations', conversation('c2', { title: 'Second <b>', createdAt: 2, updatedAt: 40 }));
  await db.put('messages', userMessage('m1', 'c1', null, 'Hello', 10));
  // The app writes `stopReason: undefined` when a reply completes: it must come back as it was.
  await db.put('messages', { ...fullReply('m2', 'c1', 'm1', '<img src=x onerror=alert(1)>', 20), updatedAt: 30, status: 'partial', stopReason: undefined });
  await db.put('feedback', { ...EVERY_FIELD.feedback, messageId: 'm2', conversationId: 'c1' });
  await db.put('personalModel', EVERY_FIELD.head, 'head');
  await db.put('donations', EVERY_FIELD.donation);
  await db.put('settings', EVERY_FIELD.appSettings, 'app');
  await db.put('settings', EVERY_FIELD.models, 'models');
  await db.put('adapters', ADAPTER_JSON, ADAPTER_JSON.modelId);
  await db.put('adapterExamples', ADAPTER_EXAMPLE);
}

const SEEDED = 11;
const nothingElse = { updated: 0, unchanged: 0, keptLocal: 0, notes: [] };

/** Everything in the database, keyed by store. */
async function dump(db: IDBPDatabase) {
  return (await createBackup(db)).stores;
}

async function backupText(db: IDBPDatabase): Promise<string> {
  return serializeBackup(await createBackup(db));
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('backup and restore', () => {
  it('restores every store exactly', async () => {
    const source = await freshDb();
    await seed(source);
    const target = await freshDb();

    const summary = await importBackup(target, await backupText(source));

    expect(summary).toEqual({ ...nothingElse, added: SEEDED });
    expect(await dump(target)).toStrictEqual(await dump(source));
    const m2 = await target.get('messages', 'm2');
    expect('stopReason' in m2).toBe(true);
  });

  it('keeps every field of every record type the app writes', async () => {
    const source = await freshDb();
    await source.put('conversations', EVERY_FIELD.conversation);
    await source.put('messages', EVERY_FIELD.message);
    await source.put('feedback', EVERY_FIELD.feedback);
    await source.put('personalModel', EVERY_FIELD.head, 'head');
    await source.put('donations', EVERY_FIELD.donation);
    await source.put('settings', EVERY_FIELD.appSettings, 'app');
    await source.put('settings', EVERY_FIELD.models, 'models');
    const target = await freshDb();

    await importBackup(target, await backupText(source));

    expect(await dump(target)).toStrictEqual(await dump(source));
  });

  it('the file format keeps values JSON cannot hold', () => {
    const value = {
      nan: NaN, inf: -Infinity, negZero: -0, missing: undefined, when: new Date(5), big: 12n,
      floats: new Float32Array([0.5, -1.25]), bytes: new Uint8Array([1, 2]).buffer, tags: new Set(['a']), map: new Map([[1, 'x']]),
      tagLike: { $backup: 'Date', value: 1 },
    };
    expect(decodeBackupJson(encodeBackupJson(value))).toStrictEqual(value);
  });

  it('refuses a file nested deeper than any backup with a BackupError, not a stack overflow', async () => {
    const target = await freshDb();
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const text = `{"format":"private-chat-backup","formatVersion":1,"database":"x","schemaVersion":${DB_VERSION},"shapes":{},"stores":{"settings":[{"key":"app","value":${deep}}]}}`;
    await expect(importBackup(target, text)).rejects.toThrow(BackupError);
    await expect(importBackup(target, text)).rejects.toThrow(/nested more than/);
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

    expect(summary).toEqual({ ...nothingElse, added: 0, unchanged: SEEDED });
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

    expect(summary).toEqual({ ...nothingElse, added: 0, updated: 1, unchanged: SEEDED - 2, keptLocal: 1 });
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
    ['a message without text', (b) => ({ ...b, stores: { ...b.stores, messages: [...b.stores.messages, { key: 'm9', value: { id: 'm9', conversationId: 'c1', parentId: null, role: 'assistant', createdAt: 1, updatedAt: 1, status: 'complete', content: { html: '<script>' } } }] } }), /record "m9" in "messages" cannot be imported: "content" is not text\. Nothing was imported/],
    ['a key that is not text', (b) => ({ ...b, stores: { ...b.stores, settings: [...b.stores.settings, { key: 7, value: {} }] } }), /record "7" in "settings" cannot be imported: its key is not text/],
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

  it('writes all or nothing: a write the browser refuses half-way rolls back the whole import', async () => {
    const source = await freshDb();
    await seed(source);
    const text = await backupText(source);
    const target = await freshDb();
    await target.put('conversations', conversation('keep', { title: 'Mine' }));
    const before = await dump(target);
    // The third write fails, as a full disk would make it.
    let writes = 0;
    const put = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (++writes === 3) throw new DOMException('The disk is full.', 'QuotaExceededError');
      return put.apply(this, args);
    });

    await expect(importBackup(target, text)).rejects.toThrow(/Nothing was imported: the browser refused to write the data \(QuotaExceededError/);
    vi.restoreAllMocks();
    expect(writes).toBe(3);
    expect(await dump(target)).toStrictEqual(before);
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
