/**
 * The community reward head as published by the collector (`npm run collector:train`) and adopted
 * by apps as the prior of their personal head (DESIGN §5, "the community loop"). Plain data; this
 * module holds its type, its content hash and the checks an app runs before trusting a download.
 *
 * What it contains: a logistic head over the reward encoder's features (weights, bias, and the
 * standardizer it was trained with), which encoder and feature recipe it needs, and how many
 * donors and ratings it came from. No text, no ids, no per-donor numbers.
 */

import type { AdapterJson } from './adapter-codec';

export const COMMUNITY_ARTIFACT_FORMAT = 'community-reward-head';

/**
 * The reward features' recipe (workers/reward/features.ts), as a number: bumped when it changes,
 * since a community head trained on other features cannot be a prior.
 */
export const REWARD_FEATURE_VERSION = 1;
export const COMMUNITY_ARTIFACT_FORMAT_VERSION = 1;

export interface CommunityRewardHead {
  format: typeof COMMUNITY_ARTIFACT_FORMAT;
  formatVersion: typeof COMMUNITY_ARTIFACT_FORMAT_VERSION;
  /** Increases with each publication: 1, 2, 3… */
  version: number;
  /** The encoder whose features it reads; useless with another one. */
  encoderId: string;
  /** The feature recipe (workers/reward/features.ts FEATURE_VERSION). */
  featureVersion: number;
  featureSize: number;
  weights: number[];
  bias: number;
  /** The standardizer of the training features: x̃ = (x − mean) · invStd. */
  mean: number[];
  invStd: number[];
  /** Distinct donor pseudonyms and rated replies it was trained on (after the trust filter). */
  donors: number;
  ratings: number;
  /** The trust threshold the training used. */
  minTrust: number;
  createdAt: string;
  /** SHA-256 (hex) of `hashInput(artifact)`: what an app checks after download. */
  contentHash: string;
}

export type CommunityHeadBody = Omit<CommunityRewardHead, 'contentHash'>;

/** The canonical text the hash covers: every field but the hash, in a fixed order. */
export function hashInput(body: CommunityHeadBody): string {
  return JSON.stringify([
    body.format,
    body.formatVersion,
    body.version,
    body.encoderId,
    body.featureVersion,
    body.featureSize,
    body.weights,
    body.bias,
    body.mean,
    body.invStd,
    body.donors,
    body.ratings,
    body.minTrust,
    body.createdAt,
  ]);
}

/** SHA-256 hex of the canonical text (Web Crypto: the same in a worker, a page and Node). */
export async function contentHashOf(body: CommunityHeadBody): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(hashInput(body)));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function sealArtifact(body: CommunityHeadBody): Promise<CommunityRewardHead> {
  return { ...body, contentHash: await contentHashOf(body) };
}

const finiteNumbers = (value: unknown, length: number): value is number[] =>
  Array.isArray(value) && value.length === length && value.every((v) => typeof v === 'number' && Number.isFinite(v));

/**
 * Checks a downloaded artifact: its shape, that it fits the loaded encoder, and its hash. Returns
 * the artifact, or a sentence saying what is wrong (shown to the user).
 */
