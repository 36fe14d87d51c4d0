import { BaseStreamer } from '@huggingface/transformers';

/** The most candidates one batched generation samples (best-of-N). */
export const MAX_CANDIDATES = 8;

/** How often, at most, a batched generation reports its progress. */
export const PROGRESS_INTERVAL_MS = 100;

/**
 * How many rows to sample: the request's count clamped to 1–8. Greedy decoding (temperature 0)
 * would give N identical rows, so it always samples one.
 */
export function candidateCount(requested: number | undefined, temperature: number): number {
  if (!(temperature > 0)) return 1;
  const n = Math.floor(requested ?? 1);
  if (!Number.isFinite(n)) return 1;
  return Math.min(MAX_CANDIDATES, Math.max(1, n));
}

/**
 * A row's reply: its generated ids up to and including the first stop token. transformers.js
 * keeps sampling rows that have finished until every row has, so what follows is noise.
 */
export function cutAtStop(ids: number[], stopIds: ReadonlySet<number>): number[] {
  const end = ids.findIndex((id) => stopIds.has(id));
  return end === -1 ? ids : ids.slice(0, end + 1);
}

/**
 * Counts generation steps of a batch (TextStreamer only takes batch size 1). transformers.js
 * `put`s the prompt once, then one token per row at every step; `end` follows the last step.
 * Progress goes out at most every `intervalMs` and once at the end.
 */
export class StepCounter extends BaseStreamer {
  steps = 0;
  /** performance.now() of the first step; 0 until then. */
  firstStepAt = 0;
  private promptSeen = false;
  private lastReport = -Infinity;

  constructor(
    private readonly maxTokens: number,
    private readonly onProgress: ((tokens: number, maxTokens: number) => void) | undefined,
    private readonly intervalMs = PROGRESS_INTERVAL_MS,
    private readonly now: () => number = () => performance.now(),
  ) {
    super();
  }

  override put(_value: bigint[][]): void {
    if (!this.promptSeen) {
      this.promptSeen = true;
      return;
    }
    this.steps += 1;
    const now = this.now();
    if (this.firstStepAt === 0) this.firstStepAt = now;
    if (now - this.lastReport >= this.intervalMs) this.report(now);
  }

  override end(): void {
    this.report(this.now());
  }

  private report(now: number): void {
    this.lastReport = now;
    this.onProgress?.(this.steps, this.maxTokens);
  }
}
