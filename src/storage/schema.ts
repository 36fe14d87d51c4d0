import type { DBSchema } from 'idb';
import type { Backend, Dtype, ReplyMetrics, SamplingSettings } from '../../workers/shared/protocol';
import type { MessageFeedback } from '../feedback/types';
import type { PersonalHeadState, RewardScore, SafetyScore } from '../../workers/shared/reward-protocol';
import type { DonationRecord } from '../donation/donation-store-api';
import type { AdapterJson, RatedReplyJson } from '../../workers/shared/adapter-codec';

/** One rated reply the generation adapter learns from, for one chat model (v6). */
export interface StoredAdapterExample {
  /** `${modelId}|${example id}`: text, as every key of the app's stores. */
  key: string;
  modelId: string;
  /** The rated reply's message id (an example of a "what it should have said" shares it). */
  messageId: string;
  createdAt: number;
  example: RatedReplyJson;
}

/** One of the N replies sampled for a turn (best-of-N), with what the reward worker said of it. */
export interface ReplyCandidate {
  text: string;
  /** Absent when the safety gate was off or the reward worker was unavailable. */
  safety?: SafetyScore;
  reward?: RewardScore;
  chosen: boolean;
  /** Why it was not shown: 'unsafe' (the gate dropped it) or 'lower-reward'. */
  droppedFor?: 'unsafe' | 'lower-reward';
}

export interface Conversation {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  systemPrompt: string;
  /** The last message of the thread the user is looking at (null before the first message). */
  currentLeafId: string | null;
  /**
   * Set when the user deleted the conversation: it is hidden at once and really deleted once the
   * undo window has passed, so a reload during that window cannot bring it back or leak it.
   */
  deletedAt?: number;
}

/**
 * `partial`: the reply did not finish — stopped by the user (`stopReason: 'user'`) or cut off
 * because the tab closed or the worker failed mid-stream (`stopReason: 'interrupted'`).
 * A streaming reply is written as `partial/interrupted` until it completes, so a closed tab
 * leaves exactly that behind.
 */
export type MessageStatus = 'complete' | 'partial' | 'error';

export interface StoredMessage {
  id: string;
  conversationId: string;
  /**
   * The message this one answers or follows; null for a conversation's first message. Messages
   * with the same parent are versions of one turn (a regenerated reply, an edited question).
   */
  parentId: string | null;
  role: 'user' | 'assistant';
  content: string;
  createdAt: number;
  updatedAt: number;
  status: MessageStatus;
  stopReason?: 'user' | 'interrupted';
  error?: string;
  modelId?: string;
  backend?: Backend;
  dtype?: Dtype;
  sampling?: SamplingSettings;
  metrics?: ReplyMetrics;
  /** The prompt exactly as the model saw it (for "look inside"). */
  prompt?: string;
  /** Every candidate sampled for this reply (best-of-N), the chosen one included. */
  candidates?: ReplyCandidate[];
  /** Why the shown reply was chosen, in words (for "look inside"). */
  choiceReason?: string;
  /** The reward head's verdict on the shown reply (BB3x `reward`). */
  reward?: RewardScore;
  /** The safety classifier's verdict on the shown reply, or on the user turn when that was flagged. */
  safety?: SafetyScore;
  /** The reply was replaced by a canned topic change because the user turn or the reply was flagged. */
  isSafetyControlledResponse?: boolean;
  /** What the safety gate flagged, in words, shown to the user next to a replaced reply. */
  safetyNote?: string;
}

export interface ChatDbSchema extends DBSchema {
  conversations: {
    key: string;
    value: Conversation;
    indexes: { byUpdatedAt: number };
  };
  messages: {
    key: string;
    value: StoredMessage;
    indexes: { byConversation: [string, number] };
  };
  settings: {
    key: string;
    value: unknown;
  };
  /** One record per rated bot reply, keyed by the reply's id (v3). */
  feedback: {
    key: string;
    value: MessageFeedback;
    indexes: { byConversation: string; byUpdatedAt: number };
  };
  /** The personal reward head, one record under the key 'head' (v4). */
  personalModel: {
    key: string;
    value: PersonalHeadState;
  };
  /** The donation outbox: confirmed bundles with their status, receipt and withdrawal token (v5). */
  donations: {
    key: string;
    value: DonationRecord;
    indexes: { byCreatedAt: number };
  };
  /** The personal generation adapter, one record per chat model, keyed by its id (v6; src/learning/adapter-storage.ts). */
  adapters: {
    key: string;
    value: AdapterJson;
  };
  /** What the adapter learns from: the frozen model's sparse logits along each rated reply (v6). */
  adapterExamples: {
    key: string;
    value: StoredAdapterExample;
    indexes: { byModel: string; byMessage: string };
  };
}

export const DB_NAME = 'feedback-chat';
export const DB_VERSION = 6;
