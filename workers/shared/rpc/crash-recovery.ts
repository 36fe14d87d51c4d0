/**
 * When to load a model again after its worker crashed: at once the first time, then after
 * doubling waits, and not at all once it has crashed too often in a short time (a model that
 * kills its worker on every load, or on every reply, would otherwise spin forever and drain the
 * battery). A successful load does not reset the count, for that second reason.
 */
export interface RecoveryPolicy {
  /** Wait before the first retry after a calm period. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** Crashes within `windowMs` after which it gives up. */
  maxCrashes: number;
  windowMs: number;
}

export const DEFAULT_RECOVERY: RecoveryPolicy = { firstDelayMs: 0, maxDelayMs: 30_000, maxCrashes: 5, windowMs: 120_000 };

export type RecoveryStep = { retryInMs: number } | { giveUp: true };

export class CrashRecovery {
  private crashes: number[] = [];

  constructor(
    private readonly now: () => number = Date.now,
    private readonly policy: RecoveryPolicy = DEFAULT_RECOVERY,
  ) {}

  /** Records a crash now and says what to do about it. */
  crashed(): RecoveryStep {
    const now = this.now();
    this.crashes = [...this.crashes.filter((at) => now - at < this.policy.windowMs), now];
    const recent = this.crashes.length;
    if (recent >= this.policy.maxCrashes) return { giveUp: true };
    if (recent === 1) return { retryInMs: this.policy.firstDelayMs };
    return { retryInMs: Math.min(this.policy.maxDelayMs, 1_000 * 2 ** (recent - 2)) };
  }
}
