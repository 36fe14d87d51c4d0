/**
 * Records of every store with every field set, as the app writes them. Typed `Required<…>`, so a
 * field added to a record type does not type-check here until it is added — and then the
 * round-trip test fails until the backup import's checks keep it too.
 */
import type { ReplyMetrics, SamplingSettings } from '../../workers/shared/protocol';
import type { PersonalHeadState } from '../../workers/shared/reward-protocol';
import type { DonationRecord } from '../../src/donation/donation-store-api';
import type { MessageFeedback } from '../../src/feedback/types';
import type { CatalogEntry } from '../../src/inference/model-catalog';
import type { ModelLibrary } from '../../src/inference/model-library';
import type { Conversation, StoredMessage } from '../../src/storage/schema';
import type { AppSettings } from '../../src/storage/settings';
import type { StoredAdapterExample } from '../../src/storage/schema';
import { adapterToJson, ratedReplyToJson } from '../../workers/shared/adapter-codec';
import { ADAPTER_VERSION } from '../../workers/shared/learning-protocol';

/** A small trained-looking adapter (3 tokens, rank 2, 2 features) in its stored JSON form. */
export const ADAPTER_JSON = adapterToJson({
  version: ADAPTER_VERSION, modelId: 'demo-chat-tiny', vocabSize: 3, featureDim: 2, rank: 2, seed: 7,
  bias: Float32Array.of(0, -0.5, 0.25), u: Float32Array.of(0, 0, 0.1, -0.1, 0, 0.3), v: Float32Array.of(1, -1, 0.5, 2),
  trainingCount: 4, exampleCount: 2, updatedAt: 1_700_000_007_000,
});

export const ADAPTER_EXAMPLE: Required<StoredAdapterExample> = {
  key: 'demo-chat-tiny|m-all', modelId: 'demo-chat-tiny', messageId: 'm-all', createdAt: 1_700_000_008_000,
  example: ratedReplyToJson({
    id: 'm-all', positive: false, weight: 1.5, features: Float32Array.of(1, -1),
    logits: { k: 2, targets: Int32Array.of(1, 2), topIds: Int32Array.of(1, 0, 2, 1), topLogits: Float32Array.of(3, 2, 1.5, 1), targetLogits: Float32Array.of(3, 1.5), restLogSumExp: Float32Array.of(-Infinity, 0.5) },
  }),
};

export const SAMPLING: Required<SamplingSettings> = { temperature: 0.7, topP: 0.9, topK: 40, maxNewTokens: 128, repetitionPenalty: 1.1 };

export const METRICS: Required<ReplyMetrics> = {
  ttftMs: 120.5, decodeTokensPerSecond: 31.25, promptTokens: 40, prefillTokens: 12, newTokens: 9, totalMs: 410,
  backend: 'wasm', dtype: 'q8', droppedTurns: 0, candidateCount: 2, candidatesRequested: 4,
  adapter: { ratings: 12, tokens: 9, meanProbWith: 0.31, meanProbWithout: 0.24 },
};

export function conversation(id: string, changes: Partial<Conversation> = {}): Conversation {
  return { id, title: `Conversation ${id}`, createdAt: 1_700_000_000_000, updatedAt: 1_700_000_100_000, systemPrompt: '', currentLeafId: null, ...changes };
}

export function userMessage(id: string, conversationId: string, parentId: string | null, content: string, createdAt: number): StoredMessage {
  return { id, conversationId, parentId, role: 'user', content, createdAt, updatedAt: createdAt, status: 'complete' };
}

