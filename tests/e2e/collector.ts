import Database from 'better-sqlite3';

/**
 * The collector the end-to-end tests run beside the app (playwright.config.ts starts it on
 * loopback with its own SQLite file). Tests read that file directly, as a researcher would.
 */
export const COLLECTOR_PORT = Number(process.env.COLLECTOR_PORT ?? 8787);
export const COLLECTOR_URL = `http://127.0.0.1:${COLLECTOR_PORT}`;
export const COLLECTOR_DB = process.env.COLLECTOR_DB ?? `.tmp/collector-e2e-${COLLECTOR_PORT}.sqlite`;
export const COLLECTOR_COMMUNITY_DIR = process.env.COLLECTOR_COMMUNITY_DIR ?? `.tmp/community-e2e-${COLLECTOR_PORT}`;

export interface StoredBundleRow {
  bundle_id: string;
  body: string;
}

function query<T>(sql: string, ...params: unknown[]): T[] {
  const db = new Database(COLLECTOR_DB, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** The rows the collector holds for one bundle id (0 or 1). */
export function storedBundles(bundleId: string): StoredBundleRow[] {
  return query<StoredBundleRow>('SELECT bundle_id, body FROM bundles WHERE bundle_id = ?', bundleId);
}

export function storedBundleCount(): number {
  return query<{ n: number }>('SELECT COUNT(*) AS n FROM bundles')[0]?.n ?? 0;
}

/** Every stored body as one text, for "this never reached the collector" assertions. */
export function everythingStored(): string {
  return query<{ body: string }>('SELECT body FROM bundles').map((row) => row.body).join('\n');
}
