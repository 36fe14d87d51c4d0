/**
 * What the frozen chat model gives the generation adapter's training (issue 18): along one rated
 * reply, the logits that predicted each of its tokens, kept sparse.
 *
 * Design (issue 18; the full reasoning heads `logit-adapter.ts`): the adapter is a low-rank,
 * context-conditioned bias on the frozen model's logits, because it trains in seconds on WASM, is
 * cheap enough to apply at every decode step, and needs only the logits, which every exported
 * graph outputs. The alternative, a LoRA on the LM head, needs the last hidden state, which the
 * exported ONNX decoders the app loads do not output.
 *
 * One forward pass over prompt + reply (when the dialogue worker is idle) gives a vocab-sized row
 * of logits per reply position. Stored whole that is 4·vocab bytes a token (600 KB for Qwen's 151k
 * vocabulary), so a worker keeps, per position, only the k largest logits, the target's logit and
 * the log-sum-exp of everything else: 8k + 12 bytes with the target id (about 524 B at k = 64), in flat typed arrays a
 * worker can transfer without copying and IndexedDB can store as they are.
 *
 * The approximation, and when it is small: the adapter's bias is applied exactly to the kept tokens
 * (the top-k and the target); the tokens outside them are held at their frozen logits, as one
 * lumped mass (`restLogSumExp`). So the likelihood's normaliser ignores how the adapter moves the
 * tail. It is small when the kept tokens carry most of a step's probability, as the top 64 of a
 * trained chat model usually do (not measured here yet: the kept share is 1 − exp(rest − lse of
 * the row), cheap to log from these arrays); the random-weight demo model's rows are nearly flat,
 * so there the approximation is rough. And the adapter only ever learns biases for tokens that
 * appear in some kept set, so a tail token's bias is non-zero only where it ranked highly
 * elsewhere. The Cringe term needs only the negative token and top-k alternatives, all kept, so
 * it is exact.
 */

import type { RatedReply, ReplyLogits } from '../shared/learning-protocol';

export type { RatedReply, ReplyLogits };

/** Indices of the k largest values of row[0..n), largest first; ties go to the lower index. */
function topIndices(row: ArrayLike<number>, offset: number, n: number, k: number): Int32Array {
  // A min-heap of size k over (value, -index): O(n log k), no sort of the whole vocabulary.
  const heap = new Int32Array(k);
  let size = 0;
  const less = (a: number, b: number): boolean => {
    const va = row[offset + a]!;
    const vb = row[offset + b]!;
    return va < vb || (va === vb && a > b);
  };
  const siftDown = (from: number): void => {
    let i = from;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < size && less(heap[l]!, heap[m]!)) m = l;
      if (r < size && less(heap[r]!, heap[m]!)) m = r;
      if (m === i) return;
      const tmp = heap[i]!;
      heap[i] = heap[m]!;
      heap[m] = tmp;
      i = m;
    }
  };
  for (let j = 0; j < n; j++) {
    if (size < k) {
      let i = size++;
      heap[i] = j;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!less(heap[i]!, heap[parent]!)) break;
        const tmp = heap[i]!;
        heap[i] = heap[parent]!;
        heap[parent] = tmp;
        i = parent;
      }
    } else if (less(heap[0]!, j)) {
      heap[0] = j;
      siftDown(0);
    }
  }
  const out = new Int32Array(size);
  // Popping the min-heap gives smallest first; fill from the back for largest first.
  for (let i = size - 1; i >= 0; i--) {
    out[i] = heap[0]!;
    heap[0] = heap[--size]!;
    siftDown(0);
  }
  return out;
}

/**
 * Packs full logits along a reply into `ReplyLogits`. `logits` holds T rows of `vocabSize`, row t
 * being the logits that predicted `targets[t]` (for a causal LM, the output at the position just
 * before that token). O(T·vocab·log k) time, one pass per row plus one for the rest's mass.
 */
export function packReplyLogits(logits: Float32Array, vocabSize: number, targets: Int32Array, k: number): ReplyLogits {
  const steps = targets.length;
  if (logits.length !== steps * vocabSize) {
    throw new Error(`Expected ${steps} rows of ${vocabSize} logits, got ${logits.length} values.`);
  }
  const kept = Math.min(k, vocabSize);
  if (!Number.isInteger(kept) || kept < 1) throw new Error(`k must be a positive integer, got ${k}.`);
  const topIds = new Int32Array(steps * kept);
  const topLogits = new Float32Array(steps * kept);
  const targetLogits = new Float32Array(steps);
  const restLogSumExp = new Float32Array(steps);
  const inKept = new Uint8Array(vocabSize);
  for (let t = 0; t < steps; t++) {
    const offset = t * vocabSize;
    const target = targets[t]!;
    if (!Number.isInteger(target) || target < 0 || target >= vocabSize) throw new Error(`Target ${target} is outside the vocabulary.`);
    const ids = topIndices(logits, offset, vocabSize, kept);
    topIds.set(ids, t * kept);
    for (let i = 0; i < kept; i++) {
      topLogits[t * kept + i] = logits[offset + ids[i]!]!;
      inKept[ids[i]!] = 1;
    }
    inKept[target] = 1;
    targetLogits[t] = logits[offset + target]!;
    // log-sum-exp of the rest, shifted by the row's largest logit (the first kept one).
    const max = logits[offset + ids[0]!]!;
    let sum = 0;
    for (let j = 0; j < vocabSize; j++) if (!inKept[j]) sum += Math.exp(logits[offset + j]! - max);
    restLogSumExp[t] = sum > 0 ? max + Math.log(sum) : -Infinity;
    for (let i = 0; i < kept; i++) inKept[ids[i]!] = 0;
    inKept[target] = 0;
  }
  return { k: kept, targets: Int32Array.from(targets), topIds, topLogits, targetLogits, restLogSumExp };
}
