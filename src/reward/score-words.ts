/**
 * The one way the app words a reward or safety score (issue 17): a percentage on a single scale
 * (how likely the reply is ok; how likely a text is unsafe) and a plain verdict. Badges, Look
 * inside, the feedback view and the notes the reply run writes all read from here, so the same
 * score never shows as "__not_ok__ 0.25" in one place and "Weak reply 25%" in another.
 *
 * Look inside adds the BB3x label beside the words, in the exports' convention: the label and the
 * probability OF THAT LABEL (`__not_ok__ 0.75` is a 25% reply), from the same rounded percentage,
 * so words and label never disagree. Plain TypeScript: domain code (best-of-N reasons, safety
 * notes) uses it too. A stored score that is not a number reads "?", never throws.
 */
import type { RewardScore, SafetyScore } from '../../workers/shared/reward-protocol';

/** P(ok) at or above this is a "Good reply", below a "Weak reply": the cut BB3x's `__ok__` label uses. */
export const GOOD_REPLY_CUT = 0.5;

/** What a head that has learned from no rating says instead of its meaningless 50%. */
export const NO_ESTIMATE_YET = 'No estimate yet — rate replies to teach it';

/** A probability as a whole percentage 0..100 (half up), or null when it is not a number. */
function wholePercent(p: unknown): number | null {
  if (typeof p !== 'number' || !Number.isFinite(p)) return null;
  const clamped = Math.min(1, Math.max(0, p));
  // toFixed first: 0.995 * 100 is 99.49999999999999 in floating point, and must round to 100.
  return Math.round(Number((clamped * 100).toFixed(6)));
}

/**
 * "73%". A probability that rounds to 0 or 100 but is not exactly that reads "<1%" or ">99%":
 * neither model is ever certain, and "0% unsafe" would say it is.
 */
function percentText(pct: number, p: number): string {
  if (pct === 0 && p > 0) return '<1%';
  if (pct === 100 && p < 1) return '>99%';
  return `${pct}%`;
}

/** A whole percentage as a BB3x probability with 2 decimals: 73 → "0.73". */
const labelFigure = (pct: number) => (pct / 100).toFixed(2);

interface RewardReading {
  good: boolean;
  /** P(ok) as shown, e.g. "73%" or "?". */
  shown: string;
  /** The BB3x label with the probability of that label, e.g. "__not_ok__ 0.75". */
  label: string;
}

function readReward(score: RewardScore): RewardReading {
  const pct = wholePercent(score.ok);
  if (pct === null) {
    const good = score.label === '__ok__';
    return { good, shown: '?', label: `${score.label} ?` };
  }
  const good = score.ok >= GOOD_REPLY_CUT;
  // Kept on the verdict's side of the cut: 0.4996 is a weak reply, shown as 49%, not "Weak reply 50%".
  const onSide = good ? Math.max(pct, 50) : Math.min(pct, 49);
  return {
    good,
    shown: percentText(onSide, score.ok),
    label: good ? `__ok__ ${labelFigure(onSide)}` : `__not_ok__ ${labelFigure(100 - onSide)}`,
  };
}

/**
 * Whether a score says anything: an untrained head gives every reply 50% — unless it starts from
 * the community's preferences, which have an opinion before the user's first rating.
 */
export const hasEstimate = (score: RewardScore): boolean => score.trainingCount > 0 || score.parts !== undefined;

/** Saying "no estimate yet" beats a number that means nothing. */
const untrained = (score: RewardScore) => !hasEstimate(score);

/** "Good reply 73%" / "Weak reply 25%", or NO_ESTIMATE_YET before any rating was learned. */
export function rewardWords(score: RewardScore): string {
  if (untrained(score)) return NO_ESTIMATE_YET;
  const { good, shown } = readReward(score);
  return `${good ? 'Good' : 'Weak'} reply ${shown}`;
}

/** Look inside: "Good reply 73% (__ok__ 0.73)"; an untrained head's score keeps its label too. */
export function rewardWordsWithLabel(score: RewardScore): string {
  return `${rewardWords(score)} (${readReward(score).label})`;
}

/** True when the words put the reply on the weak side (for colouring). */
export function isWeakReply(score: RewardScore): boolean {
  return !untrained(score) && !readReward(score).good;
}

function readSafety(score: SafetyScore): { shown: string; label: string } {
  const pct = wholePercent(score.unsafe);
  if (pct === null) return { shown: '?', label: `${score.flagged ? '__unsafe__' : '__safe__'} ?` };
  return {
    shown: percentText(pct, score.unsafe),
    label: score.flagged ? `__unsafe__ ${labelFigure(pct)}` : `__safe__ ${labelFigure(100 - pct)}`,
  };
}

/**
 * "Safety check: passed (2% unsafe)" / "Safety check: flagged (87% unsafe)". The classifier's
 * verdict against the user's threshold at the time decides the word, not the number shown.
 */
export function safetyWords(score: SafetyScore): string {
  return `Safety check: ${score.flagged ? 'flagged' : 'passed'} (${readSafety(score).shown} unsafe)`;
}

/**
 * Look inside: "Safety check: passed (2% unsafe; __safe__ 0.98)"; a flagged text also names the
 * classifier's label that scored highest (toxic-bert has six).
 */
export function safetyWordsWithLabel(score: SafetyScore): string {
  const { shown, label } = readSafety(score);
  const which = score.flagged ? `; classifier label: ${score.label}` : '';
  return `Safety check: ${score.flagged ? 'flagged' : 'passed'} (${shown} unsafe; ${label}${which})`;
}

/** A threshold setting as the same scale: 0.5 → "50%". */
export function thresholdPercent(threshold: number): string {
  const pct = wholePercent(threshold);
  return pct === null ? '?' : `${pct}%`;
}
