/**
 * TRL DPO records of one stored bundle; the mapping is src/training-data/dpo.ts, shared with the
 * app. A bundle holds only the thread the user saw, so its only pairs are disliked replies
 * against "what it should have said" (no regenerations to pair).
 */
import type { DonationBundle } from '../../src/donation/bundle-types';
import { dpoRecords as conversationDpo } from '../../src/training-data/dpo';
import { bundleConversations } from '../../src/training-data/from-bundle';
import type { DpoRecord } from '../../src/training-data/records';

export function* dpoRecords(bundle: DonationBundle): Generator<DpoRecord> {
  for (const conversation of bundleConversations(bundle)) yield* conversationDpo(conversation);
}