/** A reply with every optional field the app can write. */
export function fullReply(id: string, conversationId: string, parentId: string, content: string, createdAt: number): Required<StoredMessage> {
  return {
    id, conversationId, parentId, role: 'assistant', content, createdAt, updatedAt: createdAt + 5, status: 'complete',
    stopReason: 'user', error: 'none', modelId: 'demo-chat-tiny', backend: 'wasm', dtype: 'q8', sampling: { ...SAMPLING },
    metrics: { ...METRICS }, prompt: '<|user|>hi<|assistant|>', choiceReason: 'The higher reward of 2 candidates.',
    candidates: [
      { text: content, chosen: true, reward: { ok: 0.8, label: '__ok__', trainingCount: 3 }, safety: { unsafe: 0.01, label: 'unsafe', flagged: false } },
      { text: 'other', chosen: false, droppedFor: 'lower-reward', reward: { ok: 0.3, label: '__not_ok__', trainingCount: 3 } },
    ],
    reward: { ok: 0.8, label: '__ok__', trainingCount: 3, parts: { community: 1.1, personal: 0.29, communityVersion: 2 } }, safety: { unsafe: 0.01, label: 'unsafe', flagged: false },
    isSafetyControlledResponse: false, safetyNote: 'checked',
  };
}

export const EVERY_FIELD = {
  conversation: { ...conversation('c-all'), currentLeafId: 'm-all', deletedAt: 1_700_000_200_000 } satisfies Required<Conversation>,
  message: fullReply('m-all', 'c-all', 'u-all', 'Hello **there**', 1_700_000_000_500),
  feedback: {
    messageId: 'm-all', conversationId: 'c-all', rating: 'down', reasons: ['rude', 'other'], comment: 'too curt', betterResponse: 'Hi!',
    createdAt: 1_700_000_001_000, updatedAt: 1_700_000_002_000, modelId: 'demo-chat-tiny', backend: 'wasm', dtype: 'q8', sampling: { ...SAMPLING },
  } satisfies Required<MessageFeedback>,
  head: {
    version: 1, encoderId: 'demo-encoder-tiny', featureSize: 3, weights: [0.1, -0.2, 0.3], bias: 0.05, trainingCount: 2,
    examples: [{ messageId: 'm-all', features: [1, 0, -1], liked: false, weight: 1.5 }], updatedAt: 1_700_000_003_000,
    prior: {
      format: 'community-reward-head', formatVersion: 1, version: 3, encoderId: 'demo-encoder-tiny', featureVersion: 1, featureSize: 3,
      weights: [0.5, 0, -0.5], bias: 0.1, mean: [0, 0.5, 1], invStd: [1, 2, 1], donors: 12, ratings: 340, minTrust: 0.5,
      createdAt: '2026-12-03T10:00:00.000Z', contentHash: 'a'.repeat(64),
    },
  } satisfies Required<PersonalHeadState>,
  donation: {
    bundleId: '0b7c3a52-3f43-4f7e-9a57-0d0f5b1f2a11', createdAt: 1_700_000_004_000, status: 'sent', body: '{"schemaVersion":1}',
    endpoint: 'https://collector.example.org', conversationCount: 1, messageCount: 2, withdrawalToken: 'abcDEF123_-xyz', attempts: 1,
    nextAttemptAt: 1_700_000_005_000, lastError: 'none', receipt: { receiptId: 'r-1', receivedAt: '2024-01-01T00:00:00.000Z' }, withdrawnAt: 1_700_000_006_000,
  } satisfies Required<DonationRecord>,
  appSettings: {
    backend: 'wasm', sampling: { ...SAMPLING }, systemPrompt: 'Be brief.', bestOfN: 2, safetyGate: { enabled: true, threshold: 0.4 },
    rewardModels: { encoderId: 'demo-encoder-tiny', safetyId: 'demo-safety-tiny' },
    dismissedModelNotes: ['demo'],
    modelTitles: true,
    learnFromFeedback: false,
  } satisfies Required<AppSettings>,
  models: {
    host: 'https://huggingface.co',
    active: {
      spec: { id: 'HuggingFaceTB/SmolLM2-360M-Instruct', dtypes: ['q4', 'q8'], contextWindow: 4096, local: false, host: 'https://huggingface.co' },
      label: 'SmolLM2', note: 'Small.', untrained: false, source: 'catalog', publishedSizes: { q4: 3e8 }, defaultSampling: { temperature: 0.2 },
    } satisfies Required<CatalogEntry>,
    added: [{ spec: { id: 'imported/my-model', dtypes: ['fp32'], contextWindow: 2048, local: true }, label: 'Mine', note: 'Imported.', untrained: true, source: 'folder' }],
  } satisfies Required<ModelLibrary>,
};
