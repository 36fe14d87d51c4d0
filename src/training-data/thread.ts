/**
 * The normalised thread: what every training-data format (KTO, DPO, BB3x — DESIGN §7) is made
 * from, whichever side exports it. The app builds it from its own stores
 * (src/feedback/training-conversation.ts); the collector builds it from a donated bundle
 * (from-bundle.ts). The mappers beside this file are then the one place that says what a record
 * holds, so the app's file and the collector's file cannot drift apart.
 *
 * There is deliberately no system prompt here, so no mapper can write one. A donation bundle
 * carries "de-identified conversations + feedback" (DESIGN §8) and its schema has no field for a
 * system prompt (and allows no extra ones): the prompt is free text the user wrote, never passed
 * through the de-identifier nor shown in the donation preview. Records from the collector cannot
 * have it, so records from the app leave it out too; the personal reward head is trained without
 * it as well (workers/shared/reward-protocol.ts). Carrying it would take a new bundle schema version.
 */
import type { DislikeReason } from '../feedback/taxonomy';

/** A classifier's verdict as BB3x writes it: a label and the probability of that label. */
export interface Verdict {
  label: string;
  probability: number;
}

export interface TrainingFeedback {
  rating: 'up' | 'down';
  /** Why the reply was disliked, in taxonomy order, each once; always empty on a thumbs-up. */
  reasons: readonly DislikeReason[];
  /** The user's own words about the reply; '' when none. No format writes it today. */
  comment: string;
  /** "What it should have said"; '' when none. A thumbs-up may keep an old one. */
  betterResponse: string;
}

export interface UserTurn {
  role: 'user';
  text: string;
}

export interface ReplyTurn {
  role: 'assistant';
  text: string;
  /** The safety gate replaced this reply with a canned topic change. */
  isSafetyControlledResponse: boolean;
  reward: Verdict | null;
  safety: Verdict | null;
  feedback: TrainingFeedback | null;
  /**
   * Which turn this reply answers: replies with the same key are versions of one turn (the user
   * asked for another reply), and DPO pairs those rated differently. Meaningless across
   * conversations.
   */
  turn: string;
}

export type Turn = UserTurn | ReplyTurn;

export interface RatedReply {
  /** The turns before the reply on its own branch: what the model was answering. */
  before: Turn[];
  reply: ReplyTurn & { feedback: TrainingFeedback };
}

/** One conversation, ready for the mappers. */
export interface TrainingConversation {
  /** BB3x's `conversation_id`. */
  id: string;
  /** The thread the user saw, in reading order. */
  shown: Turn[];
  /**
   * Every rated reply with the turns before it, oldest first: those on `shown`, and (from the
   * app only) those on branches the user moved away from. A bundle holds only the thread shown.
   */
  rated: RatedReply[];
}
