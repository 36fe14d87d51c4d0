/**
 * The personal generation adapter's data (issue 18; DESIGN §5b), as the app, the dialogue worker
 * and the learning worker pass it around and IndexedDB stores it, plus the learning worker's
 * messages. Plain data with typed arrays: structured-clone safe. The maths lives in
 * `workers/learning/`; the JSON form for backups in `adapter-codec.ts`.
 */

/** Format version of `LogitAdapterState`; bumped when its shape changes. */
export const ADAPTER_VERSION = 1;

export interface AdapterShape {
  vocabSize: number;
  /** Size of the context feature vector f (see `workers/learning/context-features.ts`). */
  featureDim: number;
  rank: number;
}

/** bias(context) = b + U · (Vᵀ · f̂); see `workers/learning/logit-adapter.ts`. */
export interface LogitAdapterState extends AdapterShape {
  version: typeof ADAPTER_VERSION;
  /** The chat model the logits come from; token ids mean nothing for another model. */
  modelId: string;
  /** Seed of V's initial values: training restarts from them, and weight decay pulls V back to them. */
  seed: number;
  /** b, one per token. */
  bias: Float32Array;
  /** U, vocabSize × rank, row-major (token t's row starts at t·rank). */
  u: Float32Array;
  /** V, featureDim × rank, row-major (feature j's row starts at j·rank). */
  v: Float32Array;
  /** Training runs so far. */
  trainingCount: number;
  /** Rated replies the latest training run learned from. */
  exampleCount: number;
  updatedAt: number;
}

/** Per reply position t, the frozen model's logits that predicted `targets[t]` (see `sparse-logits.ts`). */
export interface ReplyLogits {
  /** Top tokens kept per position (the row stride of `topIds` and `topLogits`). */
  k: number;
  /** The reply's token ids, T of them. */
  targets: Int32Array;
  /** T × k: at each position the ids of the k largest logits, distinct, largest first. */
  topIds: Int32Array;
  /** T × k: their frozen logits. */
  topLogits: Float32Array;
  /** T: the target's frozen logit (also when it is among the top k). */
  targetLogits: Float32Array;
  /** T: log Σ exp(logit) over the tokens neither in the top k nor the target; −Infinity if none. */
  restLogSumExp: Float32Array;
}

/** One rated reply as the adapter learns from it. */
export interface RatedReply {
  /** The example's id: a changed rating replaces the example, a withdrawn one drops it. */
  id: string;
  /** Liked replies and "what it should have said" are positive; disliked replies negative. */
  positive: boolean;
  /** How much it counts (see `ratingWeight` in `cringe-loss.ts`). */
  weight: number;
  /** The context's features, the same vector the adapter is given at generation time. */
  features: Float32Array;
  logits: ReplyLogits;
}

/** A rating as the dialogue worker turns it into a `RatedReply` (when idle). */
export interface RatedReplyRequest {
  /** The example's id (`RatedReply.id`). */
  exampleId: string;
  /** Liked, or "what it should have said". */
  positive: boolean;
  /**
   * Where the reply's generation would have been cut: its maxNewTokens, or 0 when it was stopped
   * before the end. A liked reply that reached the limit was cut, not ended, so the end-of-turn
   * token is learned after it only when it is shorter (see `rated-reply-logits.ts`). Null: the text
   * ends where its author meant it to (what it should have said).
   */
  cutAtTokens: number | null;
  /** The temperature the rated reply was sampled at (0: greedy); see `rated-reply-logits.ts`. */
  temperature: number;
  /** Dislike reasons (they weigh a thumbs-down more). */
  reasons: string[];
  systemPrompt: string;
  /** The conversation up to the rated reply (system prompt excluded). */
  turns: import('./protocol').ChatTurn[];
  reply: string;
}

/** What the dialogue worker computes for one rated reply. */
export interface RatedReplyLogits {
  logits: ReplyLogits;
  features: Float32Array;
  /** The model's vocabulary (the logits' width): a fresh adapter is made this wide. */
  vocabSize: number;
}

/**
 * How much the adapter moved one reply: the geometric mean probability the sampling distribution
 * gave the reply's tokens with the adapter and without it (same step, same earlier tokens).
 */
export interface AdapterEffect {
  /** Rated replies the adapter had learned from. */
  ratings: number;
  tokens: number;
  meanProbWith: number;
  meanProbWithout: number;
}

export type LearningRequest = {
  type: 'train';
  id: string;
  /** The adapter to retrain (its identity and seed; training starts from fresh), or null for a new one. */
  base: LogitAdapterState | null;
  /** The chat model and its logits' width: a base for another model or width is replaced by a new adapter. */
  modelId: string;
  vocabSize: number;
  examples: RatedReply[];
};

export type LearningEvent =
  | { type: 'trained'; id: string; adapter: LogitAdapterState; steps: number; ms: number }
  | { type: 'error'; id: string; kind: import('./protocol').ErrorKind; message: string };
