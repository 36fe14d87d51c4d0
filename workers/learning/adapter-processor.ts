/**
 * The personal generation adapter as transformers.js sees it: a logits processor that adds the
 * reply's bias (`contextBias`, computed once per reply) to every row of every decode step, and
 * measures, on row 0 (the reply streamed or candidate 0), how much that moved the tokens chosen.
 *
 * transformers.js runs custom processors after its own, so the logits arrive already divided by
 * the temperature, and the bias is added to them as it is: softmax(s / T + b). The adapter learns
 * in those units (`rated-reply-logits.ts` divides a rated reply's logits by the temperature it was
 * sampled at), so a liked reply the model itself sampled is already as likely as it will get,
 * and liking it does not sharpen the distribution round after round.
 * The effect is measured on the distribution sampled from (after the repetition penalty and the
 * temperature), with and without the bias.
 */
import { LogitsProcessor, type Tensor } from '@huggingface/transformers';
import type { AdapterEffect } from '../shared/learning-protocol';

/** log Σ exp(row[offset … offset + n)), two passes (max, then the shifted sum). */
function logSumExp(row: Float32Array, offset: number, n: number): number {
  let max = -Infinity;
  for (let j = offset; j < offset + n; j++) if (row[j]! > max) max = row[j]!;
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (let j = offset; j < offset + n; j++) sum += Math.exp(row[j]! - max);
  return max + Math.log(sum);
}

interface PendingRow {
  row: Float32Array;
  lseWithout: number;
  lseWith: number;
}

export class AdapterLogitsProcessor extends LogitsProcessor {
  /** Per batch row: the last step's logits before the bias and both normalisers, resolved once its token is known. */
  private pending: Array<PendingRow | null> = [];
  /** Per batch row, per chosen token: its log-probability with and without the bias. */
  private readonly logProbs: Array<{ with: number[]; without: number[] }> = [];

  /** Tokens with a non-zero bias (training moves only those it saw), and their bias. */
  private readonly active: Int32Array;
  private readonly scaled: Float32Array;

  /**
   * @param bias one value per vocabulary entry (the reply's `contextBias`)
   * @param ratings rated replies the adapter learned from (reported with the effect)
   */
  constructor(
    private readonly bias: Float32Array,
    private readonly ratings: number,
  ) {
    super();
    const active: number[] = [];
    for (let t = 0; t < bias.length; t++) if (bias[t] !== 0) active.push(t);
    this.active = Int32Array.from(active);
    this.scaled = Float32Array.from(active, (t) => bias[t]!);
  }

  override _call(inputIds: bigint[][], logits: Tensor): Tensor {
    const data = logits.data as Float32Array;
    const vocab = this.bias.length;
    // A graph whose logits are wider or narrower than the adapter is not the model it learned on.
    if (logits.dims.at(-1) !== vocab || data.length % vocab !== 0) return logits;
    const rows = data.length / vocab;
    const { active, scaled } = this;
    for (let r = 0; r < rows; r++) {
      const offset = r * vocab;
      this.resolve(r, inputIds[r]?.at(-1));
      // One pass of exp over the vocabulary per row: the biased normaliser is the plain one times
      // Σ p(t)·e^{b_t} over all t, which differs from 1 only on the few tokens with a bias.
      const lseWithout = logSumExp(data, offset, vocab);
      let moved = 0;
      for (let a = 0; a < active.length; a++) moved += Math.exp(data[offset + active[a]!]! - lseWithout) * Math.expm1(scaled[a]!);
      this.pending[r] = { row: data.slice(offset, offset + vocab), lseWithout, lseWith: lseWithout + Math.log1p(Math.max(moved, -1 + 1e-12)) };
      for (let a = 0; a < active.length; a++) data[offset + active[a]!] = data[offset + active[a]!]! + scaled[a]!;
    }
    return logits;
  }

  /** Counts the token chosen at row r's pending step (known one step later, or at the end). */
  private resolve(r: number, token: bigint | number | undefined): void {
    const pending = this.pending[r];
    this.pending[r] = null;
    if (!pending || token === undefined) return;
    const id = Number(token);
    if (!(id >= 0 && id < pending.row.length)) return;
    const raw = pending.row[id]!;
    const entry = (this.logProbs[r] ??= { with: [], without: [] });
    entry.without.push(raw - pending.lseWithout);
    entry.with.push(raw + this.bias[id]! - pending.lseWith);
  }

  /**
   * The effect on row r's reply: `lastToken` is the token sampled at the final step, `kept` how
   * many of the row's tokens the reply kept (a batch row samples on after its own end).
   */
  effect(r: number, lastToken: number | undefined, kept: number): AdapterEffect {
    this.resolve(r, lastToken);
    const entry = this.logProbs[r] ?? { with: [], without: [] };
    const n = Math.min(kept, entry.with.length);
    let sumWith = 0;
    let sumWithout = 0;
    for (let i = 0; i < n; i++) {
      sumWith += entry.with[i]!;
      sumWithout += entry.without[i]!;
    }
    return {
      ratings: this.ratings,
      tokens: n,
      meanProbWith: n ? Math.exp(sumWith / n) : 0,
      meanProbWithout: n ? Math.exp(sumWithout / n) : 0,
    };
  }
}
