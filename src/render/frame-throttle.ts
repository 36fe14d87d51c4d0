/**
 * Runs the latest scheduled job at most once per animation frame, and backs off when a job is
 * slow: re-rendering a long markdown reply on every token would be quadratic work that freezes
 * the page, so a render costing C ms waits at least 4·C ms before the next one.
 */
export class FrameThrottle {
  private pending: (() => void) | null = null;
  private frame: number | null = null;
  private notBefore = 0;

  schedule(job: () => void): void {
    this.pending = job;
    if (this.frame === null) this.frame = requestAnimationFrame((time) => this.run(time));
  }

  /** Runs a scheduled job now (e.g. when the stream ends) instead of on the next frame. */
  flush(): void {
    this.cancelFrame();
    const job = this.pending;
    this.pending = null;
    job?.();
  }

  cancel(): void {
    this.cancelFrame();
    this.pending = null;
  }

  private run(time: number): void {
    this.frame = null;
    if (time < this.notBefore) {
      this.frame = requestAnimationFrame((next) => this.run(next));
      return;
    }
    const job = this.pending;
    this.pending = null;
    if (!job) return;
    const started = performance.now();
    job();
    this.notBefore = time + 4 * (performance.now() - started);
  }

  private cancelFrame(): void {
    if (this.frame !== null) cancelAnimationFrame(this.frame);
    this.frame = null;
  }
}
