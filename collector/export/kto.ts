/** TRL KTO records, as the app exports them: one per rated reply, with the thread before it. */
import type { DonationBundle } from '../../src/donation/bundle-types';
import type { KtoRecord } from '../../src/feedback/exporters';
import { assistantTurn, promptBefore, ratedReplies } from './thread';

export function* ktoRecords(bundle: DonationBundle): Generator<KtoRecord> {
  for (const conversation of bundle.conversations) {
    for (const { reply, feedback, index } of ratedReplies(conversation.messages)) {
      yield {
        prompt: promptBefore(conversation.messages, index),
        completion: [assistantTurn(reply.text)],
        label: feedback.rating === 'up',
      };
    }
  }
}
