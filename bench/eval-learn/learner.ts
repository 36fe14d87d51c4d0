/**
 * The app's learning side for one simulated user, as `npm run eval:learn` runs it: a reply is
 * sampled from the model with the current adapter for a training prompt, the simulated user rates
 * it (or not), and a rating becomes a `RatedReply` (the frozen model's sparse logits along it,
 * `ratedReplyLogits`) for the adapter and a feature vector for the personal reward head. The head
 * retrains on every rating (as the reward worker does); the adapter every `trainEvery` ratings
 * (every one by default, as the learning worker does), always from fresh on all the ratings.
 * A thumbs-down on an empty reply is a rating the head learns from but the adapter cannot
 * (`ratedReplyLogits` has no token to learn from; the app is in the same position).
 *
 * Three experiments, off by default: `positiveStop: false` learns positives without the
 * end-of-turn token after them; `stopInRows` packs rated replies with the end-of-turn token kept
 * in every row, and `rowsK` with more kept tokens per row (`full-logits.ts`), so that the loss's
 * normaliser sees more of what the adapter's bias does. And a control, `placeboDown`: the user's
 * thumbs are random, so whatever the held-out rates then do is not learning the preference.
 */
import type { DialogueModel } from '../../workers/dialogue/dialogue-model';
import { trainOn, type TrainOptions, type TrainResult } from '../../workers/learning/adapter-trainer';
import { CONTEXT_FEATURE_DIM } from '../../workers/learning/context-features';
import { ratingWeight } from '../../workers/learning/cringe-loss';
import { createAdapter, DEFAULT_RANK, type LogitAdapterState } from '../../workers/learning/logit-adapter';
import { replyFeatures, type EncodeTokens } from '../../workers/reward/features';
import { emptyHead, exampleWeight, trainHead } from '../../workers/reward/personal-head';
import type { RatedReply } from '../../workers/shared/learning-protocol';
import type { ChatTurn, SamplingSettings } from '../../workers/shared/protocol';
import type { PersonalHeadState } from '../../workers/shared/reward-protocol';
import { mulberry32 } from '../../workers/shared/seeded-random';
import type { FullLogits } from './full-logits';
import { rate, type Preference } from './preference';
import type { PhaseTimer } from './stats';

export interface LearnerOptions {
  model: DialogueModel;
  modelId: string;
  encode: EncodeTokens;
  encoderId: string;
  featureSize: number;
  preference: Preference;
  systemPrompt: string;
  sampling: SamplingSettings;
  seed: number;
  trainEvery: number;
  train: TrainOptions;
  timer: PhaseTimer;
  full: FullLogits;
  positiveStop: boolean;
  stopInRows: boolean;
  /** Null: the app's LEARN_TOP_K, from `ratedReplyLogits`. */
  rowsK: number | null;
  /** Placebo: thumbs drawn at random (this share down), ignoring the reply and the preference. */
  placeboDown: number | null;
}

export class Learner {
  readonly examples: RatedReply[] = [];
  /** Every rating given, in order (for diagnostics). */
  readonly rated: { text: string; positive: boolean }[] = [];
  head: PersonalHeadState;
  /** The adapter as last trained (exampleCount 0 before the first rating: applies nothing). */
  adapter: LogitAdapterState;
  lastTrain: TrainResult | null = null;
  /** Replies sampled for rating, rated or not. */
  sampled = 0;
  private readonly fresh: LogitAdapterState;
  private readonly placebo: () => number;

  constructor(private readonly o: LearnerOptions) {
    this.fresh = createAdapter(o.modelId, o.model.vocabSize, CONTEXT_FEATURE_DIM, DEFAULT_RANK, o.seed);
    this.adapter = this.fresh;
    this.head = emptyHead(o.encoderId, o.featureSize);
    this.placebo = mulberry32(o.seed + 991);
  }

  get ratings(): number {
    return this.rated.length;
  }

  /**
   * Samples one reply to `prompt` with the current adapter and lets the user rate it. Returns
   * whether a rating was given. `mustTrain`: retrain the adapter after this rating regardless of
   * `trainEvery` (a checkpoint is next).
   */
  async offer(prompt: string, mustTrain: boolean): Promise<boolean> {
    const { model, timer } = this.o;
    const turns: ChatTurn[] = [{ role: 'user', content: prompt }];
    model.setAdapter(this.adapter);
    const reply = await timer.time('sample for rating', () =>
      model.generate({ conversationId: `rate-${this.sampled}`, systemPrompt: this.o.systemPrompt, turns, sampling: this.o.sampling }),
    );
    this.sampled += 1;
    const positive = this.o.placeboDown === null ? rate(this.o.preference, reply.text) : this.placebo() >= this.o.placeboDown;
    if (positive === null) return false;
    const id = `r${this.rated.length}`;
    this.rated.push({ text: reply.text, positive });
    // As the app: the end-of-turn token is learned after a liked reply only if the model ended it
    // (`learnsStop`); the experiment paths get the same rule from the generated token count.
    const includeStop = positive && this.o.positiveStop;
    const cutAtTokens = this.o.sampling.maxNewTokens;
    const endedItself = includeStop && reply.metrics.newTokens < cutAtTokens;
    const learnable = endedItself || reply.text.trim() !== '';
    if (learnable) {
      const rated = await timer.time('rated-reply logits', () =>
        this.o.stopInRows || this.o.rowsK !== null
          ? this.o.full.ratedForExperiment(this.o.systemPrompt, prompt, reply.text, endedItself, {
              k: this.o.rowsK ?? undefined,
              keepStop: this.o.stopInRows,
              temperature: this.o.sampling.temperature,
            })
          : model.ratedReplyLogits({ systemPrompt: this.o.systemPrompt, turns, reply: reply.text, includeStop, cutAtTokens, temperature: this.o.sampling.temperature }),
      );
      this.examples.push({ id, positive, weight: ratingWeight(positive), features: rated.features, logits: rated.logits });
    }
    const [features] = await timer.time('reward features', () => replyFeatures(this.o.encode, turns, [reply.text]));
    this.head = await timer.time('train reward head', () =>
      trainHead(this.head, { messageId: id, features: features!, liked: positive, weight: exampleWeight({ liked: positive, reasons: [] }) }),
    );
    const due = mustTrain || this.ratings % this.o.trainEvery === 0;
    if (due && this.examples.length !== this.adapter.exampleCount) {
      this.lastTrain = await timer.time('train adapter', () => trainOn(this.fresh, this.examples, this.o.train));
      this.adapter = this.lastTrain.state;
    }
    return true;
  }
}
