/**
 * The reward and safety scores the app stores, as verdicts: a label and the probability of THAT
 * label (BB3x writes `__not_ok__` with P(not ok), not with P(ok)).
 *
 * src/donation/bundle-builder.ts writes the same two conversions into a bundle (rewardOutput,
 * safetyOutput); tests/collector/training-data-parity.test.ts fails if they ever disagree.
 */
import type { RewardScore, SafetyScore } from '../../workers/shared/reward-protocol';
import type { Verdict } from './thread';

export function rewardVerdict(score: RewardScore): Verdict {
  return { label: score.label, probability: score.label === '__ok__' ? score.ok : 1 - score.ok };
}

export function safetyVerdict(score: SafetyScore): Verdict {
  return score.flagged ? { label: '__unsafe__', probability: score.unsafe } : { label: '__safe__', probability: 1 - score.unsafe };
}
