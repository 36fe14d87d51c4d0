/**
 * How reward and safety scores read in the UI. Pure functions, so the wording the tests and the
 * user rely on lives in one place (badge, candidate list and settings all use it).
 */
import type { RewardScore, SafetyScore } from '../../../workers/shared/reward-protocol';
import type { ReplyCandidate } from '../../storage/schema';
import { formatFigure } from '../metrics-text';

/** A score as shown; "?" for a stored score that is not a number, so a damaged record still renders. */
const scoreFigure = (value: number) => formatFigure(value, 2) ?? '?';

/** BB3x-style: the label the head leans to, then P(__ok__) with 2 decimals ("__ok__ 0.73"). */
export function rewardText(score: RewardScore): string {
  return `${score.label} ${scoreFigure(score.ok)}`;
}

/** The badge: an untrained head's 0.50 means nothing, so it says so instead of showing a number. */
export function rewardBadgeText(score: RewardScore): string {
  return score.trainingCount > 0 ? rewardText(score) : 'untrained';
}

/** In "look inside": the number is always shown (to compare candidates), marked when untrained. */
export function candidateRewardText(score: RewardScore | undefined): string {
  if (!score) return 'not scored';
  return score.trainingCount > 0 ? rewardText(score) : `${rewardText(score)} (untrained)`;
}

/** "safe 0.02" or "unsafe 0.97 (toxic)"; the classifier's own verdict decides which word. */
export function safetyText(score: SafetyScore | undefined): string {
  if (!score) return 'not checked';
  const value = scoreFigure(score.unsafe);
  return score.flagged ? `unsafe ${value} (${score.label})` : `safe ${value}`;
}

/** Why a candidate is (not) the reply shown. */
export function candidateOutcome(candidate: ReplyCandidate): string {
  if (candidate.chosen) return 'Chosen';
  if (candidate.droppedFor === 'unsafe') return 'Dropped: unsafe';
  if (candidate.droppedFor === 'lower-reward') return 'Lower reward';
  return 'Not chosen';
}

/** "Your reward model learned from 1 rating (3 updates)", singular and plural right. */
export function trainingSummary(ratings: number, updates: number): string {
  const r = ratings === 1 ? 'rating' : 'ratings';
  const u = updates === 1 ? 'update' : 'updates';
  return `Your reward model learned from ${ratings} ${r} (${updates} ${u})`;
}
