/**
 * What the collector needs from a database, whichever one holds the donations: SQLite (one file,
 * one machine, no setup) or PostgreSQL (several collector processes, an existing database server).
 *
 * Both keep the same guarantees: a bundle is stored once per id (a resend with the same token gets
 * the first receipt back, another token is refused), a withdrawal deletes the content and leaves a
 * tombstone so the id can never be stored again, an acknowledged bundle is on disk, and no request
 * leaves a partial row. Each decision is one database transaction; nothing relies on locks held
 * in this process, so it holds across processes too.
 */
import type { DonationBundle } from '../../src/donation/bundle-types';

export type StoreKind = 'sqlite' | 'postgres';

/** Where the donations live, as the configuration names it. */
export type StoreLocation = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

export interface Receipt {
  bundleId: string;
  receiptId: string;
  receivedAt: string;
}

export type StoreOutcome =
  | { kind: 'stored'; receipt: Receipt }
  /** The same bundle id with the same token: the earlier receipt, nothing written. */
  | { kind: 'duplicate'; receipt: Receipt }
  /** The same bundle id with another token. */
  | { kind: 'conflict' }
  /** The id was withdrawn; it can never be stored again (until retention forgets the tombstone). */
  | { kind: 'withdrawn'; withdrawnAt: string };

export type WithdrawOutcome =
  | { kind: 'withdrawn'; bundleId: string; withdrawnAt: string }
  | { kind: 'forbidden' }
  | { kind: 'not-found' };

export interface NewBundle {
  bundle: DonationBundle;
  /** The JSON text stored: the validated bundle, serialized. */
  body: string;
  tokenHash: string;
  receiptId: string;
  /** ISO 8601 with milliseconds, UTC (`new Date().toISOString()`). */
  receivedAt: string;
}

export interface StoredBody {
  bundleId: string;
  body: string;
}

/** What one retention pass deleted. */
export interface PruneResult {
  bundles: number;
  tombstones: number;
}

export interface DonationStore {
  readonly kind: StoreKind;
  /** Where the data is, fit for a log line: a file path, or a database URL without its password. */
  readonly location: string;
  /** The schema version this store is at (its own numbering per kind). */
  readonly schemaVersion: number;
  /** Stores a validated bundle, or says why not: one transaction. */
  store(input: NewBundle): Promise<StoreOutcome>;
  /**
   * Withdraws a bundle: deletes its content and leaves a tombstone (id, time, token hash) in the
   * same transaction. Withdrawing again with the same token answers the first withdrawal.
   */
  withdraw(bundleId: string, tokenHash: string, withdrawnAt: string): Promise<WithdrawOutcome>;
  countBundles(): Promise<number>;
  /** Every stored bundle's JSON in arrival order, from one consistent snapshot, a few rows in memory at a time. */
  bodies(): AsyncIterable<StoredBody>;
  /** Deletes bundles that arrived, and tombstones of withdrawals made, before `cutoff` (ISO 8601). */
  prune(cutoff: string): Promise<PruneResult>;
  close(): Promise<void>;
}
