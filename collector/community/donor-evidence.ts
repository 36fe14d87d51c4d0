/**
 * What the trust score reads from the stored bundles, per donor pseudonym: their own turns (to
 * count the ones the safety classifier flags and the ones pasted again and again) and their rated
 * replies (features from the reward encoder, through the same code as the app's reward worker).
 */
import type { DonationBundle } from '../../src/donation/bundle-types';
import type { ChatTurn } from '../../workers/shared/protocol';
import { replyFeatures, type EncodeTokens } from '../../workers/reward/features';
import { exampleWeight } from '../../workers/reward/personal-head';

export interface RatedReply {
  bundleId: string;
  features: number[];
  liked: boolean;
  /** How much the rating counts in training (a thumbs-down with reasons counts more, as in the app). */
  weight: number;
}

export interface BundleEvidence {
  bundleId: string;
  donor: string;
  userTurns: number;
  flaggedTurns: number;
  ratings: RatedReply[];
}

export interface DonorEvidence {
  donor: string;
  bundles: BundleEvidence[];
  userTurns: number;
  flaggedTurns: number;
  /** The donor's turns and comments that repeat one of their earlier ones verbatim (case and spacing aside). */
  repeatedTexts: number;
  texts: number;
  ratings: RatedReply[];
}

/** Says which texts the safety classifier flags (the app's classifier, on onnxruntime-node here). */
export type FlagTexts = (texts: string[]) => Promise<boolean[]>;

interface RatedTurn {
  context: ChatTurn[];
  reply: string;
  liked: boolean;
  reasons: string[];
}

function ratedTurns(bundle: DonationBundle): RatedTurn[] {
  const out: RatedTurn[] = [];
  for (const conversation of bundle.conversations) {
    const context: ChatTurn[] = [];
    for (const message of conversation.messages) {
      if (message.role === 'assistant' && message.feedback) {
        out.push({ context: [...context], reply: message.text, liked: message.feedback.rating === 'up', reasons: message.feedback.reasons });
      }
      context.push({ role: message.role, content: message.text });
    }
  }
  return out;
}

function userTexts(bundle: DonationBundle): string[] {
  return bundle.conversations.flatMap((c) => c.messages.filter((m) => m.role === 'user').map((m) => m.text));
}

/** What the donor wrote themselves: their turns and their comments on replies. */
function ownTexts(bundle: DonationBundle): string[] {
  const comments = bundle.conversations.flatMap((c) => c.messages.flatMap((m) => (m.feedback?.comment ? [m.feedback.comment] : [])));
  return [...userTexts(bundle), ...comments];
}

const normalise = (text: string) => text.trim().toLowerCase().replace(/\s+/g, ' ');

export async function bundleEvidence(bundle: DonationBundle, encode: EncodeTokens, flag: FlagTexts): Promise<BundleEvidence> {
  const turns = userTexts(bundle);
  const flags = turns.length > 0 ? await flag(turns) : [];
  const ratings: RatedReply[] = [];
  for (const turn of ratedTurns(bundle)) {
    const [features] = await replyFeatures(encode, turn.context, [turn.reply]);
    ratings.push({ bundleId: bundle.bundleId, features: features!, liked: turn.liked, weight: exampleWeight(turn) });
  }
  return { bundleId: bundle.bundleId, donor: bundle.donor, userTurns: turns.length, flaggedTurns: flags.filter(Boolean).length, ratings };
}

/** Groups bundles by donor pseudonym and counts the donor's repeated texts across their bundles. */
export function donorEvidence(bundles: readonly DonationBundle[], evidence: readonly BundleEvidence[]): DonorEvidence[] {
  const byDonor = new Map<string, DonorEvidence>();
  const seen = new Map<string, Set<string>>();
  bundles.forEach((bundle, i) => {
    const e = evidence[i]!;
    let donor = byDonor.get(bundle.donor);
    if (!donor) {
      donor = { donor: bundle.donor, bundles: [], userTurns: 0, flaggedTurns: 0, repeatedTexts: 0, texts: 0, ratings: [] };
      byDonor.set(bundle.donor, donor);
      seen.set(bundle.donor, new Set());
    }
    donor.bundles.push(e);
    donor.userTurns += e.userTurns;
    donor.flaggedTurns += e.flaggedTurns;
    donor.ratings.push(...e.ratings);
    const texts = seen.get(bundle.donor)!;
    for (const text of ownTexts(bundle).map(normalise).filter((t) => t !== '')) {
      donor.texts++;
      if (texts.has(text)) donor.repeatedTexts++;
      else texts.add(text);
    }
  });
  return [...byDonor.values()];
}
