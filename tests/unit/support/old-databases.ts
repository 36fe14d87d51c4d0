/**
 * Databases written the way older builds of the app wrote them, with raw IndexedDB (not `idb`),
 * so the upgrade tests start from exactly what a user's browser holds.
 */

/** Resolves an IDB request. */
export function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/**
 * Creates the stores and indexes that version `version` (1–4) of the app had, as each of those
 * builds created them.
 */
export function createStoresOfVersion(db: IDBDatabase, version: 1 | 2 | 3 | 4): void {
  db.createObjectStore('conversations', { keyPath: 'id' }).createIndex('byUpdatedAt', 'updatedAt');
  db.createObjectStore('messages', { keyPath: 'id' }).createIndex('byConversation', ['conversationId', 'createdAt']);
  db.createObjectStore('settings');
  if (version >= 3) {
    const feedback = db.createObjectStore('feedback', { keyPath: 'messageId' });
    feedback.createIndex('byConversation', 'conversationId');
    feedback.createIndex('byUpdatedAt', 'updatedAt');
  }
  if (version >= 4) db.createObjectStore('personalModel');
}

/** Writes a database exactly as version 1 of the app did: its stores and indexes, flat messages without parentId. */
export async function writeV1Database(name: string, conversations: object[], messages: object[], settings: unknown): Promise<void> {
  const open = indexedDB.open(name, 1);
  open.onupgradeneeded = () => createStoresOfVersion(open.result, 1);
  const db = await request(open);
  const tx = db.transaction(['conversations', 'messages', 'settings'], 'readwrite');
  for (const c of conversations) tx.objectStore('conversations').put(c);
  for (const m of messages) tx.objectStore('messages').put(m);
  tx.objectStore('settings').put(settings, 'app');
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
  db.close();
}
