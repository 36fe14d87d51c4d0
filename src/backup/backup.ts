import { openDB, type IDBPDatabase } from 'idb';
import { BackupCodecError, decodeBackupJson, encodeBackupJson } from './backup-codec';
import { BadRecordError, planImport } from './backup-records';
import { openChatDb, type ChatDb } from '../storage/db';

/**
 * Backup and restore of everything the app keeps in IndexedDB. Export is generic over object
 * stores; import checks every record against the store's own rules first (backup-records.ts),
 * since a backup is a file anyone can write.
 */

export const BACKUP_FORMAT = 'private-chat-backup';
export const BACKUP_FORMAT_VERSION = 1;

/** Any version of the app's database; backup code never relies on a particular schema. */
type AnyDb = IDBPDatabase<unknown>;

/** The same connection without its schema's types (idb's typed handles do not widen on their own). */
const schemaFree = <S>(db: IDBPDatabase<S>): AnyDb => db as unknown as AnyDb;

export interface IndexShape {
  name: string;
  keyPath: string | string[];
  unique: boolean;
  multiEntry: boolean;
}

/** Enough about a store to recreate it, so an older backup can be upgraded by the app's own migrations. */
export interface StoreShape {
  keyPath: string | string[] | null;
  autoIncrement: boolean;
  indexes: IndexShape[];
}

export interface BackupRecord {
  key: IDBValidKey;
  value: unknown;
}

export interface BackupFile {
  format: typeof BACKUP_FORMAT;
  formatVersion: number;
  database: string;
  schemaVersion: number;
  exportedAt: string;
  shapes: Record<string, StoreShape>;
  stores: Record<string, BackupRecord[]>;
}

export interface ImportSummary {
  added: number;
  updated: number;
  unchanged: number;
  /** Records that differ from the backup where this device's copy is newer or cannot be ordered: kept. */
  keptLocal: number;
  /** What the import changed or left out on purpose (donation never comes in turned on), in words. */
  notes: string[];
}

/** A backup that cannot be imported; `message` says what is wrong and what to do. */
export class BackupError extends Error {
  override name = 'BackupError';
}

function listStoreNames(db: AnyDb): string[] {
  return Array.from(db.objectStoreNames);
}

/** Reads every record of every store in one read transaction, so the backup is a consistent snapshot. */
export async function createBackup<S>(database: IDBPDatabase<S>, now = new Date()): Promise<BackupFile> {
  const db = schemaFree(database);
  const names = listStoreNames(db);
  const shapes: Record<string, StoreShape> = {};
  const stores: Record<string, BackupRecord[]> = {};
  if (names.length > 0) {
    const tx = db.transaction(names, 'readonly');
    for (const name of names) {
      const store = tx.objectStore(name);
      shapes[name] = {
        keyPath: store.keyPath,
        autoIncrement: store.autoIncrement,
        indexes: Array.from(store.indexNames, (indexName) => {
          const index = store.index(indexName);
          return { name: indexName, keyPath: index.keyPath, unique: index.unique, multiEntry: index.multiEntry };
        }),
      };
      // Both lists come back in key order, so they pair up.
      const [keys, values] = await Promise.all([store.getAllKeys(), store.getAll()]);
      stores[name] = keys.map((key, i) => ({ key, value: values[i] }));
    }
    await tx.done;
  }
  return {
    format: BACKUP_FORMAT, formatVersion: BACKUP_FORMAT_VERSION, database: db.name,
    schemaVersion: db.version, exportedAt: now.toISOString(), shapes, stores,
  };
}

export function serializeBackup(backup: BackupFile): string {
  try {
    return encodeBackupJson(backup);
  } catch (error) {
    if (error instanceof BackupCodecError) throw new BackupError(`The backup could not be written: ${error.message}`);
    throw error;
  }
}

export function backupFileName(backup: BackupFile): string {
  return `private-chat-backup-${backup.exportedAt.slice(0, 10)}.json`;
}

const NOT_A_BACKUP = 'Choose a file made with "Export backup" in this app.';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function isValidKey(key: unknown): key is IDBValidKey {
  try {
    indexedDB.cmp(key, key);
    return true;
  } catch {
    return false;
  }
}

const isKeyPath = (value: unknown): value is string | string[] =>
  typeof value === 'string' || (Array.isArray(value) && value.every((part) => typeof part === 'string'));

function checkShape(name: string, shape: unknown): StoreShape {
  const ok = isObject(shape) && (shape.keyPath === null || isKeyPath(shape.keyPath)) && typeof shape.autoIncrement === 'boolean'
    && Array.isArray(shape.indexes) && shape.indexes.every((index) => isObject(index) && typeof index.name === 'string'
      && isKeyPath(index.keyPath) && typeof index.unique === 'boolean' && typeof index.multiEntry === 'boolean');
  if (!ok) throw new BackupError(`The backup is damaged: the description of "${name}" is not valid. ${NOT_A_BACKUP}`);
  return shape as unknown as StoreShape;
}

