/**
 * What can be donated, read from the chat's own stores: for each conversation, the thread the
 * user last looked at, without failed or empty messages, and the feedback on it. Conversations
 * waiting out their undo window after a delete are never offered.
 */
import { visibleThread } from '../chat/branches';
import { listConversations } from '../storage/conversations';
import type { ChatDb } from '../storage/db';
import type { Conversation, StoredMessage } from '../storage/schema';
import type { MessageFeedback } from '../feedback/types';
import type { DonationCandidate } from './donation-store-api';

export interface DonationSource {
  conversationId: string;
  /** The donatable thread, in reading order. */
  thread: StoredMessage[];
  /** Feedback on the thread's replies, by message id. */
  feedback: ReadonlyMap<string, MessageFeedback>;
}

/** The thread the chat shows (up to the current leaf), minus what never reached the model or the user. */
export function donatableThread(messages: readonly StoredMessage[], currentLeafId: string | null): StoredMessage[] {
  return visibleThread(messages, currentLeafId).filter((m) => m.status !== 'error' && m.content.trim() !== '');
}

async function readSource(db: ChatDb, conversation: Conversation): Promise<DonationSource> {
  // One read transaction for both, so the messages and their feedback agree.
  const tx = db.transaction(['messages', 'feedback']);
  const range = IDBKeyRange.bound([conversation.id, -Infinity], [conversation.id, Infinity]);
  const [messages, feedback] = await Promise.all([
    tx.objectStore('messages').index('byConversation').getAll(range),
    tx.objectStore('feedback').index('byConversation').getAll(conversation.id),
  ]);
  const thread = donatableThread(messages, conversation.currentLeafId);
  const onThread = new Set(thread.map((m) => m.id));
  return { conversationId: conversation.id, thread, feedback: new Map(feedback.filter((f) => onThread.has(f.messageId)).map((f) => [f.messageId, f])) };
}

/** Live conversations with something to donate, newest first. */
export async function listDonationCandidates(db: ChatDb): Promise<DonationCandidate[]> {
  const candidates: DonationCandidate[] = [];
  for (const conversation of await listConversations(db)) {
    const source = await readSource(db, conversation);
    if (source.thread.length === 0) continue;
    const ratedCount = source.thread.filter((m) => m.role === 'assistant' && source.feedback.has(m.id)).length;
    candidates.push({ conversationId: conversation.id, title: conversation.title, updatedAt: conversation.updatedAt, messageCount: source.thread.length, ratedCount });
  }
  return candidates;
}

/** The chosen conversations in the order given, each once; deleted or unknown ones are skipped. */
export async function readDonationSources(db: ChatDb, conversationIds: readonly string[]): Promise<DonationSource[]> {
  const sources: DonationSource[] = [];
  for (const id of new Set(conversationIds)) {
    const conversation = await db.get('conversations', id);
    if (!conversation || conversation.deletedAt !== undefined) continue;
    sources.push(await readSource(db, conversation));
  }
  return sources;
}
