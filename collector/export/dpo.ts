/**
 * TRL DPO records: a disliked reply against the user's "what it should have said". (The app also
 * pairs liked and disliked regenerations of one turn; a bundle carries only the thread the user
 * saw, so it has no such siblings.)
 */
import type { DonationBundle } from '../../src/donation/bundle-types';
import type { DpoRecord } from '../../src/feedback/exporters';
import { assistantTurn, promptBefore, ratedReplies } from './thread';

export function* dpoRecords(bundle: DonationBundle): Generator<DpoRecord> {
  for (const conversation of bundle.conversations) {
    for (const { reply, feedback, index } of ratedReplies(conversation.messages)) {
      const better = feedback.betterResponse;
      if (feedback.rating !== 'down' || better === undefined || better.trim() === '') continue;
      yield {
        prompt: promptBefore(conversation.messages, index),
        chosen: [assistantTurn(better)],
        rejected: [assistantTurn(reply.text)],
      };
    }
  }
}
