/**
 * The collector's PostgreSQL schema, as numbered migrations. `collector_schema_migrations` holds
 * one row per migration applied; all the missing ones run in one transaction, under an advisory
 * lock, so collector processes starting together apply each exactly once.
 *
 * The same semantics as the SQLite schema: the bundle id is the primary key (one row per id,
 * whatever process receives it), a withdrawal leaves a tombstone with no content, and `seq`
 * numbers bundles in arrival order for the export.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: bundles as received, and tombstones for withdrawn ones (no content, only id, time, token hash).
  `
  CREATE TABLE bundles (
    seq                bigint GENERATED ALWAYS AS IDENTITY,
    bundle_id          text PRIMARY KEY,
    receipt_id         text NOT NULL UNIQUE,
    received_at        timestamptz NOT NULL,
    token_hash         text NOT NULL,
    schema_version     integer NOT NULL,
    -- The validated bundle as JSON text, byte for byte (json/jsonb would refuse some escapes
    -- the schema allows); query it with body::jsonb.
    body               text NOT NULL,
    conversation_count integer NOT NULL,
    message_count      integer NOT NULL
  );
  CREATE UNIQUE INDEX bundles_seq ON bundles (seq);
  CREATE INDEX bundles_received_at ON bundles (received_at);
  CREATE TABLE withdrawals (
    bundle_id    text PRIMARY KEY,
    withdrawn_at timestamptz NOT NULL,
    token_hash   text NOT NULL
  );
  CREATE INDEX withdrawals_withdrawn_at ON withdrawals (withdrawn_at);
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
