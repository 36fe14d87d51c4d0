/**
 * Trust in donated feedback (BB3x: about 30% of organic conversations were adversarial or toxic,
 * and their feedback was low quality). A score from 0 to 1 per donor pseudonym and per bundle,
 * from four signals, each turned into a penalty from 0 (fine) to 1 (untrustworthy):
 *
 *   toxic        share of the donor's own turns the safety classifier flags:   10% → 0, 30% → 1
 *   repeated     share of their turns/comments pasted again verbatim:         20% → 0, 50% → 1
 *   disagreement how well a head trained on the *other* (trusted) donors predicts their ratings,
 *                as the mean probability it gives each of their ratings:     0.6 → 0, 0.4 → 1
 *                (a random rater sits at 0.5, one rating against the crowd below it)
 *   contradiction share of their ratings against the current community head where it is
 *                confident (P ≥ 0.8 or ≤ 0.2):                               20% → 0, 50% → 1
 *
 * trust = 1 − the largest penalty, so one clear signal is enough; a bundle's trust is its donor's,
 * lowered by the toxic share of the bundle's own turns. The training and the export skip bundles
 * under the threshold (0.5 by default) and say which signal did it.
 */
import type { CommunityRewardHead } from '../../workers/shared/community-artifact';
import { communityLogit } from '../../workers/shared/community-artifact';
import { fit, sigmoid, standardizer } from '../../workers/reward/personal-head';
import type { BundleEvidence, DonorEvidence, RatedReply } from './donor-evidence';

export const DEFAULT_MIN_TRUST = 0.5;

/** Where each penalty starts (0) and where it is full (1). */
export const TRUST_RULES = {
  toxic: { from: 0.1, to: 0.3 },
  repeated: { from: 0.2, to: 0.5 },
  agreement: { from: 0.6, to: 0.4 },
  contradiction: { from: 0.2, to: 0.5 },
  /** Fewer ratings than this say nothing about agreement or contradiction. */
  minRatings: 5,
  confident: 0.8,
} as const;

export interface TrustSignals {
  toxicShare: number;
  repeatedShare: number;
  /** NaN when the donor rated too few replies, or no other donor rated any. */
  agreement: number;
  /** NaN without a community head, or with too few confident cases. */
  contradiction: number;
}

export interface TrustVerdict {
  score: number;
  signals: TrustSignals;
  /** One sentence per penalty that counted, largest first. */
  reasons: string[];
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));
/** 0 at `from`, 1 at `to`, linear between (either direction). */
const ramp = (x: number, { from, to }: { from: number; to: number }) => (Number.isFinite(x) ? clamp01((x - from) / (to - from)) : 0);
const pct = (x: number) => `${Math.round(x * 100)}%`;

function verdict(signals: TrustSignals): TrustVerdict {
  const penalties: Array<[number, string]> = [
    [ramp(signals.toxicShare, TRUST_RULES.toxic), `${pct(signals.toxicShare)} of the donor's turns flagged unsafe (full penalty at ${pct(TRUST_RULES.toxic.to)})`],
    [ramp(signals.repeatedShare, TRUST_RULES.repeated), `${pct(signals.repeatedShare)} of the donor's texts pasted again (full penalty at ${pct(TRUST_RULES.repeated.to)})`],
    [
      ramp(signals.agreement, TRUST_RULES.agreement),
      `ratings disagree with the other donors (agreement ${signals.agreement.toFixed(2)}; full penalty at ${TRUST_RULES.agreement.to})`,
    ],
    [
      ramp(signals.contradiction, TRUST_RULES.contradiction),
      `${pct(signals.contradiction)} of confident ratings contradict the community head (full penalty at ${pct(TRUST_RULES.contradiction.to)})`,
    ],
  ];
  const counted = penalties.filter(([p]) => p > 0).sort((a, b) => b[0] - a[0]);
  return { score: 1 - (counted[0]?.[0] ?? 0), signals, reasons: counted.map(([p, why]) => `${why}: −${p.toFixed(2)}`) };
}

/** A head over some donors' ratings, in the personal head's code (standardized, L2, full batch). */
function crowdHead(ratings: readonly RatedReply[]): ((features: number[]) => number) | undefined {
  if (ratings.length === 0 || !ratings.some((r) => r.liked) || ratings.every((r) => r.liked)) return undefined;
  const featureSize = ratings[0]!.features.length;
  const examples = ratings.map((r, i) => ({ messageId: String(i), features: r.features, liked: r.liked, weight: r.weight }));
  const { weights, bias } = fit({ featureSize, examples, weights: new Array<number>(featureSize).fill(0), bias: 0, prior: null }, 200);
  const { mean, invStd } = standardizer(examples, featureSize);
  return (features) => sigmoid(communityLogit({ weights, bias, mean: Array.from(mean), invStd: Array.from(invStd), featureSize }, features));
}

function agreementWith(head: ((features: number[]) => number) | undefined, ratings: readonly RatedReply[]): number {
  if (!head || ratings.length < TRUST_RULES.minRatings) return NaN;
  return ratings.reduce((sum, r) => sum + (r.liked ? head(r.features) : 1 - head(r.features)), 0) / ratings.length;
}

function contradictionWith(head: CommunityRewardHead | null | undefined, ratings: readonly RatedReply[]): number {
  if (!head) return NaN;
  let confident = 0;
  let against = 0;
  for (const r of ratings) {
    const p = sigmoid(communityLogit(head, r.features));
    if (p >= TRUST_RULES.confident || p <= 1 - TRUST_RULES.confident) {
      confident++;
      if ((p >= TRUST_RULES.confident) !== r.liked) against++;
    }
  }
  return confident >= TRUST_RULES.minRatings ? against / confident : NaN;
}

/**
 * Scores every donor. Agreement is measured twice: first against a head of all other donors,
 * then against a head of the other donors the first pass trusted, so adversaries do not set the
 * standard they are measured by.
 */
export function scoreDonors(donors: readonly DonorEvidence[], options: { communityHead?: CommunityRewardHead | null; minTrust?: number } = {}): Map<string, TrustVerdict> {
  const minTrust = options.minTrust ?? DEFAULT_MIN_TRUST;
  const base = (d: DonorEvidence): Omit<TrustSignals, 'agreement'> => ({
    toxicShare: d.userTurns ? d.flaggedTurns / d.userTurns : 0,
    repeatedShare: d.texts ? d.repeatedTexts / d.texts : 0,
    contradiction: contradictionWith(options.communityHead, d.ratings),
  });
  const pass = (crowd: (d: DonorEvidence) => readonly DonorEvidence[]) =>
    new Map(donors.map((d) => [d.donor, verdict({ ...base(d), agreement: agreementWith(crowdHead(crowd(d).flatMap((o) => o.ratings)), d.ratings) })]));
  const first = pass((d) => donors.filter((o) => o !== d));
  return pass((d) => donors.filter((o) => o !== d && (first.get(o.donor)?.score ?? 0) >= minTrust));
}

/** A bundle's trust: its donor's, lowered when the bundle's own turns are flagged unsafe. */
export function bundleTrust(bundle: BundleEvidence, donor: TrustVerdict): TrustVerdict {
  const toxicShare = bundle.userTurns ? bundle.flaggedTurns / bundle.userTurns : 0;
  const own = ramp(toxicShare, TRUST_RULES.toxic);
  if (1 - own >= donor.score) return donor;
  return {
    score: 1 - own,
    signals: donor.signals,
    reasons: [`${pct(toxicShare)} of this bundle's turns flagged unsafe: −${own.toFixed(2)}`, ...donor.reasons],
  };
}
