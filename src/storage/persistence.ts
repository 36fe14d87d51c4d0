let asked = false;

/**
 * Asks the browser not to evict the app's data (conversations, cached models) under storage
 * pressure. Called from the first send, a user gesture, because browsers weigh engagement
 * when they decide; asked once per page load, as asking again changes nothing.
 */
export function askForPersistentStorageOnce(): void {
  if (asked || typeof navigator === 'undefined' || !navigator.storage?.persist) return;
  asked = true;
  navigator.storage.persist().catch(() => undefined);
}

export interface StorageUse {
  usedBytes: number;
  quotaBytes: number;
  persistent: boolean;
}

/** What this origin stores and may store; null where the browser does not say. */
export async function readStorageUse(): Promise<StorageUse | null> {
  if (typeof navigator === 'undefined' || !navigator.storage?.estimate) return null;
  const [estimate, persistent] = await Promise.all([
    navigator.storage.estimate(),
    navigator.storage.persisted?.() ?? Promise.resolve(false),
  ]);
  return { usedBytes: estimate.usage ?? 0, quotaBytes: estimate.quota ?? 0, persistent };
}
