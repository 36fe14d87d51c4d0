import type { IDBPDatabase } from 'idb';
import { appTabSync, type TabSync } from '../storage/tab-sync';
import { importBackup, type ImportSummary } from './backup';

/**
 * Imports a backup into the app's database and, when it wrote anything, says so once to every
 * store that keeps a copy of stored data (conversations, ratings, the reward model's head,
 * donations), in this tab and the others: the import writes beside them, so without the signal
 * they would show what was there before until the page is reloaded.
 */
export async function restoreBackup<S>(
  db: IDBPDatabase<S>,
  text: string,
  sync: Pick<TabSync, 'announceHereToo'> = appTabSync(),
): Promise<ImportSummary> {
  const summary = await importBackup(db, text);
  if (summary.added + summary.updated > 0) sync.announceHereToo({ kind: 'restored' });
  return summary;
}
