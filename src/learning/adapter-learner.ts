/**
 * When and what the personal generation adapter learns (issue 18, DESIGN §5b). Plain TypeScript
 * with its clients injected, so the policy is unit-tested without workers or IndexedDB.
 *
 * - A rating becomes up to two examples: the rated reply (positive if liked, negative if
 *   disliked) and "what it should have said" (always positive). Their logits come from the
 *   dialogue worker, one forward pass each, only while no reply is being written: the learner
 *   stops as soon as one starts and is woken again when it ends (`wake`).
 * - After the examples of the waiting ratings are stored, the adapter is retrained from fresh on
 *   every stored example of the model (in the learning worker), stored, and handed to the
 *   dialogue worker. A rating taken back is deleted and the adapter retrained without it.
 * - Ratings wait in memory, newest wins per reply. A rating given while another model is loaded,
 *   or in a tab that does not hold the model, is not learned by this model's adapter (a different
 *   model starts a fresh adapter; see the issue).
 * - "Learn from my feedback" off: nothing is computed or trained, and no adapter is applied.
 */
import type { ChatTurn } from '../../workers/shared/protocol';
import type { LogitAdapterState, RatedReply, RatedReplyRequest } from '../../workers/shared/learning-protocol';
import type { TrainedAdapter } from './learning-client';

/** A rating to learn from, with the conversation it rated. */
export interface LearnJob {
  messageId: string;
  systemPrompt: string;
  /** The conversation up to the rated reply (system prompt excluded). */
  turns: ChatTurn[];
  reply: string;
  /** Where the reply would have been cut (`RatedReplyRequest.cutAtTokens`): its maxNewTokens, 0 when stopped early. */
  cutAtTokens: number | null;
  /** The temperature it was sampled at (0: greedy): the adapter learns the distribution as sampled. */
  temperature: number;
  liked: boolean;
  reasons: string[];
  /** "What it should have said"; empty when none. */
  betterResponse: string;
}

export interface AdapterStorage {
  loadAdapter(modelId: string): Promise<LogitAdapterState | null>;
  saveAdapter(adapter: LogitAdapterState): Promise<void>;
  replaceExamplesOf(modelId: string, messageId: string, examples: RatedReply[]): Promise<void>;
  listExamples(modelId: string, vocabSize: number): Promise<RatedReply[]>;
  /** Resolves with the models that lost an example. */
  deleteExamplesOf(messageIds: string[]): Promise<Set<string>>;
  forgetModel(modelId: string): Promise<void>;
  forgetAll(): Promise<void>;
}

export interface LearnerDeps {
  /** No reply is being written: the dialogue worker is free for a forward pass. */
  idle(): boolean;
  /** "Learn from my feedback". */
  enabled(): boolean;
  ratedReply(request: RatedReplyRequest): Promise<{ example: RatedReply; vocabSize: number }>;
  /** Retrains from fresh on `examples` (base null: a new adapter for the model). */
  train(base: LogitAdapterState | null, modelId: string, vocabSize: number, examples: RatedReply[]): Promise<TrainedAdapter>;
  /** Hands the adapter to the dialogue worker (null: none); resolves with whether it applies. */
  useAdapter(adapter: LogitAdapterState | null): Promise<boolean>;
  storage: AdapterStorage;
}

export interface LearnerStatus {
  /** The chat model the adapter belongs to (null before one is ready). */
  modelId: string | null;
  /** Rated replies the adapter in use learned from. */
  ratings: number;
  /** When it last learned (ms since the epoch), null never. */
  updatedAt: number | null;
  /** Ratings waiting to be learned. */
  waiting: number;
  /** A training run is under way. */
  training: boolean;
  /** The dialogue worker applies the adapter to replies. */
  applied: boolean;
  error: string | null;
}

export class AdapterLearner {
  private readonly jobs = new Map<string, LearnJob>();
  /** Bumped on every rating or withdrawal of a message, so a forward pass that raced one is dropped. */
  private readonly versions = new Map<string, number>();
  private model: { id: string; vocabSize: number } | null = null;
  private adapter: LogitAdapterState | null = null;
  private applied = false;
  private dirty = false;
  private training = false;
  private error: string | null = null;
  private running: Promise<void> | null = null;
  /** Woken while running: a rating may have come after the run last looked. */
  private again = false;

  constructor(
    private readonly deps: LearnerDeps,
    private readonly onStatus: (status: LearnerStatus) => void = () => undefined,
  ) {}

  get status(): LearnerStatus {
    return {
      modelId: this.model?.id ?? null,
      ratings: this.adapter?.exampleCount ?? 0,
      updatedAt: this.adapter && this.adapter.trainingCount > 0 ? this.adapter.updatedAt : null,
      waiting: this.jobs.size,
      training: this.training,
      applied: this.applied,
      error: this.error,
    };
  }

  /** A rating was given or changed. */
  rated(job: LearnJob): void {
    this.bump(job.messageId);
    this.jobs.set(job.messageId, job);
    this.publish();
    this.wake();
  }

