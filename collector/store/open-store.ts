/** Opens the store the configuration names: SQLite by default, PostgreSQL for a `postgres://` URL. */
import type { DonationStore, StoreLocation } from './donation-store';
import { PostgresStore, type PostgresStoreOptions } from './postgres-store';
import { SqliteStore } from './sqlite-store';

/** Opens and migrates. */
export async function openStore(location: StoreLocation, options: PostgresStoreOptions = {}): Promise<DonationStore> {
  return location.kind === 'sqlite' ? SqliteStore.open(location.file) : PostgresStore.open(location.url, options);
}

/** Opens for reading only, at this collector's schema version; never migrates. */
export async function openStoreReadOnly(location: StoreLocation): Promise<DonationStore> {
  return location.kind === 'sqlite' ? SqliteStore.openReadOnly(location.file) : PostgresStore.openReadOnly(location.url);
}
