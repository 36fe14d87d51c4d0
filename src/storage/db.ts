import { openDB, type IDBPDatabase } from 'idb';
import { linkV1MessagesIntoThreads } from './migrate-v2';
import { DB_NAME, DB_VERSION, type ChatDbSchema } from './schema';

export type ChatDb = IDBPDatabase<ChatDbSchema>;

/**
 * Opens (and creates or upgrades) the app's database. Each schema version adds one
 * `if (oldVersion < N)` step, so a database written by any earlier version upgrades in order.
 */
export function openChatDb(name: string = DB_NAME): Promise<ChatDb> {
  return openDB<ChatDbSchema>(name, DB_VERSION, {
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
    },
    blocking() {
      // A newer version of the app wants to upgrade in another tab: step aside.
      globalThis.location?.reload();
    },
  });
}
