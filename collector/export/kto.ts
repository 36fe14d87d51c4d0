/** TRL KTO records of one stored bundle; the mapping is src/training-data/kto.ts, shared with the app. */
import type { DonationBundle } from '../../src/donation/bundle-types';
import { bundleConversations } from '../../src/training-data/from-bundle';
import { ktoRecords as conversationKto } from '../../src/training-data/kto';
import type { KtoRecord } from '../../src/training-data/records';

export function* ktoRecords(bundle: DonationBundle): Generator<KtoRecord> {
  for (const conversation of bundleConversations(bundle)) yield* conversationKto(conversation);
}
