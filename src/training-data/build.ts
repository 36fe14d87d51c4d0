/**
 * The rules both adapters apply while building a TrainingConversation, written once: which
 * messages are turns, how feedback is normalised, and how rated replies are found on a thread.
 */
import { normalizeReasons, type DislikeReason } from '../feedback/taxonomy';
import type { RatedReply, TrainingFeedback, Turn } from './thread';

/**
 * A message with no text is no turn: an empty reply (stopped before its first token) says
 * nothing to train on, and the donation never sends one (src/donation/donation-sources.ts).
 */
export function hasText(text: string): boolean {
  return text.trim() !== '';
}

export interface FeedbackFields {
  rating: 'up' | 'down';
  reasons: readonly DislikeReason[];
  comment?: string;
  betterResponse?: string;
}

/**
 * Reasons belong to a thumbs-down only. A text the user left blank becomes '' whether it was
 * stored blank (the app) or left out (a bundle drops blank texts).
 */
export function trainingFeedback(feedback: FeedbackFields): TrainingFeedback {
  return {
    rating: feedback.rating,
    reasons: feedback.rating === 'down' ? normalizeReasons(feedback.reasons) : [],
    comment: orEmpty(feedback.comment),
    betterResponse: orEmpty(feedback.betterResponse),
  };
}

const orEmpty = (text: string | undefined): string => (text !== undefined && hasText(text) ? text : '');

type RatedTurn = RatedReply['reply'];

function isRated(turn: Turn | undefined): turn is RatedTurn {
  return turn?.role === 'assistant' && turn.feedback !== null;
}

/** The last turn of `path` with the turns before it, when it is a rated reply. */
export function ratedAtEnd(path: readonly Turn[]): RatedReply | undefined {
  const reply = path.at(-1);
  return isRated(reply) ? { before: path.slice(0, -1), reply } : undefined;
}

/** Every rated reply on `thread`, in reading order, each with the turns before it. */
export function ratedAlong(thread: readonly Turn[]): RatedReply[] {
  const rated: RatedReply[] = [];
  for (const [index, turn] of thread.entries()) if (isRated(turn)) rated.push({ before: thread.slice(0, index), reply: turn });
  return rated;
}
