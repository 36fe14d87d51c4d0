/**
 * Calls `write` at most once per `intervalMs` while text streams in, never two writes at once,
 * so a closed tab loses at most one interval of a reply without a write per token.
 */
export class ThrottledWriter {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly write: () => Promise<void>,
    private readonly intervalMs = 400,
  ) {}

  schedule(): void {
    if (this.timer !== null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.writing = this.writing.then(this.write, this.write);
    }, this.intervalMs);
  }

  /** Cancels any pending write and waits for one in progress, before the final write. */
  async settle(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.writing.catch(() => undefined);
  }
}
