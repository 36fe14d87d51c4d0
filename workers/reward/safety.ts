/**
 * Turns a safety classifier's logits into verdicts: a text's unsafe score is the highest
 * probability among the spec's unsafe labels — softmax over the labels for a single-label
 * classifier (the demo stand-in), an independent sigmoid per label for a multi-label one
 * (toxic-bert).
 */
import type { SafetyScore } from '../shared/reward-protocol';

export function softmax(logits: readonly number[]): number[] {
  const max = Math.max(...logits);
  const exps = logits.map((z) => Math.exp(z - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

export function sigmoids(logits: readonly number[]): number[] {
  return logits.map((z) => 1 / (1 + Math.exp(-z)));
}

/**
 * One text's verdict. `labels[i]` names `logits[i]`; `unsafeLabels` must name at least one of
 * them (else the classifier cannot say anything and the call fails loudly).
 */
export function safetyVerdict(
  logits: readonly number[],
  labels: readonly string[],
  unsafeLabels: readonly string[],
  multiLabel: boolean,
  threshold: number,
): SafetyScore {
  const probs = multiLabel ? sigmoids(logits) : softmax(logits);
  let unsafe = -1;
  let label = '';
  labels.forEach((name, i) => {
    if (unsafeLabels.includes(name) && probs[i]! > unsafe) {
      unsafe = probs[i]!;
      label = name;
    }
  });
  if (unsafe < 0) {
    throw new Error(`The safety classifier has none of the unsafe labels ${unsafeLabels.join(', ')} (it has ${labels.join(', ')}).`);
  }
  return { unsafe, label, flagged: unsafe >= threshold };
}
