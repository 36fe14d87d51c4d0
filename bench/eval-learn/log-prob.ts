/**
 * The mean per-token log-probability the model + adapter give a fixed reply, from the frozen
 * model's sparse logits along it (`ratedReplyLogits`, computed once) and the adapter's bias, so a
 * checkpoint costs no forward pass. The same approximation as the Cringe loss's positive term
 * (`sparse-logits.ts`): the bias is applied exactly to the kept tokens (top k and the target); the
 * rest stay at their frozen logits, lumped in `restLogSumExp`. In the units the adapter learns in:
 * the rows come from `ratedReplyLogits` with the sampling temperature, so they are logits / T.
 */
import { projectContext, tokenBias, type LogitAdapterState } from '../../workers/learning/logit-adapter';
import type { ReplyLogits } from '../../workers/shared/learning-protocol';

/** Mean over the reply's tokens of log p(target); `adapter` null (or untrained) is the frozen model. */
export function meanTokenLogProb(logits: ReplyLogits, features: ArrayLike<number>, adapter: LogitAdapterState | null): number {
  const steps = logits.targets.length;
  if (steps === 0) return 0;
  const active = adapter !== null && adapter.exampleCount > 0;
  const p = active ? projectContext(adapter, features) : null;
  const bias = (token: number): number => (p ? tokenBias(adapter!, token, p) : 0);
  let total = 0;
  for (let t = 0; t < steps; t++) {
    const row = t * logits.k;
    const target = logits.targets[t]!;
    const targetScore = logits.targetLogits[t]! + bias(target);
    const scores: number[] = [logits.restLogSumExp[t]!];
    let targetKept = false;
    for (let i = 0; i < logits.k; i++) {
      const id = logits.topIds[row + i]!;
      if (id === target) targetKept = true;
      scores.push(logits.topLogits[row + i]! + bias(id));
    }
    if (!targetKept) scores.push(targetScore);
    const max = Math.max(...scores);
    let sum = 0;
    for (const s of scores) sum += Math.exp(s - max);
    total += targetScore - (max + Math.log(sum));
  }
  return total / steps;
}
