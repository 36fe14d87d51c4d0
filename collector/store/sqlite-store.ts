/**
 * The default donation store: one SQLite file through better-sqlite3 (see donation-store.ts).
 *
 * WAL journal with `synchronous = FULL`: a transaction is on disk when its COMMIT returns, so a
 * receipt the server sends after `store()` returns survives a crash (kill -9, power loss). Each
 * bundle is one transaction; the check for duplicates, conflicts and withdrawals happens in that
 * same transaction, so there is no window between "is it new?" and "store it".
 *
 * Nothing about the client is stored: no address, no user agent, only the bundle as validated,
 * the SHA-256 of its withdrawal token and the time it arrived.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { sameHash } from '../tokens';
import type { DonationStore, NewBundle, PruneResult, Receipt, StoredBody, StoreOutcome, WithdrawOutcome } from './donation-store';
import { MIGRATIONS, SCHEMA_VERSION } from './sqlite-migrations';

interface BundleRow {
  bundle_id: string;
  receipt_id: string;
  received_at: string;
  token_hash: string;
}

interface WithdrawalRow {
  withdrawn_at: string;
  token_hash: string;
}

export class SqliteStore implements DonationStore {
  readonly kind = 'sqlite';
  readonly schemaVersion = SCHEMA_VERSION;
  private readonly statements: Statements;

  private constructor(
    private readonly db: Database.Database,
    readonly file: string,
  ) {
    this.statements = prepare(db);
  }

  get location(): string {
    return this.file;
  }

  /** Opens (creating the file and its folder when missing) and migrates the database. */
  static open(file: string): SqliteStore {
    mkdirSync(path.dirname(file), { recursive: true });
    const db = new Database(file);
    try {
      configure(db);
      migrate(db, file);
      return new SqliteStore(db, file);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /** Opens an existing database for reading only (the export command); never migrates it. */
  static openReadOnly(file: string): SqliteStore {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      db.pragma('busy_timeout = 5000');
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version !== SCHEMA_VERSION) {
        throw new Error(`${file} has collector schema version ${version}; this collector reads version ${SCHEMA_VERSION}`);
      }
      return new SqliteStore(db, file);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /** One IMMEDIATE transaction: the write lock is taken first, so no other process decides the same id meanwhile. */
  async store(input: NewBundle): Promise<StoreOutcome> {
    return this.db.transaction((): StoreOutcome => {
      const bundleId = input.bundle.bundleId;
      const withdrawal = this.statements.withdrawal.get(bundleId);
      if (withdrawal) return { kind: 'withdrawn', withdrawnAt: withdrawal.withdrawn_at };
      const existing = this.statements.bundle.get(bundleId);
      if (existing) {
        if (!sameHash(existing.token_hash, input.tokenHash)) return { kind: 'conflict' };
        return { kind: 'duplicate', receipt: receiptOf(existing) };
      }
      this.statements.insert.run({
        bundleId,
        receiptId: input.receiptId,
        receivedAt: input.receivedAt,
        tokenHash: input.tokenHash,
        schemaVersion: input.bundle.schemaVersion,
        body: input.body,
        conversationCount: input.bundle.conversations.length,
        messageCount: input.bundle.conversations.reduce((n, c) => n + c.messages.length, 0),
      });
      return { kind: 'stored', receipt: { bundleId, receiptId: input.receiptId, receivedAt: input.receivedAt } };
    }).immediate();
  }

  async withdraw(bundleId: string, tokenHash: string, withdrawnAt: string): Promise<WithdrawOutcome> {
    return this.db.transaction((): WithdrawOutcome => {
      const existing = this.statements.bundle.get(bundleId);
      if (existing) {
        if (!sameHash(existing.token_hash, tokenHash)) return { kind: 'forbidden' };
        this.statements.remove.run(bundleId);
        this.statements.tombstone.run(bundleId, withdrawnAt, existing.token_hash);
        return { kind: 'withdrawn', bundleId, withdrawnAt };
      }
      const withdrawal = this.statements.withdrawal.get(bundleId);
      if (!withdrawal) return { kind: 'not-found' };
      if (!sameHash(withdrawal.token_hash, tokenHash)) return { kind: 'forbidden' };
      return { kind: 'withdrawn', bundleId, withdrawnAt: withdrawal.withdrawn_at };
    }).immediate();
  }

  async countBundles(): Promise<number> {
    return this.statements.count.get()?.n ?? 0;
  }

  /** One row at a time; the connection is busy until the iterator is done (or returned). */
  async *bodies(): AsyncGenerator<StoredBody> {
    for (const row of this.statements.bodies.iterate()) yield { bundleId: row.bundle_id, body: row.body };
  }

  async prune(cutoff: string): Promise<PruneResult> {
    return this.db.transaction((): PruneResult => ({
      bundles: this.statements.pruneBundles.run(cutoff).changes,
      tombstones: this.statements.pruneTombstones.run(cutoff).changes,
    })).immediate();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

type Statements = ReturnType<typeof prepare>;

function prepare(db: Database.Database) {
  return {
    bundle: db.prepare<[string], BundleRow>('SELECT bundle_id, receipt_id, received_at, token_hash FROM bundles WHERE bundle_id = ?'),
    withdrawal: db.prepare<[string], WithdrawalRow>('SELECT withdrawn_at, token_hash FROM withdrawals WHERE bundle_id = ?'),
    insert: db.prepare<[InsertRow]>(
      `INSERT INTO bundles (bundle_id, receipt_id, received_at, token_hash, schema_version, body, conversation_count, message_count)
       VALUES (@bundleId, @receiptId, @receivedAt, @tokenHash, @schemaVersion, @body, @conversationCount, @messageCount)`,
    ),
    remove: db.prepare<[string]>('DELETE FROM bundles WHERE bundle_id = ?'),
    tombstone: db.prepare<[string, string, string]>('INSERT INTO withdrawals (bundle_id, withdrawn_at, token_hash) VALUES (?, ?, ?)'),
    count: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM bundles'),
    // rowid order is arrival order, and walking it needs no sort (so no memory for all rows).
    bodies: db.prepare<[], { bundle_id: string; body: string }>('SELECT bundle_id, body FROM bundles ORDER BY rowid'),
    // ISO 8601 UTC strings of one length compare in time order.
    pruneBundles: db.prepare<[string]>('DELETE FROM bundles WHERE received_at < ?'),
    pruneTombstones: db.prepare<[string]>('DELETE FROM withdrawals WHERE withdrawn_at < ?'),
  };
}

interface InsertRow {
  bundleId: string;
  receiptId: string;
  receivedAt: string;
  tokenHash: string;
  schemaVersion: number;
  body: string;
  conversationCount: number;
  messageCount: number;
}

function configure(db: Database.Database): void {
  // First: collector processes opening a new file together wait for each other's locks
  // (switching to WAL, migrating) instead of failing with SQLITE_BUSY.
  db.pragma('busy_timeout = 5000');
  const mode = db.pragma('journal_mode = WAL', { simple: true });
  if (mode !== 'wal') throw new Error(`SQLite refused WAL journal mode (got ${String(mode)})`);
  // FULL: COMMIT waits for the WAL to reach the disk, so an acknowledged bundle is durable.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
}

function migrate(db: Database.Database, file: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new Error(`${file} has collector schema version ${current}, newer than this collector (${SCHEMA_VERSION})`);
  }
  for (let version = current; version < SCHEMA_VERSION; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version] ?? '');
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
}

function receiptOf(row: BundleRow): Receipt {
  return { bundleId: row.bundle_id, receiptId: row.receipt_id, receivedAt: row.received_at };
}