export async function checkArtifact(
  value: unknown,
  expected: { encoderId: string; featureSize: number; featureVersion: number },
): Promise<{ ok: true; artifact: CommunityRewardHead } | { ok: false; problem: string }> {
  if (typeof value !== 'object' || value === null) return { ok: false, problem: 'The download is not a community model.' };
  const a = value as Partial<CommunityRewardHead>;
  if (a.format !== COMMUNITY_ARTIFACT_FORMAT || a.formatVersion !== COMMUNITY_ARTIFACT_FORMAT_VERSION) {
    return { ok: false, problem: 'The download is not a community model this app can read.' };
  }
  if (a.encoderId !== expected.encoderId || a.featureVersion !== expected.featureVersion || a.featureSize !== expected.featureSize) {
    return { ok: false, problem: `The community model was trained for the encoder ${String(a.encoderId)}; this app uses ${expected.encoderId}.` };
  }
  const size = expected.featureSize;
  if (
    !finiteNumbers(a.weights, size) ||
    !finiteNumbers(a.mean, size) ||
    !finiteNumbers(a.invStd, size) ||
    typeof a.bias !== 'number' ||
    !Number.isFinite(a.bias) ||
    !Number.isInteger(a.version) ||
    !Number.isInteger(a.donors) ||
    !Number.isInteger(a.ratings) ||
    typeof a.minTrust !== 'number' ||
    typeof a.createdAt !== 'string' ||
    typeof a.contentHash !== 'string'
  ) {
    return { ok: false, problem: 'The community model is damaged (a field is missing or not a number).' };
  }
  const artifact = a as CommunityRewardHead;
  const { contentHash, ...body } = artifact;
  if ((await contentHashOf(body)) !== contentHash) return { ok: false, problem: 'The community model does not match its checksum; it was not used.' };
  return { ok: true, artifact };
}

/** The community head's logit for one feature vector (0 contribution means "no opinion"). */
export function communityLogit(head: Pick<CommunityRewardHead, 'weights' | 'bias' | 'mean' | 'invStd' | 'featureSize'>, features: ArrayLike<number>): number {
  let z = head.bias;
  for (let j = 0; j < head.featureSize; j++) z += head.weights[j]! * (features[j]! - head.mean[j]!) * head.invStd[j]!;
  return z;
}

// ——— The community generation adapter ———

export const COMMUNITY_ADAPTER_FORMAT = 'community-generation-adapter';

/**
 * The community version of the personal generation adapter (issue 18's logit adapter), trained by
 * `collector:train` on the trusted donated ratings of replies from one chat model. The adapter is
 * in the codec's JSON form (`adapter-codec.ts`): sparse, exact float32 bytes. Token ids mean
 * nothing for another model, so it names the model, and an app checks that before use.
 */
export interface CommunityAdapter {
  format: typeof COMMUNITY_ADAPTER_FORMAT;
  formatVersion: 1;
  version: number;
  modelId: string;
  vocabSize: number;
  adapter: AdapterJson;
  donors: number;
  /** Rated replies (and "what it should have said" texts) it learned from. */
  ratings: number;
  minTrust: number;
  createdAt: string;
  contentHash: string;
}

export type CommunityAdapterBody = Omit<CommunityAdapter, 'contentHash'>;

async function sha256Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

function adapterHashInput(body: CommunityAdapterBody): string {
  return JSON.stringify([body.format, body.formatVersion, body.version, body.modelId, body.vocabSize, body.adapter, body.donors, body.ratings, body.minTrust, body.createdAt]);
}

export async function sealAdapter(body: CommunityAdapterBody): Promise<CommunityAdapter> {
  return { ...body, contentHash: await sha256Hex(adapterHashInput(body)) };
}

/** Checks a downloaded community adapter: its format, its model, and its hash. */
export async function checkCommunityAdapter(
  value: unknown,
  expected: { modelId: string; vocabSize: number },
): Promise<{ ok: true; artifact: CommunityAdapter } | { ok: false; problem: string }> {
  const a = value as Partial<CommunityAdapter> | null;
  if (typeof a !== 'object' || a === null || a.format !== COMMUNITY_ADAPTER_FORMAT || a.formatVersion !== 1 || typeof a.adapter !== 'object') {
    return { ok: false, problem: 'The download is not a community adapter this app can read.' };
  }
  if (a.modelId !== expected.modelId || a.vocabSize !== expected.vocabSize) {
    return { ok: false, problem: `The community adapter was trained for ${String(a.modelId)}; this chat model is ${expected.modelId}.` };
  }
  const { contentHash, ...body } = a as CommunityAdapter;
  if ((await sha256Hex(adapterHashInput(body))) !== contentHash) return { ok: false, problem: 'The community adapter does not match its checksum; it was not used.' };
  return { ok: true, artifact: a as CommunityAdapter };
}
