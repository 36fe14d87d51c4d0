/**
 * The retention setting: bundles older than N days, and tombstones of withdrawals older than
 * N days, are deleted at startup and then every hour. Running it in several processes at once is
 * harmless (each pass is one transaction of deletes by age).
 */
import type { CollectorLogger } from '../log';
import type { DonationStore } from '../store/donation-store';

const DAY_MS = 24 * 60 * 60 * 1000;
const EVERY_MS = 60 * 60 * 1000;

/** The instant before which rows are deleted, for a retention of `days`. */
export function retentionCutoff(days: number, now: Date = new Date()): string {
  return new Date(now.getTime() - days * DAY_MS).toISOString();
}

/** Starts pruning; returns how to stop it. Does nothing for 0 days (keep everything). */
export function scheduleRetention(store: DonationStore, days: number, log: CollectorLogger): () => void {
  if (days <= 0) return () => undefined;
  const pass = async (): Promise<void> => {
    try {
      const deleted = await store.prune(retentionCutoff(days));
      log.info({ event: 'retention', days, deletedBundles: deleted.bundles, deletedTombstones: deleted.tombstones }, 'retention pass');
    } catch (error) {
      log.error({ event: 'retention', err: error }, 'retention pass failed; the next one runs in an hour');
    }
  };
  void pass();
  const timer = setInterval(() => void pass(), EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
