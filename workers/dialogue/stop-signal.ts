import { StoppingCriteria } from '@huggingface/transformers';

/**
 * Stops a generation when the app asks: by an `interrupt` message, or through a flag in memory
 * shared with the app, which is read at every token and so works even while WASM inference keeps
 * the worker from reading its messages.
 */
export class StopSignal extends StoppingCriteria {
  private interrupted = false;
  private flag: Int32Array | null = null;

  /** Clears the previous stop and watches `flag` (or nothing) for the next generation. */
  arm(flag: Int32Array | null): void {
    this.interrupted = false;
    this.flag = flag;
  }

  interrupt(): void {
    this.interrupted = true;
  }

  get stopped(): boolean {
    return this.interrupted || (this.flag !== null && Atomics.load(this.flag, 0) === 1);
  }

  override _call(inputIds: number[][]): boolean[] {
    return new Array<boolean>(inputIds.length).fill(this.stopped);
  }
}
