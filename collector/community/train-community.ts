/**
 * Community training: stored bundles → evidence per donor → trust → a community reward head
 * trained on the trusted bundles' ratings with the personal head's own code (`fit`), sealed as a
 * versioned artifact. The encoder and the safety classifier are handed in, so the command runs the
 * app's models on onnxruntime-node and the evaluation can run the same function.
 */
import { checkBundle } from '../../src/donation/validate-bundle';
import type { DonationBundle } from '../../src/donation/bundle-types';
import {
  COMMUNITY_ARTIFACT_FORMAT,
  COMMUNITY_ARTIFACT_FORMAT_VERSION,
  REWARD_FEATURE_VERSION,
  sealArtifact,
  type CommunityRewardHead,
} from '../../workers/shared/community-artifact';
import type { EncodeTokens } from '../../workers/reward/features';
import { fit, standardizer } from '../../workers/reward/personal-head';
import type { StoredBody } from '../store/donation-store';
import { bundleEvidence, donorEvidence, type FlagTexts } from './donor-evidence';
import { bundleTrust, DEFAULT_MIN_TRUST, scoreDonors, type TrustVerdict } from './trust';

/** Full-batch steps for the community head: many more ratings than a personal head, trained once. */
export const COMMUNITY_EPOCHS = 300;

export interface BundleTrustReport {
  bundleId: string;
  donor: string;
  trust: number;
  used: boolean;
  reasons: string[];
}

export interface CommunityTraining {
  /** Null when no trusted bundle holds both a liked and a disliked rating (nothing to learn). */
  artifact: CommunityRewardHead | null;
  bundles: BundleTrustReport[];
  donors: Map<string, TrustVerdict>;
  /** Stored rows that were not valid bundles any more (skipped, as the export skips them). */
  unreadable: string[];
  /** The bundles at or above the trust threshold (what the community adapter trains on too). */
  trusted: DonationBundle[];
}

export interface TrainOptions {
  encoderId: string;
  encode: EncodeTokens;
  flag: FlagTexts;
  minTrust?: number;
  /** The current community head: its contradictions are one trust signal, and the version follows it. */
  previous?: CommunityRewardHead | null;
  now?: Date;
}

export async function readBundles(bodies: AsyncIterable<StoredBody> | Iterable<StoredBody>): Promise<{ bundles: DonationBundle[]; unreadable: string[] }> {
  const bundles: DonationBundle[] = [];
  const unreadable: string[] = [];
  for await (const row of bodies) {
    let value: unknown;
    try {
      value = JSON.parse(row.body);
    } catch {
      unreadable.push(row.bundleId);
      continue;
    }
    const check = checkBundle(value, Number.POSITIVE_INFINITY);
    if (check.ok) bundles.push(check.bundle);
    else unreadable.push(row.bundleId);
  }
  return { bundles, unreadable };
}

export async function trainCommunity(bodies: AsyncIterable<StoredBody> | Iterable<StoredBody>, options: TrainOptions): Promise<CommunityTraining> {
  const minTrust = options.minTrust ?? DEFAULT_MIN_TRUST;
  const { bundles, unreadable } = await readBundles(bodies);
  const evidence = [];
  for (const bundle of bundles) evidence.push(await bundleEvidence(bundle, options.encode, options.flag));
  const donors = scoreDonors(donorEvidence(bundles, evidence), { communityHead: options.previous, minTrust });

  const reports: BundleTrustReport[] = evidence.map((e) => {
    const trust = bundleTrust(e, donors.get(e.donor)!);
    return { bundleId: e.bundleId, donor: e.donor, trust: trust.score, used: trust.score >= minTrust, reasons: trust.reasons };
  });
  const used = new Set(reports.filter((r) => r.used).map((r) => r.bundleId));
  const ratings = evidence.filter((e) => used.has(e.bundleId)).flatMap((e) => e.ratings);
  const result: CommunityTraining = { artifact: null, bundles: reports, donors, unreadable, trusted: bundles.filter((b) => used.has(b.bundleId)) };
  if (!ratings.some((r) => r.liked) || ratings.every((r) => r.liked)) return result;

  const featureSize = ratings[0]!.features.length;
  const examples = ratings.map((r, i) => ({ messageId: String(i), features: r.features, liked: r.liked, weight: r.weight }));
  const { weights, bias } = fit({ featureSize, examples, weights: new Array<number>(featureSize).fill(0), bias: 0, prior: null }, COMMUNITY_EPOCHS);
  const { mean, invStd } = standardizer(examples, featureSize);
  result.artifact = await sealArtifact({
    format: COMMUNITY_ARTIFACT_FORMAT,
    formatVersion: COMMUNITY_ARTIFACT_FORMAT_VERSION,
    version: (options.previous?.version ?? 0) + 1,
    encoderId: options.encoderId,
    featureVersion: REWARD_FEATURE_VERSION,
    featureSize,
    weights,
    bias,
    mean: Array.from(mean),
    invStd: Array.from(invStd),
    donors: new Set(evidence.filter((e) => used.has(e.bundleId) && e.ratings.length > 0).map((e) => e.donor)).size,
    ratings: ratings.length,
    minTrust,
    createdAt: (options.now ?? new Date()).toISOString(),
  });
  return result;
}
