/**
 * BlenderBot 3x-shaped records, as the app exports them: one line per conversation. The user id
 * is the bundle's donor pseudonym (random, resettable by the user); the conversation id is the
 * bundle id and the bundle-local conversation id, so it is unique across bundles.
 */
import type { BundleMessage, DonationBundle } from '../../src/donation/bundle-types';
import type { Bb3xMessage, Bb3xRecord } from '../../src/feedback/exporters';
import { BB3X_DISLIKE_TYPES, DISLIKE_REASONS } from '../../src/feedback/taxonomy';

export function* bb3xRecords(bundle: DonationBundle): Generator<Bb3xRecord> {
  for (const conversation of bundle.conversations) {
    if (conversation.messages.length === 0) continue;
    yield {
      conversation_id: `${bundle.bundleId}:${conversation.id}`,
      user_id: bundle.donor,
      message_history: conversation.messages.map(bb3xMessage),
    };
  }
}

function bb3xMessage(message: BundleMessage): Bb3xMessage {
  const bot = message.role === 'assistant';
  // Ratings count on replies only, as in the app's export.
  const feedback = bot ? message.feedback : undefined;
  const disliked = feedback?.rating === 'down';
  // BB3x records one dislike type per message: the first reason given, in taxonomy order.
  const reason = disliked ? DISLIKE_REASONS.find((r) => feedback.reasons.includes(r)) : undefined;
  return {
    text: message.text,
    sender: bot ? 'bot' : 'human',
    isLiked: feedback?.rating === 'up',
    isDisliked: disliked,
    dislike_type: reason === undefined ? null : BB3X_DISLIKE_TYPES[reason],
    isSafetyControlledResponse: message.isSafetyControlledResponse === true,
    // The bundle already carries each verdict as a label and the probability of that label.
    reward: bot && message.reward ? { label: message.reward.label, probability: message.reward.probability } : null,
    safety: bot && message.safety ? { label: message.safety.label, probability: message.safety.probability } : null,
  };
}
