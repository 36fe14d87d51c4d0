import { openDB, type IDBPDatabase } from 'idb';
import { linkV1MessagesIntoThreads } from './migrate-v2';
import { DB_NAME, DB_VERSION, type ChatDbSchema } from './schema';

export type ChatDb = IDBPDatabase<ChatDbSchema>;

/** What happens to a connection because of other tabs or the browser. */
export type DatabaseEvent =
  /** Opening waits: another tab holds an older version open and has not let go yet. */
  | { kind: 'blocked' }
  /** Open (after a wait, the notice can go). */
  | { kind: 'opened' }
  /** Another tab opened a newer version and waits for this connection to close. */
  | { kind: 'newer-version' }
  /** The browser closed the connection by itself (storage cleared, disk error). */
  | { kind: 'terminated' };

/**
 * Opens (and creates or upgrades) the app's database. Each schema version adds one
 * `if (oldVersion < N)` step, so a database written by any earlier version upgrades in order.
 * The app itself uses appDb(), its one connection; this is for tests and scratch copies.
 */
export async function openChatDb(name: string = DB_NAME, onEvent?: (event: DatabaseEvent) => void): Promise<ChatDb> {
  const db: ChatDb = await openDB<ChatDbSchema>(name, DB_VERSION, {
    upgrade(db, oldVersion, _newVersion, transaction) {
      if (oldVersion < 1) {
        const conversations = db.createObjectStore('conversations', { keyPath: 'id' });
        conversations.createIndex('byUpdatedAt', 'updatedAt');
        const messages = db.createObjectStore('messages', { keyPath: 'id' });
        messages.createIndex('byConversation', ['conversationId', 'createdAt']);
        db.createObjectStore('settings');
      }
      if (oldVersion < 2) {
        // A failed step must not leave a half-converted database behind: abort the whole upgrade.
        linkV1MessagesIntoThreads(transaction).catch(() => transaction.abort());
      }
      if (oldVersion < 3) {
        const feedback = db.createObjectStore('feedback', { keyPath: 'messageId' });
        feedback.createIndex('byConversation', 'conversationId');
        feedback.createIndex('byUpdatedAt', 'updatedAt');
      }
      if (oldVersion < 4) {
        // Out-of-line keys: the head is one record under 'head' (src/reward/head-storage.ts).
        db.createObjectStore('personalModel');
      }
      if (oldVersion < 5) {
        // The donation outbox, listed newest first (src/donation/donation-repository.ts).
        const donations = db.createObjectStore('donations', { keyPath: 'bundleId' });
        donations.createIndex('byCreatedAt', 'createdAt');
      }
      if (oldVersion < 6) {
        // The personal generation adapter and its examples (src/learning/adapter-storage.ts).
        db.createObjectStore('adapters');
        const examples = db.createObjectStore('adapterExamples', { keyPath: 'key' });
        examples.createIndex('byModel', 'modelId');
        examples.createIndex('byMessage', 'messageId');
      }
    },
    blocked() {
      onEvent?.({ kind: 'blocked' });
    },
    blocking() {
      // Without a listener (a short-lived connection) step aside at once: never hold another tab's upgrade.
      if (onEvent) onEvent({ kind: 'newer-version' });
      else db.close();
    },
    terminated() {
      onEvent?.({ kind: 'terminated' });
    },
  });
  onEvent?.({ kind: 'opened' });
  return db;
}

let appConnection: Promise<ChatDb> | null = null;
const listeners = new Set<(event: DatabaseEvent) => void>();

/**
 * The app's one connection to its database, shared by every store, the backup and the exports.
 * Listeners hear what other tabs and the browser do to it; after 'terminated' (or release) the
 * next call opens a fresh one.
 */
export function appDb(): Promise<ChatDb> {
  appConnection ??= openChatDb(DB_NAME, (event) => {
    if (event.kind === 'terminated') appConnection = null;
    for (const listener of listeners) listener(event);
  }).catch((error: unknown) => {
    appConnection = null;
    throw error;
  });
  return appConnection;
}

export function onDatabaseEvent(listener: (event: DatabaseEvent) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Closes the app's connection, so another tab's upgrade can go ahead; this tab must reload to use the database again. */
export async function releaseAppDb(): Promise<void> {
  const connection = appConnection;
  appConnection = null;
  (await connection?.catch(() => null))?.close();
}
