/**
 * The collector's SQLite schema, as numbered migrations. `PRAGMA user_version` holds the number
 * of the last one applied; each runs in its own transaction together with that bump.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: bundles as received, and tombstones for withdrawn ones (no content, only id, time, token hash).
  `
  CREATE TABLE bundles (
    bundle_id          TEXT PRIMARY KEY,
    receipt_id         TEXT NOT NULL UNIQUE,
    received_at        TEXT NOT NULL,
    token_hash         TEXT NOT NULL,
    schema_version     INTEGER NOT NULL,
    body               TEXT NOT NULL,
    conversation_count INTEGER NOT NULL,
    message_count      INTEGER NOT NULL
  ) STRICT;
  CREATE TABLE withdrawals (
    bundle_id    TEXT PRIMARY KEY,
    withdrawn_at TEXT NOT NULL,
    token_hash   TEXT NOT NULL
  ) STRICT;
  `,
  // 2: retention deletes by age.
  `
  CREATE INDEX bundles_received_at ON bundles (received_at);
  CREATE INDEX withdrawals_withdrawn_at ON withdrawals (withdrawn_at);
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
