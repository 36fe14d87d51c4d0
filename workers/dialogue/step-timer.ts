import { BaseStreamer } from '@huggingface/transformers';

/**
 * Records when each generated token arrives (performance.now(), ms), for timing decode steps.
 * transformers.js `put`s the prompt once before the first step; that call is not a token.
 */
export class StepTimer extends BaseStreamer {
  readonly tokenTimes: number[] = [];
  private promptSeen = false;

  constructor(private readonly now: () => number = () => performance.now()) {
    super();
  }

  override put(_value: bigint[][]): void {
    if (!this.promptSeen) {
      this.promptSeen = true;
      return;
    }
    this.tokenTimes.push(this.now());
  }

  override end(): void {}
}
