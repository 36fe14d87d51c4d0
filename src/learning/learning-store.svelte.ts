/**
 * The personal generation adapter as the UI sees it (issue 18): what it learned from and when,
 * and the actions on it. The policy is AdapterLearner's; this store wires it to the dialogue
 * worker, the learning worker and IndexedDB, and follows the chat model as it loads and goes.
 */
import type { ModelStore } from '../inference/model-store.svelte';
import type { ChatDb } from '../storage/db';
import { AdapterLearner, type LearnJob, type LearnerStatus } from './adapter-learner';
import { deleteExamplesOf, forgetAll, forgetModel, listExamples, loadAdapter, replaceExamplesOf, saveAdapter } from './adapter-storage';
import { LearningClient } from './learning-client';

export class LearningStore {
  status = $state.raw<LearnerStatus>({ modelId: null, ratings: 0, updatedAt: null, waiting: 0, training: false, applied: false, error: null });

  private readonly learner: AdapterLearner;
  private readonly client: LearningClient;
  /** The load the learner was told of (a new ReadyInfo per load, crash reloads included). */
  private followed: unknown = null;

  constructor(
    private readonly database: () => ChatDb | null,
    private readonly models: ModelStore,
    enabled: () => boolean,
    idle: () => boolean,
    client: LearningClient = new LearningClient(),
  ) {
    this.client = client;
    const db = (): ChatDb => {
      const open = this.database();
      if (!open) throw new Error('the app’s storage is not open');
      return open;
    };
    this.learner = new AdapterLearner(
      {
        idle: () => idle() && this.models.ready,
        enabled,
        ratedReply: (request) => this.models.client.ratedReply(request),
        train: (base, modelId, vocabSize, examples) => this.client.train(base, modelId, vocabSize, examples),
        useAdapter: (adapter) => this.models.client.useAdapter(adapter),
        storage: {
          loadAdapter: (modelId) => loadAdapter(db(), modelId),
          saveAdapter: (adapter) => saveAdapter(db(), adapter),
          replaceExamplesOf: (modelId, messageId, examples) => replaceExamplesOf(db(), modelId, messageId, examples),
          listExamples: (modelId, vocabSize) => listExamples(db(), modelId, vocabSize),
          deleteExamplesOf: (messageIds) => deleteExamplesOf(db(), messageIds),
          forgetModel: (modelId) => forgetModel(db(), modelId),
          forgetAll: () => forgetAll(db()),
        },
      },
      (status) => (this.status = status),
    );
    // Follows the chat model as it loads, reloads after a crash, switches or goes to another tab.
    $effect.root(() => {
      $effect(() => this.followModel());
    });
  }

  /** Tells the learner of a model ready (or gone); a new load is a new ReadyInfo. */
  private followModel(): void {
    const runtime = this.models.ready ? this.models.runtime : null;
    if (runtime === this.followed) return;
    this.followed = runtime;
    if (runtime) void this.learner.modelReady(this.models.model.spec.id, runtime.vocabSize).catch((error: unknown) => this.fail(error));
    else this.learner.modelGone();
  }

  rated(job: LearnJob): void {
    this.learner.rated(job);
  }

  forget(messageIds: readonly string[]): Promise<void> {
    return this.learner.forget([...messageIds]).catch((error: unknown) => this.fail(error));
  }

  forgetAll(): Promise<void> {
    return this.learner.forgetAll().catch((error: unknown) => this.fail(error));
  }

  /** "Reset what it learned" (the current model's adapter). */
  reset(): Promise<void> {
    return this.learner.reset().catch((error: unknown) => this.fail(error));
  }

  enabledChanged(): Promise<void> {
    return this.learner.setEnabled().catch((error: unknown) => this.fail(error));
  }

  reloadFromStorage(): Promise<void> {
    return this.learner.reloadFromStorage().catch((error: unknown) => this.fail(error));
  }

  /** A reply ended: learn what waited for the model to be free. */
  wake(): void {
    this.learner.wake();
  }

  settled(): Promise<void> {
    return this.learner.settled();
  }

  dispose(): void {
    this.client.dispose();
  }

  private fail(error: unknown): void {
    this.status = { ...this.status, error: `Learning from your feedback failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}
