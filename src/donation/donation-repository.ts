/**
 * The donation outbox in IndexedDB (`donations` store): one record per confirmed bundle, from
 * queued to sent or withdrawn. Every change is a read-modify-write in one transaction, so the
 * sender and a withdrawal can never both act on a stale copy of the same record.
 */
import type { ChatDb } from '../storage/db';
import type { DonationRecord } from './donation-store-api';

/** Newest first. */
export async function listDonations(db: ChatDb): Promise<DonationRecord[]> {
  return (await db.getAllFromIndex('donations', 'byCreatedAt')).reverse();
}

export function getDonation(db: ChatDb, bundleId: string): Promise<DonationRecord | undefined> {
  return db.get('donations', bundleId);
}

/** Adds a new record; refuses (rejects) a bundle id that is already there. */
export async function addDonation(db: ChatDb, record: DonationRecord): Promise<void> {
  await db.add('donations', record);
}

/**
 * Applies `change` to the stored record, atomically. `change` returns the new record, or null to
 * leave it as it is (it sees the stored state, e.g. a bundle withdrawn meanwhile). Resolves to
 * the record as stored afterwards (undefined when there is none), and whether it changed.
 */
export async function updateDonation(
  db: ChatDb,
  bundleId: string,
  change: (current: DonationRecord) => DonationRecord | null,
): Promise<{ record: DonationRecord | undefined; changed: boolean }> {
  const tx = db.transaction('donations', 'readwrite');
  const current = await tx.store.get(bundleId);
  const next = current ? change(current) : null;
  if (next) await tx.store.put(next);
  await tx.done;
  return { record: next ?? current, changed: next !== null };
}

/**
 * A record still marked 'sending' when the app starts was cut off by a closed tab: its request
 * may or may not have reached the collector. It goes back to the queue — resending is safe
 * because the collector stores each bundle id once.
 */
export async function requeueInterruptedSends(db: ChatDb): Promise<number> {
  const tx = db.transaction('donations', 'readwrite');
  let requeued = 0;
  for (let cursor = await tx.store.openCursor(); cursor; cursor = await cursor.continue()) {
    if (cursor.value.status !== 'sending') continue;
    await cursor.update({ ...cursor.value, status: 'queued' });
    requeued += 1;
  }
  await tx.done;
  return requeued;
}