  /** Ratings were taken back (or their conversation deleted): forget them and retrain without them. */
  async forget(messageIds: string[]): Promise<void> {
    for (const id of messageIds) {
      this.bump(id);
      this.jobs.delete(id);
    }
    const models = await this.deps.storage.deleteExamplesOf(messageIds);
    if (this.model && models.has(this.model.id)) this.dirty = true;
    this.publish();
    this.wake();
  }

  /** A chat model is ready in this tab: take its stored adapter (or none) and learn what waits. */
  async modelReady(modelId: string, vocabSize: number): Promise<void> {
    await this.running;
    this.model = { id: modelId, vocabSize };
    const stored = await this.deps.storage.loadAdapter(modelId);
    this.adapter = stored && stored.vocabSize === vocabSize ? stored : null;
    await this.apply();
    this.wake();
  }

  /** The model was unloaded (another tab took it, or a switch began). */
  modelGone(): void {
    this.model = null;
    this.adapter = null;
    this.applied = false;
    this.publish();
  }

  /** "Learn from my feedback" was switched. */
  async setEnabled(): Promise<void> {
    await this.apply();
    this.wake();
  }

  /** "Reset what it learned": the current model's adapter and examples are deleted. */
  async reset(): Promise<void> {
    await this.running;
    this.jobs.clear();
    if (this.model) await this.deps.storage.forgetModel(this.model.id);
    this.adapter = null;
    this.dirty = false;
    await this.apply();
  }

  /** All feedback was cleared: everything learned, for every model, goes too. */
  async forgetAll(): Promise<void> {
    await this.running;
    this.jobs.clear();
    await this.deps.storage.forgetAll();
    this.adapter = null;
    this.dirty = false;
    await this.apply();
  }

  /** A backup was restored: read the stored adapter again and retrain from the restored examples. */
  async reloadFromStorage(): Promise<void> {
    if (!this.model) return;
    await this.modelReady(this.model.id, this.model.vocabSize);
  }

  /** Starts learning what waits (a reply ended, say); if it is running already, it looks again when done. */
  wake(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.again = false;
    this.running = this.pump()
      .catch((error: unknown) => {
        this.error = `Your rating is saved, but the model could not learn from it: ${error instanceof Error ? error.message : String(error)}`;
      })
      .finally(() => {
        this.running = null;
        this.publish();
        if (this.again) this.wake();
      });
  }

  /** Resolves when the learning under way (if any) has finished. */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  private async pump(): Promise<void> {
    for (;;) {
      const model = this.model;
      if (!model || !this.deps.enabled()) return;
      const next = this.jobs.values().next();
      if (!next.done) {
        if (!this.deps.idle()) return;
        await this.compute(model, next.value);
        continue;
      }
      if (!this.dirty) return;
      if (!this.deps.idle()) return;
      await this.retrain(model);
    }
  }

  /** The examples of one rating, stored; a rating changed or withdrawn meanwhile is dropped. */
  private async compute(model: { id: string; vocabSize: number }, job: LearnJob): Promise<void> {
    const version = this.versions.get(job.messageId);
    const requests: RatedReplyRequest[] = [
      { exampleId: job.messageId, positive: job.liked, reasons: job.reasons, systemPrompt: job.systemPrompt, turns: job.turns, reply: job.reply, cutAtTokens: job.cutAtTokens, temperature: job.temperature },
    ];
    if (job.betterResponse.trim()) {
      requests.push({ exampleId: `${job.messageId}:better`, positive: true, reasons: [], systemPrompt: job.systemPrompt, turns: job.turns, reply: job.betterResponse, cutAtTokens: null, temperature: job.temperature });
    }
    const examples: RatedReply[] = [];
    for (const request of requests) {
      if (!request.reply.trim()) continue;
      examples.push((await this.deps.ratedReply(request)).example);
    }
    if (this.versions.get(job.messageId) !== version || this.model?.id !== model.id) return;
    await this.deps.storage.replaceExamplesOf(model.id, job.messageId, examples);
    if (this.jobs.get(job.messageId) === job) this.jobs.delete(job.messageId);
    this.dirty = true;
    this.error = null;
    this.publish();
  }

  private async retrain(model: { id: string; vocabSize: number }): Promise<void> {
    this.dirty = false;
    this.training = true;
    this.publish();
    try {
      const examples = await this.deps.storage.listExamples(model.id, model.vocabSize);
      const { adapter } = await this.deps.train(this.adapter, model.id, model.vocabSize, examples);
      // A reset or another model while it trained: this result belongs to neither.
      if (this.model?.id !== model.id || this.dirty) return;
      await this.deps.storage.saveAdapter(adapter);
      this.adapter = adapter;
      await this.apply();
    } finally {
      this.training = false;
    }
  }

  private async apply(): Promise<void> {
    const use = this.model && this.deps.enabled() ? this.adapter : null;
    this.applied = this.model ? await this.deps.useAdapter(use) : false;
    this.publish();
  }

  private bump(messageId: string): void {
    this.versions.set(messageId, (this.versions.get(messageId) ?? 0) + 1);
  }

  private publish(): void {
    this.onStatus(this.status);
  }
}
