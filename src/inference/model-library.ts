import type { ChatDb } from '../storage/db';
import { DEFAULT_MODEL_HOST } from './model-host';
import type { CatalogEntry } from './model-catalog';

/** The user's model choices, kept in the settings store under their own key. */
export interface ModelLibrary {
  host: string;
  /** The model to load at start; null means the demo. */
  active: CatalogEntry | null;
  /** Models the user downloaded by repo id or imported from a folder. */
  added: CatalogEntry[];
}

export const MODEL_LIBRARY_KEY = 'models';

export async function loadModelLibrary(db: ChatDb): Promise<ModelLibrary> {
  const stored = (await db.get('settings', MODEL_LIBRARY_KEY)) as Partial<ModelLibrary> | undefined;
  return {
    host: stored?.host ?? DEFAULT_MODEL_HOST,
    active: stored?.active ?? null,
    added: Array.isArray(stored?.added) ? stored.added : [],
  };
}

export async function saveModelLibrary(db: ChatDb, library: ModelLibrary): Promise<void> {
  await db.put('settings', library, MODEL_LIBRARY_KEY);
}
