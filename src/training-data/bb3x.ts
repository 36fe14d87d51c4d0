/**
 * BlenderBot 3x's release shape (DESIGN §1): one record per conversation, the thread the user
 * saw. Ratings, verdicts and the safety mark belong to bot replies only.
 */
import { BB3X_DISLIKE_TYPES, DISLIKE_REASONS } from '../feedback/taxonomy';
import type { Bb3xClassifierOutput, Bb3xMessage, Bb3xRecord } from './records';
import type { TrainingConversation, Turn, Verdict } from './thread';

/** The conversation's record, or undefined when it shows nothing. `userId` is a pseudonym chosen by the caller. */
export function bb3xRecord(conversation: TrainingConversation, userId: string): Bb3xRecord | undefined {
  if (conversation.shown.length === 0) return undefined;
  return { conversation_id: conversation.id, user_id: userId, message_history: conversation.shown.map(bb3xMessage) };
}

function bb3xMessage(turn: Turn): Bb3xMessage {
  if (turn.role === 'user') {
    return { text: turn.text, sender: 'human', isLiked: false, isDisliked: false, dislike_type: null, isSafetyControlledResponse: false, reward: null, safety: null };
  }
  const feedback = turn.feedback;
  const disliked = feedback?.rating === 'down';
  // BB3x records one dislike type per message: the first reason given, in taxonomy order.
  const reason = disliked ? DISLIKE_REASONS.find((r) => feedback.reasons.includes(r)) : undefined;
  return {
    text: turn.text,
    sender: 'bot',
    isLiked: feedback?.rating === 'up',
    isDisliked: disliked,
    dislike_type: reason === undefined ? null : BB3X_DISLIKE_TYPES[reason],
    isSafetyControlledResponse: turn.isSafetyControlledResponse,
    reward: classifierOutput(turn.reward),
    safety: classifierOutput(turn.safety),
  };
}

/** A fresh object with exactly BB3x's two fields, whatever else the source carried. */
function classifierOutput(verdict: Verdict | null): Bb3xClassifierOutput | null {
  return verdict === null ? null : { label: verdict.label, probability: verdict.probability };
}