/** Checks the file's structure; knows nothing about the current database yet. */
export function parseBackup(text: string): BackupFile {
  let data: unknown;
  try {
    data = decodeBackupJson(text);
  } catch (error) {
    if (error instanceof SyntaxError) throw new BackupError(`This file is not a backup: it is not valid JSON. ${NOT_A_BACKUP}`);
    if (error instanceof BackupCodecError) throw new BackupError(`The backup is damaged: ${error.message} ${NOT_A_BACKUP}`);
    throw error;
  }
  if (!isObject(data) || data.format !== BACKUP_FORMAT) {
    throw new BackupError(`This file is not a Private Chat backup. ${NOT_A_BACKUP}`);
  }
  if (typeof data.formatVersion !== 'number' || data.formatVersion > BACKUP_FORMAT_VERSION) {
    throw new BackupError('This backup was made by a newer version of the app. Update the app (reload it), then import the file again.');
  }
  if (!Number.isInteger(data.schemaVersion) || (data.schemaVersion as number) < 1 || typeof data.database !== 'string') {
    throw new BackupError(`The backup is damaged: it does not say which database version it holds. ${NOT_A_BACKUP}`);
  }
  if (!isObject(data.stores) || !isObject(data.shapes)) {
    throw new BackupError(`The backup is damaged: it has no data section. ${NOT_A_BACKUP}`);
  }
  const shapesByName = data.shapes;
  // Built with fromEntries: a store named "__proto__" must stay a name, not reach the prototype.
  const shapes: Record<string, StoreShape> = Object.fromEntries(Object.entries(data.stores).map(([name, records]) => {
    const shape = checkShape(name, Object.hasOwn(shapesByName, name) ? shapesByName[name] : undefined);
    if (!Array.isArray(records) || !records.every((record) => isObject(record) && Object.hasOwn(record, 'key') && isValidKey(record.key))) {
      throw new BackupError(`The backup is damaged: the records of "${name}" are not valid. ${NOT_A_BACKUP}`);
    }
    return [name, shape];
  }));
  return { ...(data as unknown as BackupFile), shapes };
}

function valueAtKeyPath(value: unknown, keyPath: string | string[]): unknown {
  if (Array.isArray(keyPath)) return keyPath.map((path) => valueAtKeyPath(value, path));
  let current = value;
  for (const part of keyPath.split('.')) {
    if (!isObject(current)) return undefined;
    current = current[part];
  }
  return current;
}

/** Checks that every store exists here and every record sits under its own key, before anything is written. */
function checkAgainstDatabase(db: AnyDb, backup: BackupFile): void {
  const known = new Set(listStoreNames(db));
  for (const [name, records] of Object.entries(backup.stores)) {
    if (!known.has(name)) {
      throw new BackupError(`The backup holds "${name}" data, which this version of the app does not keep. Update the app, then import the file again.`);
    }
    const keyPath = db.transaction(name).objectStore(name).keyPath;
    records.forEach((record, i) => {
      if (keyPath === null) return;
      const inlineKey = valueAtKeyPath(record.value, keyPath);
      if (!isValidKey(inlineKey) || indexedDB.cmp(inlineKey, record.key) !== 0) {
        throw new BackupError(`The backup is damaged: record ${i + 1} of "${name}" does not match its key. ${NOT_A_BACKUP}`);
      }
    });
  }
}

const DAMAGED_RECORD_ADVICE = 'Nothing was imported. If you edited this file, undo that change; otherwise export the backup again from the app it came from.';

/** A key as the user can find it in the file: quoted, and cut short when long. */
function describeKey(key: unknown): string {
  const raw = typeof key === 'string' ? key : String(key);
  return JSON.stringify(raw.length > 60 ? `${raw.slice(0, 57)}...` : raw);
}

/** Every record checked and turned into what will be written; the first bad one refuses the whole file. */
function planChecked(backup: BackupFile) {
  try {
    return planImport(Object.entries(backup.stores));
  } catch (error) {
    if (!(error instanceof BadRecordError)) throw error;
    throw new BackupError(`The backup is damaged: the record ${describeKey(error.key)} in "${error.store}" cannot be imported: ${error.problem}. ${DAMAGED_RECORD_ADVICE}`);
  }
}

/**
 * Brings an older backup up to the current schema with the app's own migrations: its data is
 * written into a scratch database of the backup's version, which the app then opens (and so
 * upgrades), and the upgraded records are read back. The real database is not touched.
 */
