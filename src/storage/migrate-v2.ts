import type { IDBPTransaction, StoreNames } from 'idb';
import type { ChatDbSchema, StoredMessage } from './schema';

type UpgradeTransaction = IDBPTransaction<ChatDbSchema, StoreNames<ChatDbSchema>[], 'versionchange'>;

/**
 * v1 stored each conversation as a flat list ordered by `createdAt`; v2 stores a tree. The flat
 * list becomes a single branch: each message's parent is the one written before it, and the
 * conversation shows that branch's last message. Only IDB requests are awaited, so the upgrade
 * transaction stays open throughout.
 */
export async function linkV1MessagesIntoThreads(transaction: UpgradeTransaction): Promise<void> {
  const lastMessageOf = new Map<string, string>();
  let cursor = await transaction.objectStore('messages').index('byConversation').openCursor();
  while (cursor) {
    const message = cursor.value as Omit<StoredMessage, 'parentId'> & { parentId?: string | null };
    await cursor.update({ ...message, parentId: lastMessageOf.get(message.conversationId) ?? null });
    lastMessageOf.set(message.conversationId, message.id);
    cursor = await cursor.continue();
  }

  let conversations = await transaction.objectStore('conversations').openCursor();
  while (conversations) {
    const conversation = conversations.value;
    await conversations.update({ ...conversation, currentLeafId: lastMessageOf.get(conversation.id) ?? null });
    conversations = await conversations.continue();
  }
}
