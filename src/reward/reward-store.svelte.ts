import type { BackendPreference, ChatTurn, LoadProgress } from '../../workers/shared/protocol';
import { REWARD_FEATURE_VERSION, type CommunityRewardHead } from '../../workers/shared/community-artifact';
import type { PersonalHeadState, RewardScore, SafetyScore, TrainingExample } from '../../workers/shared/reward-protocol';
import type { ChatDb } from '../storage/db';
import { RewardClient, RewardError } from './reward-client';
import { DEMO_ENCODER, DEMO_SAFETY, ENCODER_CATALOG, SAFETY_CATALOG } from './reward-catalog';
import type { RewardModelSpec } from '../../workers/shared/reward-protocol';

export interface RewardModelChoice {
  encoderId: string;
  safetyId: string;
  /** Where catalog models download from (the model host chosen for chat models). */
  host: string | undefined;
}
import { deleteHead, loadHead, saveHead } from './head-storage';
import { CrashRecovery } from '../../workers/shared/rpc/crash-recovery';

/** 'restarting': its worker crashed and the models are loading again; replies wait for the safety check. */
export type RewardStatus = 'idle' | 'loading' | 'ready' | 'restarting' | 'unavailable';

/**
 * The reward worker as the app sees it: loaded lazily on first use, asked for safety and reward
 * scores while a reply is made, and taught from the user's ratings in the background. Training
 * runs in the worker and is queued here, so rating a reply never waits for it. The head it
 * learns is written to IndexedDB after every update.
 */
export class RewardStore {
  status = $state<RewardStatus>('idle');
  error = $state<string | null>(null);
  progress = $state<LoadProgress | null>(null);
  head = $state.raw<PersonalHeadState | null>(null);
  pendingTraining = $state(0);

  private client: RewardClient | null = null;
  private loading: Promise<boolean> | null = null;
  private readonly recovery: CrashRecovery;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  /** Training updates run one after another, in the order the ratings were given. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly database: () => ChatDb | null,
    private readonly backend: () => BackendPreference,
    private readonly choice: () => RewardModelChoice,
    private readonly createClient: () => RewardClient = () => new RewardClient(),
    now: () => number = Date.now,
  ) {
    this.recovery = new CrashRecovery(now);
  }

  get trainingCount(): number {
    return this.head?.trainingCount ?? 0;
  }

  get ratingsLearned(): number {
    return this.head?.examples.length ?? 0;
  }

  /** Loads the encoder, the safety classifier and the stored head once; true when usable. */
  ensureLoaded(): Promise<boolean> {
    this.loading ??= this.load();
    return this.loading;
  }

  /** Safety of each text, or null when the reward worker cannot run (the caller says so). */
  async classify(texts: string[], threshold: number): Promise<SafetyScore[] | null> {
    // A crash in the middle of the check: the worker restarts (onCrash) and the check runs again
    // on it, so the reply waits rather than going out unchecked.
    for (let attempt = 0; attempt < 2; attempt++) {
      if (!(await this.ensureLoaded()) || !this.client) return null;
      try {
        return await this.client.classify(texts, threshold);
      } catch (error) {
        if (attempt === 0 && error instanceof RewardError && error.kind === 'worker-crashed') continue;
        this.error = `The safety classifier failed: ${messageOf(error)}`;
        return null;
      }
    }
    return null;
  }

  /** Reward of each reply to `context`, or null when the reward worker cannot run. */
  async score(context: ChatTurn[], replies: string[]): Promise<RewardScore[] | null> {
    if (!(await this.ensureLoaded()) || !this.client) return null;
    try {
      return await this.client.score(context, replies);
    } catch (error) {
      this.error = `The reward model failed: ${messageOf(error)}`;
      return null;
    }
  }

  /** Learns from a new or changed rating, in the background. */
  learn(example: TrainingExample): void {
    this.enqueue((client) => client.train(example));
  }

  /** Forgets a rating the user took back, in the background. */
  forget(messageId: string): void {
    this.enqueue((client) => client.forget(messageId));
  }

  /** The community head the personal head starts from, when the user adopted one. */
  get community(): CommunityRewardHead | null {
    return this.head?.prior ?? null;
  }

  /** What a community head must fit: the loaded encoder's features (null until loaded). */
  get expectedCommunityHead(): { encoderId: string; featureSize: number; featureVersion: number } | null {
    return this.head ? { encoderId: this.head.encoderId, featureSize: this.head.featureSize, featureVersion: REWARD_FEATURE_VERSION } : null;
  }

  /**
   * Forgets every rating; `keepCommunity` starts over from the adopted community head, otherwise
   * from nothing at all.
   */
  async resetHead(keepCommunity = false): Promise<void> {
    const db = this.database();
    if (db) await deleteHead(db);
    if (!(await this.ensureLoaded()) || !this.client) {
      this.head = null;
      return;
    }
    const client = this.client;
    this.queue = this.queue.then(async () => {
      this.head = await client.resetHead(keepCommunity);
      if (keepCommunity && this.head.prior && db) await saveHead(db, this.head);
    });
    await this.queue;
  }

