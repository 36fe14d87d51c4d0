/**
 * A conversation from the app's stores as a TrainingConversation (the app's side of
 * src/training-data). Pure: the exporters read the database and hand the records over.
 *
 * What counts as a turn follows what the model and the donation see: a failed reply is never sent
 * to the model (ChatStore.reply) nor donated, and an empty one says nothing, so neither is a turn —
 * not in a prompt, not as a rated reply, not in the BB3x thread. Conversation.systemPrompt is not
 * read: see src/training-data/thread.ts for why no format carries it.
 */
import { threadTo, visibleThread } from '../chat/branches';
import type { Conversation, StoredMessage } from '../storage/schema';
import { hasText, ratedAtEnd, trainingFeedback } from '../training-data/build';
import type { RatedReply, ReplyTurn, TrainingConversation, Turn } from '../training-data/thread';
import { rewardVerdict, safetyVerdict } from '../training-data/verdicts';
import type { MessageFeedback } from './types';

export function isTurn(message: StoredMessage): boolean {
  return message.status !== 'error' && hasText(message.content);
}

export function trainingConversation(conversation: Conversation, messages: readonly StoredMessage[], feedback: readonly MessageFeedback[]): TrainingConversation {
  const ratings = new Map(feedback.map((f) => [f.messageId, f]));
  const turnsOf = (path: readonly StoredMessage[]): Turn[] => path.filter(isTurn).map((m) => turnOf(m, ratings.get(m.id)));
  // Feedback whose reply is gone (a restored backup can leave one) matches no message and is skipped.
  const ratedReplies = messages.filter((m) => m.role === 'assistant' && ratings.has(m.id) && isTurn(m)).sort(oldestFirst);
  return {
    id: conversation.id,
    shown: turnsOf(visibleThread(messages, conversation.currentLeafId)),
    // Each reply with the path to it, so a version the user moved away from keeps its own prompt.
    rated: ratedReplies.map((reply) => ratedAtEnd(turnsOf(threadTo(messages, reply.id)))).filter((r): r is RatedReply => r !== undefined),
  };
}

/** Reading order along any one branch (a reply is written after what it answers); ids break ties. */
function oldestFirst(a: StoredMessage, b: StoredMessage): number {
  return a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function turnOf(message: StoredMessage, feedback: MessageFeedback | undefined): Turn {
  return message.role === 'user' ? { role: 'user', text: message.content } : replyTurn(message, feedback);
}

function replyTurn(message: StoredMessage, feedback: MessageFeedback | undefined): ReplyTurn {
  return {
    role: 'assistant',
    text: message.content,
    isSafetyControlledResponse: message.isSafetyControlledResponse === true,
    reward: message.reward ? rewardVerdict(message.reward) : null,
    safety: message.safety ? safetyVerdict(message.safety) : null,
    feedback: feedback ? trainingFeedback(feedback) : null,
    // Versions of one turn are the replies to one message.
    turn: message.parentId ?? '',
  };
}
