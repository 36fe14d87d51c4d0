/**
 * The shape of every chat record the app stores (schema.ts, feedback/types.ts, the reward
 * head), as checks a backup's records must pass before they are written. Ranges are wide enough
 * for every value the app writes and narrow enough to keep out what would break the screen
 * (NaN, Infinity, negative counts, a wrong type).
 */
import type { Backend, Dtype, ReplyMetrics, SamplingSettings } from '../../workers/shared/protocol';
import { COMMUNITY_ARTIFACT_FORMAT, COMMUNITY_ARTIFACT_FORMAT_VERSION, type CommunityRewardHead } from '../../workers/shared/community-artifact';
import type { PersonalHeadState, RewardScore, SafetyScore } from '../../workers/shared/reward-protocol';
import { DISLIKE_REASONS } from '../feedback/taxonomy';
import type { MessageFeedback } from '../feedback/types';
import {
  boolean, count, id, list, MAX_SHORT_TEXT, nullable, number, object, oneOf, refine, share, text, time, type Check,
} from '../storage/field-checks';
import type { Conversation, ReplyCandidate, StoredMessage } from '../storage/schema';

export const BACKENDS: readonly Backend[] = ['webgpu', 'wasm'];
export const DTYPES: readonly Dtype[] = ['fp32', 'fp16', 'q8', 'q4', 'q4f16'];

export const backend = oneOf(BACKENDS);
export const dtype = oneOf(DTYPES);
export const shortText = text(MAX_SHORT_TEXT);
export const longText = text();

/** Sampling as the settings and each reply record it; every field optional where the settings merge over defaults. */
const samplingFields = {
  temperature: number(0, 10),
  topP: number(0, 1),
  topK: number(0, 1_000_000, { integer: true }),
  maxNewTokens: number(1, 1_000_000, { integer: true }),
  repetitionPenalty: number(0, 10),
};

export const sampling: Check<SamplingSettings> = object(samplingFields);
/** Settings merge this over the defaults, so an `undefined` field must fall back, not replace one. */
export const partialSampling: Check<Partial<SamplingSettings>> = object({}, samplingFields, { dropUndefined: true });

const durationMs = number(0, 1e12);

export const metrics: Check<ReplyMetrics> = object(
  {
    ttftMs: durationMs,
    decodeTokensPerSecond: number(0, 1e9),
    promptTokens: count,
    prefillTokens: count,
    newTokens: count,
    totalMs: durationMs,
    backend,
    dtype,
    droppedTurns: count,
  },
  {
    candidateCount: number(1, 1_000, { integer: true }),
    candidatesRequested: number(1, 1_000, { integer: true }),
    adapter: object({ ratings: count, tokens: count, meanProbWith: share, meanProbWithout: share }),
  },
);

export const rewardScore: Check<RewardScore> = object(
  { ok: share, label: oneOf(['__ok__', '__not_ok__'] as const), trainingCount: count },
  { parts: object({ community: number(-1e6, 1e6), personal: number(-1e6, 1e6), communityVersion: count }) },
);

export const safetyScore: Check<SafetyScore> = object({ unsafe: share, label: shortText, flagged: boolean });

const candidate: Check<ReplyCandidate> = object(
  { text: longText, chosen: boolean },
  { safety: safetyScore, reward: rewardScore, droppedFor: oneOf(['unsafe', 'lower-reward'] as const) },
);

export const conversation: Check<Conversation> = object(
  { id, title: shortText, createdAt: time, updatedAt: time, systemPrompt: longText, currentLeafId: nullable(id) },
  { deletedAt: time },
);

export const message: Check<StoredMessage> = refine(
  object(
    {
      id,
      conversationId: id,
      parentId: nullable(id),
      role: oneOf(['user', 'assistant'] as const),
      content: longText,
      createdAt: time,
      updatedAt: time,
      status: oneOf(['complete', 'partial', 'error'] as const),
    },
    {
      stopReason: oneOf(['user', 'interrupted'] as const),
      error: longText,
      modelId: shortText,
      backend,
      dtype,
      sampling,
      metrics,
      prompt: longText,
      candidates: list(candidate, 64),
      choiceReason: longText,
      reward: rewardScore,
      safety: safetyScore,
      isSafetyControlledResponse: boolean,
      safetyNote: longText,
    },
  ),
  // A message that follows itself would loop every walk up its thread.
  (m) => (m.parentId === m.id ? { field: 'parentId', expected: 'another message\'s id (it names the message itself)' } : null),
);

export const feedback: Check<MessageFeedback> = object(
  {
    messageId: id,
    conversationId: id,
    rating: oneOf(['up', 'down'] as const),
    reasons: list(oneOf(DISLIKE_REASONS), DISLIKE_REASONS.length),
    comment: longText,
    betterResponse: longText,
    createdAt: time,
    updatedAt: time,
  },
  { modelId: shortText, backend, dtype, sampling },
);

/** Encoders give a few hundred to a few thousand features; the cap keeps a file from asking for gigabytes. */
const MAX_FEATURES = 16_384;
const MAX_EXAMPLES = 100_000;
const weight = number(-1e6, 1e6);

const communityHead: Check<CommunityRewardHead> = object({
  format: oneOf([COMMUNITY_ARTIFACT_FORMAT] as const),
  formatVersion: oneOf([COMMUNITY_ARTIFACT_FORMAT_VERSION] as const),
  version: count,
  encoderId: shortText,
  featureVersion: count,
  featureSize: number(1, MAX_FEATURES, { integer: true }),
  weights: list(weight, MAX_FEATURES),
  bias: weight,
  mean: list(weight, MAX_FEATURES),
  invStd: list(weight, MAX_FEATURES),
  donors: count,
  ratings: count,
  minTrust: number(0, 1),
  createdAt: shortText,
  contentHash: shortText,
});

export const personalHead: Check<PersonalHeadState> = refine(
  object({
    version: oneOf([1] as const),
    encoderId: shortText,
    featureSize: number(1, MAX_FEATURES, { integer: true }),
    weights: list(weight, MAX_FEATURES),
    bias: weight,
    trainingCount: count,
    examples: list(object({ messageId: id, features: list(weight, MAX_FEATURES), liked: boolean, weight: number(0, 1e6) }), MAX_EXAMPLES),
    updatedAt: time,
  },
  // The adopted community head travels with the personal one; the worker checks it fits the encoder.
  { prior: nullable(communityHead) }),
  (head) => {
    if (head.weights.length !== head.featureSize) return { field: 'weights', expected: `a list of featureSize (${head.featureSize}) numbers` };
    const wrong = head.examples.findIndex((e) => e.features.length !== head.featureSize);
    return wrong < 0 ? null : { field: `examples[${wrong}].features`, expected: `a list of featureSize (${head.featureSize}) numbers` };
  },
);
