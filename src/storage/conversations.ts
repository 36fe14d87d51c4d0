import type { ChatDb } from './db';
import type { Conversation, StoredMessage } from './schema';

export function newId(): string {
  return crypto.randomUUID();
}

export async function createConversation(db: ChatDb, title = 'New conversation', systemPrompt = ''): Promise<Conversation> {
  const now = Date.now();
  const conversation: Conversation = { id: newId(), title, createdAt: now, updatedAt: now, systemPrompt };
  await db.put('conversations', conversation);
  return conversation;
}

/** Newest first. */
export async function listConversations(db: ChatDb): Promise<Conversation[]> {
  const all = await db.getAllFromIndex('conversations', 'byUpdatedAt');
  return all.reverse();
}

export function getConversation(db: ChatDb, id: string): Promise<Conversation | undefined> {
  return db.get('conversations', id);
}

export async function updateConversation(db: ChatDb, id: string, changes: Partial<Omit<Conversation, 'id'>>): Promise<void> {
  const tx = db.transaction('conversations', 'readwrite');
  const current = await tx.store.get(id);
  if (current) await tx.store.put({ ...current, ...changes, updatedAt: changes.updatedAt ?? Date.now() });
  await tx.done;
}

/** Messages of one conversation in the order they were written. */
export function listMessages(db: ChatDb, conversationId: string): Promise<StoredMessage[]> {
  const range = IDBKeyRange.bound([conversationId, -Infinity], [conversationId, Infinity]);
  return db.getAllFromIndex('messages', 'byConversation', range);
}

/**
 * Writes a message and touches its conversation in one transaction, so the list order and
 * the message never disagree.
 */
export async function saveMessage(db: ChatDb, message: StoredMessage): Promise<void> {
  const tx = db.transaction(['messages', 'conversations'], 'readwrite');
  const conversations = tx.objectStore('conversations');
  const conversation = await conversations.get(message.conversationId);
  await tx.objectStore('messages').put(message);
  if (conversation) await conversations.put({ ...conversation, updatedAt: Math.max(conversation.updatedAt, message.updatedAt) });
  await tx.done;
}

export async function deleteConversation(db: ChatDb, id: string): Promise<void> {
  const tx = db.transaction(['messages', 'conversations'], 'readwrite');
  const range = IDBKeyRange.bound([id, -Infinity], [id, Infinity]);
  const messages = tx.objectStore('messages');
  for (const key of await messages.index('byConversation').getAllKeys(range)) await messages.delete(key);
  await tx.objectStore('conversations').delete(id);
  await tx.done;
}
