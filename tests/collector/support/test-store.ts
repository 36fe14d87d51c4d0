/**
 * The store a collector test runs on: vitest's project says which (`collector-sqlite` or
 * `collector-postgres`, vitest.config.ts). Each test store is new and empty — a SQLite file in
 * its own folder, or a database of its own on the run's PostgreSQL server — and comes with a
 * probe that reads it behind the collector's back, as a researcher (or an attacker) would.
 */
import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import type { StoreKind, StoreLocation } from '../../../collector/store/donation-store';
import { createDatabase, dropDatabase } from './postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    collectorStore: StoreKind;
  }
}

/** The store of this test project; SQLite outside vitest (the benchmarks start collectors too). */
export function testStoreKind(): StoreKind {
  try {
    return inject('collectorStore') ?? 'sqlite';
  } catch {
    return 'sqlite';
  }
}

/** Reads a store directly. SQL is written once with `?` placeholders and runs on both. */
export interface DbProbe {
  /** Rows with timestamps as ISO strings and counts as numbers, whichever the store. */
  all<T>(sql: string, ...params: unknown[]): Promise<T[]>;
  /** Writes behind the collector's back (tampering tests). */
  run(sql: string, ...params: unknown[]): Promise<void>;
  /** Every byte the store keeps of the donations (SQLite: its files; PostgreSQL: every row as text). */
  everything(): Promise<string>;
}

export interface TestStore {
  location: StoreLocation;
  /** The environment that points `collector/main.ts` at this store. */
  env: Record<string, string>;
  /** The arguments that point `collector/export-main.ts` at this store. */
  exportArgs: string[];
  probe: DbProbe;
  dispose(): Promise<void>;
}

export async function newTestStore(dir: string, kind: StoreKind = testStoreKind()): Promise<TestStore> {
  if (kind === 'sqlite') {
    const file = path.join(dir, 'donations.sqlite');
    return { location: { kind, file }, env: { COLLECTOR_DB: file }, exportArgs: ['--db', file], probe: sqliteProbe(file), dispose: async () => undefined };
  }
  const adminUrl = inject('postgresAdminUrl');
  const url = await createDatabase(adminUrl);
  const probe = postgresProbe(url);
  return {
    location: { kind, url },
    env: { COLLECTOR_DATABASE_URL: url },
    exportArgs: ['--database-url', url],
    probe,
    dispose: () => dropDatabase(adminUrl, url),
  };
}

function sqliteProbe(file: string): DbProbe {
  const open = <T>(work: (db: Database.Database) => T): T => {
    const db = new Database(file, { fileMustExist: true });
    try {
      return work(db);
    } finally {
      db.close();
    }
  };
  return {
    all: async <T>(sql: string, ...params: unknown[]) => open((db) => db.prepare(sql).all(...params) as T[]),
    run: async (sql: string, ...params: unknown[]) => {
      open((db) => db.prepare(sql).run(...params));
    },
    everything: async () =>
      ['', '-wal', '-shm']
        .map((suffix) => file + suffix)
        .filter((f) => existsSync(f))
        .map((f) => readFileSync(f).toString('latin1'))
        .join(''),
  };
}

const INT8 = 20;
const TIMESTAMPTZ = 1184;

function postgresProbe(url: string): DbProbe {
  const query = async <T>(sql: string, params: unknown[]): Promise<T[]> => {
    let n = 0;
    const client = new pg.Client({
      connectionString: url,
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
          if (oid === INT8) return (value: string) => Number(value);
          if (oid === TIMESTAMPTZ) return (value: string) => new Date(value).toISOString();
          return pg.types.getTypeParser(oid, format ?? 'text');
        }) as typeof pg.types.getTypeParser,
      },
    });
    await client.connect();
    try {
      return (await client.query(sql.replace(/\?/g, () => `$${++n}`), params)).rows as T[];
    } finally {
      await client.end();
    }
  };
  return {
    all: (sql, ...params) => query(sql, params),
    run: async (sql, ...params) => {
      await query(sql, params);
    },
    everything: async () => {
      const tables = await query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'", []);
      const dumps = await Promise.all(tables.map((t) => query<{ row: string }>(`SELECT t::text AS row FROM ${t.name} t`, [])));
      return dumps.flat().map((r) => r.row).join('\n');
    },
  };
}
