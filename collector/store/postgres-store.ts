/**
 * The donation store on PostgreSQL, through node-postgres (`pg`), for several collector processes
 * on one database server (see donation-store.ts for the guarantees).
 *
 * Every decision about one bundle id (store, resend, conflict, withdraw) runs in one transaction
 * that first takes a transaction-scoped advisory lock on that id, so two processes deciding the
 * same id take turns, and the primary keys stand behind it. Sessions run with
 * `synchronous_commit = on`: COMMIT returns once the WAL is flushed, so an acknowledged bundle is
 * durable whatever the server's default is.
 */
import pg from 'pg';
import { sameHash } from '../tokens';
import type { DonationStore, NewBundle, PruneResult, Receipt, StoredBody, StoreOutcome, WithdrawOutcome } from './donation-store';
import { describeLocation } from './location';
import { MIGRATIONS, SCHEMA_VERSION } from './postgres-migrations';

/** First key of the collector's advisory locks, so they never meet another application's ("COLL"). */
const LOCK_CLASS_BUNDLE = 0x434f4c4c;
const LOCK_CLASS_MIGRATION = 0x434f4c4d;
/** Rows fetched per round trip by the export; bodies can be up to the body limit each. */
const EXPORT_BATCH = 8;

export interface PostgresStoreOptions {
  /** Connections this process keeps open at most. */
  poolSize?: number;
  /** Called when an idle connection fails (the server restarted, say); the next request gets a fresh one. */
  onIdleError?: (error: Error) => void;
}

interface BundleRow {
  receipt_id: string;
  received_at: Date;
  token_hash: string;
}

interface WithdrawalRow {
  withdrawn_at: Date;
  token_hash: string;
}

export class PostgresStore implements DonationStore {
  readonly kind = 'postgres';
  readonly schemaVersion = SCHEMA_VERSION;

  private constructor(
    private readonly pool: pg.Pool,
    readonly location: string,
  ) {}

