import type { DonationStoreApi } from '../../donation/donation-store-api';

/** `value` is what the action resolved to, when it did not throw. */
export type Attempt<T> = { ok: true; value: T } | { ok: false; value?: T };

/**
 * Runs a store action for the UI. The last error message gives way to the new action's; a throw
 * (which the store should not do, but storage can) becomes the message shown. `ok` is false when
 * the action threw or left an error message.
 */
export async function attempt<T>(store: DonationStoreApi, action: () => Promise<T>): Promise<Attempt<T>> {
  store.error = null;
  try {
    const value = await action();
    return store.error === null ? { ok: true, value } : { ok: false, value };
  } catch (error) {
    store.error = error instanceof Error ? error.message : String(error);
    return { ok: false };
  }
}
