import type { ChatDb } from '../storage/db';
import type { Conversation, StoredMessage } from '../storage/schema';
import { bb3xRecord } from '../training-data/bb3x';
import { dpoRecords } from '../training-data/dpo';
import { ktoRecords } from '../training-data/kto';
import type { TrainingConversation } from '../training-data/thread';
import { trainingConversation } from './training-conversation';
import type { MessageFeedback } from './types';

/**
 * Training-data exports (DESIGN §7). Each exporter is an async generator of JSONL lines, each
 * line one JSON object ending in "\n", so the lines concatenated are the file. The database is
 * read one conversation at a time, each read in its own short transaction (a transaction cannot
 * stay open while the caller awaits something else), so memory grows with the largest
 * conversation, not with the number of messages. Conversations waiting out their undo window
 * after a delete are left out.
 *
 * What goes into a record is decided in src/training-data, which the collector's export uses
 * too: a conversation exported here and the same conversation donated and exported there give
 * the same records.
 */

/** A fresh random id for one BB3x export; never derive it from anything stable on the device. */
export function newPseudonymousUserId(): string {
  return crypto.randomUUID();
}

/** One line per rated reply: the path up to it (its own branch), the reply, and the thumb. */
export async function* exportKto(db: ChatDb): AsyncGenerator<string> {
  for await (const conversation of ratedConversations(db)) for (const record of ktoRecords(conversation)) yield line(record);
}

/**
 * Preference pairs: a disliked reply against the user's "what it should have said", and, for
 * each turn answered more than once, every liked version against every disliked one.
 */
export async function* exportDpo(db: ChatDb): AsyncGenerator<string> {
  for await (const conversation of ratedConversations(db)) for (const record of dpoRecords(conversation)) yield line(record);
}

/**
 * One line per conversation: the thread it shows, in BlenderBot 3x's release shape. `userId`
 * must be a pseudonym made for this export (see `newPseudonymousUserId`).
 */
export async function* exportBb3x(db: ChatDb, userId: string): AsyncGenerator<string> {
  if (userId.trim() === '') throw new Error('A BB3x export needs a pseudonymous user id.');
  for await (const conversation of conversations(db)) {
    const { messages, feedback } = await readConversation(db, conversation.id);
    const record = bb3xRecord(trainingConversation(conversation, messages, feedback), userId);
    if (record) yield line(record);
  }
}

const line = (record: object) => `${JSON.stringify(record)}\n`;

/** Every live conversation, in key order, each read in its own transaction. */
async function* conversations(db: ChatDb): AsyncGenerator<Conversation> {
  // Conversation ids are strings, and '' is the smallest string key.
  let range = IDBKeyRange.lowerBound('');
  for (;;) {
    const cursor = await db.transaction('conversations').store.openCursor(range);
    if (!cursor) return;
    const conversation = cursor.value;
    range = IDBKeyRange.lowerBound(conversation.id, true);
    if (conversation.deletedAt === undefined) yield conversation;
  }
}

/** Live conversations with at least one rating; an unrated conversation's messages are not read. */
async function* ratedConversations(db: ChatDb): AsyncGenerator<TrainingConversation> {
  for await (const conversation of conversations(db)) {
    if ((await db.countFromIndex('feedback', 'byConversation', conversation.id)) === 0) continue;
    const { messages, feedback } = await readConversation(db, conversation.id);
    yield trainingConversation(conversation, messages, feedback);
  }
}

async function readConversation(db: ChatDb, conversationId: string): Promise<{ messages: StoredMessage[]; feedback: MessageFeedback[] }> {
  const tx = db.transaction(['messages', 'feedback']);
  const range = IDBKeyRange.bound([conversationId, -Infinity], [conversationId, Infinity]);
  const [messages, feedback] = await Promise.all([
    tx.objectStore('messages').index('byConversation').getAll(range),
    tx.objectStore('feedback').index('byConversation').getAll(conversationId),
  ]);
  return { messages, feedback };
}