  /** Puts a (checked) community head under the user's ratings, or takes it away; the ratings stay. */
  async setCommunity(prior: CommunityRewardHead | null): Promise<void> {
    if (!(await this.ensureLoaded()) || !this.client) throw new Error(this.error ?? 'The reward model is not available.');
    const client = this.client;
    const db = this.database();
    const done = this.queue.then(async () => {
      this.head = await client.setPrior(prior);
      if (db) await saveHead(db, this.head);
    });
    this.queue = done.catch(() => undefined);
    await done;
  }

  /**
   * Takes the head stored in IndexedDB again, after a backup was restored into it: what Settings
   * shows, the scores, and the next rating build on the restored head rather than overwrite it.
   * Waits for the training queued before it; models not loaded yet read the stored head as they load.
   */
  async reloadHead(): Promise<void> {
    const reloaded = this.queue.then(async () => {
      // A load in flight may have read the head before the restore wrote it.
      if (this.loading && !(await this.loading)) return;
      const db = this.database();
      if (!db || !this.client) return;
      this.head = await this.client.useHead(await loadHead(db));
    });
    this.queue = reloaded.catch((error: unknown) => {
      this.error = `The restored reward model could not be used: ${messageOf(error)}`;
    });
    await this.queue;
  }

  /**
   * Loads the encoder and classifier now chosen (downloading them when they are not cached). A
   * head trained on another encoder is replaced by a fresh one in the worker.
   */
  async reload(): Promise<boolean> {
    await this.queue;
    this.dispose();
    this.loading = null;
    this.status = 'idle';
    return this.ensureLoaded();
  }

  dispose(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.client?.dispose();
    this.client = null;
  }

  /**
   * The worker died: whatever it had loaded is gone. The store stops believing it is ready (so no
   * request goes to an empty worker), says so, and loads the models again — at once the first
   * time, later after repeated crashes, and not at all when it keeps crashing. Calls that come
   * meanwhile wait for that load (ensureLoaded), so a reply is held until its safety check runs.
   */
  private onCrash(client: RewardClient, error: Error): void {
    if (this.client !== client) return;
    this.client = null;
    client.dispose();
    const step = this.recovery.crashed();
    if ('giveUp' in step) {
      this.status = 'unavailable';
      this.loading = Promise.resolve(false);
      this.error = `${error.message} It keeps crashing, so it was not restarted: replies are not checked or ranked. Reload the page to try again.`;
      return;
    }
    this.status = 'restarting';
    this.error = null;
    let startLoad!: () => void;
    const started = new Promise<void>((resolve) => (startLoad = resolve));
    this.loading = started.then(() => this.load('restarting'));
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      startLoad();
    }, step.retryInMs);
  }

  private enqueue(update: (client: RewardClient) => Promise<PersonalHeadState>): void {
    this.pendingTraining += 1;
    this.queue = this.queue
      .then(async () => {
        if (!(await this.ensureLoaded()) || !this.client) return;
        const head = await update(this.client);
        this.head = head;
        const db = this.database();
        if (db) await saveHead(db, head);
      })
      .catch((error: unknown) => {
        this.error = `Your rating was saved, but the reward model could not learn from it: ${messageOf(error)}`;
      })
      .finally(() => {
        this.pendingTraining -= 1;
      });
  }

  private async load(status: 'loading' | 'restarting' = 'loading'): Promise<boolean> {
    this.status = status;
    try {
      const db = this.database();
      const stored = db ? await loadHead(db) : null;
      const client = this.createClient();
      client.onCrash((error) => this.onCrash(client, error));
      const { encoderId, safetyId, host } = this.choice();
      const ready = await client.load({
        encoder: specFor(ENCODER_CATALOG, encoderId, DEMO_ENCODER, host),
        safety: specFor(SAFETY_CATALOG, safetyId, DEMO_SAFETY, host),
        backend: this.backend(),
        head: stored,
        onProgress: (progress) => (this.progress = progress),
      });
      this.client = client;
      this.head = ready.head;
      this.status = 'ready';
      this.error = null;
      return true;
    } catch (error) {
      this.status = 'unavailable';
      this.error = `The reward and safety models could not load (${messageOf(error)}). Replies are not checked or ranked; reload to try again.`;
      // A later call may try again (after a reload of the page, most likely).
      this.loading = null;
      return false;
    } finally {
      this.progress = null;
    }
  }
}

/** The catalog spec with this id (the demo one when the id is unknown), from the chosen host. */
function specFor(catalog: readonly { spec: RewardModelSpec }[], id: string, fallback: RewardModelSpec, host: string | undefined): RewardModelSpec {
  const spec = catalog.find((entry) => entry.spec.id === id)?.spec ?? fallback;
  return spec.local || host === undefined ? spec : { ...spec, host };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
