import type { RewardScore, SafetyScore } from '../../workers/shared/reward-protocol';
import type { ReplyCandidate } from '../storage/schema';
import { hasEstimate, rewardWordsWithLabel, safetyWords, thresholdPercent } from './score-words';

/** What the reward worker said of one sampled reply; either part is absent when it did not run. */
export interface ScoredCandidate {
  text: string;
  safety?: SafetyScore;
  reward?: RewardScore;
}

export interface Choice {
  /** The candidate to show, or null when every candidate was flagged unsafe. */
  index: number | null;
  candidates: ReplyCandidate[];
  /** Why, in words, for "look inside". */
  reason: string;
}

/**
 * Best-of-N (DESIGN §5): unsafe candidates are dropped, and among the rest the highest reward
 * wins (the first one on a tie, or when there is no reward model to ask).
 */
export function chooseCandidate(scored: readonly ScoredCandidate[]): Choice {
  const safe = scored.map((c, index) => ({ c, index })).filter(({ c }) => !c.safety?.flagged);
  const unsafeCount = scored.length - safe.length;
  let best: number | null = null;
  for (const { c, index } of safe) {
    if (best === null || (c.reward?.ok ?? -1) > (scored[best]!.reward?.ok ?? -1)) best = index;
  }
  const candidates: ReplyCandidate[] = scored.map((c, index) => ({
    text: c.text,
    ...(c.safety ? { safety: c.safety } : {}),
    ...(c.reward ? { reward: c.reward } : {}),
    chosen: index === best,
    ...(index === best ? {} : { droppedFor: c.safety?.flagged ? ('unsafe' as const) : ('lower-reward' as const) }),
  }));
  return { index: best, candidates, reason: reasonFor(scored, best, safe.length, unsafeCount) };
}

function reasonFor(scored: readonly ScoredCandidate[], best: number | null, safeCount: number, unsafeCount: number): string {
  const dropped = unsafeCount === 0 ? '' : ` ${unsafeCount} dropped as unsafe.`;
  if (best === null) return `All ${scored.length === 1 ? 'of the reply' : `${scored.length} candidates`} flagged unsafe; replaced with a change of topic.`;
  const reward = scored[best]!.reward;
  if (scored.length === 1) return reward ? `Only one candidate: ${rewardWordsWithLabel(reward)}.` : 'Only one candidate.';
  if (!reward) return `The first safe one of ${scored.length} candidates: the reward model was not available to rank them.${dropped}`;
  // An untrained head gives every reply 50%: the "highest" is only the first, and it says so.
  if (!hasEstimate(reward)) return `The first safe one of ${scored.length} candidates: the reward model has not learned from any rating yet, so it cannot rank them.${dropped}`;
  return `Highest reward among ${safeCount} safe candidate${safeCount === 1 ? '' : 's'} of ${scored.length}: ${rewardWordsWithLabel(reward)}.${dropped}`;
}

/**
 * What the bot says instead of an unsafe reply: a change of topic, as BB3's deployment did.
 * Several variants, so a user who trips the filter twice does not get the same line.
 */
export const SAFE_TOPIC_CHANGES: readonly string[] = [
  "I'd rather not talk about that. Shall we change the subject? What's something you've enjoyed lately?",
  "Let's talk about something else. Read any good books or seen a good film recently?",
  "That's not something I want to get into. What are you looking forward to this week?",
  "I'll pass on that one. Tell me about a place you'd love to visit?",
];

/** A topic change picked by `seed` (e.g. the reply's id), so the same reply always gets the same one. */
export function topicChange(seed: string): string {
  let hash = 0;
  for (let i = 0; i < seed.length; i += 1) hash = (hash * 31 + seed.charCodeAt(i)) >>> 0;
  return SAFE_TOPIC_CHANGES[hash % SAFE_TOPIC_CHANGES.length]!;
}

/** The note a user reads under a replaced reply ("Why?"), on the same scale as the threshold setting. */
export function safetyNoteFor(what: 'your message' | 'the reply', score: SafetyScore, threshold: number): string {
  return `${safetyWords(score)}. The classifier's "${score.label}" score for ${what} is at or above your threshold of ${thresholdPercent(threshold)}, so the bot changed the topic instead. You can change the threshold or turn the filter off in Settings → Reward and safety.`;
}
