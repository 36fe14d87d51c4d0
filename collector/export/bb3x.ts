/**
 * BlenderBot 3x-shaped records of one stored bundle, one per conversation; the mapping is
 * src/training-data/bb3x.ts, shared with the app. The user id is the bundle's donor pseudonym
 * (random, resettable by the user); the conversation id is `<bundleId>:<c1…>`, unique across bundles.
 */
import type { DonationBundle } from '../../src/donation/bundle-types';
import { bb3xRecord } from '../../src/training-data/bb3x';
import { bundleConversations } from '../../src/training-data/from-bundle';
import type { Bb3xRecord } from '../../src/training-data/records';

export function* bb3xRecords(bundle: DonationBundle): Generator<Bb3xRecord> {
  for (const conversation of bundleConversations(bundle)) {
    const record = bb3xRecord(conversation, bundle.donor);
    if (record) yield record;
  }
}
