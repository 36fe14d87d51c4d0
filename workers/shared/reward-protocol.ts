/**
 * Messages between the app (main thread) and the reward worker (DESIGN §5). Like the dialogue
 * protocol, every request carries an id and the worker answers with events for that id. This
 * file imports only the dialogue protocol's plain types.
 */
import type { CommunityRewardHead } from './community-artifact';
import type { Backend, BackendPreference, ChatTurn, Dtype, ErrorKind, LoadProgress } from './protocol';

/** A sentence encoder or a safety classifier the reward worker loads through transformers.js. */
export interface RewardModelSpec {
  /** Hub repo id, or the folder name under the app's `/models/` path. */
  id: string;
  dtypes: Dtype[];
  local: boolean;
  host?: string;
  /**
   * Safety classifiers only: the labels that mean "unsafe". A text's unsafe score is the highest
   * probability among them (e.g. ['unsafe'] for the demo stand-in; toxic-bert's six labels).
   */
  unsafeLabels?: string[];
  /** Safety classifiers only: true when labels are independent (sigmoid), as in toxic-bert. */
  multiLabel?: boolean;
}

/** Safety verdict on one text. */
export interface SafetyScore {
  /** Highest probability among the classifier's unsafe labels, 0..1. */
  unsafe: number;
  /** The label that gave it. */
  label: string;
  /** unsafe >= the threshold asked for. */
  flagged: boolean;
}

/** The personal reward head's verdict on one reply, BB3x-style. */
export interface RewardScore {
  /** P(__ok__), 0..1. 0.5 from an untrained head. */
  ok: number;
  label: '__ok__' | '__not_ok__';
  /** How many rating updates the head had seen when it scored (0: untrained). */
  trainingCount: number;
  /**
   * With an adopted community head: the logit's two parts (their sum is the score's logit) and
   * the community head's version, so "Look inside" can say whose preference decided.
   */
  parts?: { community: number; personal: number; communityVersion: number };
}

/** One rated reply, as the head learns from it. */
export interface TrainingExample {
  /** The rated reply's message id: a re-rating replaces the earlier example. */
  messageId: string;
  /** The conversation up to the reply (system prompt excluded). */
  context: ChatTurn[];
  reply: string;
  /** true: thumbs-up; false: thumbs-down. */
  liked: boolean;
  /** Dislike reasons given (they weigh a thumbs-down more). */
  reasons: string[];
}

/**
 * Everything the personal head is, stored in IndexedDB (`personalModel` store) and handed back
 * to the worker at start-up. Plain data (structured-clone safe).
 */
export interface PersonalHeadState {
  /** Format version of this record; bumped when its shape changes. */
  version: 1;
  /** The encoder whose embeddings the features come from; a head is useless with another one. */
  encoderId: string;
  featureSize: number;
  weights: number[];
  bias: number;
  /** Rating updates trained on so far (each train request counts one). */
  trainingCount: number;
  /** Features of every example kept, so a changed or removed rating retrains correctly. */
  examples: Array<{ messageId: string; features: number[]; liked: boolean; weight: number }>;
  updatedAt: number;
  /**
   * The community head this one starts from, when the user adopted it: the head's logit is the
   * community's plus this head's own (weights and bias above), which learns the user's difference.
   * Absent or null: the head learns from the user's ratings alone.
   */
  prior?: CommunityRewardHead | null;
}

export type RewardRequest =
  | { type: 'load'; id: string; encoder: RewardModelSpec; safety: RewardModelSpec; backend: BackendPreference; head: PersonalHeadState | null }
  /** Safety of each text (user turns and candidate replies alike). */
  | { type: 'classify'; id: string; texts: string[]; threshold: number }
  /** Reward of each candidate reply to the same context. */
  | { type: 'score'; id: string; context: ChatTurn[]; replies: string[] }
  /** Learns from one new or changed rating; answers with the new head state to store. */
  | { type: 'train'; id: string; example: TrainingExample }
  /** Forgets a rating that was taken back; answers with the new head state. */
  | { type: 'forget'; id: string; messageId: string }
  /** Starts the head over: no ratings; the community prior kept or dropped as asked. */
  | { type: 'reset-head'; id: string; keepPrior?: boolean }
  /** Starts from this community head (or from none), keeping the user's ratings on top of it. */
  | { type: 'set-prior'; id: string; prior: CommunityRewardHead | null }
  /**
   * Takes this head instead of the one it holds (a restored backup's, read from IndexedDB); a head
   * for another encoder, or none, gives a fresh one. Answers with the head it uses now.
   */
  | { type: 'use-head'; id: string; head: PersonalHeadState | null };

export type RewardEvent =
  | { type: 'progress'; id: string; progress: LoadProgress }
  | { type: 'ready'; id: string; backend: Backend; encoderDtype: Dtype; safetyDtype: Dtype; head: PersonalHeadState }
  | { type: 'classified'; id: string; scores: SafetyScore[] }
  | { type: 'scored'; id: string; scores: RewardScore[] }
  | { type: 'head'; id: string; head: PersonalHeadState }
  | { type: 'error'; id: string; kind: ErrorKind; message: string };
