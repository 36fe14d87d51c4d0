/**
 * Work that only one tab of the app may do at a time (Web Locks: held per origin across tabs,
 * released by the browser when a tab closes or crashes, so a dead tab never keeps it).
 * Without Web Locks (old browsers, Node tests) the job just runs.
 */
export type Exclusive = <T>(job: () => Promise<T>) => Promise<T>;

export function exclusiveAcrossTabs(name: string): Exclusive {
  return (job) => {
    const locks = (globalThis.navigator as (Navigator & { locks?: LockManager }) | undefined)?.locks;
    if (!locks) return job();
    return locks.request(name, () => job());
  };
}

/** The outbox sends (and recovers interrupted sends) under this lock: two tabs never send one bundle. */
export const OUTBOX_LOCK = 'feedback-chat-outbox';
