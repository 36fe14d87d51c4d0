/**
 * Sends queued bundles and keeps trying until each is sent, refused or withdrawn. One timer waits
 * for the earliest due bundle; going back online and "try again" wake it at once. At most one
 * request per bundle is in flight, and bundles are sent one after another.
 */
import type { ChatDb } from '../storage/db';
import { deleteBundle, postBundle, type CollectorReply } from './collector-client';
import { listDonations, updateDonation } from './donation-repository';
import type { DonationRecord } from './donation-store-api';
import { recordAfterSend } from './outbox-policy';
import type { Exclusive } from '../storage/tab-lock';

/** Calls `run` after `delayMs`; returns a function that cancels it. */
export type Scheduler = (run: () => void, delayMs: number) => () => void;

export const timeoutScheduler: Scheduler = (run, delayMs) => {
  const handle = setTimeout(run, delayMs);
  return () => clearTimeout(handle);
};

/** Never busier than this, whatever the records say (a clock jump, a record changed elsewhere). */
const MIN_TIMER_MS = 1_000;

export interface OutboxOptions {
  db: ChatDb;
  /** Asked for only when a request is about to be made. */
  fetch: () => typeof fetch;
  now: () => number;
  random: () => number;
  isOnline: () => boolean;
  /** Checked before every request: nothing is sent while donation is off. */
  maySend: () => boolean;
  schedule: Scheduler;
  /** Fires 'online' when the browser is back online (the window); null where there is none. */
  onlineEvents: EventTarget | null;
  /** Told about every record the outbox changes, to show it. */
  onChange: (record: DonationRecord) => void;
  /** Told when the outbox could not read or write its records (storage full, say). */
  onError: (error: unknown) => void;
  /** Runs a pass so that no other tab's outbox runs one meanwhile (default: just runs it). */
  exclusive?: Exclusive;
}

const OFFLINE: CollectorReply = { kind: 'unreachable', reason: 'offline' };

export class Outbox {
  private readonly inFlight = new Map<string, Promise<void>>();
  private cancelTimer: (() => void) | null = null;
  private pass: Promise<void> | null = null;
  private passAgain = false;
  /** The next pass also tries bundles whose backoff has not run out (we are back online). */
  private ignoreBackoff = false;
  private running = false;
  private readonly onOnline = () => void this.wake({ ignoreBackoff: true });

  constructor(private readonly options: OutboxOptions) {}

  /** Starts sending what is due and listening for 'online'. */
  start(): Promise<void> {
    if (!this.running) {
      this.running = true;
      this.options.onlineEvents?.addEventListener('online', this.onOnline);
    }
    return this.wake();
  }

  stop(): void {
    this.running = false;
    this.options.onlineEvents?.removeEventListener('online', this.onOnline);
    this.clearTimer();
  }

  /** Sends every due bundle now; resolves when this pass (and any it had to repeat) is done. */
  wake(options: { ignoreBackoff?: boolean } = {}): Promise<void> {
    if (!this.running) return Promise.resolve();
    if (options.ignoreBackoff) this.ignoreBackoff = true;
    if (this.pass) {
      // A record may have become due while the pass read the list: run once more after it.
      this.passAgain = true;
      return this.pass;
    }
    this.pass = this.runPasses().finally(() => {
      this.pass = null;
    });
    return this.pass;
  }

  /** Resolves when no pass is running and no request is in flight (for tests and shutdown). */
  async idle(): Promise<void> {
    while (this.pass || this.inFlight.size > 0) {
      await this.pass;
      await Promise.all(this.inFlight.values());
    }
  }

  isInFlight(bundleId: string): boolean {
    return this.inFlight.has(bundleId);
  }

  /** Resolves once no request for this bundle is in flight. */
  async settled(bundleId: string): Promise<void> {
    await this.inFlight.get(bundleId);
  }

  private async runPasses(): Promise<void> {
    try {
      const exclusive = this.options.exclusive ?? ((job) => job());
      do {
        this.passAgain = false;
        const ignoreBackoff = this.ignoreBackoff;
        this.ignoreBackoff = false;
        // Another tab's pass may hold a bundle as 'sending': waiting for it means this pass
        // reads the records after that send settled, never in the middle of it.
        await exclusive(() => this.runPass(ignoreBackoff));
      } while (this.passAgain && this.running);
      await this.scheduleNext();
    } catch (error) {
      // A record that could not be written stays as stored; the next start or wake picks it up.
      this.options.onError(error);
    }
  }

  private async runPass(ignoreBackoff: boolean): Promise<void> {
    // Oldest first: bundles arrive in the order they were confirmed.
    const queued = (await listDonations(this.options.db)).filter((r) => r.status === 'queued').reverse();
    for (const record of queued) {
      if (!this.running || !this.options.maySend()) return;
      const due = ignoreBackoff || (record.nextAttemptAt ?? 0) <= this.options.now();
      if (due) await this.send(record.bundleId);
    }
  }

  private send(bundleId: string): Promise<void> {
    const current = this.inFlight.get(bundleId);
    if (current) return current;
    const sending = this.sendOnce(bundleId).finally(() => this.inFlight.delete(bundleId));
    this.inFlight.set(bundleId, sending);
    return sending;
  }

  private async sendOnce(bundleId: string): Promise<void> {
    const { db } = this.options;
    // Checked and marked in one transaction: a bundle withdrawn a moment ago is not sent.
    const claimed = await updateDonation(db, bundleId, (r) => (r.status === 'queued' ? { ...r, status: 'sending' } : null));
    if (!claimed.changed || !claimed.record) return;
    this.options.onChange(claimed.record);

    const record = claimed.record;
    const reply = this.options.isOnline() ? await postBundle(this.options.fetch(), record) : OFFLINE;
    const settled = await updateDonation(db, bundleId, (current) =>
      current.status === 'sending' ? recordAfterSend(current, reply, { now: this.options.now(), random: this.options.random }) : null,
    );
    if (settled.record) this.options.onChange(settled.record);

    // Withdrawn while the request was in flight (by another tab, say) but stored by the collector: take it back.
    const stored = reply.kind === 'response' && reply.status >= 200 && reply.status < 300;
    if (!settled.changed && stored && settled.record?.status === 'withdrawn') {
      await deleteBundle(this.options.fetch(), record);
    }
  }

  private clearTimer(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
  }

  /** One timer, for the earliest queued bundle; none when nothing waits. */
  private async scheduleNext(): Promise<void> {
    this.clearTimer();
    if (!this.running || !this.options.maySend()) return;
    const queued = (await listDonations(this.options.db)).filter((r) => r.status === 'queued');
    if (queued.length === 0 || !this.running) return;
    const now = this.options.now();
    const earliest = Math.min(...queued.map((r) => r.nextAttemptAt ?? now));
    this.clearTimer();
    this.cancelTimer = this.options.schedule(() => void this.wake(), Math.max(MIN_TIMER_MS, earliest - now));
  }
}
