/** Where the donations live, as the offline commands are told, and how to name it in a message. */
import path from 'node:path';
import { DEFAULTS } from '../config';
import type { StoreLocation } from './donation-store';

/**
 * The store the export and training commands read: PostgreSQL when `--database-url` or
 * COLLECTOR_DATABASE_URL is given (the environment keeps a password out of `ps`), else the SQLite
 * file of `--db`, COLLECTOR_DB or the default. `--db` wins over the environment's URL.
 */
export function storeFromArguments(args: { db?: string; databaseUrl?: string }, env: NodeJS.ProcessEnv = process.env): StoreLocation {
  const url = args.db === undefined ? (args.databaseUrl ?? (env.COLLECTOR_DATABASE_URL?.trim() || undefined)) : undefined;
  if (url !== undefined) return { kind: 'postgres', url };
  return { kind: 'sqlite', file: path.resolve(args.db ?? (env.COLLECTOR_DB?.trim() || DEFAULTS.dbPath)) };
}

/** A file path, or the database URL without its password. */
export function describeLocation(location: StoreLocation): string {
  if (location.kind === 'sqlite') return location.file;
  try {
    const url = new URL(location.url);
    if (url.password !== '') url.password = '***';
    return url.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}
