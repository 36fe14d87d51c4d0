/** The personal reward head in IndexedDB: one record, `personalModel` store, key 'head' (v4). */
import type { PersonalHeadState } from '../../workers/shared/reward-protocol';
import type { ChatDb } from '../storage/db';

export const HEAD_KEY = 'head';

export async function loadHead(db: ChatDb): Promise<PersonalHeadState | null> {
  return (await db.get('personalModel', HEAD_KEY)) ?? null;
}

export async function saveHead(db: ChatDb, head: PersonalHeadState): Promise<void> {
  await db.put('personalModel', head, HEAD_KEY);
}

export async function deleteHead(db: ChatDb): Promise<void> {
  await db.delete('personalModel', HEAD_KEY);
}
