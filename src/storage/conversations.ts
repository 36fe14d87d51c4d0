import type { ChatDb } from './db';
import type { Conversation, StoredMessage } from './schema';

export function newId(): string {
  return crypto.randomUUID();
}

export async function createConversation(db: ChatDb, title = 'New conversation', systemPrompt = ''): Promise<Conversation> {
  const now = Date.now();
  const conversation: Conversation = { id: newId(), title, createdAt: now, updatedAt: now, systemPrompt, currentLeafId: null };
  await db.put('conversations', conversation);
  return conversation;
}

/** Newest first, without the ones waiting out their undo window after a delete. */
export async function listConversations(db: ChatDb): Promise<Conversation[]> {
  const all = await db.getAllFromIndex('conversations', 'byUpdatedAt');
  return all.filter((c) => c.deletedAt === undefined).reverse();
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

/**
 * Points the conversation at another branch. Looking at an older version is not activity, so
 * the conversation keeps its place in the list.
 */
export async function setCurrentLeaf(db: ChatDb, conversationId: string, leafId: string | null): Promise<void> {
  const tx = db.transaction('conversations', 'readwrite');
  const current = await tx.store.get(conversationId);
  if (current) await tx.store.put({ ...current, currentLeafId: leafId });
  await tx.done;
}

/** All messages of one conversation, every branch, in the order they were written. */
export function listMessages(db: ChatDb, conversationId: string): Promise<StoredMessage[]> {
  const range = IDBKeyRange.bound([conversationId, -Infinity], [conversationId, Infinity]);
  return db.getAllFromIndex('messages', 'byConversation', range);
}

/**
 * Writes a message and touches its conversation in one transaction, so the list order, the
 * branch shown and the message never disagree. `asCurrentLeaf` makes the message the end of
 * the thread the conversation shows (a new turn, a regenerated reply, an edited question).
 */
export async function saveMessage(db: ChatDb, message: StoredMessage, options: { asCurrentLeaf?: boolean } = {}): Promise<void> {
  const tx = db.transaction(['messages', 'conversations'], 'readwrite');
  const conversations = tx.objectStore('conversations');
  const conversation = await conversations.get(message.conversationId);
  await tx.objectStore('messages').put(message);
  if (conversation) {
    await conversations.put({
      ...conversation,
      updatedAt: Math.max(conversation.updatedAt, message.updatedAt),
      currentLeafId: options.asCurrentLeaf ? message.id : conversation.currentLeafId,
    });
  }
  await tx.done;
}

/** Deletes some messages of a conversation (a branch) with their feedback and moves its thread to `nextLeafId`. */
export async function deleteMessages(db: ChatDb, conversationId: string, ids: readonly string[], nextLeafId: string | null): Promise<void> {
  const tx = db.transaction(['messages', 'conversations', 'feedback'], 'readwrite');
  const messages = tx.objectStore('messages');
  const feedback = tx.objectStore('feedback');
  for (const id of ids) {
    await messages.delete(id);
    await feedback.delete(id);
  }
  const conversations = tx.objectStore('conversations');
  const conversation = await conversations.get(conversationId);
  if (conversation) await conversations.put({ ...conversation, currentLeafId: nextLeafId });
  await tx.done;
}

/** Hides a conversation at once; `restoreConversation` undoes it, `purgeDeletedConversation` makes it final. */
export function softDeleteConversation(db: ChatDb, id: string, deletedAt = Date.now()): Promise<void> {
  return patchWithoutTouching(db, id, (c) => ({ ...c, deletedAt }));
}

/** Undoes a soft delete, leaving the conversation exactly as it was. */
export function restoreConversation(db: ChatDb, id: string): Promise<void> {
  return patchWithoutTouching(db, id, ({ deletedAt: _deletedAt, ...rest }) => rest);
}

/** Conversations deleted but not yet purged, oldest deletion first. */
export async function listDeletedConversations(db: ChatDb): Promise<Conversation[]> {
  const all = await db.getAll('conversations');
  return all.filter((c) => c.deletedAt !== undefined).sort((a, b) => a.deletedAt! - b.deletedAt!);
}

/** Really deletes one conversation if it is still soft-deleted (its undo may have come first). */
export async function purgeDeletedConversation(db: ChatDb, id: string): Promise<boolean> {
  const conversation = await db.get('conversations', id);
  if (conversation?.deletedAt === undefined) return false;
  await deleteConversation(db, id);
  return true;
}

/** Deletes a conversation with its messages and the feedback on them, in one transaction. */
export async function deleteConversation(db: ChatDb, id: string): Promise<void> {
  const tx = db.transaction(['messages', 'conversations', 'feedback'], 'readwrite');
  const range = IDBKeyRange.bound([id, -Infinity], [id, Infinity]);
  const messages = tx.objectStore('messages');
  for (const key of await messages.index('byConversation').getAllKeys(range)) await messages.delete(key);
  const feedback = tx.objectStore('feedback');
  for (const key of await feedback.index('byConversation').getAllKeys(id)) await feedback.delete(key);
  await tx.objectStore('conversations').delete(id);
  await tx.done;
}

async function patchWithoutTouching(db: ChatDb, id: string, patch: (c: Conversation) => Conversation): Promise<void> {
  const tx = db.transaction('conversations', 'readwrite');
  const current = await tx.store.get(id);
  if (current) await tx.store.put(patch(current));
  await tx.done;
}
