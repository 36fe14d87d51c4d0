import { threadTo, visibleThread } from '../chat/branches';
import type { ChatDb } from '../storage/db';
import type { Conversation, StoredMessage } from '../storage/schema';
import { BB3X_DISLIKE_TYPES, DISLIKE_REASONS } from './taxonomy';
import type { MessageFeedback } from './types';

/**
 * Training-data exports (DESIGN §7). Each exporter is an async generator of JSONL lines, each
 * line one JSON object ending in "\n", so the lines concatenated are the file. The database is
 * read one conversation at a time, each read in its own short transaction (a transaction cannot
 * stay open while the caller awaits something else), so memory grows with the largest
 * conversation, not with the number of messages. Conversations waiting out their undo window
 * after a delete are left out.
 */

export interface ChatTurnJson {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** TRL KTO (unpaired preference) record. */
export interface KtoRecord {
  prompt: ChatTurnJson[];
  completion: [{ role: 'assistant'; content: string }];
  label: boolean;
}

/** TRL DPO (paired preference) record. */
export interface DpoRecord {
  prompt: ChatTurnJson[];
  chosen: [{ role: 'assistant'; content: string }];
  rejected: [{ role: 'assistant'; content: string }];
}

export interface Bb3xMessage {
  text: string;
  sender: 'bot' | 'human';
  isLiked: boolean;
  isDisliked: boolean;
  dislike_type: string | null;
  isSafetyControlledResponse: boolean;
  /** The personal reward head's verdict on a bot reply (BB3x's reward classifier labels); null when not scored. */
  reward: Bb3xClassifierOutput | null;
  /** The safety classifier's verdict on a bot reply; null when not checked. */
  safety: Bb3xClassifierOutput | null;
}

export interface Bb3xClassifierOutput {
  label: string;
  probability: number;
}

export interface Bb3xRecord {
  conversation_id: string;
  user_id: string;
  message_history: Bb3xMessage[];
}

/** A fresh random id for one BB3x export; never derive it from anything stable on the device. */
export function newPseudonymousUserId(): string {
  return crypto.randomUUID();
}

/** One line per rated bot reply: the path up to it (its own branch), the reply, and the thumb. */
export async function* exportKto(db: ChatDb): AsyncGenerator<string> {
  for await (const { conversation, messages, feedback } of ratedConversations(db)) {
    const byId = new Map(messages.map((m) => [m.id, m]));
    for (const rating of feedback) {
      const reply = byId.get(rating.messageId);
      if (reply?.role !== 'assistant') continue;
      const record: KtoRecord = {
        prompt: promptFor(conversation, messages, reply),
        completion: [assistant(reply.content)],
        label: rating.rating === 'up',
      };
      yield line(record);
    }
  }
}

/**
 * Preference pairs: a disliked reply against the user's "what it should have said", and, for
 * each turn answered more than once, every liked version against every disliked one.
 */
export async function* exportDpo(db: ChatDb): AsyncGenerator<string> {
  for await (const { conversation, messages, feedback } of ratedConversations(db)) {
    const byId = new Map(messages.map((m) => [m.id, m]));
    const rated = feedback
      .map((f) => ({ feedback: f, reply: byId.get(f.messageId) }))
      .filter((r): r is { feedback: MessageFeedback; reply: StoredMessage } => r.reply?.role === 'assistant')
      .sort((a, b) => a.reply.createdAt - b.reply.createdAt);

    for (const { feedback: f, reply } of rated) {
      if (f.rating !== 'down' || f.betterResponse.trim() === '') continue;
      const record: DpoRecord = {
        prompt: promptFor(conversation, messages, reply),
        chosen: [assistant(f.betterResponse)],
        rejected: [assistant(reply.content)],
      };
      yield line(record);
    }

    const byTurn = new Map<string | null, typeof rated>();
    for (const r of rated) {
      const siblings = byTurn.get(r.reply.parentId);
      if (siblings) siblings.push(r);
      else byTurn.set(r.reply.parentId, [r]);
    }
    for (const siblings of byTurn.values()) {
      const liked = siblings.filter((r) => r.feedback.rating === 'up');
      const disliked = siblings.filter((r) => r.feedback.rating === 'down');
      for (const good of liked) {
        for (const bad of disliked) {
          const record: DpoRecord = {
            prompt: promptFor(conversation, messages, good.reply),
            chosen: [assistant(good.reply.content)],
            rejected: [assistant(bad.reply.content)],
          };
          yield line(record);
        }
      }
    }
  }
}

/**
 * One line per conversation: the thread it shows, in BlenderBot 3x's release shape. `userId`
 * must be a pseudonym made for this export (see `newPseudonymousUserId`).
 */
export async function* exportBb3x(db: ChatDb, userId: string): AsyncGenerator<string> {
  if (userId.trim() === '') throw new Error('A BB3x export needs a pseudonymous user id.');
  for await (const conversation of conversations(db)) {
    const { messages, feedback } = await readConversation(db, conversation.id);
    const thread = visibleThread(messages, conversation.currentLeafId);
    if (thread.length === 0) continue;
    const ratings = new Map(feedback.map((f) => [f.messageId, f]));
    const record: Bb3xRecord = {
      conversation_id: conversation.id,
      user_id: userId,
      message_history: thread.map((m) => bb3xMessage(m, m.role === 'assistant' ? ratings.get(m.id) : undefined)),
    };
    yield line(record);
  }
}

function bb3xMessage(message: StoredMessage, feedback: MessageFeedback | undefined): Bb3xMessage {
  const disliked = feedback?.rating === 'down';
  // BB3x records one dislike type per message: the first reason given, in taxonomy order.
  const reason = disliked ? DISLIKE_REASONS.find((r) => feedback.reasons.includes(r)) : undefined;
  return {
    text: message.content,
    sender: message.role === 'assistant' ? 'bot' : 'human',
    isLiked: feedback?.rating === 'up',
    isDisliked: disliked,
    dislike_type: reason === undefined ? null : BB3X_DISLIKE_TYPES[reason],
    isSafetyControlledResponse: message.isSafetyControlledResponse === true,
    // Each verdict as a label and the probability of that label.
    reward: message.role === 'assistant' && message.reward
      ? { label: message.reward.label, probability: message.reward.label === '__ok__' ? message.reward.ok : 1 - message.reward.ok }
      : null,
    safety: message.role === 'assistant' && message.safety
      ? { label: message.safety.flagged ? '__unsafe__' : '__safe__', probability: message.safety.flagged ? message.safety.unsafe : 1 - message.safety.unsafe }
      : null,
  };
}

/**
 * The system prompt (when there is one), then the path from the first message to `reply`'s turn,
 * without failed replies: the app never sends those to the model (see ChatStore.reply).
 */
function promptFor(conversation: Conversation, messages: readonly StoredMessage[], reply: StoredMessage): ChatTurnJson[] {
  const prompt: ChatTurnJson[] = conversation.systemPrompt.trim() === '' ? [] : [{ role: 'system', content: conversation.systemPrompt }];
  for (const m of threadTo(messages, reply.parentId)) if (m.status !== 'error') prompt.push({ role: m.role, content: m.content });
  return prompt;
}

const assistant = (content: string) => ({ role: 'assistant' as const, content });

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

interface RatedConversation {
  conversation: Conversation;
  messages: StoredMessage[];
  feedback: MessageFeedback[];
}

/** Live conversations with at least one rating; an unrated conversation's messages are not read. */
async function* ratedConversations(db: ChatDb): AsyncGenerator<RatedConversation> {
  for await (const conversation of conversations(db)) {
    if ((await db.countFromIndex('feedback', 'byConversation', conversation.id)) === 0) continue;
    yield { conversation, ...(await readConversation(db, conversation.id)) };
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
