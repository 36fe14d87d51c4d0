/**
 * How reward and safety scores read in the UI. Pure functions over src/reward/score-words.ts (the
 * one wording and scale, shared with the reply run's notes), so the badge, Look inside and the
 * feedback view say the same thing about the same score.
 */
import { rewardWords, rewardWordsWithLabel, safetyWords, safetyWordsWithLabel } from '../../reward/score-words';
import type { RewardScore, SafetyScore } from '../../../workers/shared/reward-protocol';
import type { ReplyCandidate } from '../../storage/schema';

/** The badge under a reply: "Good reply 73%", "Weak reply 25%", or that nothing was learned yet. */
export function rewardBadgeText(score: RewardScore): string {
  return rewardWords(score);
}

/** In Look inside: the words with the BB3x label beside them ("Good reply 73% (__ok__ 0.73)"). */
export function candidateRewardText(score: RewardScore | undefined): string {
  return score ? rewardWordsWithLabel(score) : 'No reward estimate (the reward model was not running)';
}

/** Outside Look inside: "Safety check: passed (2% unsafe)". */
export function safetyBadgeText(score: SafetyScore): string {
  return safetyWords(score);
}

/** In Look inside: "Safety check: passed (2% unsafe; __safe__ 0.98)". */
export function safetyText(score: SafetyScore | undefined): string {
  return score ? safetyWordsWithLabel(score) : 'Safety check: not run';
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

const signed = (logit: number) => `${logit >= 0 ? '+' : '−'}${Math.abs(logit).toFixed(2)}`;
const lean = (logit: number) => (logit >= 0 ? 'good' : 'weak');

/**
 * In Look inside, with an adopted community head: whose preference moved the score, as the two
 * parts of its logit ("Community (version 2): leans good (+1.20) · Your ratings: lean weak (−0.40)").
 */
export function rewardPartsText(score: RewardScore & { parts: NonNullable<RewardScore['parts']> }): string {
  const { parts } = score;
  const yours = score.trainingCount > 0 ? `lean ${lean(parts.personal)} (${signed(parts.personal)})` : 'none yet';
  return `Community (version ${parts.communityVersion}): leans ${lean(parts.community)} (${signed(parts.community)}) · Your ratings: ${yours}`;
}

/** Settings: what the adopted community head is. */
export function communitySummary(head: { version: number; donors: number; ratings: number }): string {
  const donors = head.donors === 1 ? '1 donor' : `${head.donors} donors`;
  const ratings = head.ratings === 1 ? '1 rating' : `${head.ratings} ratings`;
  return `Starting from the community's preferences: version ${head.version}, learned from ${ratings} by ${donors}.`;
}
