/**
 * One tab at a time runs the chat model (a second copy would double the memory and the load).
 * A Web Lock marks the tab that has it: the browser releases it when that tab closes or crashes,
 * and another tab can take it over ("Use it here"), which tells the first tab it lost it.
 */
export const MODEL_LOCK = 'feedback-chat-model';

/** The part of navigator.locks this needs (injected, so the logic is tested without a browser). */
export interface LockRequester {
  request(name: string, options: LockOptions, callback: (lock: Lock | null) => Promise<void>): Promise<void>;
}

export interface ModelTabLockEvents {
  /** This tab now has the model (at start, after a takeover, or when the other tab closed). */
  acquired(): void;
  /** Another tab took the model over: stop using it here. */
  lost(): void;
}

export class ModelTabLock {
  private releaseHeld: (() => void) | null = null;
  private waiting: AbortController | null = null;

  constructor(
    private readonly locks: LockRequester | null,
    private readonly events: ModelTabLockEvents,
  ) {}

  get held(): boolean {
    return this.releaseHeld !== null || this.locks === null;
  }

  /**
   * Takes the model if no other tab has it; otherwise waits in line, so this tab gets it when the
   * other one closes. Resolves with whether it has it now. Without Web Locks every tab has it.
   */
  async claim(): Promise<boolean> {
    if (!this.locks) {
      this.events.acquired();
      return true;
    }
    const got = await this.hold({ ifAvailable: true });
    if (!got) this.waitInLine();
    return got;
  }

  /** "Use it here": takes the model from the tab that has it. */
  async takeOver(): Promise<void> {
    if (!this.locks || this.releaseHeld) return;
    this.waiting?.abort();
    this.waiting = null;
    await this.hold({ steal: true });
  }

  private waitInLine(): void {
    this.waiting = new AbortController();
    void this.hold({ signal: this.waiting.signal });
  }

  /** Requests the lock and keeps it until released or stolen; resolves once it is known whether it was granted. */
  private hold(options: LockOptions): Promise<boolean> {
    return new Promise<boolean>((granted) => {
      this.locks!
        .request(MODEL_LOCK, options, (lock) => {
          if (!lock) {
            granted(false);
            return Promise.resolve();
          }
          this.waiting = null;
          return new Promise<void>((release) => {
            this.releaseHeld = release;
            granted(true);
            this.events.acquired();
          });
        })
        .catch((error: unknown) => {
          // A stolen lock's request rejects with AbortError; an aborted wait does too.
          const wasHeld = this.releaseHeld !== null;
          this.releaseHeld = null;
          granted(false);
          if (wasHeld && (error as DOMException | null)?.name === 'AbortError') {
            this.events.lost();
            this.waitInLine();
          }
        });
    });
  }
}

export function browserLocks(): LockRequester | null {
  return (globalThis.navigator as (Navigator & { locks?: LockManager }) | undefined)?.locks ?? null;
}