  /** Connects and migrates the database to this collector's schema. */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const pool = newPool(url, options, false);
    try {
      await migrate(pool);
      return new PostgresStore(pool, describeLocation({ kind: 'postgres', url }));
    } catch (error) {
      await pool.end();
      throw error;
    }
  }

  /** Connects for reading only (the export command); every transaction is read-only and nothing is migrated. */
  static async openReadOnly(url: string): Promise<PostgresStore> {
    const pool = newPool(url, { poolSize: 1 }, true);
    try {
      const version = await currentVersion(pool);
      if (version === undefined) throw new Error('the database has no collector schema (start the collector on it once)');
      if (version !== SCHEMA_VERSION) {
        throw new Error(`the database has collector schema version ${version}; this collector reads version ${SCHEMA_VERSION}`);
      }
      return new PostgresStore(pool, describeLocation({ kind: 'postgres', url }));
    } catch (error) {
      await pool.end();
      throw error;
    }
  }

  async store(input: NewBundle): Promise<StoreOutcome> {
    const bundleId = input.bundle.bundleId;
    return this.transaction(async (client): Promise<StoreOutcome> => {
      await lockBundle(client, bundleId);
      const withdrawal = await findWithdrawal(client, bundleId);
      if (withdrawal) return { kind: 'withdrawn', withdrawnAt: withdrawal.withdrawn_at.toISOString() };
      const existing = await findBundle(client, bundleId);
      if (existing) {
        if (!sameHash(existing.token_hash, input.tokenHash)) return { kind: 'conflict' };
        return { kind: 'duplicate', receipt: receiptOf(bundleId, existing) };
      }
      await client.query(
        `INSERT INTO bundles (bundle_id, receipt_id, received_at, token_hash, schema_version, body, conversation_count, message_count)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          bundleId,
          input.receiptId,
          input.receivedAt,
          input.tokenHash,
          input.bundle.schemaVersion,
          input.body,
          input.bundle.conversations.length,
          input.bundle.conversations.reduce((n, c) => n + c.messages.length, 0),
        ],
      );
      return { kind: 'stored', receipt: { bundleId, receiptId: input.receiptId, receivedAt: input.receivedAt } };
    });
  }

  async withdraw(bundleId: string, tokenHash: string, withdrawnAt: string): Promise<WithdrawOutcome> {
    return this.transaction(async (client): Promise<WithdrawOutcome> => {
      await lockBundle(client, bundleId);
      const existing = await findBundle(client, bundleId);
      if (existing) {
        if (!sameHash(existing.token_hash, tokenHash)) return { kind: 'forbidden' };
        await client.query('DELETE FROM bundles WHERE bundle_id = $1', [bundleId]);
        await client.query('INSERT INTO withdrawals (bundle_id, withdrawn_at, token_hash) VALUES ($1, $2, $3)', [bundleId, withdrawnAt, existing.token_hash]);
        return { kind: 'withdrawn', bundleId, withdrawnAt };
      }
      const withdrawal = await findWithdrawal(client, bundleId);
      if (!withdrawal) return { kind: 'not-found' };
      if (!sameHash(withdrawal.token_hash, tokenHash)) return { kind: 'forbidden' };
      return { kind: 'withdrawn', bundleId, withdrawnAt: withdrawal.withdrawn_at.toISOString() };
    });
  }

  async countBundles(): Promise<number> {
    const result = await this.pool.query<{ n: string }>('SELECT count(*) AS n FROM bundles');
    return Number(result.rows[0]?.n ?? 0);
  }

  /** Through a cursor in one read-only transaction: one snapshot, EXPORT_BATCH rows in memory. */
  async *bodies(): AsyncGenerator<StoredBody> {
    const client = await this.pool.connect();
    let open = false;
    let broken = false;
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      open = true;
      await client.query('DECLARE export_bodies NO SCROLL CURSOR FOR SELECT bundle_id, body FROM bundles ORDER BY seq');
      for (;;) {
        const batch = await client.query<{ bundle_id: string; body: string }>(`FETCH ${EXPORT_BATCH} FROM export_bodies`);
        for (const row of batch.rows) yield { bundleId: row.bundle_id, body: row.body };
        if (batch.rows.length < EXPORT_BATCH) break;
      }
    } finally {
      // Also reached when the reader stops early or a query failed: the transaction (and its
      // cursor) must end before the connection is reused.
      if (open) await client.query('ROLLBACK').catch(() => (broken = true));
      client.release(broken);
    }
  }

  async prune(cutoff: string): Promise<PruneResult> {
    return this.transaction(async (client) => {
      const bundles = await client.query('DELETE FROM bundles WHERE received_at < $1', [cutoff]);
      const tombstones = await client.query('DELETE FROM withdrawals WHERE withdrawn_at < $1', [cutoff]);
      return { bundles: bundles.rowCount ?? 0, tombstones: tombstones.rowCount ?? 0 };
    });
  }

  async close(): Promise<void> {
    if (!this.pool.ended && !this.pool.ending) await this.pool.end();
  }

  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      // A connection that cannot even roll back is dropped from the pool, not handed out again.
      await client.query('ROLLBACK').catch(() => (broken = true));
      throw error;
    } finally {
      client.release(broken);
    }
  }
}

function newPool(url: string, options: PostgresStoreOptions, readOnly: boolean): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    application_name: 'donation-collector',
    // Session settings sent when each connection starts (they replace any `options` in the URL).
    options: readOnly ? '-c default_transaction_read_only=on' : '-c synchronous_commit=on',
  });
  // Without a listener an idle connection's error (the server restarted) would end the process.
  pool.on('error', (error) => options.onIdleError?.(error));
  return pool;
}

async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1, 0)', [LOCK_CLASS_MIGRATION]);
    await client.query('CREATE TABLE IF NOT EXISTS collector_schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const current = (await client.query<{ v: number | null }>('SELECT max(version) AS v FROM collector_schema_migrations')).rows[0]?.v ?? 0;
    if (current > SCHEMA_VERSION) {
      throw new Error(`the database has collector schema version ${current}, newer than this collector (${SCHEMA_VERSION})`);
    }
    for (let version = current; version < SCHEMA_VERSION; version++) {
      await client.query(MIGRATIONS[version] ?? '');
      await client.query('INSERT INTO collector_schema_migrations (version) VALUES ($1)', [version + 1]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => (broken = true));
    throw error;
  } finally {
    client.release(broken);
  }
}

async function currentVersion(pool: pg.Pool): Promise<number | undefined> {
  const exists = await pool.query<{ t: string | null }>("SELECT to_regclass('collector_schema_migrations') AS t");
  if (exists.rows[0]?.t === null) return undefined;
  return (await pool.query<{ v: number | null }>('SELECT max(version) AS v FROM collector_schema_migrations')).rows[0]?.v ?? 0;
}

async function lockBundle(client: pg.PoolClient, bundleId: string): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_CLASS_BUNDLE, bundleId]);
}

async function findBundle(client: pg.PoolClient, bundleId: string): Promise<BundleRow | undefined> {
  const result = await client.query<BundleRow>('SELECT receipt_id, received_at, token_hash FROM bundles WHERE bundle_id = $1', [bundleId]);
  return result.rows[0];
}

async function findWithdrawal(client: pg.PoolClient, bundleId: string): Promise<WithdrawalRow | undefined> {
  const result = await client.query<WithdrawalRow>('SELECT withdrawn_at, token_hash FROM withdrawals WHERE bundle_id = $1', [bundleId]);
  return result.rows[0];
}

function receiptOf(bundleId: string, row: BundleRow): Receipt {
  return { bundleId, receiptId: row.receipt_id, receivedAt: row.received_at.toISOString() };
}
