/**
 * A donated bundle as TrainingConversations (the collector's side). A bundle conversation is
 * already the thread the user saw, de-identified, with each reply's verdicts stored as label and
 * probability, so the adapter only renames fields.
 */
import type { BundleConversation, BundleMessage, DonationBundle } from '../donation/bundle-types';
import { hasText, ratedAlong, trainingFeedback } from './build';
import type { ReplyTurn, TrainingConversation, Turn } from './thread';

export function bundleConversations(bundle: DonationBundle): TrainingConversation[] {
  return bundle.conversations.map((conversation) => bundleConversation(bundle.bundleId, conversation));
}

function bundleConversation(bundleId: string, conversation: BundleConversation): TrainingConversation {
  const shown = conversation.messages.filter((m) => hasText(m.text)).map(turnOf);
  // Bundle-local ids repeat across bundles (every bundle has a c1): the bundle id makes them unique.
  return { id: `${bundleId}:${conversation.id}`, shown, rated: ratedAlong(shown) };
}

function turnOf(message: BundleMessage): Turn {
  // Ratings, verdicts and marks on a user message are refused on arrival (bundle-semantics.ts); none is read here.
  return message.role === 'user' ? { role: 'user', text: message.text } : replyTurn(message);
}

function replyTurn(message: BundleMessage): ReplyTurn {
  return {
    role: 'assistant',
    text: message.text,
    isSafetyControlledResponse: message.isSafetyControlledResponse === true,
    reward: message.reward ?? null,
    safety: message.safety ?? null,
    feedback: message.feedback ? trainingFeedback(message.feedback) : null,
    // A bundle holds one version of each turn, so each reply is a turn of its own.
    turn: message.id,
  };
}
