/**
 * Why a reply was disliked: the organic reasons of BlenderBot 3x's deployment (off-topic,
 * nonsensical, rude, spam-like, other) plus "repeating", one of its crowdworker labels.
 */
export const DISLIKE_REASONS = ['off-topic', 'nonsensical', 'rude', 'spam', 'repeating', 'other'] as const;

export type DislikeReason = (typeof DISLIKE_REASONS)[number];

export const DISLIKE_REASON_LABELS: Readonly<Record<DislikeReason, string>> = {
  'off-topic': 'Off-topic / ignoring me',
  nonsensical: 'Nonsensical / incorrect',
  rude: 'Rude / inappropriate',
  spam: 'Looks like spam',
  repeating: 'Repeating itself',
  other: 'Other',
};

/** The `dislike_type` string a BB3x-shaped export writes for each reason. */
export const BB3X_DISLIKE_TYPES: Readonly<Record<DislikeReason, string>> = {
  'off-topic': 'off_topic',
  nonsensical: 'nonsensical',
  rude: 'rude',
  spam: 'spam',
  repeating: 'repetitive',
  other: 'other',
};

export function isDislikeReason(value: unknown): value is DislikeReason {
  return typeof value === 'string' && (DISLIKE_REASONS as readonly string[]).includes(value);
}

/** `reasons` without duplicates, in taxonomy order. */
export function normalizeReasons(reasons: readonly DislikeReason[]): DislikeReason[] {
  return DISLIKE_REASONS.filter((reason) => reasons.includes(reason));
}