async function upgradeOldBackup(backup: BackupFile, openCurrent: (name: string) => Promise<ChatDb>): Promise<BackupFile> {
  const scratchName = `${backup.database}-import-${crypto.randomUUID()}`;
  try {
    const scratch = await openDB(scratchName, backup.schemaVersion, {
      upgrade(db) {
        for (const [name, shape] of Object.entries(backup.shapes)) {
          const store = db.createObjectStore(name, { keyPath: shape.keyPath ?? undefined, autoIncrement: shape.autoIncrement });
          for (const index of shape.indexes) store.createIndex(index.name, index.keyPath, { unique: index.unique, multiEntry: index.multiEntry });
        }
      },
    });
    await writeAll(scratch, backup);
    scratch.close();
    const upgraded = await openCurrent(scratchName);
    try {
      return { ...(await createBackup(upgraded)), database: backup.database };
    } finally {
      upgraded.close();
    }
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError(`This backup from an older version of the app could not be upgraded (${describe(error)}). Nothing was imported.`);
  } finally {
    await deleteScratch(scratchName);
  }
}

function deleteScratch(name: string): Promise<void> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}

async function writeAll(db: AnyDb, backup: BackupFile): Promise<void> {
  const names = Object.keys(backup.stores);
  if (names.length === 0) return;
  const tx = db.transaction(names, 'readwrite');
  tx.done.catch(() => undefined);
  try {
    for (const name of names) {
      const store = tx.objectStore(name);
      for (const record of backup.stores[name] ?? []) await (store.keyPath === null ? store.put(record.value, record.key) : store.put(record.value));
    }
    await tx.done;
  } catch (error) {
    abortQuietly(tx);
    throw error;
  }
}

/** Makes sure a failed transaction writes nothing; it may already have aborted on its own. */
function abortQuietly(tx: { abort(): void }): void {
  try {
    tx.abort();
  } catch {
    // Already finished or aborted.
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

const updatedAtOf = (value: unknown): number | undefined =>
  isObject(value) && typeof value.updatedAt === 'number' ? value.updatedAt : undefined;

/**
 * Merges a backup into the database by primary key, in one transaction: a new key is added; an
 * identical record is left alone (so importing a file twice changes nothing); a differing record
 * is replaced only when the backup's `updatedAt` is newer — otherwise this device's copy is kept,
 * so an old backup never overwrites newer work. If any write fails, nothing is written.
 */
export async function importBackup<S>(
  database: IDBPDatabase<S>,
  text: string,
  openCurrent: (name: string) => Promise<ChatDb> = openChatDb,
): Promise<ImportSummary> {
  const db = schemaFree(database);
  let backup = parseBackup(text);
  if (backup.schemaVersion > db.version) {
    throw new BackupError(
      `This backup comes from a newer version of the app (database version ${backup.schemaVersion}; this app uses ${db.version}). Update the app (reload it), then import the file again. Nothing was imported.`,
    );
  }
  if (backup.schemaVersion < db.version) backup = await upgradeOldBackup(backup, openCurrent);
  // Checked after the upgrade: the rules are the current app's, and so are the upgraded records.
  checkAgainstDatabase(db, backup);
  const plan = planChecked(backup);

  const summary: ImportSummary = { added: 0, updated: 0, unchanged: 0, keptLocal: 0, notes: plan.describeNotes() };
  const names = [...plan.stores.keys()];
  if (names.length === 0) return summary;
  const tx = db.transaction(names, 'readwrite');
  // Failures are reported by the loop below; this keeps the same rejection from going unhandled.
  tx.done.catch(() => undefined);
  try {
    for (const name of names) {
      const store = tx.objectStore(name);
      const inline = store.keyPath !== null;
      for (const [key, value] of plan.stores.get(name) ?? []) {
        const existing: unknown = await store.get(key);
        if (existing === undefined) {
          summary.added++;
        } else if (sameValue(existing, value)) {
          summary.unchanged++;
          continue;
        } else if ((updatedAtOf(value) ?? -Infinity) > (updatedAtOf(existing) ?? Infinity)) {
          summary.updated++;
        } else {
          summary.keptLocal++;
          continue;
        }
        await (inline ? store.put(value) : store.put(value, key));
      }
    }
    await tx.done;
  } catch (error) {
    abortQuietly(tx);
    throw new BackupError(`Nothing was imported: the browser refused to write the data (${describe(error)}). Free some space or try again.`);
  }
  return summary;
}

/** Structural equality of two structured-clone values (what IndexedDB holds). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (a instanceof Date) return Object.is(a.getTime(), (b as Date).getTime());
  if (a instanceof ArrayBuffer || ArrayBuffer.isView(a)) {
    const bytes = (v: object) => (v instanceof ArrayBuffer ? new Uint8Array(v) : new Uint8Array((v as ArrayBufferView).buffer, (v as ArrayBufferView).byteOffset, (v as ArrayBufferView).byteLength));
    const x = bytes(a), y = bytes(b);
    return x.length === y.length && x.every((byte, i) => byte === y[i]);
  }
  if (a instanceof Map || a instanceof Set) return sameValue([...a], [...(b as Map<unknown, unknown> | Set<unknown>)]);
  const keysA = Object.keys(a), keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((key) => Object.hasOwn(b, key) && sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}
